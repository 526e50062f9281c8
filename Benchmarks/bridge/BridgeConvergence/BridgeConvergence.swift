import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMStoreSQLite
import ZscalerEmulator

/// Issue 7's bridge benchmark: a 16-connection SCIM client creates users and groups through the
/// real `zscim serve` binary, whose reconciler drains them into the in-process emulator at a time
/// scale. Reports Zscaler calls against their lower bound, convergence time against what the
/// emulator's limits allow, limit violations, SCIM write latency while the queue is long, and how
/// long a deactivation takes to reach Zscaler while the creates are queued.
@main
struct BridgeConvergence: AsyncParsableCommand {
    @Option(help: "Users to create.") var users = 5000
    @Option(help: "Groups to create.") var groups = 50
    @Option(help: "Members per group.") var members = 100
    @Option(help: "Concurrent SCIM connections.") var connections = 16
    @Option(name: .customLong("time-scale"), help: "Real seconds per Zscaler second.") var timeScale = 0.01
    @Option(help: "The zscim binary (default: .build/release/zscim, else .build/debug/zscim).") var zscim: String?
    @Option(help: "Give up after this many real seconds.") var timeout = 1800.0

    func run() async throws {
        let binary =
            try zscim
            ?? [".build/release/zscim", ".build/debug/zscim"].first { FileManager.default.isExecutableFile(atPath: $0) }
            .orThrow("build zscim first (swift build -c release --product zscim)")
        // OneAPI, so that missing groups are created (the legacy API cannot).
        var configuration = EmulatorConfiguration()
        configuration.timeScale = timeScale
        let emulator = try ZscalerEmulator(configuration: configuration, seed: .generated(userCount: 5, groupCount: 5))
        let port = try await emulator.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("zscim.sqlite").path
        let store = try SQLiteDirectoryStore(path: database)
        let tenant = Tenant(id: UUID().uuidString.lowercased(), name: "bench", created: .now())
        try await store.createTenant(tenant)
        let token = BearerToken.generate()
        try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
        let box = try SecretBox.load(environment: [:], keyFile: database + ".key")
        let c = SeedFixture.testCredentials
        var policy = TenantPolicy()
        policy.defaultDepartment = "Department 1"
        try await TenantConnections.save(
            ZscalerConnection(
                flavor: .oneAPI, baseURL: "http://127.0.0.1:\(port)/zia/api/v1", clientID: c.oneAPIClientId,
                tokenURL: "http://127.0.0.1:\(port)/oauth2/v1/token", allowUnlistedHost: true, rateScale: timeScale,
                secrets: ConnectionSecrets(clientSecret: c.oneAPIClientSecret)),
            policy: policy, tenantID: tenant.id, store: store, box: box, at: .now())

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--database", database, "--port", "0", "--log-level", "error"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        defer { process.terminate() }
        var text = ""
        while !text.contains("zscim listening on ") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw ValidationError("zscim serve exited: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let address = text.split(separator: "\n").first { $0.hasPrefix("zscim listening on ") }!.dropFirst("zscim listening on ".count)
        let base = "http://\(address)/scim/v2"
        let http = HTTPClient.shared
        let client = SCIMClient(http: http, base: base, token: token)

        // A user that is in ZIA before the load starts: it will be deactivated mid-load.
        let victim = try await client.post("/Users", user("victim"))
        while emulator.users(activated: false).first(where: { $0.email == "victim@example.com" }) == nil {
            try await Task.sleep(for: .milliseconds(20))
        }
        emulator.resetCounters()
        let start = ContinuousClock.now

        // The load: users, then groups with members, 16 connections.
        let userLatencies = try await client.concurrently(users, width: connections) { i in
            try await client.timedPost("/Users", user("u\(i)"))
        }
        let ids = userLatencies.map(\.id)
        let groupLatencies = try await client.concurrently(groups, width: connections) { g in
            let list = (0..<members).map { "{\"value\":\"\(ids[(g * members + $0) % ids.count])\"}" }.joined(separator: ",")
            return try await client.timedPost(
                "/Groups",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Bench Group \(g)\",\"members\":[\(list)]}"
            )
        }
        let loadDone = ContinuousClock.now

        // Deactivate the victim while the creates are queued; time until ZIA has it disabled.
        let deactivateStart = ContinuousClock.now
        try await client.patch("/Users/\(victim)", #"{"op":"replace","path":"active","value":false}"#)
        var reachedZIA: Duration?
        var activated: Duration?
        let pendingAtDeactivation = try await store.syncSummary(tenantID: tenant.id, now: nowMillis(), failureLimit: 0).queued.values
            .reduce(0, +)
        let deadline = ContinuousClock.now + .seconds(timeout)
        var converged: Duration?
        while ContinuousClock.now < deadline {
            if reachedZIA == nil, emulator.users(activated: false).first(where: { $0.email == "victim@example.com" })?.disabled == true {
                reachedZIA = ContinuousClock.now - deactivateStart
            }
            if activated == nil, emulator.users(activated: true).first(where: { $0.email == "victim@example.com" })?.disabled == true {
                activated = ContinuousClock.now - deactivateStart
            }
            let summary = try await store.syncSummary(tenantID: tenant.id, now: nowMillis(), failureLimit: 0)
            if summary.queued.values.reduce(0, +) == 0, emulator.activationStatus == "ACTIVE", reachedZIA != nil {
                converged = ContinuousClock.now - start
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }

        let counters = emulator.counters
        func calls(_ prefix: String) -> Int { counters.routes.filter { $0.key.hasPrefix(prefix) }.values.reduce(0) { $0 + $1.calls } }
        let creates = calls("POST /zia/api/v1/users")
        let puts = calls("PUT /zia/api/v1/users/")
        let gets = calls("GET /zia/api/v1/users")
        let groupCreates = calls("POST /zia/api/v1/groups")
        let activations = calls("POST /zia/api/v1/status/activate")
        // Lower bound in Zscaler time: every create/PUT is a write, 1/s and 400/h.
        let writes = Double(creates + puts + groupCreates)
        let boundZscalerSeconds = max(writes, writes / 400 * 3600)
        let boundReal = boundZscalerSeconds * timeScale
        let latencies = (userLatencies + groupLatencies).map(\.latency).sorted()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))].ms
        }
        let zscalerSeconds = { (d: Duration?) in
            d.map { String(format: "%.1f Zscaler-s (%.2f s real)", $0.ms / 1000 / timeScale, $0.ms / 1000) } ?? "not reached"
        }
        print(
            """
            bridge convergence: \(users) users, \(groups) groups × \(members) members, \(connections) SCIM connections, time scale \(timeScale)
            SCIM load: \(latencies.count) writes in \(String(format: "%.1f", (loadDone - start).ms / 1000)) s; latency p50 \(String(format: "%.1f", percentile(0.5))) ms, p99 \(String(format: "%.1f", percentile(0.99))) ms, max \(String(format: "%.1f", latencies.last?.ms ?? 0)) ms
            Zscaler calls: user creates \(creates) (lower bound \(users)), user PUTs \(puts) (bound: at most one per user, \(users)), user GETs \(gets), group creates \(groupCreates) (bound \(groups)), activations \(activations)
            converged: \(converged.map { String(format: "%.1f s real", $0.ms / 1000) } ?? "NO (timeout)"); the emulator's limits allow \(String(format: "%.1f", boundReal)) s for these writes; ratio \(converged.map { String(format: "%.3f", $0.ms / 1000 / boundReal) } ?? "-")×
            limit violations: \(counters.totals.limitViolations)
            deactivation with \(pendingAtDeactivation) changes queued: reached ZIA after \(zscalerSeconds(reachedZIA)), activated after \(zscalerSeconds(activated))
            """)
        await emulator.stop()
    }

    func user(_ name: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(name)@example.com","displayName":"User \#(name)"}"#
    }

    func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

