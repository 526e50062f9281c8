import SCIMBridge
import SCIMCore
import Synchronization

/// A `DirectoryStore` held in memory, for fast unit tests of the SCIM service and the reconciler.
///
/// It mirrors `SQLiteDirectoryStore` rule for rule (the same checks hold both to the contract), so
/// a test that passes here does not pass only because the fake is more forgiving than the real
/// store. Simplicity beats speed: everything is a scan under one lock.
///
/// Where SQLite's behaviour follows from its storage rather than from a stated rule, this store
/// copies it on purpose:
/// - times are kept at millisecond precision (SQLite keeps `SCIMDateTime.description`);
/// - strings compare and sort by UTF-8 bytes (SQLite's BINARY collation), not by Swift's
///   canonical equivalence;
/// - rows that a foreign key would refuse (a resource, sync row, audit entry, token, connection
///   or reconciler state of a tenant that does not exist) are refused with `.unavailable`;
/// - members, audit entries and sync rows keep their insertion order for tie-breaks (SQLite's
///   rowid order).
public final class InMemoryDirectoryStore: DirectoryStore {
    let storage = Mutex(Storage())

    public init() {}

    /// Runs `body` under the lock. Every write checks everything that can fail before it changes
    /// anything, so no write needs a rollback to stay atomic.
    func locked<T: Sendable, E: Error>(_ body: (Storage) throws(E) -> T) throws(E) -> T {
        try storage.withLock { (s: inout sending Storage) throws(E) -> sending T in try body(s) }
    }

    /// One lock guards everything here; taking it is the whole probe.
    public func probeWrite() async throws(StoreError) {
        locked { _ in }
    }

    // MARK: - Tenants and tokens

    public func createTenant(_ tenant: Tenant) async throws(StoreError) {
        try locked { s throws(StoreError) in
            if s.tenants[tenant.id] != nil || s.tenants.values.contains(where: { same($0.tenant.name, tenant.name) }) {
                throw .tenantExists(tenant.name)
            }
            var stored = tenant
            stored.created = normalized(tenant.created)
            s.tenants[tenant.id] = TenantState(tenant: stored)
        }
    }

    public func tenants() async throws(StoreError) -> [Tenant] {
        locked { s in s.tenants.values.map(\.tenant).sorted { precedes($0.name, $1.name) } }
    }

    public func tenant(named name: String) async throws(StoreError) -> Tenant? {
        locked { s in s.tenants.values.first { same($0.tenant.name, name) }?.tenant }
    }

    public func deleteTenant(id: String) async throws(StoreError) {
        try locked { s throws(StoreError) in
            guard s.tenants.removeValue(forKey: id) != nil else { throw .notFound }
            s.tokens = s.tokens.filter { $0.value.tenantID != id }
        }
    }

    public func addToken(_ token: TokenRecord) async throws(StoreError) {
        try locked { s throws(StoreError) in
            guard s.tenants[token.tenantID] != nil else { throw Storage.noTenant(token.tenantID) }
            guard s.tokens[token.hash] == nil else { throw .unavailable("UNIQUE constraint failed: tokens.hash") }
            var stored = token
            stored.created = normalized(token.created)
            s.tokens[token.hash] = stored
        }
    }

    public func tokens(tenantID: String) async throws(StoreError) -> [TokenRecord] {
        // SQLite orders by the stored text of `created`, then by the hash bytes.
        locked { s in
            s.tokens.values.filter { $0.tenantID == tenantID }.sorted { a, b in
                let (x, y) = (a.created.description, b.created.description)
                return same(x, y) ? a.hash.lexicographicallyPrecedes(b.hash) : precedes(x, y)
            }
        }
    }

    public func removeToken(tenantID: String, hash: [UInt8]) async throws(StoreError) {
        locked { s in
            if s.tokens[hash]?.tenantID == tenantID { s.tokens[hash] = nil }
        }
    }

    public func tenant(forTokenHash hash: [UInt8]) async throws(StoreError) -> Tenant? {
        locked { s in s.tokens[hash].flatMap { s.tenants[$0.tenantID]?.tenant } }
    }

    // MARK: - Resources

    public func resource(tenantID: String, kind: ResourceKind, id: String) async throws(StoreError) -> StoredResource? {
        locked { s in
            guard let t = s.tenants[tenantID], let row = t.resources[id], row.resource.kind == kind else { return nil }
            return t.read(row)
        }
    }

