import Foundation
import SCIMCore

/// The two SCIM resource kinds the bridge stores.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case user = "User"
    case group = "Group"

    public var endpoint: String { self == .user ? "Users" : "Groups" }

    public init?(endpoint: String) {
        switch endpoint.lowercased() {
        case "users": self = .user
        case "groups": self = .group
        default: return nil
        }
    }
}

/// A resource as stored: the client's attributes (canonical, validated) plus what the service
/// manages. Group members and a user's groups live apart from `attributes` (see `MemberRecord`),
/// so that changing one member of a 50,000-member group touches one row.
public struct StoredResource: Sendable, Hashable {
    public var kind: ResourceKind
    public var id: String
    /// Incremented on every change; the ETag is derived from it.
    public var version: Int
    public var created: SCIMDateTime
    public var lastModified: SCIMDateTime
    /// Everything but `id`, `meta`, and group `members` / user `groups`.
    public var attributes: JSONObject
    /// Where the resource stands in reaching Zscaler (filled by reads; ignored by writes).
    public var sync: SyncStatus?

    public init(kind: ResourceKind, id: String, version: Int, created: SCIMDateTime, lastModified: SCIMDateTime, attributes: JSONObject) {
        self.kind = kind
        self.id = id
        self.version = version
        self.created = created
        self.lastModified = lastModified
        self.attributes = attributes
    }

    /// Values the store indexes, derived from `attributes` by one rule for every store.
    public var userNameKey: String? { Self.key(attributes["userName"]?.stringValue) }
    public var displayNameKey: String? { Self.key(attributes["displayName"]?.stringValue) }
    public var externalID: String? { attributes["externalId"]?.stringValue }
    public var emailKeys: [String] {
        let values = (attributes["emails"]?.arrayValue ?? []).compactMap { $0.objectValue?["value"]?.stringValue }
        return Array(Set(values.compactMap { Self.key($0) })).sorted()
    }

    /// Case-folded, trimmed and in Unicode NFC: `userName` is unique case-insensitively, stray
    /// whitespace (OneLogin, ssosync) must not make two accounts of one person, and `josé` typed
    /// precomposed (U+00E9) or decomposed (`e` + U+0301) is one name (stores compare bytes).
    public static func key(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        return normalizedKey(CaseFolding.fold(trimmed))
    }

    /// A folded key in NFC (ASCII is already); also re-keys rows stored before keys were NFC.
    public static func normalizedKey(_ folded: String) -> String {
        folded.utf8.allSatisfy({ $0 < 0x80 }) ? folded : folded.precomposedStringWithCanonicalMapping
    }
}

/// One membership of a group.
public struct MemberRecord: Sendable, Hashable {
    public var id: String
    public var kind: ResourceKind
    /// The display name the client sent, or the member's name when it was added.
    public var display: String?

    public init(id: String, kind: ResourceKind, display: String? = nil) {
        self.id = id
        self.kind = kind
        self.display = display
    }
}

/// A group a user belongs to (for the user's read-only `groups` attribute).
public struct GroupReference: Sendable, Hashable {
    public var id: String
    public var display: String?

    public init(id: String, display: String?) {
        self.id = id
        self.display = display
    }
}

/// One step of a membership change, applied in order inside the write's transaction.
public enum MembershipStep: Sendable, Hashable {
    case add([MemberRecord])
    case remove([String])
    case removeAll
    case replace([MemberRecord])
}

/// What a write does to a resource, applied atomically by the store.
public struct ResourceWrite: Sendable {
    public var resource: StoredResource
    /// The version the caller read (`nil` for a create); the store refuses the write with
    /// `.versionConflict` if the stored version moved on since.
    public var expectedVersion: Int?
    public var membership: [MembershipStep]
    /// Refuse the write if another resource of the same kind has the same `displayName` key.
    public var uniqueDisplayName: Bool
    /// A user's sealed password, stored beside the resource (never in its attributes).
    public var password: PasswordWrite

    public init(
        resource: StoredResource, expectedVersion: Int?, membership: [MembershipStep] = [], uniqueDisplayName: Bool = false,
        password: PasswordWrite = .keep
    ) {
        self.resource = resource
        self.expectedVersion = expectedVersion
        self.membership = membership
        self.uniqueDisplayName = uniqueDisplayName
        self.password = password
    }
}

/// A value a store keeps unique.
public enum UniqueAttribute: String, Sendable, Hashable {
    case userName, displayName, id, tenantName
}

