import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import ZscalerEmulator

/// A running emulator on 127.0.0.1 (ephemeral port) and a real HTTP client talking to it.
struct Harness: Sendable {
    let emulator: ZscalerEmulator
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }
    var credentials: SeedFixture.TestCredentials { SeedFixture.testCredentials }

    /// A response as the tests look at it.
    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// Sends one request; `json` is encoded as the body with `Content-Type: application/json`.
    func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], json: Any? = nil, body: String? = nil,
        contentType: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        } else if let body {
            request.body = .bytes(ByteBuffer(string: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(collected.readableBytesView))
    }

    // MARK: Auth helpers

    /// A login body for the generated fixture's admin, at `timestamp` (default now).
    func loginBody(apiKey: String? = nil, password: String? = nil, timestamp: String? = nil) -> [String: Any] {
        let timestamp = timestamp ?? EmulatorKeyObfuscation.currentTimestamp()
        return [
            "apiKey": EmulatorKeyObfuscation.obfuscate(apiKey: apiKey ?? credentials.apiKey, timestamp: timestamp)!,
            "username": credentials.adminUsername, "password": password ?? credentials.adminPassword, "timestamp": timestamp,
        ]
    }

    /// Logs in and returns the `Cookie` header value.
    func login() async throws -> String {
        let reply = try await send(.POST, "/api/v1/authenticatedSession", json: loginBody())
        try #require(reply.status == 200, "login failed: \(reply.status) \(reply.text)")
        let setCookie = try #require(reply.header("Set-Cookie"))
        return String(setCookie.split(separator: ";")[0])
    }

    /// A OneAPI bearer header value.
    func oneAPIToken() async throws -> String {
        let form =
            "grant_type=client_credentials&client_id=\(credentials.oneAPIClientId)&client_secret=\(credentials.oneAPIClientSecret)"
            + "&audience=https%3A%2F%2Fapi.zscaler.com"
        let reply = try await send(.POST, "/oauth2/v1/token", body: form, contentType: "application/x-www-form-urlencoded")
        try #require(reply.status == 200, "token failed: \(reply.text)")
        return "Bearer " + (try #require(reply.object["access_token"] as? String))
    }

    func zpaToken() async throws -> String {
        let form = "client_id=\(credentials.zpaClientId)&client_secret=\(credentials.zpaClientSecret)"
        let reply = try await send(.POST, "/signin", body: form, contentType: "application/x-www-form-urlencoded")
        try #require(reply.status == 200, "signin failed: \(reply.text)")
        return "Bearer " + (try #require(reply.object["access_token"] as? String))
    }

    /// `GET /__emulator/counters`, decoded with the library's own type.
    func counters() async throws -> EmulatorCountersSnapshot {
        let reply = try await send(.GET, "/__emulator/counters")
        return try JSONDecoder().decode(EmulatorCountersSnapshot.self, from: reply.body)
    }
}

/// Test configuration: control routes on, limits *counted but not enforced* (tests about limits
/// turn enforcement on), no write hold, so tests that are not about timing never wait.
func testConfiguration(_ adjust: (inout EmulatorConfiguration) -> Void = { _ in }) -> EmulatorConfiguration {
    var configuration = EmulatorConfiguration()
    configuration.controlEnabled = true
    configuration.rateLimits.enforce = false
    configuration.editLock.writeHoldSeconds = 0
    configuration.randomSeed = 42
    adjust(&configuration)
    return configuration
}

/// Runs `body` against a fresh emulator and always stops it.
func withEmulator(
    seed: SeedFixture = .generated(userCount: 30, groupCount: 6, departmentCount: 4, scimUserCount: 3),
    _ adjust: (inout EmulatorConfiguration) -> Void = { _ in }, _ body: (Harness) async throws -> Void
) async throws {
    let emulator = try ZscalerEmulator(configuration: testConfiguration(adjust), seed: seed)
    let port = try await emulator.start()
    do {
        try await body(Harness(emulator: emulator, port: port))
    } catch {
        await emulator.stop()
        throw error
    }
    await emulator.stop()
}

/// The repository root, for fixture files.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

extension HTTPMethodName {
    var nio: HTTPMethod {
        switch self {
        case .GET: .GET
        case .POST: .POST
        case .PUT: .PUT
        case .PATCH: .PATCH
        case .DELETE: .DELETE
        }
    }
}