    public func commit(tenantID: String, _ change: Change) async throws(StoreError) -> CommitResult {
        try locked { s throws(StoreError) in try s.commit(tenantID: tenantID, change) }
    }

    public func members(tenantID: String, groupID: String) async throws(StoreError) -> [MemberRecord] {
        locked { s in s.tenants[tenantID]?.memberRows(of: groupID).map(\.record) ?? [] }
    }

    public func groups(tenantID: String, memberIDs: [String]) async throws(StoreError) -> [String: [GroupReference]] {
        locked { s in s.tenants[tenantID]?.groups(of: memberIDs) ?? [:] }
    }

    public func references(tenantID: String, ids: [String]) async throws(StoreError) -> [String: MemberRecord] {
        locked { s in
            guard let t = s.tenants[tenantID] else { return [:] }
            var result: [String: MemberRecord] = [:]
            for id in Set(ids) {
                guard let r = t.resources[id]?.resource else { continue }
                let display = r.attributes["displayName"]?.stringValue ?? r.attributes["userName"]?.stringValue
                result[id] = MemberRecord(id: id, kind: r.kind, display: display)
            }
            return result
        }
    }

    public func list(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult {
        locked { s in
            guard let t = s.tenants[tenantID] else { return StoreListResult(resources: [], total: 0) }
            let matching = t.resources.values.filter { $0.resource.kind == query.kind && t.satisfies($0, query.conditions) }
            var rows = matching.filter { row in query.afterSequence.map { row.seq > $0 } ?? true }
            rows.sort { ResourceRow.ordered($0, $1, by: query.sort) }
            if let limit = query.limit {
                rows = Array(rows.dropFirst(max(query.offset, 0)).prefix(max(limit, 0)))
            } else if query.offset > 0 {
                rows = Array(rows.dropFirst(query.offset))
            }
            let resources = rows.map { SequencedResource(sequence: $0.seq, resource: t.read($0)) }
            let groups = query.includeGroups && query.kind == .user ? t.groups(of: rows.map(\.resource.id)) : [:]
            return StoreListResult(resources: resources, total: query.countTotal ? matching.count : rows.count, groups: groups)
        }
    }

    public func groupCounts(tenantID: String, userIDs: [String]) async throws(StoreError) -> [String: Int] {
        locked { s in
            guard let t = s.tenants[tenantID] else { return [:] }
            let wanted = Set(userIDs)
            var result: [String: Int] = [:]
            for rows in t.members.values {
                for id in rows.keys where wanted.contains(id) { result[id, default: 0] += 1 }
            }
            return result
        }
    }

    public func auditEntries(tenantID: String, limit: Int) async throws(StoreError) -> [AuditRecord] {
        // A negative LIMIT is no limit in SQLite.
        locked { s in
            let newestFirst = Array((s.tenants[tenantID]?.audit ?? []).reversed())
            return limit < 0 ? newestFirst : Array(newestFirst.prefix(limit))
        }
    }

    // MARK: - Connection and reconciler state

    public func setConnection(tenantID: String, _ connection: ConnectionRecord?) async throws(StoreError) {
        try locked { s throws(StoreError) in
            guard let connection else {
                s.tenants[tenantID]?.connection = nil
                return
            }
            guard let t = s.tenants[tenantID] else { throw Storage.noTenant(tenantID) }
            var stored = connection
            stored.connectedAt = normalized(connection.connectedAt)
            t.connection = stored
        }
    }

    public func connection(tenantID: String) async throws(StoreError) -> ConnectionRecord? {
        locked { s in s.tenants[tenantID]?.connection }
    }

    public func reconcilerState(tenantID: String) async throws(StoreError) -> String? {
        locked { s in s.tenants[tenantID]?.reconcilerState }
    }

    public func setReconcilerState(tenantID: String, _ state: String) async throws(StoreError) {
        try locked { s throws(StoreError) in
            guard let t = s.tenants[tenantID] else { throw Storage.noTenant(tenantID) }
            t.reconcilerState = state
        }
    }

    // MARK: - Sync rows

    public func dueSyncRecords(tenantID: String, now: Int64, limit: Int) async throws(StoreError) -> [SyncRecord] {
        locked { s in
            guard let t = s.tenants[tenantID] else { return [] }
            let due = t.sync.values
                .filter { $0.record.isDirty && $0.record.notBefore <= now }
                .sorted { a, b in
                    (a.record.lane, a.record.enqueuedAt, a.rowID) < (b.record.lane, b.record.enqueuedAt, b.rowID)
                }
                .map(\.record)
            return limit < 0 ? due : Array(due.prefix(limit))
        }
    }

    public func syncRecord(tenantID: String, kind: ResourceKind, scimID: String) async throws(StoreError) -> SyncRecord? {
        locked { s in s.tenants[tenantID]?.sync[SyncKey(kind: kind, id: scimID)]?.record }
    }

    public func syncRecords(tenantID: String, kind: ResourceKind) async throws(StoreError) -> [SyncRecord] {
        locked { s in s.tenants[tenantID]?.syncRows(of: kind).map(\.record) ?? [] }
    }

    public func recordSync(
        tenantID: String, kind: ResourceKind, scimID: String, generation: Int64, _ outcome: SyncOutcome, at: SCIMDateTime
    ) async throws(StoreError) {
        locked { s in s.recordSync(tenantID: tenantID, kind: kind, scimID: scimID, generation: generation, outcome, at: at) }
    }

    public func markDirty(tenantID: String, kind: ResourceKind, scimIDs: [String]?, onlyFailed: Bool, lane: SyncLane, at: SCIMDateTime)
        async throws(StoreError) -> Int
    {
        locked { s in
            guard let t = s.tenants[tenantID] else { return 0 }
            var ids: [String]
            if let scimIDs, !onlyFailed {
                ids = scimIDs
            } else {
                let found = t.syncRows(of: kind).filter { !onlyFailed || $0.record.state == .failed }.map(\.record.scimID)
                ids = scimIDs.map { wanted in found.filter(Set(wanted).contains) } ?? found
            }
            // Only resources that exist (or rows already in the table, such as tombstones) are marked.
            let existing = ids.filter { id in t.resources[id]?.resource.kind == kind || t.sync[SyncKey(kind: kind, id: id)] != nil }
            for id in existing {
                let deleted = t.sync[SyncKey(kind: kind, id: id)]?.record.deleted ?? false
                s.mark(t, kind, [id], lane: lane, at: milliseconds(at), deleted: deleted)
            }
            return existing.count
        }
    }

    public func sealedPassword(tenantID: String, userID: String) async throws(StoreError) -> [UInt8]? {
        locked { s in s.tenants[tenantID]?.passwords[userID] }
    }

    public func forgetPassword(tenantID: String, userID: String) async throws(StoreError) {
        locked { s in s.tenants[tenantID]?.passwords[userID] = nil }
    }

    public func syncSummary(tenantID: String, now: Int64, failureLimit: Int) async throws(StoreError) -> SyncSummary {
        locked { s in
            var summary = SyncSummary()
            guard let t = s.tenants[tenantID] else { return summary }
            let rows = t.sync.values.sorted { $0.rowID < $1.rowID }
            for row in rows where !row.record.deleted {
                if row.record.kind == .user {
                    summary.users[row.record.status.state, default: 0] += 1
                } else {
                    summary.groups[row.record.status.state, default: 0] += 1
                }
            }
            for row in rows where row.record.isDirty {
                summary.queued[row.record.lane, default: 0] += 1
                if row.record.notBefore > now { summary.backingOff += 1 }
                summary.oldestDirty = min(summary.oldestDirty ?? row.record.enqueuedAt, row.record.enqueuedAt)
            }
            summary.pendingDeletes = rows.count(where: \.record.deleted)
            // Newest first by instant (ties: the older row first).
            let failures = rows.filter { $0.record.lastError != nil }.sorted { a, b in
                let (x, y) = (a.updatedAt ?? SCIMDateTime(seconds: .min), b.updatedAt ?? SCIMDateTime(seconds: .min))
                return x != y ? x > y : a.rowID < b.rowID
            }
            summary.recentFailures = (failureLimit < 0 ? failures : Array(failures.prefix(failureLimit))).map { row in
                // Joined by id alone, as SQLite does: a tombstone has no name left.
                let attributes = t.resources[row.record.scimID]?.resource.attributes
                return SyncFailure(
                    kind: row.record.kind, scimID: row.record.scimID,
                    name: attributes?["userName"]?.stringValue ?? attributes?["displayName"]?.stringValue, code: row.record.errorCode,
                    message: row.record.lastError ?? "", at: row.updatedAt)
            }
            return summary
        }
    }
}

// MARK: - Storage

/// Everything the store holds. A class, so that writes change rows in place under the lock
/// instead of copying a tenant's dictionaries on every write; unchecked `Sendable` because it is
/// only ever reached inside `InMemoryDirectoryStore.locked`.
final class Storage: @unchecked Sendable {
    var tenants: [String: TenantState] = [:]
    var tokens: [[UInt8]: TokenRecord] = [:]
    /// Counters shared by all tenants, as SQLite's AUTOINCREMENT and rowids are per table.
    var lastSequence: Int64 = 0
    var lastMemberRow: Int64 = 0
    var lastSyncRow: Int64 = 0

