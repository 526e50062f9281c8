import SCIMCore

/// Limits and switches of the SCIM service, advertised truthfully in `/ServiceProviderConfig`.
public struct ServiceConfiguration: Sendable {
    /// Largest page (`count`) served; larger requests are clamped (RFC 7644 §3.4.2.4).
    public var maxResults: Int = 1000
    /// Page size when the client gives no `count`.
    public var defaultCount: Int = 100
    public var bulkMaxOperations: Int = 1000
    public var bulkMaxPayloadSize: Int = 1_048_576
    /// Largest request body of any other kind.
    public var maxBodySize: Int = 1_048_576
    public var maxPatchOperations: Int = 1000
    public var maxFilterLength: Int = 4096
    public var maxFilterDepth: Int = 32
    /// Longest single string value (UTF-8 bytes) a create, replace or PATCH may set; longer is
    /// 400 `invalidValue` naming the attribute. Bounds what one value costs every later filter.
    public var maxStringBytes: Int = ValueCoercer.defaultMaxStringBytes
    /// Searches that read a tenant's whole directory (no index narrows the filter, or `sortBy`
    /// is not indexed) running at once per tenant; more get 503 + `Retry-After`.
    public var maxConcurrentScansPerTenant: Int = 4
    /// Answer a group PATCH with 204 No Content instead of 200 and the group (RFC 7644 §3.5.2
    /// allows either). Off by default: some clients and suites insist on 200; turn it on for
    /// very large groups, whose full member list would otherwise follow every change.
    public var groupPatchNoContent: Bool = false
    /// Group `displayName` must be unique in a tenant (Zscaler group names are).
    public var uniqueGroupDisplayNames: Bool = true
    /// Key for signing pagination cursors (RFC 9865). Keep it stable across restarts and replicas.
    public var cursorSecret: [UInt8]
    /// Seconds a token → tenant lookup is remembered; a revoked token stops working within
    /// this time. 0 turns the cache off.
    public var tokenCacheSeconds: Double = 5
    /// How often a write without `If-Match` is retried when a concurrent write moved the
    /// resource on (the client did not ask for optimistic locking, so it gets none).
    public var concurrentWriteRetries: Int = 8
    /// Seconds a cursor stays valid.
    public var cursorTimeout: Int = 3600
    /// The clock that stamps every change (`meta`, audit, the reconciler's queue order). Injected
    /// so tests can run on a virtual clock.
    public var clock: @Sendable () -> SCIMDateTime = { SCIMDateTime.now() }
    /// Called after every committed change with the tenant id and the most urgent lane it
    /// marked: the reconciler of that tenant starts a round at once instead of at its next poll.
    public var onCommit: (@Sendable (String, SyncLane) -> Void)?

    /// Seals users' write-only passwords for the bridge (the tenant secret key). Without one a
    /// password is accepted and not kept: nothing could keep it safely.
    public var passwordSealer: (any SecretSealing)?

    public init(cursorSecret: [UInt8]) {
        self.cursorSecret = cursorSecret
    }
}