/// Failures a store reports, typed so that no caller ever reads a message to decide what to do;
/// the service turns them into SCIM errors.
public enum StoreError: Error, Sendable, Hashable {
    /// Another resource holds this unique value.
    case uniqueness(UniqueAttribute)
    case notFound
    /// The stored version is not the one expected (a concurrent write or a stale If-Match).
    case versionConflict(current: Int)
    case tenantExists(String)
    /// A membership step names a member that does not exist (any more) in the tenant: checked
    /// inside the commit, so a concurrent delete of that member cannot leave a dangling member.
    case missingMember(String)
    /// The caller's task was cancelled (its request ran past its deadline): not an outage.
    case cancelled
    /// Anything else: the store is broken or unreachable; the message is for the operator's log.
    case unavailable(String)
}

/// A condition a store can answer from an index. The service plans these from a filter; the
/// store must return at least every resource that satisfies them (it may return more only if the
/// plan says the filter still has to be evaluated).
public enum IndexedCondition: Sendable, Hashable {
    case idEquals(String)
    case userNameEquals(String)
    case externalIDEquals(String)
    case emailEquals(String)
    case displayNameEquals(String)
    case hasMember(String)
    case lastModified(ComparisonOperator, SCIMDateTime)
    /// A test on one stored string attribute (`TextPrefilter`). It narrows what the service
    /// must evaluate, not what the store reads: the store still looks at every resource, but in
    /// its own engine. A store may ignore it (the service evaluates the filter anyway).
    case text(TextPrefilter)
}

/// How the store orders a list when the client asked for no indexed sort: by creation order.
public enum StoreSort: Sendable, Hashable {
    case creation
    case userName(ascending: Bool)
    case displayName(ascending: Bool)
    case lastModified(ascending: Bool)
}

/// A list request as the store sees it: conditions (all must hold), an order, a window.
public struct StoreQuery: Sendable, Hashable {
    public var kind: ResourceKind
    public var conditions: [IndexedCondition]
    public var sort: StoreSort
    /// 0-based offset and count; `nil` count means all.
    public var offset: Int
    public var limit: Int?
    /// Keyset paging: only resources created after this sequence number (cursor pagination).
    public var afterSequence: Int64?
    /// Whether the caller needs `total`; a scan that counts matches itself does not.
    public var countTotal: Bool = true
    /// For users: also return the groups of each returned user, in the same read (saves a
    /// round trip per lookup, which matters for the `userName eq` lookups clients make).
    public var includeGroups: Bool = false

    public init(
        kind: ResourceKind, conditions: [IndexedCondition] = [], sort: StoreSort = .creation, offset: Int = 0, limit: Int? = nil,
        afterSequence: Int64? = nil
    ) {
        self.kind = kind
        self.conditions = conditions
        self.sort = sort
        self.offset = offset
        self.limit = limit
        self.afterSequence = afterSequence
    }
}

/// A resource with its creation sequence, for keyset cursors.
public struct SequencedResource: Sendable {
    public var sequence: Int64
    public var resource: StoredResource

    public init(sequence: Int64, resource: StoredResource) {
        self.sequence = sequence
        self.resource = resource
    }
}

/// One page of a list, as the store answers it.
public struct StoreListResult: Sendable {
    public var resources: [SequencedResource]
    /// How many resources match the conditions in all (when the query asked for it).
    public var total: Int
    /// Each returned user's groups, when the query asked for them.
    public var groups: [String: [GroupReference]]

    public init(resources: [SequencedResource], total: Int, groups: [String: [GroupReference]] = [:]) {
        self.resources = resources
        self.total = total
        self.groups = groups
    }
}

/// Where the SCIM view lives. Every implementation passes the `SCIMStoreContract` checks.
///
/// All methods are scoped by tenant id: there is no call that reaches across tenants.
public protocol DirectoryStore: Sendable {
    /// Takes the write lock and lets it go at once: returns when a write would get through now.
    /// Readiness (`/readyz`) waits on it under a deadline, so a store locked by another process
    /// or stuck behind a long write reads as not ready instead of ready-but-hanging.
    func probeWrite() async throws(StoreError)

