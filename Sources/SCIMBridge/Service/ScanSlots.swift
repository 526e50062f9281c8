import Synchronization

/// How many scans of a whole directory (a filter no index answers, or an unindexed `sortBy`) may
/// run at once per tenant. A scan reads every resource of the tenant; a client sending many at
/// once would otherwise take every reader and core from every other tenant. A request that finds
/// no slot gets a 503 with `Retry-After` at once rather than queueing behind the others.
final class ScanSlots: Sendable {
    let limit: Int
    private let running = Mutex<[String: Int]>([:])

    init(limit: Int) { self.limit = limit }

    /// Takes a slot for `tenantID`; false when all are taken.
    func acquire(_ tenantID: String) -> Bool {
        running.withLock { map in
            let now = map[tenantID, default: 0]
            guard now < limit else { return false }
            map[tenantID] = now + 1
            return true
        }
    }

    func release(_ tenantID: String) {
        running.withLock { map in
            let left = map[tenantID, default: 1] - 1
            map[tenantID] = left > 0 ? left : nil
        }
    }
}