    /// What SQLite's foreign keys say about a row for a tenant that does not exist.
    static func noTenant(_ id: String) -> StoreError { .unavailable("FOREIGN KEY constraint failed (no tenant \(id))") }

    /// `DirectoryStore.commit`: every failure is detected before the first change.
    func commit(tenantID: String, _ change: Change) throws(StoreError) -> CommitResult {
        let at = milliseconds(change.at)
        let result: CommitResult
        let kind: ResourceKind
        let id: String
        let t: TenantState
        try checkMembers(tenantID: tenantID, change)
        switch change.operation {
        case .put(let write):
            kind = write.resource.kind
            id = write.resource.id
            t = try put(tenantID: tenantID, write)
            switch write.password {
            case .keep: break
            case .set(let sealed): t.passwords[id] = sealed
            case .clear: t.passwords[id] = nil
            }
            mark(t, kind, [id], lane: change.lane, at: at)
            for step in write.membership { apply(step, t, groupID: id, addedLane: change.addedMemberLane, at: at) }
            result = CommitResult(version: write.resource.version)
        case .membership(let groupID, let steps):
            guard let tenant = tenants[tenantID], var row = tenant.resources[groupID], row.resource.kind == .group else {
                throw .notFound
            }
            kind = .group
            id = groupID
            t = tenant
            row.touch(at: change.at)
            t.resources[groupID] = row
            for step in steps { apply(step, t, groupID: groupID, addedLane: change.addedMemberLane, at: at) }
            result = CommitResult(version: row.resource.version)
        case .delete(let deletedKind, let deletedID, let expectedVersion):
            guard let tenant = tenants[tenantID], let row = tenant.resources[deletedID], row.resource.kind == deletedKind else {
                return CommitResult(version: nil, deleted: false)
            }
            if let expectedVersion, expectedVersion != row.resource.version {
                throw .versionConflict(current: row.resource.version)
            }
            kind = deletedKind
            id = deletedID
            t = tenant
            // The groups it leaves change: their ETags move.
            for (groupID, rows) in t.members where rows[id] != nil {
                t.resources[groupID]?.touch(at: change.at)
            }
            if kind == .group {
                // Its members lose the group in ZIA: deprovisioning, so priority.
                let users = t.memberRows(of: id).filter { $0.record.kind == .user }.map(\.record.id)
                mark(t, .user, users, lane: .priority, at: at)
            }
            t.members[id] = nil
            for groupID in Array(t.members.keys) { t.members[groupID]?[id] = nil }
            t.resources[id] = nil
            t.passwords[id] = nil
            mark(t, kind, [id], lane: .priority, at: at, deleted: true)
            result = CommitResult(version: nil, deleted: true)
        }
        t.audit.append(
            AuditRecord(
                at: normalized(change.at), action: change.action, kind: kind, resourceID: id, actor: change.actor, version: result.version))
        return result
    }

