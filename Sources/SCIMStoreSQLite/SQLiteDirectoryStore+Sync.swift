import Foundation
import GRDB
import SCIMBridge
import SCIMCore

/// The reconciler's rows (dirty marks and links), the tenant's Zscaler connection, and the audit
/// trail.
extension SQLiteDirectoryStore {
    static func syncRecord(_ row: Row) -> SyncRecord {
        SyncRecord(
            kind: ResourceKind(rawValue: row["sync_kind"]) ?? .user, scimID: row["sync_id"], zscalerID: row["zscaler_id"],
            generation: row["generation"], syncedGeneration: row["synced_generation"],
            lane: SyncLane(rawValue: row["lane"]) ?? .bulk, enqueuedAt: row["enqueued_at"],
            state: SyncState(rawValue: row["state"]) ?? .pending, observed: row["observed"], lastError: row["last_error"],
            errorCode: row["error_code"], attempts: row["attempts"], notBefore: row["not_before"],
            lastSyncedAt: (row["last_synced_at"] as String?).flatMap { SCIMDateTime($0) }, deleted: row["deleted"],
            createAttempted: row["create_attempted"])
    }

    public func dueSyncRecords(tenantID: String, now: Int64, limit: Int) async throws(StoreError) -> [SyncRecord] {
        try await run {
            try await pool.read { db in
                try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT * FROM sync INDEXED BY sync_dirty
                            WHERE sync_tenant_id = ? AND generation > synced_generation AND not_before <= ?
                            ORDER BY lane, enqueued_at LIMIT ?
                            """),
                    arguments: [tenantID, now, limit]
                ).map(Self.syncRecord)
            }
        }
    }

    public func syncRecord(tenantID: String, kind: ResourceKind, scimID: String) async throws(StoreError) -> SyncRecord? {
        try await run {
            try await pool.read { db in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM sync WHERE sync_tenant_id = ? AND sync_kind = ? AND sync_id = ?"),
                    arguments: [tenantID, kind.rawValue, scimID]
                ).map(Self.syncRecord)
            }
        }
    }

    public func syncRecords(tenantID: String, kind: ResourceKind) async throws(StoreError) -> [SyncRecord] {
        try await run {
            try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM sync WHERE sync_tenant_id = ? AND sync_kind = ?", arguments: [tenantID, kind.rawValue]
                ).map(Self.syncRecord)
            }
        }
    }

    public func recordSync(
        tenantID: String, kind: ResourceKind, scimID: String, generation: Int64, _ outcome: SyncOutcome, at: SCIMDateTime
    ) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                let key: [any DatabaseValueConvertible & Sendable] = [tenantID, kind.rawValue, scimID]
                let whereKey = "WHERE sync_tenant_id = ? AND sync_kind = ? AND sync_id = ?"
                let stamp = at.description
                switch outcome {
                case .synced(let zscalerID, let observed, let markMembers):
                    try db.execute(
                        sql: """
                            UPDATE sync SET zscaler_id = ?, observed = ?, synced_generation = MAX(synced_generation, ?), state = 'synced',
                                last_error = NULL, error_code = NULL, attempts = 0, not_before = 0, last_synced_at = ?, updated_at = ?,
                                create_attempted = 0
                            \(whereKey)
                            """,
                        arguments: StatementArguments([zscalerID, observed, generation, stamp, stamp] + key))
                    if markMembers, kind == .group {
                        let members = try String.fetchAll(
                            db, sql: "SELECT member_id FROM members WHERE tenant_id = ? AND group_id = ? AND member_kind = 'User'",
                            arguments: [tenantID, scimID])
                        try DirtyMarks(db: db, tenantID: tenantID, at: at.epochMillis).mark(.user, members, lane: .bulk)
                    }
                case .createAttempted(let observed):
                    try db.execute(
                        sql: "UPDATE sync SET create_attempted = 1, observed = ?, updated_at = ? \(whereKey)",
                        arguments: StatementArguments([observed, stamp] + key))
                case .deferred(let until):
                    try db.execute(sql: "UPDATE sync SET not_before = ? \(whereKey)", arguments: StatementArguments([until] + key))
                case .linked(let zscalerID, let observed):
                    try db.execute(
                        sql: "UPDATE sync SET zscaler_id = ?, observed = ?, create_attempted = 0, updated_at = ? \(whereKey)",
                        arguments: StatementArguments([zscalerID, observed, stamp] + key))
                case .unlinked:
                    try db.execute(
                        sql: "UPDATE sync SET zscaler_id = NULL, observed = NULL, create_attempted = 0, updated_at = ? \(whereKey)",
                        arguments: StatementArguments([stamp] + key))
                case .removed:
                    try db.execute(sql: "DELETE FROM sync \(whereKey) AND deleted = 1", arguments: StatementArguments(key))
                case .permanentFailure(let code, let message):
                    try db.execute(
                        sql: """
                            UPDATE sync SET state = 'failed', last_error = ?, error_code = ?, synced_generation = MAX(synced_generation, ?),
                                attempts = 0, not_before = 0, updated_at = ?
                            \(whereKey)
                            """,
                        arguments: StatementArguments([message, code, generation, stamp] + key))
                case .transientFailure(let code, let message, let retryAt):
                    try db.execute(
                        sql: """
                            UPDATE sync SET last_error = ?, error_code = ?, attempts = attempts + 1, not_before = ?, updated_at = ?
                            \(whereKey)
                            """,
                        arguments: StatementArguments([message, code, retryAt, stamp] + key))
                }
            }
        }
    }

    public func markDirty(tenantID: String, kind: ResourceKind, scimIDs: [String]?, onlyFailed: Bool, lane: SyncLane, at: SCIMDateTime)
        async throws(StoreError) -> Int
    {
        try await run {
            try await pool.write { db in
                var ids = scimIDs
                if ids == nil || onlyFailed {
                    var sql = "SELECT sync_id FROM sync WHERE sync_tenant_id = ? AND sync_kind = ?"
                    if onlyFailed { sql += " AND state = 'failed'" }
                    let found = try String.fetchAll(db, sql: sql, arguments: [tenantID, kind.rawValue])
                    ids = scimIDs.map { wanted in found.filter(Set(wanted).contains) } ?? found
                }
                let marks = DirtyMarks(db: db, tenantID: tenantID, at: at.epochMillis)
                // Only resources that exist (or tombstones already in the table) are marked.
                let existing = try ids!.filter { id in
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM resources WHERE tenant_id = ? AND kind = \(kind.sqlLiteral) AND id = ?",
                        arguments: [tenantID, id])
                        == true
                        || Bool.fetchOne(
                            db, sql: "SELECT 1 FROM sync WHERE sync_tenant_id = ? AND sync_kind = ? AND sync_id = ?",
                            arguments: [tenantID, kind.rawValue, id]) == true
                }
                // A tombstone stays a tombstone: it is retried as a deletion.
                try marks.mark(kind, existing, lane: lane, deleted: nil)
                return existing.count
            }
        }
    }

    public func syncSummary(tenantID: String, now: Int64, failureLimit: Int) async throws(StoreError) -> SyncSummary {
        try await run {
            try await pool.read { db in
                var summary = SyncSummary()
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT sync_kind, CASE WHEN generation > synced_generation AND state <> 'failed' THEN 'pending' ELSE state END AS shown,
                            COUNT(*) AS n
                        FROM sync WHERE sync_tenant_id = ? AND deleted = 0 GROUP BY 1, 2
                        """, arguments: [tenantID])
                for row in rows {
                    guard let state = SyncState(rawValue: row["shown"]) else { continue }
                    if row["sync_kind"] as String == ResourceKind.user.rawValue {
                        summary.users[state] = row["n"]
                    } else {
                        summary.groups[state] = row["n"]
                    }
                }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT lane, COUNT(*) AS n, SUM(not_before > ?) AS waiting, MIN(enqueued_at) AS oldest FROM sync
                        WHERE sync_tenant_id = ? AND generation > synced_generation GROUP BY lane
                        """, arguments: [now, tenantID])
                {
                    guard let lane = SyncLane(rawValue: row["lane"]) else { continue }
                    summary.queued[lane] = row["n"]
                    summary.backingOff += row["waiting"] as Int? ?? 0
                    let oldest: Int64? = row["oldest"]
                    if let oldest { summary.oldestDirty = min(summary.oldestDirty ?? oldest, oldest) }
                }
                summary.pendingDeletes =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sync WHERE sync_tenant_id = ? AND deleted = 1", arguments: [tenantID])
                    ?? 0
                summary.recentFailures = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT sync_kind, sync_id, error_code, last_error, updated_at, attributes FROM sync
                        LEFT JOIN resources ON tenant_id = sync_tenant_id AND id = sync_id
                        WHERE sync_tenant_id = ? AND last_error IS NOT NULL ORDER BY julianday(updated_at) DESC LIMIT ?
                        """, arguments: [tenantID, failureLimit]
                ).map { row in
                    let attributes = (row["attributes"] as String?).flatMap { try? JSONParser().parse(Array($0.utf8)) }
                    return SyncFailure(
                        kind: ResourceKind(rawValue: row["sync_kind"]) ?? .user, scimID: row["sync_id"],
                        name: attributes?["userName"]?.stringValue ?? attributes?["displayName"]?.stringValue, code: row["error_code"],
                        message: row["last_error"], at: (row["updated_at"] as String?).flatMap { SCIMDateTime($0) })
                }
                return summary
            }
        }
    }

    // MARK: Connection and reconciler state

    public func setConnection(tenantID: String, _ connection: ConnectionRecord?) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                guard let connection else {
                    try db.execute(sql: "DELETE FROM connections WHERE tenant_id = ?", arguments: [tenantID])
                    return
                }
                try db.execute(
                    sql: """
                        INSERT INTO connections (tenant_id, settings, sealed_secrets, policy, connected_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, sealed_secrets = excluded.sealed_secrets,
                            policy = excluded.policy, connected_at = excluded.connected_at
                        """,
                    arguments: [
                        tenantID, connection.settings, Data(connection.sealedSecrets), connection.policy,
                        connection.connectedAt.description,
                    ])
            }
        }
    }

    public func connection(tenantID: String) async throws(StoreError) -> ConnectionRecord? {
        try await run {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM connections WHERE tenant_id = ?", arguments: [tenantID]).map { row in
                    ConnectionRecord(
                        settings: row["settings"], sealedSecrets: [UInt8](row["sealed_secrets"] as Data), policy: row["policy"],
                        connectedAt: SCIMDateTime(row["connected_at"] as String) ?? SCIMDateTime(seconds: 0))
                }
            }
        }
    }

    public func reconcilerState(tenantID: String) async throws(StoreError) -> String? {
        try await run {
            try await pool.read { db in
                try String.fetchOne(db, sql: "SELECT state FROM reconciler_state WHERE tenant_id = ?", arguments: [tenantID])
            }
        }
    }

    public func setReconcilerState(tenantID: String, _ state: String) async throws(StoreError) {
        try await run {
            try await pool.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO reconciler_state (tenant_id, state) VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET state = excluded.state",
                    arguments: [tenantID, state])
            }
        }
    }

    // MARK: Audit and counts

    public func auditEntries(tenantID: String, limit: Int) async throws(StoreError) -> [AuditRecord] {
        try await run {
            try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM audit WHERE audit_tenant_id = ? ORDER BY audit_seq DESC LIMIT ?", arguments: [tenantID, limit]
                ).map { row in
                    AuditRecord(
                        at: SCIMDateTime(row["at"] as String) ?? SCIMDateTime(seconds: 0), action: row["action"],
                        kind: ResourceKind(rawValue: row["resource_kind"]) ?? .user, resourceID: row["resource_id"],
                        actor: AuditActor(tokenFingerprint: row["token_fingerprint"], source: row["source"]),
                        version: row["resource_version"])
                }
            }
        }
    }

    public func groupCounts(tenantID: String, userIDs: [String]) async throws(StoreError) -> [String: Int] {
        guard !userIDs.isEmpty else { return [:] }
        return try await run {
            try await pool.read { db in
                var result: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db.cachedStatement(sql: IDListSQL.groupCounts),
                    arguments: [IDListSQL.list(userIDs), tenantID])
                {
                    result[row["member_id"]] = row["n"]
                }
                return result
            }
        }
    }
}
