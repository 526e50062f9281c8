import Foundation
import GRDB
import SCIMBridge
import SCIMCore

/// The embedded default store: one SQLite file in WAL mode through a GRDB `DatabasePool`
/// (concurrent readers, one writer), so a single machine needs nothing else installed.
public final class SQLiteDirectoryStore: DirectoryStore {
    let pool: DatabasePool
    let groupCommit: GroupCommit
    let pointReaders: PointReaders
    /// The database file (its `-wal` and `-shm` files sit beside it).
    public var path: String { pool.path }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// `synchronous = FULL`: in WAL mode, NORMAL can lose the last commits on power loss, and
    /// DESIGN §6 promises that nothing a client was told succeeded is ever lost.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: SQLiteDirectoryStore.tuningPragmas(readOnly: db.configuration.readonly))
        }
        do {
            try Self.restrictFileModes(path)
            let opened = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets NORMAL on the writer when it turns WAL on, after `prepareDatabase`.
            // secure_delete: rows rewritten to drop a secret (migration v3) leave no copy in free pages.
            try opened.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON") }
            try SQLiteSchema.migrator.migrate(opened)
            try Self.restrictFileModes(path)
            pool = opened
            groupCommit = GroupCommit(pool: opened)
            // As many as threads can run reads at once; more would only sit idle.
            pointReaders = PointReaders(
                path: path, configuration: configuration, limit: ProcessInfo.processInfo.activeProcessorCount + 1)
        } catch {
            throw .unavailable("cannot open SQLite database at \(path): \(error)")
        }
    }

    /// Per connection: statement journals and temporary b-trees in memory (a multi-row member
    /// insert inside a savepoint otherwise spilled a journal to a temp file, ~290 page writes per
    /// 100-member PATCH), and on the writer a page cache big enough for the membership and sync
    /// index pages a member PATCH touches (with SQLite's default 2 MiB it re-read ~300 pages
    /// per PATCH). Readers keep a smaller one each: there are several.
    static func tuningPragmas(readOnly: Bool) -> String {
        "PRAGMA temp_store = MEMORY; PRAGMA cache_size = \(readOnly ? -4096 : -16384)"
    }

    /// The database holds every employee's account, token hashes and sealed credentials: it and
    /// its `-wal`/`-shm` files are readable by the owner only. A new file is created 0600 before
    /// SQLite opens it (SQLite gives the `-wal` and `-shm` files the database file's mode); an
    /// existing one made by an older version is tightened.
    static func restrictFileModes(_ path: String) throws {
        if path.isEmpty || path == ":memory:" || path.hasPrefix("file:") { return }
        let fd = open(path, O_CREAT | O_RDONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.unavailable("cannot create \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, info.st_mode & 0o700) == 0 else {
                throw StoreError.unavailable(
                    "cannot restrict the mode of \(file) to its owner (\(String(cString: strerror(errno)))); "
                        + "run zscim as the file's owner, or `chmod go-rwx` the database and its -wal/-shm files")
            }
        }
    }

    /// Runs a database call and maps its errors to `StoreError`.
    func run<T>(_ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch {
            throw Self.storeError(error)
        }
    }

    /// A read by key (a resource by id, a user by `userName`, the groups of a page's users):
    /// on the calling thread through `PointReaders` when one of their connections is free, else
    /// through the pool like any read. With `transaction`, its statements share one read
    /// transaction (a page and its count).
    func pointRead<T: Sendable>(transaction: Bool = false, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError)
        -> T
    {
        do {
            if let result = try pointReaders.read(transaction: transaction, body) { return result }
            return try await transaction ? pool.read(body) : pool.unsafeRead(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case is CancellationError: .cancelled
        default: .unavailable("\(error)")
        }
    }

    public func probeWrite() async throws(StoreError) {
        try await run {
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
        }
    }

    // MARK: - Sealed passwords

    public func sealedPassword(tenantID: String, userID: String) async throws(StoreError) -> [UInt8]? {
        try await run {
            try await pool.read { db in
                try Data.fetchOne(
                    db, sql: "SELECT sealed FROM passwords WHERE tenant_id = ? AND user_id = ?", arguments: [tenantID, userID]
                )
                .map { [UInt8]($0) }
            }
        }
    }

    public func forgetPassword(tenantID: String, userID: String) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM passwords WHERE tenant_id = ? AND user_id = ?", arguments: [tenantID, userID])
            }
        }
    }

    // MARK: - Settings

    /// A stored secret or setting (e.g. the cursor-signing key), created by `make` on first use.
    public func setting(_ key: String, orCreate make: @escaping @Sendable () -> [UInt8]) async throws(StoreError) -> [UInt8] {
        try await run {
            try await pool.write { db in
                if let data = try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) {
                    return [UInt8](data)
                }
                let value = make()
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?)", arguments: [key, Data(value)])
                return value
            }
        }
    }

    // MARK: - Tenants and tokens

    public func createTenant(_ tenant: Tenant) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                // Checked by query so that the conflict is a typed error, not a constraint message.
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ? OR id = ?", arguments: [tenant.name, tenant.id]) == true
                {
                    throw StoreError.tenantExists(tenant.name)
                }
                try db.execute(
                    sql: "INSERT INTO tenants (id, name, profile, created) VALUES (?, ?, ?, ?)",
                    arguments: [tenant.id, tenant.name, tenant.profileName, tenant.created.description])
            }
        }
    }

    static func tenant(_ row: Row) -> Tenant {
        Tenant(
            id: row["id"], name: row["name"], profileName: row["profile"],
            created: SCIMDateTime(row["created"] as String) ?? SCIMDateTime(seconds: 0))
    }

    public func tenants() async throws(StoreError) -> [Tenant] {
        try await run {
            try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM tenants ORDER BY name").map(Self.tenant) }
        }
    }

    public func tenant(named name: String) async throws(StoreError) -> Tenant? {
        try await run {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM tenants WHERE name = ?", arguments: [name]).map(Self.tenant)
            }
        }
    }

    public func deleteTenant(id: String) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM members WHERE tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM emails WHERE tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM resources WHERE tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM tokens WHERE tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM sync WHERE sync_tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM audit WHERE audit_tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM connections WHERE tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM reconciler_state WHERE tenant_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM tenants WHERE id = ?", arguments: [id])
                if db.changesCount == 0 { throw StoreError.notFound }
            }
        }
    }

    public func addToken(_ token: TokenRecord) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO tokens (hash, tenant_id, created) VALUES (?, ?, ?)",
                    arguments: [Data(token.hash), token.tenantID, token.created.description])
            }
        }
    }

    public func tokens(tenantID: String) async throws(StoreError) -> [TokenRecord] {
        try await run {
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM tokens WHERE tenant_id = ? ORDER BY created, hash", arguments: [tenantID]).map {
                    row in
                    TokenRecord(
                        tenantID: row["tenant_id"], hash: [UInt8](row["hash"] as Data),
                        created: SCIMDateTime(row["created"] as String) ?? SCIMDateTime(seconds: 0))
                }
            }
        }
    }

    public func removeToken(tenantID: String, hash: [UInt8]) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM tokens WHERE tenant_id = ? AND hash = ?", arguments: [tenantID, Data(hash)])
            }
        }
    }

    public func tenant(forTokenHash hash: [UInt8]) async throws(StoreError) -> Tenant? {
        try await run {
            try await pool.unsafeRead { db in
                try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT t.*, k.hash AS token_hash FROM tokens k JOIN tenants t ON t.id = k.tenant_id WHERE k.hash = ?"),
                    arguments: [Data(hash)]
                ).flatMap { row in
                    // The index found it; compare again in constant time so timing says nothing.
                    BearerToken.equal([UInt8](row["token_hash"] as Data), hash) ? Self.tenant(row) : nil
                }
            }
        }
    }
}
