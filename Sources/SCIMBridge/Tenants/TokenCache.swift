import Foundation

/// Remembers which tenant a token hash belongs to for a few seconds, so that a burst of requests
/// does not look the token up in the store on every call (it was one of three store round trips
/// per GET). Only hits are cached: a new token works at once, and a revoked or deleted one stops
/// working within `lifetime` — the bound the operator docs state.
struct TokenCache: Sendable {
    private let cache: ExpiringCache<Data, Tenant>

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        cache = ExpiringCache(lifetime: lifetime, capacity: capacity)
    }

    func tenant(for hash: [UInt8], now: Date = Date()) -> Tenant? { cache.value(for: Data(hash), now: now) }

    func remember(_ tenant: Tenant, for hash: [UInt8], now: Date = Date()) { cache.remember(tenant, for: Data(hash), now: now) }
}