    // MARK: Tenants and tokens
    func createTenant(_ tenant: Tenant) async throws(StoreError)
    func tenants() async throws(StoreError) -> [Tenant]
    func tenant(named name: String) async throws(StoreError) -> Tenant?
    /// Deletes the tenant with all its resources and tokens.
    func deleteTenant(id: String) async throws(StoreError)
    func addToken(_ token: TokenRecord) async throws(StoreError)
    func tokens(tenantID: String) async throws(StoreError) -> [TokenRecord]
    func removeToken(tenantID: String, hash: [UInt8]) async throws(StoreError)
    /// The tenant owning a token hash, if any.
    func tenant(forTokenHash hash: [UInt8]) async throws(StoreError) -> Tenant?

    // MARK: Resources
    func resource(tenantID: String, kind: ResourceKind, id: String) async throws(StoreError) -> StoredResource?
    /// The one write path: applies a change (resource rows, membership steps), marks every
    /// Zscaler object it touches dirty (the resource itself; for membership, each user that
    /// joined or left, since ZIA keeps membership on the user; for a deleted group, its former
    /// members) and appends an audit entry, all in one transaction.
    func commit(tenantID: String, _ change: Change) async throws(StoreError) -> CommitResult
    func members(tenantID: String, groupID: String) async throws(StoreError) -> [MemberRecord]
    /// The groups each of `userIDs` belongs to directly.
    func groups(tenantID: String, memberIDs: [String]) async throws(StoreError) -> [String: [GroupReference]]
    /// Which of `ids` exist, as member records (kind, and `displayName` or else `userName` as display).
    func references(tenantID: String, ids: [String]) async throws(StoreError) -> [String: MemberRecord]
    /// The resources matching `query`, and how many match its conditions in all (ignoring
    /// offset, limit and afterSequence).
    func list(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult
    /// `list`, when the store can decide every `.text` condition of `query` exactly for every
    /// resource (so its page and total need no evaluation by the service); `nil` when it cannot,
    /// and the service scans and evaluates. A store need not offer it (the default is `nil`).
    func exactList(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult?
    /// How many groups each of `userIDs` belongs to directly (ZIA caps a user at 127).
    func groupCounts(tenantID: String, userIDs: [String]) async throws(StoreError) -> [String: Int]
    /// Audit entries, newest first.
    func auditEntries(tenantID: String, limit: Int) async throws(StoreError) -> [AuditRecord]

    // MARK: Zscaler connection and reconciler state
    func setConnection(tenantID: String, _ connection: ConnectionRecord?) async throws(StoreError)
    func connection(tenantID: String) async throws(StoreError) -> ConnectionRecord?
    /// The reconciler's own small state (activation debounce, counters) as JSON.
    func reconcilerState(tenantID: String) async throws(StoreError) -> String?
    func setReconcilerState(tenantID: String, _ state: String) async throws(StoreError)

    /// Dirty rows whose backoff has passed at `now` (epoch ms), priority lane first, then by
    /// enqueue time.
    func dueSyncRecords(tenantID: String, now: Int64, limit: Int) async throws(StoreError) -> [SyncRecord]
    func syncRecord(tenantID: String, kind: ResourceKind, scimID: String) async throws(StoreError) -> SyncRecord?
    /// Every row of a kind (links for the reconciler's maps: Zscaler id → SCIM id).
    func syncRecords(tenantID: String, kind: ResourceKind) async throws(StoreError) -> [SyncRecord]
    /// Records what the reconciler learnt about an object whose generation it read as
    /// `generation`: a success closes exactly that generation, so a change made meanwhile keeps
    /// the row dirty.
    func recordSync(
        tenantID: String, kind: ResourceKind, scimID: String, generation: Int64, _ outcome: SyncOutcome, at: SCIMDateTime
    ) async throws(StoreError)
    /// Marks objects dirty outside a SCIM change (an explicit retry, a group that got its
    /// Zscaler id, drift). Returns how many rows were marked. `onlyFailed` limits it to failed rows.
    func markDirty(tenantID: String, kind: ResourceKind, scimIDs: [String]?, onlyFailed: Bool, lane: SyncLane, at: SCIMDateTime)
        async throws(StoreError) -> Int
    func syncSummary(tenantID: String, now: Int64, failureLimit: Int) async throws(StoreError) -> SyncSummary

    // MARK: Sealed passwords (see `PasswordVault`)
    func sealedPassword(tenantID: String, userID: String) async throws(StoreError) -> [UInt8]?
    func forgetPassword(tenantID: String, userID: String) async throws(StoreError)
}

extension DirectoryStore {
    public func exactList(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult? { nil }
}
