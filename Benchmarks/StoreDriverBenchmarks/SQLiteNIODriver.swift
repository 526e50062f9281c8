import Foundation
import SQLiteNIO

/// vapor/sqlite-nio used the way that library is meant to be: one connection for writes and one
/// for reads (it has no pool), every call a hop to NIO's thread pool, a statement prepared per
/// call (it has no statement cache), transactions as explicit BEGIN IMMEDIATE/COMMIT calls, and
/// `RETURNING` instead of a separate last-rowid call. Same pragmas as the GRDB store: WAL,
/// `synchronous = NORMAL`, and `foreign_keys = ON` (GRDB turns it on by default).
final class SQLiteNIODriver: MultiRowDriver {
    let name = "sqlite-nio"
    let path: String
    let writer: SQLiteConnection
    let reader: SQLiteConnection

    init() throws {
        path = try Fixture.copy(for: "sqlite-nio")
        writer = try SQLiteConnection.open(storage: .file(path: path)).wait()
        reader = try SQLiteConnection.open(storage: .file(path: path)).wait()
        for connection in [writer, reader] {
            for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
                _ = try connection.query(pragma).wait()
            }
        }
    }

    func close() async throws {
        try await writer.close()
        try await reader.close()
        Fixture.remove(path)
    }

    /// BEGIN IMMEDIATE … COMMIT, rolled back on failure.
    func transaction(_ body: () async throws -> Void) async throws {
        _ = try await writer.query("BEGIN IMMEDIATE")
        do {
            try await body()
            _ = try await writer.query("COMMIT")
        } catch {
            _ = try? await writer.query("ROLLBACK")
            throw error
        }
    }

    func writeUser(_ n: Int) async throws {
        try await transaction {
            let rows = try await writer.query(
                HotPathSQL.insertUser + " RETURNING seq",
                [
                    .text(HotPathSQL.tenantID), .text("User"), .text(HotPathSQL.userID(n)), .integer(1), .text(HotPathSQL.timestamp),
                    .text(HotPathSQL.timestamp), .integer(Int(HotPathSQL.timestampMilliseconds)), .text(HotPathSQL.userNameKey(n)), .null,
                    .text(HotPathSQL.id("x", n)), .text(HotPathSQL.attributes(n)),
                ])
            guard let seq = rows.first?.column("seq")?.integer else { throw DriverError.noRowReturned("INSERT … RETURNING seq") }
            _ = try await writer.query(
                HotPathSQL.insertEmail, [.integer(seq), .text(HotPathSQL.tenantID), .text(HotPathSQL.userNameKey(n))])
        }
    }

    func lookupUserName(_ key: String) async throws -> String? {
        let rows: [SQLiteRow] = try await reader.query(HotPathSQL.byUserName, [.text(HotPathSQL.tenantID), .text("User"), .text(key)])
        return rows.first.flatMap(Self.decode)
    }

    func fetch(id: String) async throws -> String? {
        let rows: [SQLiteRow] = try await reader.query(HotPathSQL.byID, [.text(HotPathSQL.tenantID), .text(id), .text("User")])
        return rows.first.flatMap(Self.decode)
    }

    func addMembers(_ ids: [String]) async throws {
        try await transaction {
            for id in ids {
                _ = try await writer.query(
                    HotPathSQL.insertMember,
                    [.text(HotPathSQL.tenantID), .text(HotPathSQL.bigGroupID), .text(id), .text("User"), .text(id)])
            }
        }
    }

    func addMembersMultiRow(_ ids: [String]) async throws {
        var binds: [SQLiteData] = []
        for id in ids { binds += [.text(HotPathSQL.tenantID), .text(HotPathSQL.bigGroupID), .text(id), .text("User"), .text(id)] }
        // One statement is atomic on its own: no BEGIN/COMMIT round trips needed.
        _ = try await writer.query(HotPathSQL.insertMembers(ids.count), binds)
    }

    /// Reads every column the store reads; the attributes text is the result.
    static func decode(_ row: SQLiteRow) -> String? {
        for column in ["seq", "kind", "id", "version", "created", "last_modified"] { _ = row.column(column) }
        return row.column("attributes")?.string
    }
}
