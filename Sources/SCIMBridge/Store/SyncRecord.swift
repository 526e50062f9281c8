import SCIMCore

/// Where a resource stands in reaching Zscaler, as SCIM clients see it.
public enum SyncState: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, synced, failed
}

/// The reconciler's row for one Zscaler object (a ZIA user or group), keyed by the SCIM resource.
///
/// One row holds both the dirty mark and the link: the object is dirty while `generation`
/// (bumped by every SCIM change in the change's own transaction) is ahead of `syncedGeneration`
/// (the generation the reconciler last closed). A reconciler that read generation 7 and then saw
/// a SCIM write bump it to 8 records 7 as synced, and the row stays dirty: level-triggered, so a
/// write racing a Zscaler call is never lost.
public struct SyncRecord: Sendable, Hashable {
    public var kind: ResourceKind
    public var scimID: String
    /// Zscaler's id once the object exists there (or was adopted).
    public var zscalerID: Int64?
    public var generation: Int64
    public var syncedGeneration: Int64
    public var lane: SyncLane
    /// Epoch milliseconds at which the object became dirty (its place in the lane).
    public var enqueuedAt: Int64
    public var state: SyncState
    /// The Zscaler object as last seen (JSON), so unchanged objects cost no call.
    public var observed: String?
    public var lastError: String?
    /// Zscaler's error code of the last failure, when it had one.
    public var errorCode: String?
    /// Consecutive transient failures (for backoff).
    public var attempts: Int
    /// Epoch milliseconds before which the reconciler leaves the row alone (backoff).
    public var notBefore: Int64
    public var lastSyncedAt: SCIMDateTime?
    /// The SCIM resource is gone; the Zscaler object still has to be deleted (or unlinked).
    public var deleted: Bool
    /// A create was sent and its answer may have been lost: look the object up before sending
    /// it again.
    public var createAttempted: Bool

    public init(
        kind: ResourceKind, scimID: String, zscalerID: Int64? = nil, generation: Int64 = 1, syncedGeneration: Int64 = 0,
        lane: SyncLane = .bulk, enqueuedAt: Int64 = 0, state: SyncState = .pending, observed: String? = nil, lastError: String? = nil,
        errorCode: String? = nil, attempts: Int = 0, notBefore: Int64 = 0, lastSyncedAt: SCIMDateTime? = nil, deleted: Bool = false,
        createAttempted: Bool = false
    ) {
        self.kind = kind
        self.scimID = scimID
        self.zscalerID = zscalerID
        self.generation = generation
        self.syncedGeneration = syncedGeneration
        self.lane = lane
        self.enqueuedAt = enqueuedAt
        self.state = state
        self.observed = observed
        self.lastError = lastError
        self.errorCode = errorCode
        self.attempts = attempts
        self.notBefore = notBefore
        self.lastSyncedAt = lastSyncedAt
        self.deleted = deleted
        self.createAttempted = createAttempted
    }

    public var isDirty: Bool { generation > syncedGeneration }

    /// What a SCIM read shows of it.
    public var status: SyncStatus {
        SyncStatus(
            state: isDirty && state != .failed ? .pending : state, zscalerID: zscalerID, lastError: lastError, lastSyncedAt: lastSyncedAt)
    }
}

/// The readOnly sync attributes a SCIM read shows (the zscim Zscaler extension).
public struct SyncStatus: Sendable, Hashable {
    public var state: SyncState
    public var zscalerID: Int64?
    public var lastError: String?
    public var lastSyncedAt: SCIMDateTime?

    public init(state: SyncState, zscalerID: Int64? = nil, lastError: String? = nil, lastSyncedAt: SCIMDateTime? = nil) {
        self.state = state
        self.zscalerID = zscalerID
        self.lastError = lastError
        self.lastSyncedAt = lastSyncedAt
    }
}

/// What the reconciler learnt about one object; recorded only if the object's generation is
/// still `generation` where that matters (see each case).
public enum SyncOutcome: Sendable, Hashable {
    /// Zscaler now matches generation `generation`. `observed` is the object as Zscaler returned
    /// it. `markMembers` marks the group's member users dirty (a group got its Zscaler id, so
    /// their group lists can now name it).
    case synced(zscalerID: Int64?, observed: String?, markMembers: Bool)
    /// A create is about to be sent (crash safety: look it up before sending again). `observed`
    /// holds what is needed to find it (login e-mail and name), even after the resource is deleted.
    case createAttempted(observed: String)
    /// Nothing to record but a wait: the row is left alone until `until` (epoch ms), e.g. a
    /// deletion waiting for its batch. Not a failure.
    case deferred(until: Int64)
    /// The object is linked to an existing Zscaler object without changing anything else.
    case linked(zscalerID: Int64, observed: String?)
    /// The link to the Zscaler object is dropped (it was deleted there, or is being recreated).
    case unlinked
    /// The deleted resource's Zscaler object is gone (or never existed): forget the row.
    case removed
    /// A failure Zscaler will repeat until something changes: recorded, not retried until the
    /// next change or an explicit retry.
    case permanentFailure(code: String?, message: String)
    /// A failure that may pass: retried at `retryAt` (epoch ms).
    case transientFailure(code: String?, message: String, retryAt: Int64)
}

/// Counts and queues for `tenant status`.
public struct SyncSummary: Sendable, Hashable {
    public var users: [SyncState: Int]
    public var groups: [SyncState: Int]
    /// Dirty objects per lane.
    public var queued: [SyncLane: Int]
    /// Objects waiting out a backoff.
    public var backingOff: Int
    /// Deleted resources whose Zscaler object is not deleted yet.
    public var pendingDeletes: Int
    /// Most recent failures first.
    public var recentFailures: [SyncFailure]
    /// Epoch ms of the oldest dirty mark, if any.
    public var oldestDirty: Int64?

    public init(
        users: [SyncState: Int] = [:], groups: [SyncState: Int] = [:], queued: [SyncLane: Int] = [:], backingOff: Int = 0,
        pendingDeletes: Int = 0, recentFailures: [SyncFailure] = [], oldestDirty: Int64? = nil
    ) {
        self.users = users
        self.groups = groups
        self.queued = queued
        self.backingOff = backingOff
        self.pendingDeletes = pendingDeletes
        self.recentFailures = recentFailures
        self.oldestDirty = oldestDirty
    }
}

public struct SyncFailure: Sendable, Hashable {
    public var kind: ResourceKind
    public var scimID: String
    public var name: String?
    public var code: String?
    public var message: String
    public var at: SCIMDateTime?

    public init(kind: ResourceKind, scimID: String, name: String?, code: String?, message: String, at: SCIMDateTime?) {
        self.kind = kind
        self.scimID = scimID
        self.name = name
        self.code = code
        self.message = message
        self.at = at
    }
}

/// A tenant's Zscaler connection as stored: what may be shown, and the secrets sealed by the
/// bridge's secret key (see `SecretBox`). The store never sees a secret in the clear.
public struct ConnectionRecord: Sendable, Hashable {
    /// Non-secret settings as JSON (`ZscalerConnection` without its secrets).
    public var settings: String
    /// The secrets, sealed (AES-GCM).
    public var sealedSecrets: [UInt8]
    /// The tenant's sync policy as JSON.
    public var policy: String
    public var connectedAt: SCIMDateTime

    public init(settings: String, sealedSecrets: [UInt8], policy: String, connectedAt: SCIMDateTime) {
        self.settings = settings
        self.sealedSecrets = sealedSecrets
        self.policy = policy
        self.connectedAt = connectedAt
    }
}
