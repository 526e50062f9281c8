import ArgumentParser
import Foundation
import Logging
import ZscalerAPI
import ZscalerEmulator

/// Runs the ZIA client flat out against the in-process emulator, one method class at a time, and
/// prints the pace it achieved against the limit it was configured with, and the violations the
/// emulator counted (with enforcement off, so an overshooting client is measured, not corrected).
///
///     swift run -c release zscaler-api-pacing --seconds 3 --time-scale 0.01
@main
struct PacingBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zscaler-api-pacing", abstract: "Measure ZscalerAPI's pacing against the emulator's limits.")

    @Option(help: "Real seconds per scenario.")
    var seconds: Double = 3

    @Option(help: "Real seconds per Zscaler second, for both emulator and client (0.01 = 100x faster).")
    var timeScale: Double = 0.01

    @Option(help: "Concurrent callers per scenario.")
    var workers: Int = 4

    @Option(help: "When a spent token returns: afterResponse (strict, default) or afterSend.")
    var tokenReturn: String = "afterResponse"

    @Option(help: "Extra spacing as a fraction of each window.")
    var margin: Double = 0.01

    @Option(help: "Comma-separated scenarios (read,write,list,userList,activation,delete,bulkDelete,all).")
    var scenarios: String = "read,write,list,userList,activation,delete,bulkDelete,all"

    func run() async throws {
        var configuration = EmulatorConfiguration()
        configuration.timeScale = timeScale
        configuration.rateLimits.enforce = false  // count violations without correcting the client
        let emulator = try ZscalerEmulator(configuration: configuration, seed: .generated(userCount: 5_000))
        let port = try await emulator.start()
        do {
            try await measure(emulator: emulator, port: port)
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }

    private func measure(emulator: ZscalerEmulator, port: Int) async throws {
        var policy = RateLimitPolicy.zia
        policy.margin = margin
        switch tokenReturn {
        case "afterResponse": policy.tokenReturn = .afterResponse
        case "afterSend": policy.tokenReturn = .afterSend
        default: throw ValidationError("--token-return is afterResponse or afterSend")
        }
        let credentials = SeedFixture.testCredentials
        let clientPolicy = policy

        /// A fresh client (and so a fresh budget) per scenario: the emulator's windows are reset between
        /// scenarios, and the client's must be too, or one scenario's hourly spend would starve the next.
        @Sendable func makeClient() throws -> ZIAClient {
            try ZIAClient(
                configuration: ZIAConfiguration(
                    baseURL: try BaseURL("http://127.0.0.1:\(port)/api/v1", allowUnlisted: true),
                    authentication: .legacy(
                        ZIALegacyCredentials(
                            username: credentials.adminUsername, password: Secret(credentials.adminPassword),
                            apiKey: Secret(credentials.apiKey))),
                    options: ClientOptions(rateLimits: clientPolicy, timeScale: timeScale, maximumLimiterWait: .seconds(86_400))),
                logger: Logger(label: "pacing") { _ in SwiftLogNoOpLogHandler() })
        }
        let users = try await makeClient().users().collect().filter { ($0.id ?? 0) >= 40_000_000 }
        let ids = Locked(users.compactMap(\.id))

        print(
            "ZscalerAPI pacing against the emulator: time scale \(timeScale), \(seconds) s real per scenario, \(workers) workers, "
                + "tokens return \(tokenReturn) + \(margin * 100)%")
        print(Row.header)
        for name in scenarios.split(separator: ",").map(String.init) {
            guard let scenario = Scenario.all.first(where: { $0.name == name }) else {
                throw ValidationError("unknown scenario \(name)")
            }
            let client = try makeClient()
            try await client.authenticate()
            emulator.resetCounters()
            let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    for operation in scenario.operations {
                        let step = workers
                        group.addTask {
                            try await Scenario.flatOut(operation, client, users, ids, first: worker, step: step, until: deadline)
                        }
                    }
                }
                // Callers waiting for budget at the deadline are cancelled, so a scenario lasts its time.
                try await Task.sleep(until: deadline)
                group.cancelAll()
                try await group.waitForAll()
            }
            let elapsed = (ContinuousClock.now - started).seconds
            let counters = emulator.counters
            for (methodClass, route) in scenario.routes {
                let windows = RateLimitPolicy.zia.windows[methodClass] ?? []
                print(
                    Row(
                        scenario: name, methodClass: methodClass, route: route, windows: windows, zscalerSeconds: elapsed / timeScale,
                        counts: counters.routes[route]
                    ).text)
            }
        }
    }
}

/// One scenario: the operations run flat out, and the routes (with their client method class) it reports.
struct Scenario: Sendable {
    typealias Operation = @Sendable (ZIAClient, [ZIAUser], Locked<[Int]>, Int) async throws(ZscalerAPIError) -> Void
    var name: String
    var operations: [Operation]
    var routes: [(MethodClass, String)]

