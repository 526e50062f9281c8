import Foundation
import SCIMBridge
import SCIMStoreContract
import SCIMStoreSQLite
import Testing

@Suite("SQLite store")
struct SQLiteStoreContractTests {
    static func freshStore() throws -> (SQLiteDirectoryStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (try SQLiteDirectoryStore(path: dir.appendingPathComponent("zscim.sqlite").path), dir)
    }

    @Test("store contract", arguments: StoreContract.checks)
    func contract(_ check: StoreContract.Check) async throws {
        let (store, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await check.run(store)
    }

    @Test("sync contract", arguments: StoreContract.syncChecks)
    func syncContract(_ check: StoreContract.Check) async throws {
        let (store, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await check.run(store)
    }

    @Test("the schema survives reopening, and data is kept")
    func reopen() async throws {
        let (store, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.createTenant(Tenant(id: "t", name: "acme", created: .now()))
        let again = try SQLiteDirectoryStore(path: dir.appendingPathComponent("zscim.sqlite").path)
        #expect(try await again.tenant(named: "acme")?.id == "t")
    }

    @Test("a path that cannot be opened is a store error, not a crash")
    func badPath() {
        #expect(throws: StoreError.self) { try SQLiteDirectoryStore(path: "/proc/definitely/not/here.sqlite") }
    }
}
