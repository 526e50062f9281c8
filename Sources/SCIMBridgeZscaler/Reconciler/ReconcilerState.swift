import Foundation

/// What a tenant's reconciler keeps between rounds and across restarts (as JSON in the store):
/// the activation debounce, the ZIA group ids it no longer maps (so users lose them), and its
/// recent calls per class (the priority reserve and `tenant status` read them).
struct ReconcilerState: Codable, Sendable, Equatable {
    /// Epoch ms of the first change not yet activated.
    var activationPendingSince: Int64?
    /// Epoch ms of the latest change not yet activated.
    var lastChangeAt: Int64?
    /// A deprovisioning change is waiting: activate without the quiet period.
    var activateNow: Bool = false
    var lastActivationAt: Int64?
    /// Epoch ms before which a failed activation is not tried again.
    var activationRetryAt: Int64?
    var activations: Int = 0
    /// ZIA groups zscim mapped once and no longer does: removed from users like managed ones.
    var retiredGroupIDs: [Int] = []
    /// Epoch ms of this reconciler's calls in the last hour, per call class.
    var recentCalls: [String: [Int64]] = [:]
    /// A tenant-wide problem (e.g. refused credentials), shown by `tenant status`.
    var tenantError: String?
    /// Epoch ms before which the reconciler does not call Zscaler at all.
    var pausedUntil: Int64?

    static func decode(_ text: String?) -> ReconcilerState {
        guard let text, let state = try? JSONDecoder().decode(ReconcilerState.self, from: Data(text.utf8)) else { return ReconcilerState() }
        return state
    }

    func encoded() -> String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Calls of `kind` within the hour before `now` (`hour` is an hour in real ms).
    func calls(_ kind: CallKind, now: Int64, hour: Int64) -> Int {
        let cutoff: Int64 = now - hour
        return (recentCalls[kind.rawValue] ?? []).filter { $0 > cutoff }.count
    }

    mutating func record(_ kind: CallKind, now: Int64, hour: Int64) {
        let cutoff: Int64 = now - hour
        var list = (recentCalls[kind.rawValue] ?? []).filter { $0 > cutoff }
        list.append(now)
        recentCalls[kind.rawValue] = list
    }

    /// The oldest call of `kind` still inside the hour (when the budget frees up again).
    func oldestCall(_ kind: CallKind, now: Int64, hour: Int64) -> Int64? {
        let cutoff: Int64 = now - hour
        return (recentCalls[kind.rawValue] ?? []).first { $0 > cutoff }
    }
}

/// The reconciler's calls, by the Zscaler budget they spend.
enum CallKind: String, Codable, Sendable, CaseIterable {
    case write, read, userList = "userListing", list, bulkDelete, delete, activation
}
