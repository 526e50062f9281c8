import Foundation
import GRDB
import SCIMBridge
import SCIMCore

/// The one write path (`DirectoryStore.commit`): resource rows, membership steps, dirty marks and
/// the audit entry of a change atomically (a savepoint within a group commit, see `GroupCommit`).
extension SQLiteDirectoryStore {
    public func commit(tenantID: String, _ change: Change) async throws(StoreError) -> CommitResult {
        try await groupCommit.commit(tenantID: tenantID, change)
    }

    static func commit(_ db: Database, tenantID: String, _ change: Change) throws -> CommitResult {
        let marks = DirtyMarks(db: db, tenantID: tenantID, at: change.at.epochMillis)
        let result: CommitResult
        let kind: ResourceKind
        let id: String
        switch change.operation {
        case .put(let write):
            kind = write.resource.kind
            id = write.resource.id
            try put(db, tenantID: tenantID, write)
            try marks.mark(kind, [id], lane: change.lane)
            for step in write.membership {
                try apply(step, db, tenantID: tenantID, groupID: id, marks: marks, addedLane: change.addedMemberLane)
            }
            result = CommitResult(version: write.resource.version)
        case .membership(let groupID, let steps):
            kind = .group
            id = groupID
            try db.cachedStatement(
                sql:
                    "UPDATE resources SET version = version + 1, last_modified = ?, last_modified_ms = ? WHERE tenant_id = ? AND id = ? AND kind = 'Group'"
            ).execute(arguments: [change.at.description, change.at.epochMillis, tenantID, groupID])
            guard db.changesCount == 1,
                let version = try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT version FROM resources WHERE tenant_id = ? AND id = ?"), arguments: [tenantID, groupID])
            else { throw StoreError.notFound }
            for step in steps {
                try apply(step, db, tenantID: tenantID, groupID: groupID, marks: marks, addedLane: change.addedMemberLane)
            }
            result = CommitResult(version: version)
        case .delete(let deletedKind, let deletedID, let expectedVersion):
            kind = deletedKind
            id = deletedID
            result = try delete(db, tenantID: tenantID, kind: kind, id: id, expectedVersion: expectedVersion, at: change.at, marks: marks)
            guard result.deleted else { return result }
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO audit (audit_tenant_id, at, action, resource_kind, resource_id, token_fingerprint, source, resource_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            tenantID, change.at.description, change.action, kind.rawValue, id, change.actor.tokenFingerprint, change.actor.source,
            result.version,
        ])
        return result
    }

    /// The `TextIndexes` columns in statements, in `TextIndexes.columns` order.
    static let textColumnNames = TextIndexes.columns.map(\.name).joined(separator: ", ")
    static let textColumnPlaceholders = TextIndexes.columns.map { _ in "?" }.joined(separator: ", ")
    static let textColumnsAssignment = TextIndexes.columns.map { "\($0.name) = ?" }.joined(separator: ", ")

