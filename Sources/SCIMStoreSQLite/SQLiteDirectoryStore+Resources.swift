import Foundation
import GRDB
import SCIMBridge
import SCIMCore

extension SQLiteDirectoryStore {
    /// A resource's columns and its sync row's, joined (see `syncJoin`), in the order
    /// `resource(_:)` reads them by position.
    static let resourceColumns =
        "seq, kind, id, version, created, last_modified, attributes, zscaler_id, generation, synced_generation, state, last_error, last_synced_at"
    /// The sync row of each resource, if any (its columns are named apart from `resources`').
    static let syncJoin = "LEFT JOIN sync ON sync_tenant_id = tenant_id AND sync_kind = kind AND sync_id = id"

    /// A row of `resourceColumns`. Columns are read by position: by name, GRDB lower-cases
    /// each name on each access, which was a seventh of a 100,000-user scan.
    static func resource(_ row: Row) throws -> SequencedResource {
        let text: String = row[6]
        guard case .object(let attributes) = try JSONParser().parse(Array(text.utf8)) else {
            throw StoreError.unavailable("stored attributes of \(row[2] as String) are not an object")
        }
        let resource = StoredResource(
            kind: ResourceKind(rawValue: row[1]) ?? .user, id: row[2], version: row[3],
            created: SCIMDateTime(row[4] as String) ?? SCIMDateTime(seconds: 0),
            lastModified: SCIMDateTime(row[5] as String) ?? SCIMDateTime(seconds: 0), attributes: attributes)
        var result = resource
        if let generation = row[8] as Int64? {
            let state = SyncState(rawValue: row[10] as String? ?? "") ?? .pending
            let synced: Int64 = row[9] ?? 0
            result.sync = SyncStatus(
                state: generation > synced && state != .failed ? .pending : state, zscalerID: row[7],
                lastError: row[11], lastSyncedAt: (row[12] as String?).flatMap { SCIMDateTime($0) })
        }
        return SequencedResource(sequence: row[0], resource: result)
    }