    /// Every member a change adds must exist in the tenant (SQLite checks it inside its
    /// transaction; here, before the first change, like every other failure).
    func checkMembers(tenantID: String, _ change: Change) throws(StoreError) {
        let steps: [MembershipStep]
        switch change.operation {
        case .put(let write): steps = write.membership
        case .membership(let groupID, let s):
            // A group that is not there is `.notFound`, checked first as SQLite does.
            guard tenants[tenantID]?.resources[groupID]?.resource.kind == .group else { return }
            steps = s
        case .delete: return
        }
        let resources = tenants[tenantID]?.resources ?? [:]
        for step in steps {
            switch step {
            case .add(let records), .replace(let records):
                if let missing = records.first(where: { resources[$0.id] == nil }) { throw .missingMember(missing.id) }
            case .remove, .removeAll: continue
            }
        }
    }

    /// Creates or replaces the resource row, checking unique values first, then the version, in
    /// SQLite's order (so a write that breaks two rules reports the same one).
    func put(tenantID: String, _ write: ResourceWrite) throws(StoreError) -> TenantState {
        let r = write.resource
        let t = tenants[tenantID]
        let rows = t.map { Array($0.resources.values) } ?? []
        if r.kind == .user, let key = r.userNameKey,
            rows.contains(where: { $0.resource.kind == .user && same($0.userNameKey, key) && $0.resource.id != r.id })
        {
            throw .uniqueness(.userName)
        }
        if write.uniqueDisplayName, let key = r.displayNameKey,
            rows.contains(where: { $0.resource.kind == r.kind && same($0.displayNameKey, key) && $0.resource.id != r.id })
        {
            throw .uniqueness(.displayName)
        }
        var stored = r
        stored.sync = nil
        stored.lastModified = normalized(r.lastModified)
        if let expected = write.expectedVersion {
            guard let t, let old = t.resources[r.id], old.resource.kind == r.kind else { throw .notFound }
            guard old.resource.version == expected else { throw .versionConflict(current: old.resource.version) }
            // The creation time and sequence are the row's own; a replace does not move them.
            stored.created = old.resource.created
            t.resources[r.id] = ResourceRow(seq: old.seq, stored)
            return t
        }
        if t?.resources[r.id] != nil { throw .uniqueness(.id) }
        guard let t else { throw Self.noTenant(tenantID) }
        stored.created = normalized(r.created)
        lastSequence += 1
        t.resources[r.id] = ResourceRow(seq: lastSequence, stored)
        return t
    }

