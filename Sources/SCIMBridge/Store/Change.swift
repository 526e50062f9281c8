import SCIMCore

/// Which queue a Zscaler object waits in. Deprovisioning (deactivation, deletion, removal from a
/// group, a move into the quarantine group) must never wait behind a bulk sync, so it has a lane
/// of its own that the reconciler always drains first.
public enum SyncLane: Int, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case priority = 0
    case bulk = 1

    public static func < (a: SyncLane, b: SyncLane) -> Bool { a.rawValue < b.rawValue }
    public var name: String { self == .priority ? "priority" : "bulk" }
}

/// What one SCIM write does to the stored desired state.
public enum ChangeOperation: Sendable {
    /// Creates (`expectedVersion == nil`) or replaces a resource, with a group's membership steps.
    case put(ResourceWrite)
    /// Membership deltas on a group applied whatever its version (deltas commute), moving its
    /// version on. Fails with `.notFound` when there is no such group.
    case membership(groupID: String, steps: [MembershipStep])
    /// Deletes a resource and its memberships both ways; moves the version of the groups it left.
    case delete(kind: ResourceKind, id: String, expectedVersion: Int?)
}

/// Who asked for a change, for the audit trail. Never a token: its fingerprint.
public struct AuditActor: Sendable, Hashable {
    public var tokenFingerprint: String?
    public var source: String

    public init(tokenFingerprint: String? = nil, source: String = "scim") {
        self.tokenFingerprint = tokenFingerprint
        self.source = source
    }
}

/// One unit of work: the resource rows, the membership steps, the dirty marks of every Zscaler
/// object the change touches, and an audit entry, committed in one transaction. Nothing the
/// client is told succeeded can then be lost, and the reconciler can never miss a change.
public struct Change: Sendable {
    public var operation: ChangeOperation
    /// When it happened (the service's injected clock): `meta.lastModified` of membership and
    /// delete changes, the audit time and the enqueue time of the dirty marks.
    public var at: SCIMDateTime
    /// Lane of the changed resource's own dirty mark.
    public var lane: SyncLane
    /// Lane of users that this change adds to a group (the quarantine group's adds are priority);
    /// users a change removes from a group are always marked in the priority lane.
    public var addedMemberLane: SyncLane
    /// The audit entry's verb (`create`, `replace`, `patch`, `delete`, `bulk`).
    public var action: String
    public var actor: AuditActor

    public init(
        _ operation: ChangeOperation, at: SCIMDateTime, lane: SyncLane = .bulk, addedMemberLane: SyncLane = .bulk, action: String,
        actor: AuditActor = AuditActor()
    ) {
        self.operation = operation
        self.at = at
        self.lane = lane
        self.addedMemberLane = addedMemberLane
        self.action = action
        self.actor = actor
    }
}

extension Change {
    /// Whether the change marks anything in the priority lane (so a reconciler busy with bulk
    /// work should look again at once).
    public var marksPriority: Bool {
        if lane == .priority || addedMemberLane == .priority { return true }
        let steps: [MembershipStep]
        switch operation {
        case .put(let write): steps = write.membership
        case .membership(_, let s): steps = s
        case .delete: return true
        }
        return steps.contains { step in
            switch step {
            case .add: false
            case .remove, .removeAll, .replace: true
            }
        }
    }
}

/// What a commit did.
public struct CommitResult: Sendable, Hashable {
    /// The resource's version after the change (nil for a delete).
    public var version: Int?
    /// For a delete: whether there was anything to delete.
    public var deleted: Bool

    public init(version: Int?, deleted: Bool = false) {
        self.version = version
        self.deleted = deleted
    }
}

/// One audit entry as stored.
public struct AuditRecord: Sendable, Hashable {
    public var at: SCIMDateTime
    public var action: String
    public var kind: ResourceKind
    public var resourceID: String
    public var actor: AuditActor
    public var version: Int?

    public init(at: SCIMDateTime, action: String, kind: ResourceKind, resourceID: String, actor: AuditActor, version: Int?) {
        self.at = at
        self.action = action
        self.kind = kind
        self.resourceID = resourceID
        self.actor = actor
        self.version = version
    }
}
