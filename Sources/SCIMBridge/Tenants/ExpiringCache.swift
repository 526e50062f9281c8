import Foundation
import Synchronization

/// A small map whose entries lapse after `lifetime` seconds, bounded to `capacity` entries (full:
/// it starts over). Used where a store answer may be a few seconds stale — which tenant a token
/// hash belongs to, a tenant's sync policy — so that a burst of requests does not read the store
/// each time, and a change still reaches every request within `lifetime`. A lifetime of 0 turns
/// caching off.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var value: Value
        var expires: Date
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The remembered value, or nil when there is none or it lapsed.
    func value(for key: Key, now: Date = Date()) -> Value? {
        guard lifetime > 0 else { return nil }
        return entries.withLock { map in
            guard let entry = map[key] else { return nil }
            if entry.expires <= now {
                map[key] = nil
                return nil
            }
            return entry.value
        }
    }

    func remember(_ value: Value, for key: Key, now: Date = Date()) {
        guard lifetime > 0 else { return }
        entries.withLock { map in
            if map.count >= capacity { map.removeAll(keepingCapacity: true) }
            map[key] = Entry(value: value, expires: now.addingTimeInterval(lifetime))
        }
    }
}