    /// One membership step, marking each user that joins (in `addedLane`) or leaves (priority)
    /// dirty. Nested groups have no ZIA counterpart, so they are not marked.
    func apply(_ step: MembershipStep, _ t: TenantState, groupID: String, addedLane: SyncLane, at: Int64) {
        switch step {
        case .add(let records):
            var joined: [String] = []
            for m in records where t.members[groupID]?[m.id] == nil {
                lastMemberRow += 1
                t.members[groupID, default: [:]][m.id] = MemberRow(rowID: lastMemberRow, record: m)
                if m.kind == .user { joined.append(m.id) }
            }
            mark(t, .user, joined, lane: addedLane, at: at)
        case .remove(let ids):
            var left: [String] = []
            for id in ids {
                guard let removed = t.members[groupID]?.removeValue(forKey: id) else { continue }
                if removed.record.kind == .user { left.append(id) }
            }
            mark(t, .user, left, lane: .priority, at: at)
        case .removeAll:
            let users = t.memberRows(of: groupID).filter { $0.record.kind == .user }.map(\.record.id)
            t.members[groupID] = nil
            mark(t, .user, users, lane: .priority, at: at)
        case .replace(let records):
            let current = t.memberRows(of: groupID).map(\.record.id)
            let wanted = Set(records.map(\.id))
            let leaving = current.filter { !wanted.contains($0) }
            if !leaving.isEmpty { apply(.remove(leaving), t, groupID: groupID, addedLane: addedLane, at: at) }
            // Members that stay keep their row (and display); only newcomers are added.
            let currentIDs = Set(current)
            apply(.add(records.filter { !currentIDs.contains($0.id) }), t, groupID: groupID, addedLane: addedLane, at: at)
        }
    }

    /// Bumps the generation of sync rows, creating those that do not exist. A row already dirty
    /// keeps its place unless it moves up to the priority lane; a clean row joins the end of its
    /// lane. A failed row becomes pending again (a change retries it).
    func mark(_ t: TenantState, _ kind: ResourceKind, _ ids: [String], lane: SyncLane, at: Int64, deleted: Bool = false) {
        for id in ids {
            let key = SyncKey(kind: kind, id: id)
            guard var row = t.sync[key] else {
                lastSyncRow += 1
                t.sync[key] = SyncRow(
                    rowID: lastSyncRow,
                    record: SyncRecord(kind: kind, scimID: id, lane: lane, enqueuedAt: at, deleted: deleted))
                continue
            }
            let wasDirty = row.record.isDirty
            let oldLane = row.record.lane
            row.record.generation += 1
            row.record.lane = wasDirty ? min(oldLane, lane) : lane
            if !(wasDirty && oldLane <= lane) { row.record.enqueuedAt = at }
            row.record.state = .pending
            row.record.attempts = 0
            row.record.notBefore = 0
            row.record.deleted = deleted
            t.sync[key] = row
        }
    }