    /// Creates or replaces the resource row and its e-mail rows. Unique values are checked here,
    /// by query, so a violation is a typed error rather than a constraint message to parse.
    static func put(_ db: Database, tenantID: String, _ write: ResourceWrite) throws {
        let r = write.resource
        if r.kind == .user, let key = r.userNameKey,
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM resources WHERE tenant_id = ? AND kind = 'User' AND user_name_key = ? AND id <> ?"),
                arguments: [tenantID, key, r.id]) == true
        {
            throw StoreError.uniqueness(.userName)
        }
        if write.uniqueDisplayName, let key = r.displayNameKey,
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT 1 FROM resources WHERE tenant_id = ? AND kind = \(r.kind.sqlLiteral) AND display_name_key = ? AND id <> ?"),
                arguments: [tenantID, key, r.id]) == true
        {
            throw StoreError.uniqueness(.displayName)
        }
        let attributes = JSONValue.object(r.attributes).serialized()
        let textValues: [(any DatabaseValueConvertible)?] = TextIndexes.values(of: r.kind, r.attributes)
        let seq: Int64
        if let expected = write.expectedVersion {
            try db.cachedStatement(
                sql: """
                    UPDATE resources SET version = ?, last_modified = ?, last_modified_ms = ?, user_name_key = ?, display_name_key = ?,
                        external_id = ?, attributes = ?, \(Self.textColumnsAssignment)
                    WHERE tenant_id = ? AND id = ? AND kind = \(r.kind.sqlLiteral) AND version = ?
                    """
            ).execute(
                arguments: StatementArguments(
                    [
                        r.version, r.lastModified.description, r.lastModified.epochMillis, r.kind == .user ? r.userNameKey : nil,
                        r.displayNameKey, r.externalID, attributes,
                    ] + textValues + [tenantID, r.id, expected]))
            if db.changesCount == 0 {
                guard
                    let current = try Int.fetchOne(
                        db.cachedStatement(
                            sql: "SELECT version FROM resources WHERE tenant_id = ? AND id = ? AND kind = \(r.kind.sqlLiteral)"),
                        arguments: [tenantID, r.id])
                else {
                    throw StoreError.notFound
                }
                throw StoreError.versionConflict(current: current)
            }
            seq =
                try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT seq FROM resources WHERE tenant_id = ? AND id = ?"), arguments: [tenantID, r.id]) ?? 0
            try db.cachedStatement(sql: "DELETE FROM emails WHERE resource_seq = ?").execute(arguments: [seq])
        } else {
            if try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM resources WHERE tenant_id = ? AND id = ?"), arguments: [tenantID, r.id]) == true
            {
                throw StoreError.uniqueness(.id)
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO resources (tenant_id, kind, id, version, created, last_modified, last_modified_ms, user_name_key,
                        display_name_key, external_id, attributes, \(Self.textColumnNames))
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \(Self.textColumnPlaceholders))
                    """
            ).execute(
                arguments: StatementArguments(
                    [
                        tenantID, r.kind.rawValue, r.id, r.version, r.created.description, r.lastModified.description,
                        r.lastModified.epochMillis, r.kind == .user ? r.userNameKey : nil, r.displayNameKey, r.externalID, attributes,
                    ] + textValues))
            seq = db.lastInsertedRowID
        }
        for key in r.kind == .user ? r.emailKeys : [] {
            try db.cachedStatement(sql: "INSERT INTO emails (resource_seq, tenant_id, value_key) VALUES (?, ?, ?)").execute(arguments: [
                seq, tenantID, key,
            ])
        }
        switch write.password {
        case .keep: break
        case .set(let sealed):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO passwords (tenant_id, user_id, sealed) VALUES (?, ?, ?)").execute(
                arguments: [tenantID, r.id, Data(sealed)])
        case .clear:
            try db.cachedStatement(sql: "DELETE FROM passwords WHERE tenant_id = ? AND user_id = ?").execute(arguments: [tenantID, r.id])
        }
    }

    /// One membership step, marking each user that joins (in `addedLane`) or leaves (priority:
    /// losing a group is deprovisioning) dirty. Groups nested in groups are stored but have no
    /// ZIA counterpart, so they are not marked.
    static func apply(_ step: MembershipStep, _ db: Database, tenantID: String, groupID: String, marks: DirtyMarks, addedLane: SyncLane)
        throws
    {
        switch step {
        case .add(let records):
            guard !records.isEmpty else { return }
            // Three statements for the whole step, driven by the id list (`IDListSQL`), instead
            // of three per member: a PATCH adding 100 members ran 300 single-row statements.
            let ids = IDListSQL.list(records.map(\.id))
            // Inside the transaction: a member deleted since the service resolved it fails the
            // whole commit instead of leaving the group listing someone who no longer exists.
            if let missing = try String.fetchOne(db.cachedStatement(sql: IDListSQL.firstMissing), arguments: [ids, tenantID]) {
                throw StoreError.missingMember(missing)
            }
            let already = Set(
                try String.fetchAll(db.cachedStatement(sql: IDListSQL.alreadyMembers), arguments: [ids, tenantID, groupID]))
            let rows = JSONValue.array(
                records.map { m in
                    var row = JSONObject()
                    row["i"] = .string(m.id)
                    row["k"] = .string(m.kind.rawValue)
                    row["d"] = m.display.map { .string($0) } ?? .null
                    return .object(row)
                })
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO members (tenant_id, group_id, member_id, member_kind, display)
                    SELECT ?, ?, json_extract(j.value, '$.i'), json_extract(j.value, '$.k'), json_extract(j.value, '$.d')
                    FROM json_each(?) AS j ORDER BY j.key
                    """
            ).execute(arguments: [tenantID, groupID, rows.serialized()])
            var seen = already
            let joined = records.filter { $0.kind == .user && seen.insert($0.id).inserted }.map(\.id)
            try marks.mark(.user, joined, lane: addedLane)
        case .remove(let ids):
            let kindOf = try db.cachedStatement(
                sql: "SELECT member_kind FROM members WHERE tenant_id = ? AND group_id = ? AND member_id = ?")
            let statement = try db.cachedStatement(sql: "DELETE FROM members WHERE tenant_id = ? AND group_id = ? AND member_id = ?")
            var left: [String] = []
            for id in ids {
                guard let kind = try String.fetchOne(kindOf, arguments: [tenantID, groupID, id]) else { continue }
                try statement.execute(arguments: [tenantID, groupID, id])
                if kind == ResourceKind.user.rawValue { left.append(id) }
            }
            try marks.mark(.user, left, lane: .priority)
        case .removeAll:
            let users = try String.fetchAll(
                db.cachedStatement(sql: "SELECT member_id FROM members WHERE tenant_id = ? AND group_id = ? AND member_kind = 'User'"),
                arguments: [tenantID, groupID])
            try db.cachedStatement(sql: "DELETE FROM members WHERE tenant_id = ? AND group_id = ?").execute(arguments: [tenantID, groupID])
            try marks.mark(.user, users, lane: .priority)
        case .replace(let records):
            let current = try Row.fetchAll(
                db, sql: "SELECT member_id, member_kind FROM members WHERE tenant_id = ? AND group_id = ?", arguments: [tenantID, groupID])
            let wanted = Set(records.map(\.id))
            let currentIDs = Set(current.map { $0["member_id"] as String })
            let leaving = current.filter { !wanted.contains($0["member_id"]) }.map { $0["member_id"] as String }
            if !leaving.isEmpty {
                try apply(.remove(leaving), db, tenantID: tenantID, groupID: groupID, marks: marks, addedLane: addedLane)
            }
            // Members that stay keep their row (and display); only newcomers are inserted.
            try apply(
                .add(records.filter { !currentIDs.contains($0.id) }), db, tenantID: tenantID, groupID: groupID, marks: marks,
                addedLane: addedLane)
        }
    }

    static func delete(
        _ db: Database, tenantID: String, kind: ResourceKind, id: String, expectedVersion: Int?, at: SCIMDateTime, marks: DirtyMarks
    ) throws -> CommitResult {
        guard
            let version = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT version FROM resources WHERE tenant_id = ? AND id = ? AND kind = \(kind.sqlLiteral)"),
                arguments: [tenantID, id])
        else {
            return CommitResult(version: nil, deleted: false)
        }
        if let expectedVersion, expectedVersion != version { throw StoreError.versionConflict(current: version) }
        // The groups it leaves change: bump their version so their ETags move.
        let groups = try String.fetchAll(
            db.cachedStatement(sql: "SELECT group_id FROM members WHERE tenant_id = ? AND member_id = ?"), arguments: [tenantID, id])
        for group in groups {
            try db.cachedStatement(
                sql: "UPDATE resources SET version = version + 1, last_modified = ?, last_modified_ms = ? WHERE tenant_id = ? AND id = ?"
            ).execute(arguments: [at.description, at.epochMillis, tenantID, group])
        }
        if kind == .group {
            // Its members lose the group in ZIA: deprovisioning, so priority.
            let members = try String.fetchAll(
                db.cachedStatement(sql: "SELECT member_id FROM members WHERE tenant_id = ? AND group_id = ? AND member_kind = 'User'"),
                arguments: [tenantID, id])
            try marks.mark(.user, members, lane: .priority)
        }
        try db.cachedStatement(sql: "DELETE FROM members WHERE tenant_id = ? AND (member_id = ? OR group_id = ?)").execute(arguments: [
            tenantID, id, id,
        ])
        try db.cachedStatement(sql: "DELETE FROM resources WHERE tenant_id = ? AND id = ?").execute(arguments: [tenantID, id])
        try marks.mark(kind, [id], lane: .priority, deleted: true)
        return CommitResult(version: nil, deleted: true)
    }
}

