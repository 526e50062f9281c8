import Foundation
import GRDB
import SCIMStoreSQLite

/// A populated database on the store's real schema: 100,000 users (with their e-mail rows) and a
/// 50,000-member group, so that indexes have a realistic depth. The schema comes from the store's
/// own migrations (`SQLiteDirectoryStore.init`), so both drivers run on exactly the product schema.
/// Building takes a few seconds, and the benchmark tool runs each benchmark in its own process, so
/// the populated file is kept in the temporary directory under a name derived from the schema
/// and copied for each driver.
enum Fixture {
    static let users = 100_000
    static let bigGroupMembers = 50_000

    /// A fresh copy of the populated database for one driver, at a new path.
    static func copy(for driver: String) throws -> String {
        let source = try populated()
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("zscim-driver-\(getpid())-\(driver)-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func populated() throws -> String {
        let directory = FileManager.default.temporaryDirectory
        let empty = directory.appendingPathComponent("zscim-driver-schema-\(getpid()).sqlite").path
        defer { remove(empty) }
        _ = try SQLiteDirectoryStore(path: empty)
        let migrated = try DatabaseQueue(path: empty)
        let schema = try migrated.read { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").joined(separator: ";")
        }
        try checkpointAndClose(migrated)
        let path = directory.appendingPathComponent("zscim-driver-fixture-\(fnv1a(schema))-\(users).sqlite").path
        if FileManager.default.fileExists(atPath: path) { return path }

        let building = path + ".building-\(getpid())"
        try FileManager.default.copyItem(atPath: empty, toPath: building)
        let queue = try DatabaseQueue(path: building)
        try queue.inTransaction { db in
            try db.execute(
                sql: "INSERT INTO tenants (id, name, profile, created) VALUES (?, 'bench', 'lenient', ?)",
                arguments: [HotPathSQL.tenantID, HotPathSQL.timestamp])
            let user = try db.cachedStatement(sql: HotPathSQL.insertUser)
            let email = try db.cachedStatement(sql: HotPathSQL.insertEmail)
            for n in 0..<users {
                try user.execute(arguments: [
                    HotPathSQL.tenantID, "User", HotPathSQL.userID(n), 1, HotPathSQL.timestamp, HotPathSQL.timestamp,
                    HotPathSQL.timestampMilliseconds, HotPathSQL.userNameKey(n), nil, HotPathSQL.id("x", n), HotPathSQL.attributes(n),
                ])
                try email.execute(arguments: [db.lastInsertedRowID, HotPathSQL.tenantID, HotPathSQL.userNameKey(n)])
            }
            try db.execute(
                sql: HotPathSQL.insertUser,
                arguments: [
                    HotPathSQL.tenantID, "Group", HotPathSQL.bigGroupID, 1, HotPathSQL.timestamp, HotPathSQL.timestamp,
                    HotPathSQL.timestampMilliseconds, nil, "all employees", nil,
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"All Employees"}"#,
                ])
            let member = try db.cachedStatement(sql: HotPathSQL.insertMember)
            for n in 0..<bigGroupMembers {
                try member.execute(arguments: [HotPathSQL.tenantID, HotPathSQL.bigGroupID, HotPathSQL.userID(n), "User", "user \(n)"])
            }
            return .commit
        }
        try checkpointAndClose(queue)
        try FileManager.default.moveItem(atPath: building, toPath: path)
        return path
    }

    /// Moves everything from the WAL into the main file, so that copying the main file alone
    /// copies the whole database.
    static func checkpointAndClose(_ queue: DatabaseQueue) throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
    }

    /// FNV-1a, to name the cached file after the schema it was built with.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
