import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMServer
import SCIMStoreSQLite
import ServiceLifecycle
import Testing
import ZscalerAPI
import ZscalerEmulator

/// The whole bridge over real sockets for one test: the Zscaler emulator on 127.0.0.1, a SQLite
/// store in a temporary folder, a tenant connected to the emulator, the SCIM server and the
/// reconcilers in one service group, and an HTTP client speaking SCIM to it.
struct BridgeHarness: Sendable {
    let emulator: ZscalerEmulator
    let store: SQLiteDirectoryStore
    let tenant: Tenant
    let token: String
    let scimBase: String
    let reconcilers: ReconcilerService
    let http: HTTPClient

    static let schemasPath: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas").path
    }()

    static func with(
        timeScale: Double = 0.002, seed: SeedFixture = .generated(userCount: 5), oneAPI: Bool = false,
        policy adjustPolicy: (inout TenantPolicy) -> Void = { _ in }, emulator configure: (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: (BridgeHarness) async throws -> Void
    ) async throws {
        var configuration = EmulatorConfiguration()
        configuration.timeScale = timeScale
        configuration.randomSeed = 11
        configure(&configuration)
        let emulator = try ZscalerEmulator(configuration: configuration, seed: seed)
        let emulatorPort = try await emulator.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-bridge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let store = try SQLiteDirectoryStore(path: dir.appendingPathComponent("zscim.sqlite").path)
        let tenant = Tenant(id: UUID().uuidString.lowercased(), name: "acme", created: .now())
        try await store.createTenant(tenant)
        let token = BearerToken.generate()
        try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
        let box = SecretBox(key: SymmetricKey(size: .bits256))
        let credentials = SeedFixture.testCredentials
        let base = "http://127.0.0.1:\(emulatorPort)"
        let connection =
            oneAPI
            ? ZscalerConnection(
                flavor: .oneAPI, baseURL: "\(base)/zia/api/v1", clientID: credentials.oneAPIClientId, tokenURL: "\(base)/oauth2/v1/token",
                allowUnlistedHost: true, rateScale: timeScale, secrets: ConnectionSecrets(clientSecret: credentials.oneAPIClientSecret))
            : ZscalerConnection(
                flavor: .legacy, baseURL: "\(base)/api/v1", username: credentials.adminUsername, allowUnlistedHost: true,
                rateScale: timeScale,
                secrets: ConnectionSecrets(password: credentials.adminPassword, apiKey: credentials.apiKey))
        var policy = TenantPolicy()
        policy.defaultDepartment = "Department 1"
        policy.domains = seed.organization.domains
        adjustPolicy(&policy)
        try await TenantConnections.save(connection, policy: policy, tenantID: tenant.id, store: store, box: box, at: .now())

        var logger = Logger(label: "bridge-test")
        logger.logLevel = .critical
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let reconcilers = ReconcilerService(
            store: store, box: box, httpClient: ZscalerHTTPClient.shared, logger: logger, refreshInterval: .milliseconds(200))
        var serviceConfiguration = ServiceConfiguration(cursorSecret: Array(repeating: 7, count: 32))
        serviceConfiguration.onCommit = { tenantID, lane in reconcilers.wake(tenantID: tenantID, lane: lane) }
        serviceConfiguration.passwordSealer = box
        let service = try SCIMService(
            store: store, registry: try SchemaRegistry.load(directory: schemasPath), configuration: serviceConfiguration, logger: logger)
        var server = ServerConfiguration()
        server.port = 0
        let (addresses, continuation) = AsyncStream.makeStream(of: String.self)
        let app = buildApplication(service: service, configuration: server, logger: logger) { address in
            continuation.yield(address)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app, reconcilers], logger: logger))
        let running = Task { try await group.run() }
        var address = ""
        for await a in addresses {
            address = a
            break
        }
        let harness = BridgeHarness(
            emulator: emulator, store: store, tenant: tenant, token: token, scimBase: "http://\(address)/scim/v2", reconcilers: reconcilers,
            http: http)
        do {
            try await body(harness)
            #expect(
                emulator.counters.totals.limitViolations == 0,
                "the bridge broke a Zscaler rate limit: \(emulator.counters.routes.filter { $0.value.limitViolations > 0 })")
        } catch {
            await group.triggerGracefulShutdown()
            _ = await running.result
            try? await http.shutdown()
            await emulator.stop()
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = await running.result
        try await http.shutdown()
        await emulator.stop()
    }

    /// One SCIM request; returns the status and the parsed body (null when empty).
    @discardableResult
    func scim(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: scimBase + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/scim+json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        let parsed = bytes.readableBytes == 0 ? JSONValue.null : try JSONParser().parse(Array(bytes.readableBytesView))
        return (Int(response.status.code), parsed)
    }

    /// Creates a user through SCIM and returns its SCIM id.
    func createUser(_ userName: String, displayName: String? = nil, department: String? = nil, active: Bool = true) async throws -> String {
        var extra = ""
        if let department { extra += ",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"\(department)\"}" }
        let body = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"\(userName)","displayName":"\(displayName ?? userName)","active":\(active)\(extra)}
            """
        let (status, answer) = try await scim(.POST, "/Users", body)
        guard status == 201, let id = answer["id"]?.stringValue else {
            throw HarnessFailure("POST /Users \(userName): \(status) \(answer.serialized())")
        }
        return id
    }

    func createGroup(_ name: String, members: [String] = []) async throws -> String {
        let list = members.map { "{\"value\":\"\($0)\"}" }.joined(separator: ",")
        let (status, answer) = try await scim(
            .POST, "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"\(name)\",\"members\":[\(list)]}")
        guard status == 201, let id = answer["id"]?.stringValue else {
            throw HarnessFailure("POST /Groups \(name): \(status) \(answer.serialized())")
        }
        return id
    }

    func patch(_ kind: String, _ id: String, _ operations: String) async throws -> Int {
        try await scim(
            .PATCH, "/\(kind)/\(id)", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[\(operations)]}"
        ).status
    }

    /// Waits until nothing is queued and the emulator has activated everything.
    func waitUntilConverged(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let summary = try await store.syncSummary(tenantID: tenant.id, now: Int64(Date().timeIntervalSince1970 * 1000), failureLimit: 5)
            let queued = summary.queued.values.reduce(0, +)
            let state = try await store.reconcilerState(tenantID: tenant.id) ?? ""
            let activationPending = state.contains("\"activationPendingSince\"")
            if queued == 0, !activationPending, emulator.activationStatus == "ACTIVE" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        let summary = try await store.syncSummary(tenantID: tenant.id, now: Int64(Date().timeIntervalSince1970 * 1000), failureLimit: 5)
        throw HarnessFailure("did not converge within \(timeout): \(summary)")
    }

    /// The activated ZIA user with this e-mail.
    func ziaUser(_ email: String) -> EmulatorUserView? {
        emulator.users().first { $0.email.caseInsensitiveCompare(email) == .orderedSame }
    }

    func ziaGroupID(_ name: String) -> Int? {
        emulator.groups().first { $0.value.caseInsensitiveCompare(name) == .orderedSame }?.key
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
