import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMStoreContract
import SCIMStoreSQLite
import Testing
import ZscalerEmulator

/// The real `zscim serve` binary, killed with SIGKILL in the middle of a sync and started again:
/// every acknowledged SCIM write is still there and reaches ZIA exactly once.
@Suite("Crash recovery (executable)", .serialized)
struct CrashRecoveryTests {
    static let repoRoot = BuiltExecutable.repoRoot

    static func binary() throws -> URL { try BuiltExecutable.url("zscim") }

    /// Starts `zscim serve` on a free port and returns the process and its SCIM base URL.
    static func serve(database: String, in dir: URL) async throws -> (Process, String) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = [
            "serve", "--database", database, "--schemas", repoRoot.appendingPathComponent("schemas").path, "--port", "0", "--log-level",
            "error",
        ]
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = out.fileHandleForReading
        var text = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("zscim listening on ") }) {
                return (process, "http://\(line.dropFirst("zscim listening on ".count))/scim/v2")
            }
        }
        process.terminate()
        throw HarnessFailure("zscim serve did not start: \(text)")
    }

    @Test("SIGKILL in the middle of a 1,000-user sync, restart, converge: zero duplicates, zero lost writes")
    func killAndRestart() async throws {
        let timeScale = 0.001
        var configuration = EmulatorConfiguration()
        configuration.timeScale = timeScale
        let emulator = try ZscalerEmulator(configuration: configuration, seed: .generated(userCount: 5))
        let port = try await emulator.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("zscim.sqlite").path

        // Set up the tenant and its connection through the store, as `tenant create/connect` do.
        let token = BearerToken.generate()
        let tenant = Tenant(id: UUID().uuidString.lowercased(), name: "acme", created: .now())
        do {
            let store = try SQLiteDirectoryStore(path: database)
            try await store.createTenant(tenant)
            try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
            let box = try SecretBox.load(environment: [:], keyFile: database + ".key")
            let c = SeedFixture.testCredentials
            var policy = TenantPolicy()
            policy.defaultDepartment = "Department 1"
            try await TenantConnections.save(
                ZscalerConnection(
                    flavor: .legacy, baseURL: "http://127.0.0.1:\(port)/api/v1", username: c.adminUsername, allowUnlistedHost: true,
                    rateScale: timeScale, secrets: ConnectionSecrets(password: c.adminPassword, apiKey: c.apiKey)),
                policy: policy, tenantID: tenant.id, store: store, box: box, at: .now())
        }

        var (process, base) = try await Self.serve(database: database, in: dir)
        let http = HTTPClient.shared
        let total = 1000
        let firstBase = base
        // 16 concurrent clients; every 201 is an acknowledged write that must survive.
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<16 {
                group.addTask {
                    var mine: [String] = []
                    for i in stride(from: worker, to: total, by: 16) {
                        var request = HTTPClientRequest(url: firstBase + "/Users")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.headers.add(name: "Content-Type", value: "application/scim+json")
                        request.body = .bytes(
                            ByteBuffer(
                                string:
                                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"crash\#(i)@example.com","displayName":"Crash \#(i)"}"#
                            ))
                        let response = try await http.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        if response.status == .created { mine.append("crash\(i)@example.com") }
                    }
                    return mine
                }
            }
            var all: [String] = []
            for try await part in group { all += part }
            return all
        }
        #expect(acknowledged.count == total)

        // Kill it while the reconciler is mid-way.
        let deadline = ContinuousClock.now + .seconds(120)
        while emulator.users(activated: false).filter({ $0.email.hasPrefix("crash") }).count < total / 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let before = emulator.users(activated: false).filter { $0.email.hasPrefix("crash") }.count
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(before < total, "the sync finished before the kill; the test proves nothing")

        (process, base) = try await Self.serve(database: database, in: dir)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let store = try SQLiteDirectoryStore(path: database)
        let converge = ContinuousClock.now + .seconds(240)
        while ContinuousClock.now < converge {
            let summary = try await store.syncSummary(tenantID: tenant.id, now: Int64(Date().timeIntervalSince1970 * 1000), failureLimit: 3)
            if summary.queued.values.reduce(0, +) == 0, emulator.activationStatus == "ACTIVE" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let users = emulator.users().filter { $0.email.hasPrefix("crash") }
        #expect(users.count == total, "ZIA has \(users.count) of \(total) users")
        #expect(Set(users.map(\.email)).count == users.count, "duplicates in ZIA")
        #expect(Set(users.map(\.email)) == Set(acknowledged))
        let stored = try await store.list(tenantID: tenant.id, query: StoreQuery(kind: .user))
        #expect(stored.total == total, "the store lost acknowledged writes")
        #expect(stored.resources.allSatisfy { $0.resource.sync?.state == .synced })
        #expect(emulator.counters.totals.limitViolations == 0)
        await emulator.stop()
    }
}