    func recordSync(tenantID: String, kind: ResourceKind, scimID: String, generation: Int64, _ outcome: SyncOutcome, at: SCIMDateTime) {
        guard let t = tenants[tenantID] else { return }
        let key = SyncKey(kind: kind, id: scimID)
        let stamp = normalized(at)
        if var row = t.sync[key] {
            switch outcome {
            case .synced(let zscalerID, let observed, _):
                row.record.zscalerID = zscalerID
                row.record.observed = observed
                row.record.syncedGeneration = max(row.record.syncedGeneration, generation)
                row.record.state = .synced
                row.record.lastError = nil
                row.record.errorCode = nil
                row.record.attempts = 0
                row.record.notBefore = 0
                row.record.lastSyncedAt = stamp
                row.record.createAttempted = false
            case .createAttempted(let observed):
                row.record.createAttempted = true
                row.record.observed = observed
            case .deferred(let until):
                // A wait, not an event: the time of the last recorded outcome stays.
                row.record.notBefore = until
                t.sync[key] = row
                return
            case .linked(let zscalerID, let observed):
                row.record.zscalerID = zscalerID
                row.record.observed = observed
                row.record.createAttempted = false
            case .unlinked:
                row.record.zscalerID = nil
                row.record.observed = nil
                row.record.createAttempted = false
            case .removed:
                // Only a tombstone is forgotten; a live resource keeps its row.
                if row.record.deleted { t.sync[key] = nil }
                return
            case .permanentFailure(let code, let message):
                row.record.state = .failed
                row.record.lastError = message
                row.record.errorCode = code
                row.record.syncedGeneration = max(row.record.syncedGeneration, generation)
                row.record.attempts = 0
                row.record.notBefore = 0
            case .transientFailure(let code, let message, let retryAt):
                row.record.lastError = message
                row.record.errorCode = code
                row.record.attempts += 1
                row.record.notBefore = retryAt
            }
            row.updatedAt = stamp
            t.sync[key] = row
        }
        if case .synced(_, _, true) = outcome, kind == .group {
            let users = t.memberRows(of: scimID).filter { $0.record.kind == .user }.map(\.record.id)
            mark(t, .user, users, lane: .bulk, at: milliseconds(at))
        }
    }
}

/// One tenant's rows.
final class TenantState {
    var tenant: Tenant
    var resources: [String: ResourceRow] = [:]
    /// Group id → member id → membership.
    var members: [String: [String: MemberRow]] = [:]
    var sync: [SyncKey: SyncRow] = [:]
    /// Oldest first.
    var audit: [AuditRecord] = []
    var connection: ConnectionRecord?
    var reconcilerState: String?
    /// User id → sealed password.
    var passwords: [String: [UInt8]] = [:]

    init(tenant: Tenant) { self.tenant = tenant }

    /// A resource as reads return it: with its sync status, if it has a sync row.
    func read(_ row: ResourceRow) -> StoredResource {
        var resource = row.resource
        resource.sync = sync[SyncKey(kind: resource.kind, id: resource.id)]?.record.status
        return resource
    }

    func memberRows(of groupID: String) -> [MemberRow] {
        (members[groupID] ?? [:]).values.sorted { $0.rowID < $1.rowID }
    }

    /// Rows of a kind in primary-key order (SQLite's order for an unordered select by kind).
    func syncRows(of kind: ResourceKind) -> [SyncRow] {
        sync.values.filter { $0.record.kind == kind }.sorted { precedes($0.record.scimID, $1.record.scimID) }
    }

    /// Each member's groups, in membership order, with the group's current display name.
    func groups(of memberIDs: [String]) -> [String: [GroupReference]] {
        let wanted = Set(memberIDs)
        var found: [(rowID: Int64, memberID: String, group: GroupReference)] = []
        for (groupID, rows) in members {
            guard let group = resources[groupID]?.resource else { continue }
            for (memberID, row) in rows where wanted.contains(memberID) {
                found.append((row.rowID, memberID, GroupReference(id: groupID, display: group.attributes["displayName"]?.stringValue)))
            }
        }
        var result: [String: [GroupReference]] = [:]
        for entry in found.sorted(by: { $0.rowID < $1.rowID }) { result[entry.memberID, default: []].append(entry.group) }
        return result
    }