struct Timed: Sendable {
    var id: String
    var latency: Duration
}

/// A minimal SCIM client for the load.
struct SCIMClient: Sendable {
    let http: HTTPClient
    let base: String
    let token: String

    func send(_ method: HTTPMethod, _ path: String, _ body: String) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/scim+json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let value = bytes.readableBytes == 0 ? JSONValue.null : try JSONParser().parse(Array(bytes.readableBytesView))
        return (Int(response.status.code), value)
    }

    func post(_ path: String, _ body: String) async throws -> String {
        let (status, value) = try await send(.POST, path, body)
        guard status == 201, let id = value["id"]?.stringValue else {
            throw ValidationError("POST \(path): \(status) \(value.serialized())")
        }
        return id
    }

    func timedPost(_ path: String, _ body: String) async throws -> Timed {
        let start = ContinuousClock.now
        let id = try await post(path, body)
        return Timed(id: id, latency: ContinuousClock.now - start)
    }

    func patch(_ path: String, _ operation: String) async throws {
        let (status, value) = try await send(
            .PATCH, path, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[\(operation)]}")
        guard status == 200 || status == 204 else { throw ValidationError("PATCH \(path): \(status) \(value.serialized())") }
    }

    /// Runs `count` calls, `width` at a time, and returns their results in order.
    func concurrently(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws -> Timed) async throws -> [Timed] {
        try await withThrowingTaskGroup(of: [(Int, Timed)].self) { group in
            for worker in 0..<width {
                group.addTask {
                    var mine: [(Int, Timed)] = []
                    for i in stride(from: worker, to: count, by: width) { mine.append((i, try await body(i))) }
                    return mine
                }
            }
            var all: [(Int, Timed)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

extension Duration {
    var ms: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw ValidationError(message) }
        return self
    }
}
