import Foundation
import GRDB

/// GRDB as `SQLiteDirectoryStore` uses it: a `DatabasePool` (WAL, one writer, concurrent
/// readers), `synchronous = NORMAL`, the async `write`/`read` calls, uncached statements except
/// for the member insert, which the store caches. Two variants show where GRDB's time goes:
/// with `cached`, every statement comes from GRDB's per-connection statement cache (no SQL
/// parsing and authorizer bookkeeping per call); with `unsafeReads` as well, reads use
/// `unsafeRead`, which skips the BEGIN/`PRAGMA schema_version`/COMMIT that `read` wraps around
/// every block (a single SELECT is consistent on its own).
final class GRDBDriver: MultiRowDriver {
    let name: String
    let cached: Bool
    let unsafeReads: Bool
    let path: String
    let pool: DatabasePool

    init(cached: Bool = false, unsafeReads: Bool = false) throws {
        self.cached = cached || unsafeReads
        self.unsafeReads = unsafeReads
        name = unsafeReads ? "GRDB, cached + unsafeRead" : cached ? "GRDB, cached statements" : "GRDB"
        path = try Fixture.copy(for: "grdb")
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    func close() async throws {
        try pool.close()
        Fixture.remove(path)
    }

    /// A statement prepared now (as the store's `db.execute(sql:)` and `Row.fetch…(db, sql:)` do),
    /// or taken from the connection's cache.
    func statement(_ db: Database, _ sql: String) throws -> Statement {
        cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    func writeUser(_ n: Int) async throws {
        try await pool.write { db in
            try self.statement(db, HotPathSQL.insertUser).execute(arguments: [
                HotPathSQL.tenantID, "User", HotPathSQL.userID(n), 1, HotPathSQL.timestamp, HotPathSQL.timestamp,
                HotPathSQL.timestampMilliseconds, HotPathSQL.userNameKey(n), nil, HotPathSQL.id("x", n), HotPathSQL.attributes(n),
            ])
            try self.statement(db, HotPathSQL.insertEmail).execute(arguments: [
                db.lastInsertedRowID, HotPathSQL.tenantID, HotPathSQL.userNameKey(n),
            ])
        }
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        unsafeReads ? try await pool.unsafeRead(body) : try await pool.read(body)
    }

    func lookupUserName(_ key: String) async throws -> String? {
        try await read { db in
            try Row.fetchAll(self.statement(db, HotPathSQL.byUserName), arguments: [HotPathSQL.tenantID, "User", key]).first.map(
                Self.decode)
        }
    }

    func fetch(id: String) async throws -> String? {
        try await read { db in
            try Row.fetchOne(self.statement(db, HotPathSQL.byID), arguments: [HotPathSQL.tenantID, id, "User"]).map(Self.decode)
        }
    }

    func addMembers(_ ids: [String]) async throws {
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: HotPathSQL.insertMember)
            for id in ids { try statement.execute(arguments: [HotPathSQL.tenantID, HotPathSQL.bigGroupID, id, "User", id]) }
        }
    }

    func addMembersMultiRow(_ ids: [String]) async throws {
        var arguments: [(any DatabaseValueConvertible)?] = []
        for id in ids { arguments += [HotPathSQL.tenantID, HotPathSQL.bigGroupID, id, "User", id] }
        let bound = StatementArguments(arguments)
        try await pool.write { db in try self.statement(db, HotPathSQL.insertMembers(ids.count)).execute(arguments: bound) }
    }

    /// Reads every column the store reads; the attributes text is the result.
    static func decode(_ row: Row) -> String {
        let _: Int64 = row["seq"]
        let _: String = row["kind"]
        let _: String = row["id"]
        let _: Int = row["version"]
        let _: String = row["created"]
        let _: String = row["last_modified"]
        return row["attributes"]
    }
}