    func satisfies(_ row: ResourceRow, _ conditions: [IndexedCondition]) -> Bool {
        conditions.allSatisfy { condition in
            switch condition {
            case .idEquals(let v): return same(row.resource.id, v)
            case .userNameEquals(let v): return same(row.userNameKey, v)
            case .externalIDEquals(let v): return same(row.resource.externalID, v)
            case .displayNameEquals(let v): return same(row.displayNameKey, v)
            case .emailEquals(let v): return row.emailKeys.contains { same($0, v) }
            case .hasMember(let v): return members[row.resource.id]?[v] != nil
            // A hint only (see `IndexedCondition.text`): this store leaves it to the service.
            case .text: return true
            case .lastModified(let op, let t):
                // Stored at millisecond precision: widened to whole milliseconds, so the
                // condition only narrows (the service re-checks the exact instant).
                let floor = milliseconds(t)
                let ceil = floor + (t.nanoseconds % 1_000_000 == 0 ? 0 : 1)
                switch op {
                case .gt, .ge: return row.lastModifiedMs >= floor
                case .lt, .le: return row.lastModifiedMs <= ceil
                default: return row.lastModifiedMs >= floor && row.lastModifiedMs <= ceil
                }
            }
        }
    }
}

/// A resource row with the values SQLite keeps in indexed columns, computed once at write time.
struct ResourceRow {
    var seq: Int64
    var resource: StoredResource
    var userNameKey: String?
    var displayNameKey: String?
    var emailKeys: [String]
    var lastModifiedMs: Int64

    init(seq: Int64, _ resource: StoredResource) {
        self.seq = seq
        self.resource = resource
        userNameKey = resource.kind == .user ? resource.userNameKey : nil
        displayNameKey = resource.displayNameKey
        emailKeys = resource.kind == .user ? resource.emailKeys : []
        lastModifiedMs = milliseconds(resource.lastModified)
    }

    /// A membership change or the deletion of a member moves a group's version and time.
    mutating func touch(at: SCIMDateTime) {
        resource.version += 1
        resource.lastModified = normalized(at)
        lastModifiedMs = milliseconds(at)
    }

    /// SQLite's ORDER BY for each sort: keys by byte order with missing keys last in either
    /// direction, ties by creation sequence.
    static func ordered(_ a: ResourceRow, _ b: ResourceRow, by sort: StoreSort) -> Bool {
        func keys(_ x: String?, _ y: String?, _ ascending: Bool) -> Bool? {
            switch (x, y) {
            case (nil, nil): return nil
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return same(x, y) ? nil : (precedes(x, y) == ascending)
            }
        }
        let decided: Bool?
        switch sort {
        case .creation: decided = nil
        case .userName(let ascending): decided = keys(a.userNameKey, b.userNameKey, ascending)
        case .displayName(let ascending): decided = keys(a.displayNameKey, b.displayNameKey, ascending)
        case .lastModified(let ascending):
            decided = a.lastModifiedMs == b.lastModifiedMs ? nil : (a.lastModifiedMs < b.lastModifiedMs) == ascending
        }
        return decided ?? (a.seq < b.seq)
    }
}

struct MemberRow {
    /// Insertion order across the store (SQLite's rowid), which orders member and group lists.
    var rowID: Int64
    var record: MemberRecord
}

struct SyncKey: Hashable {
    var kind: ResourceKind
    var id: String
}

struct SyncRow {
    /// Creation order (SQLite's rowid): the tie-break among rows enqueued at the same instant.
    var rowID: Int64
    var record: SyncRecord
    /// When the reconciler last recorded anything (the time of a failure in `syncSummary`).
    var updatedAt: SCIMDateTime?
}

/// Epoch milliseconds, as SQLite stores times it compares.
func milliseconds(_ t: SCIMDateTime) -> Int64 { t.seconds * 1000 + Int64(t.nanoseconds / 1_000_000) }

/// A time as it comes back from SQLite, which stores its text (millisecond precision).
func normalized(_ t: SCIMDateTime) -> SCIMDateTime { SCIMDateTime(t.description) ?? SCIMDateTime(seconds: 0) }

/// SQLite's BINARY collation: equality and order of UTF-8 bytes.
func same(_ a: String?, _ b: String) -> Bool { a.map { $0.utf8.elementsEqual(b.utf8) } ?? false }
func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