    public func resource(tenantID: String, kind: ResourceKind, id: String) async throws(StoreError) -> StoredResource? {
        // One SELECT is consistent on its own: no read transaction needed around it.
        try await pointRead { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT \(Self.resourceColumns) FROM resources \(Self.syncJoin) WHERE tenant_id = ? AND id = ? AND kind = \(kind.sqlLiteral)"
                ),
                arguments: [tenantID, id]
            ).map { try Self.resource($0).resource }
        }
    }

    public func members(tenantID: String, groupID: String) async throws(StoreError) -> [MemberRecord] {
        try await run {
            try await pool.unsafeRead { db in
                try Row.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT member_id, member_kind, display FROM members WHERE tenant_id = ? AND group_id = ? ORDER BY rowid"),
                    arguments: [tenantID, groupID]
                ).map { row in
                    MemberRecord(id: row["member_id"], kind: ResourceKind(rawValue: row["member_kind"]) ?? .user, display: row["display"])
                }
            }
        }
    }

    public func groups(tenantID: String, memberIDs: [String]) async throws(StoreError) -> [String: [GroupReference]] {
        guard !memberIDs.isEmpty else { return [:] }
        // By key, one index search per id (a page's users, at most `maxResults`).
        return try await pointRead { db in try Self.groups(db, tenantID: tenantID, memberIDs: memberIDs) }
    }

    static func groups(_ db: Database, tenantID: String, memberIDs: [String]) throws -> [String: [GroupReference]] {
        var result: [String: [GroupReference]] = [:]
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: IDListSQL.groups),
            arguments: [IDListSQL.list(memberIDs), tenantID])
        for row in rows {
            let display: String? = row["display"]
            result[row["member_id"], default: []].append(GroupReference(id: row["group_id"], display: display))
        }
        return result
    }

    public func references(tenantID: String, ids: [String]) async throws(StoreError) -> [String: MemberRecord] {
        guard !ids.isEmpty else { return [:] }
        return try await pointRead { db in
            var result: [String: MemberRecord] = [:]
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: IDListSQL.references),
                arguments: [IDListSQL.list(ids), tenantID])
            for row in rows {
                result[row["id"]] = MemberRecord(
                    id: row["id"], kind: ResourceKind(rawValue: row["kind"]) ?? .user, display: row["display"])
            }
            return result
        }
    }

    /// `$."name"."familyName"`: canonical keys (names and schema URNs, never a quote) as a JSON path.
    static func jsonPath(_ keys: [String]) -> String {
        "$" + keys.map { ".\"\($0)\"" }.joined()
    }

    public func list(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult {
        let read = Self.listReader(tenantID: tenantID, query: query)
        if query.conditions.contains(where: \.isKeyLookup) {
            // An equality on an indexed key: a few rows, read like a point read.
            return try await pointRead(transaction: query.countTotal, read)
        }
        return try await run {
            query.countTotal ? try await pool.read(read) : try await pool.unsafeRead(read)
        }
    }

    /// When every `.text` condition is a case-insensitive test on an attribute with a text column
    /// index (`TextIndexes`), SQLite decides it exactly for every user whose value is ASCII; if
    /// no user of the tenant has a value there only the service can compare (`TextIndexes.undecided`, checked in the
    /// same read transaction), the page and its total are exact without the service reading
    /// every match: `title eq "Director"` over 100,000 users counts 14,285 in SQL.
    public func exactList(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult? {
        let tests = query.conditions.compactMap { condition -> TextPrefilter? in
            if case .text(let test) = condition { test } else { nil }
        }
        guard !tests.isEmpty, tests.allSatisfy({ $0.foldsCase && TextIndexes.condition($0, kind: query.kind) != nil }) else {
            return nil
        }
        var counted = query
        counted.countTotal = true
        let read = Self.listReader(tenantID: tenantID, query: counted)
        let kind = query.kind
        return try await run {
            try await pool.read { db -> StoreListResult? in
                if try tests.contains(where: { try TextIndexes.hasUndecided(db, tenantID: tenantID, keys: $0.keys, kind: kind) }) {
                    return nil
                }
                return try read(db)
            }
        }
    }

    /// The statement(s) of `list`, to run on one connection.
    static func listReader(tenantID: String, query: StoreQuery) -> @Sendable (Database) throws -> StoreListResult {
        var clauses = ["tenant_id = ?", "kind = \(query.kind.sqlLiteral)"]
        var arguments: [any DatabaseValueConvertible & Sendable] = [tenantID]
        for condition in query.conditions {
            switch condition {
            case .idEquals(let v):
                clauses.append("id = ?")
                arguments.append(v)
            case .userNameEquals(let v):
                clauses.append("user_name_key = ?")
                arguments.append(v)
            case .externalIDEquals(let v):
                clauses.append("external_id = ?")
                arguments.append(v)
            case .displayNameEquals(let v):
                clauses.append("display_name_key = ?")
                arguments.append(v)
            case .emailEquals(let v):
                clauses.append("seq IN (SELECT resource_seq FROM emails WHERE tenant_id = ? AND value_key = ?)")
                arguments += [tenantID, v]
            case .hasMember(let v):
                clauses.append("id IN (SELECT group_id FROM members WHERE tenant_id = ? AND member_id = ?)")
                arguments += [tenantID, v]
            case .lastModified(let op, let t):
                // Stored at millisecond precision: widen to whole milliseconds so the index only
                // narrows (the service re-checks the exact instant).
                let floor = t.epochMillis
                let ceil = floor + (t.nanoseconds % 1_000_000 == 0 ? 0 : 1)
                switch op {
                case .gt, .ge: clauses.append("last_modified_ms >= ?"); arguments.append(floor)
                case .lt, .le: clauses.append("last_modified_ms <= ?"); arguments.append(ceil)
                default: clauses.append("last_modified_ms BETWEEN ? AND ?"); arguments += [floor, ceil]
                }
            case .text(let test):
                if let indexed = TextIndexes.condition(test, kind: query.kind) {
                    clauses.append(indexed.sql)
                    arguments += indexed.arguments
                    continue
                }
                // SQLite's LIKE folds ASCII case only, so a resource whose text holds any
                // non-ASCII character (its character count differs from its byte count: the
                // stored JSON has raw UTF-8) is kept for the service to decide. A GLOB for such
                // a character cost 2.2 s over 100,000 users; the length test 0.3 s.
                clauses.append(
                    "(json_extract(attributes, ?) LIKE ? ESCAPE '\\' OR length(attributes) <> length(CAST(attributes AS BLOB)))")
                arguments += [Self.jsonPath(test.keys), test.likePattern]
            }
        }
        let table =
            TextIndexes.index(for: query.conditions, kind: query.kind, afterSequence: query.afterSequence).map {
                "resources INDEXED BY \($0)"
            } ?? "resources"
        let countSQL = "SELECT COUNT(*) FROM \(table) WHERE " + clauses.joined(separator: " AND ")
        let countArguments = arguments
        if let after = query.afterSequence {
            clauses.append("seq > ?")
            arguments.append(after)
        }
        let order: String
        switch query.sort {
        case .creation: order = "seq"
        case .userName(let asc): order = "(user_name_key IS NULL), user_name_key \(asc ? "ASC" : "DESC"), seq"
        case .displayName(let asc): order = "(display_name_key IS NULL), display_name_key \(asc ? "ASC" : "DESC"), seq"
        case .lastModified(let asc): order = "last_modified_ms \(asc ? "ASC" : "DESC"), seq"
        }
        var sql =
            "SELECT \(Self.resourceColumns) FROM \(table) \(Self.syncJoin) WHERE \(clauses.joined(separator: " AND ")) ORDER BY \(order)"
        // Bound, never written into the text: the statement is cached per SQL text, and every
        // count/startIndex pair would otherwise keep a prepared statement on every reader.
        if query.limit != nil || query.offset > 0 {
            sql += " LIMIT ? OFFSET ?"
            arguments += [query.limit.map { max($0, 0) } ?? -1, max(query.offset, 0)]
        }
        let finalSQL = sql
        let finalArguments = arguments
        let countTotal = query.countTotal
        let includeGroups = query.includeGroups && query.kind == .user
        // A page and its count must agree, so they share a read transaction; a scan batch (no
        // count) does not need one, and skipping it saves a BEGIN/COMMIT per lookup.
        return { db in
            // Decoded straight from the cursor: no copy of each row first.
            let resources = try Array(
                Row.fetchCursor(db.cachedStatement(sql: finalSQL), arguments: StatementArguments(finalArguments)).map(Self.resource))
            let total =
                countTotal
                ? try Int.fetchOne(db.cachedStatement(sql: countSQL), arguments: StatementArguments(countArguments)) ?? 0
                : resources.count
            let groups = includeGroups ? try Self.groups(db, tenantID: tenantID, memberIDs: resources.map(\.resource.id)) : [:]
            return StoreListResult(resources: resources, total: total, groups: groups)
        }
    }
}

extension IndexedCondition {
    /// An equality on an indexed key that names one resource or a few, so the list it narrows
    /// is read like a point read (`pointRead`).
    var isKeyLookup: Bool {
        switch self {
        case .idEquals, .userNameEquals, .externalIDEquals, .emailEquals, .displayNameEquals: true
        case .hasMember, .lastModified, .text: false
        }
    }
}