/// Bumps the generation of sync rows inside a transaction (creating rows that do not exist).
struct DirtyMarks {
    let db: Database
    let tenantID: String
    /// Epoch ms of the change: the enqueue time of rows that become dirty now.
    let at: Int64

    /// A row already dirty keeps its place unless it moves up to the priority lane; a clean row
    /// joins the end of its lane. A failed row becomes pending again (a change retries it).
    /// `deleted` sets the tombstone flag; nil keeps what the row has (a retry of a tombstone).
    func mark(_ kind: ResourceKind, _ ids: [String], lane: SyncLane, deleted: Bool? = false) throws {
        guard !ids.isEmpty else { return }
        // One statement for the whole list (`IDListSQL`); `WHERE true` tells SQLite's parser the
        // ON CONFLICT belongs to the INSERT, not to a join in the SELECT.
        try db.cachedStatement(
            sql: """
                INSERT INTO sync (sync_tenant_id, sync_kind, sync_id, generation, synced_generation, lane, enqueued_at, state, deleted)
                SELECT ?, ?, j.value, 1, 0, ?, ?, 'pending', COALESCE(?, 0) FROM json_each(?) AS j WHERE true
                ON CONFLICT (sync_tenant_id, sync_kind, sync_id) DO UPDATE SET
                    generation = generation + 1,
                    lane = CASE WHEN generation > synced_generation THEN MIN(lane, excluded.lane) ELSE excluded.lane END,
                    enqueued_at = CASE WHEN generation > synced_generation AND lane <= excluded.lane THEN enqueued_at
                        ELSE excluded.enqueued_at END,
                    state = 'pending', attempts = 0, not_before = 0, deleted = CASE WHEN ? IS NULL THEN deleted ELSE excluded.deleted END
                """
        ).execute(arguments: [tenantID, kind.rawValue, lane.rawValue, at, deleted, IDListSQL.list(ids), deleted])
    }
}
