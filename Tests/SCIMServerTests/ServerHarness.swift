import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SCIMBridge
import SCIMCore
import SCIMServer
import SCIMStoreSQLite
import Testing

/// A zscim application on a fresh SQLite file with two tenants, `acme` and `globex`, each with a
/// token: the same application `zscim serve` runs.
struct ServerHarness {
    let store: SQLiteDirectoryStore
    let service: SCIMService
    let directory: URL
    var acmeToken = ""
    var globexToken = ""
    var serverConfiguration = ServerConfiguration()

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let registry: SchemaRegistry = try! SchemaRegistry.load(directory: repoRoot.appendingPathComponent("schemas").path)

    init(configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteDirectoryStore(path: directory.appendingPathComponent("zscim.sqlite").path)
        var configuration = ServiceConfiguration(cursorSecret: Array(repeating: 42, count: 32))
        configure(&configuration)
        service = try SCIMService(store: store, registry: Self.registry, configuration: configuration, logger: Logger(label: "test"))
        acmeToken = try await addTenant("acme")
        globexToken = try await addTenant("globex")
    }

    func addTenant(_ name: String, profile: String = "lenient") async throws -> String {
        let tenant = Tenant(id: "tid-\(name)", name: name, profileName: profile, created: .now())
        try await store.createTenant(tenant)
        let token = BearerToken.generate()
        try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
        return token
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    func run(_ test: @escaping @Sendable (TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(service: service, configuration: serverConfiguration, logger: Logger(label: "test"))
        defer { cleanUp() }
        try await app.test(.router, test)
    }
}

/// A response with its body parsed.
struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let json: JSONValue?

    subscript(key: String) -> JSONValue? { json?[key] }
    var scimType: String? { json?["scimType"]?.stringValue }
    var total: Int? { json?["totalResults"]?.numberValue?.integer.map(Int.init) }
    var ids: [String] { (json?["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue } }
}

extension TestClientProtocol {
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil, headers extra: HTTPFields = [:],
        contentType: String? = "application/scim+json"
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, let contentType { headers[.contentType] = contentType }
        let response = try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let bytes = Array(response.body.readableBytesView)
        let json = bytes.isEmpty ? nil : try? JSONParser().parse(bytes)
        if !bytes.isEmpty, json == nil { Issue.record("\(method) \(uri): body is not JSON: \(String(decoding: bytes, as: UTF8.self))") }
        if response.status.code >= 400 {
            // Every error is a SCIM error body (RFC 7644 §3.12).
            #expect(json?["schemas"] == .array([.string(SCIMError.errorSchema)]), "\(method) \(uri) \(response.status)")
            #expect(json?["status"] == .string(String(response.status.code)), "\(method) \(uri)")
        }
        if !bytes.isEmpty { #expect(response.headers[.contentType] == "application/scim+json; charset=utf-8") }
        return Reply(status: response.status, headers: response.headers, json: json)
    }

    func createUser(_ userName: String, token: String, extra: String = "") async throws -> String {
        let reply = try await call(
            .post, "/scim/v2/Users", token: token,
            body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)"\#(extra)}"#)
        #expect(reply.status == .created, "\(reply.json.map { "\($0)" } ?? "")")
        return reply["id"]?.stringValue ?? ""
    }

    func createGroup(_ name: String, members: [String] = [], token: String) async throws -> String {
        let list = members.map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
        let reply = try await call(
            .post, "/scim/v2/Groups", token: token,
            body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\#(name)","members":[\#(list)]}"#)
        #expect(reply.status == .created, "\(reply.json.map { "\($0)" } ?? "")")
        return reply["id"]?.stringValue ?? ""
    }
}