    /// Calls `operation` until `deadline` (or cancellation), or until the class's hourly budget is spent
    /// (the client says so instead of waiting past its maximum wait).
    static func flatOut(
        _ operation: Operation, _ client: ZIAClient, _ users: [ZIAUser], _ ids: Locked<[Int]>, first: Int, step: Int,
        until deadline: ContinuousClock.Instant
    ) async throws(ZscalerAPIError) {
        var index = first
        while ContinuousClock.now < deadline {
            do { try await operation(client, users, ids, index) } catch
                where error.kind == .hourlyBudgetExhausted || error.kind == .cancelled
            {
                return
            }
            index += step
        }
    }

    static let read: Operation = { client, users, _, i in _ = try await client.user(id: users[i % users.count].id!) }
    static let write: Operation = { client, users, _, i in
        var user = users[i % users.count]
        user.comments = "pacing \(i)"
        _ = try await client.updateUser(user)
    }
    static let list: Operation = { client, _, _, _ in _ = try await client.groups().collect() }
    static let userList: Operation = { client, _, _, i in
        var firstPage = try client.users(pageSize: 1 + i % 100).makeAsyncIterator()
        _ = try await firstPage.next()
    }
    static let activation: Operation = { client, _, _, _ in try await client.activate() }
    static let delete: Operation = { client, _, ids, _ in
        guard let id = ids.withLock({ $0.popLast() }) else { return }
        try await client.deleteUser(id: id)
    }
    static let bulkDelete: Operation = { client, _, ids, _ in
        let chunk = ids.withLock { ids -> [Int] in
            let chunk = Array(ids.suffix(3))
            ids.removeLast(chunk.count)
            return chunk
        }
        _ = try await client.bulkDeleteUsers(ids: chunk)
    }

    static let routes: [String: (MethodClass, String)] = [
        "read": (.read, "GET /api/v1/users/{userId}"), "write": (.write, "PUT /api/v1/users/{userId}"),
        "list": (.list, "GET /api/v1/groups"), "userList": (.userList, "GET /api/v1/users"),
        "activation": (.activation, "POST /api/v1/status/activate"), "delete": (.delete, "DELETE /api/v1/users/{userId}"),
        "bulkDelete": (.bulkDelete, "POST /api/v1/users/bulkDelete"),
    ]

    static let all: [Scenario] = {
        let single: [(String, Operation)] = [
            ("read", read), ("write", write), ("list", list), ("userList", userList), ("activation", activation), ("delete", delete),
            ("bulkDelete", bulkDelete),
        ]
        var scenarios = single.map { Scenario(name: $0.0, operations: [$0.1], routes: [routes[$0.0]!]) }
        scenarios.append(
            Scenario(
                name: "all", operations: single.map(\.1),
                routes: single.map { routes[$0.0]! }))
        return scenarios
    }()
}

/// One line of the report.
struct Row {
    static let header = """
        scenario    class       route                              limit (client)               T(zs)   allowed  achieved  rate/s(zs)  limit/s   eff%  viol  429
        """
    let scenario: String
    let methodClass: MethodClass
    let route: String
    let windows: [RateLimitWindow]
    let zscalerSeconds: Double
    let counts: EmulatorCountersSnapshot.RouteCounts?

    /// The most calls any sliding window allows in a run of `zscalerSeconds` starting fresh.
    var allowed: Int {
        windows.map { window in
            window.limit * (Int((zscalerSeconds / window.period.seconds).rounded(.down)) + 1)
        }.min() ?? 0
    }

    var text: String {
        let calls = counts?.calls ?? 0
        let rate = Double(calls) / zscalerSeconds
        let limitRate = Double(allowed) / zscalerSeconds
        let efficiency = allowed > 0 ? 100 * Double(calls) / Double(allowed) : 0
        let limits = windows.map { "\($0.limit)/\(Int($0.period.seconds))s" }.joined(separator: ",")
        var columns: [String] = [scenario.padding(12), methodClass.description.padding(12), route.padding(35), limits.padding(28)]
        columns.append(String(format: "%6.0f", zscalerSeconds))
        columns.append(String(format: "%8d", allowed))
        columns.append(String(format: "%9d", calls))
        columns.append(String(format: "%11.3f", rate))
        columns.append(String(format: "%8.3f", limitRate))
        columns.append(String(format: "%6.1f", efficiency))
        columns.append(String(format: "%5d", counts?.limitViolations ?? 0))
        columns.append(String(format: "%4d", counts?.tooManyRequests ?? 0))
        return columns.joined(separator: " ")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A value shared by the workers, behind a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
