import Foundation

/// Each tenant's sync policy (nil when the tenant has no Zscaler connection), remembered for a
/// few seconds so that a SCIM write does not read the connection row each time. A connection or
/// policy change reaches the SCIM service within the lifetime, like a token revocation. Unlike
/// tokens, "not connected" is cached too: it is the common case of an unconnected tenant.
struct PolicyCache: Sendable {
    private let cache: ExpiringCache<String, TenantPolicy?>

    init(lifetimeSeconds: Double) {
        cache = ExpiringCache(lifetime: lifetimeSeconds)
    }

    func policy(tenantID: String, load: () async throws(StoreError) -> TenantPolicy?) async throws(StoreError) -> TenantPolicy? {
        if let cached = cache.value(for: tenantID) { return cached }
        let policy = try await load()
        cache.remember(policy, for: tenantID)
        return policy
    }
}
