import Benchmark
import Foundation
import Synchronization

/// GRDB vs vapor/sqlite-nio (issue 3, item 7) on the store's schema and hot-path statements, with
/// the product store beside them. Run with
/// `swift package benchmark --target StoreDriverBenchmarks`. Every operation is registered once
/// per driver under the same name prefix, so the figures print side by side.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 10, maxDuration: .seconds(3),
        maxIterations: 1_000_000)

    let makers: [(name: String, multiRow: Bool, make: @Sendable () throws -> any StoreDriver)] = [
        ("GRDB", true, { try GRDBDriver() }), ("GRDB, cached statements", true, { try GRDBDriver(cached: true) }),
        ("GRDB, cached + unsafeRead", true, { try GRDBDriver(unsafeReads: true) }),
        ("sqlite-nio", true, { try SQLiteNIODriver() }),
        ("SQLiteDirectoryStore", false, { try ProductStoreDriver() }),
    ]
    for (name, multiRow, make) in makers {
        let holder = DriverHolder(make)
        func register(_ operation: String, _ body: @escaping @Sendable (any StoreDriver, Int) async throws -> Void) {
            Benchmark(
                "\(operation): \(name)",
                closure: { benchmark async throws in
                    let driver = try holder.driver()
                    for _ in benchmark.scaledIterations { try await body(driver, holder.next()) }
                },
                setup: { _ = try holder.driver() },
                teardown: { try await holder.close() })
        }
        register("user write (row + e-mail, 1 tx)") { driver, n in try await driver.writeUser(Fixture.users + n) }
        register("lookup by user_name_key") { driver, n in
            let found = try await driver.lookupUserName(HotPathSQL.userNameKey((n &* 7_919) % Fixture.users))
            precondition(found != nil, "a seeded userName was not found")
            blackHole(found)
        }
        register("fetch by id") { driver, n in
            let found = try await driver.fetch(id: HotPathSQL.userID((n &* 104_729) % Fixture.users))
            precondition(found != nil, "a seeded id was not found")
            blackHole(found)
        }
        register("add 100 members (100 statements, 1 tx)") { driver, n in
            try await driver.addMembers((0..<100).map { HotPathSQL.id("m", n * 100 + $0) })
        }
        if multiRow {
            register("add 100 members (1 multi-row INSERT)") { driver, n in
                try await (driver as! any MultiRowDriver).addMembersMultiRow((0..<100).map { HotPathSQL.id("r", n * 100 + $0) })
            }
        }
    }
}

/// Opens a driver once per benchmark process (on first use, in the setup hook) and hands out
/// unique numbers for the rows the benchmarks insert.
final class DriverHolder: Sendable {
    let make: @Sendable () throws -> any StoreDriver
    let state = Mutex<(driver: (any StoreDriver)?, counter: Int)>((nil, 0))

    init(_ make: @escaping @Sendable () throws -> any StoreDriver) { self.make = make }

    func driver() throws -> any StoreDriver {
        try state.withLock { state in
            if let driver = state.driver { return driver }
            let driver = try make()
            state.driver = driver
            return driver
        }
    }

    /// Closes the driver, if one was opened (see `StoreDriver.close`).
    func close() async throws {
        let driver = state.withLock { state in
            defer { state.driver = nil }
            return state.driver
        }
        try await driver?.close()
    }

    func next() -> Int {
        state.withLock { state in
            state.counter += 1
            return state.counter
        }
    }
}
