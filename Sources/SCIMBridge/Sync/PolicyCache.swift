import Foundation
import Synchronization

/// Each tenant's sync policy (nil when the tenant has no Zscaler connection), remembered for a
/// few seconds so that a SCIM write does not read the connection row each time. A connection or
/// policy change reaches the SCIM service within `lifetime`, like a token revocation.
final class PolicyCache: Sendable {
    private struct Entry: Sendable {
        var policy: TenantPolicy?
        var expires: ContinuousClock.Instant
    }

    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetimeSeconds: Double) {
        lifetime = .milliseconds(Int64(lifetimeSeconds * 1000))
    }

    func policy(tenantID: String, load: () async throws(StoreError) -> TenantPolicy?) async throws(StoreError) -> TenantPolicy? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tenantID] }), entry.expires > now { return entry.policy }
        let policy = try await load()
        entries.withLock { $0[tenantID] = Entry(policy: policy, expires: now + lifetime) }
        return policy
    }
}
