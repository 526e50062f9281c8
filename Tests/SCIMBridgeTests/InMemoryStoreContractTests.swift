import SCIMBridge
import SCIMStoreContract
import Testing

/// The in-memory store stands in for SQLite in the service's and the reconciler's unit tests;
/// it is only a fair stand-in while it passes the same contract, so it runs every check.
@Suite("In-memory store")
struct InMemoryStoreContractTests {
    @Test("store contract", arguments: StoreContract.checks)
    func contract(_ check: StoreContract.Check) async throws {
        try await check.run(InMemoryDirectoryStore())
    }

    @Test("sync contract", arguments: StoreContract.syncChecks)
    func syncContract(_ check: StoreContract.Check) async throws {
        try await check.run(InMemoryDirectoryStore())
    }
}
