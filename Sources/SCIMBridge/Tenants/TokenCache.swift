import Foundation
import Synchronization

/// Remembers which tenant a token hash belongs to for a few seconds, so that a burst of requests
/// does not look the token up in the store on every call (it was one of three store round trips
/// per GET). Only hits are cached: a new token works at once, and a revoked or deleted one stops
/// working within `lifetime` — the bound the operator docs state.
final class TokenCache: Sendable {
    struct Entry {
        var tenant: Tenant
        var expires: Date
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let entries = Mutex<[Data: Entry]>([:])

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func tenant(for hash: [UInt8], now: Date = Date()) -> Tenant? {
        guard lifetime > 0 else { return nil }
        let key = Data(hash)
        return entries.withLock { map in
            guard let entry = map[key] else { return nil }
            if entry.expires <= now {
                map[key] = nil
                return nil
            }
            return entry.tenant
        }
    }

    func remember(_ tenant: Tenant, for hash: [UInt8], now: Date = Date()) {
        guard lifetime > 0 else { return }
        entries.withLock { map in
            if map.count >= capacity { map.removeAll(keepingCapacity: true) }
            map[Data(hash)] = Entry(tenant: tenant, expires: now.addingTimeInterval(lifetime))
        }
    }
}
