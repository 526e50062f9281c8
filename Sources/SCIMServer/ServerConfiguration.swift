import SCIMBridge

/// How the HTTP face of zscim is set up.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The externally visible origin (`https://bridge.example.com`) used in `meta.location`,
    /// `Location` and `$ref`. When absent, see `allowedHosts`.
    public var publicBaseURL: String?
    /// Without `publicBaseURL`, the `Host` values (as clients send them: `scim.example.com`, or
    /// `scim.example.com:8443` when the port is not the scheme's default) that may be written
    /// into URLs. Any other `Host` is never reflected — the URLs then name the address the
    /// connection arrived on — so a forged `Host: evil.example` cannot plant links to another
    /// site in answers or in what clients store. Compared without regard to case.
    public var allowedHosts: [String] = []
    /// Peers (proxies, load balancers) whose `X-Forwarded-Proto`/`X-Forwarded-Host` (or
    /// `Forwarded: proto=…;host=…`) headers are believed. From anyone else they are ignored, since
    /// a client can send them too. A forwarded host must still be in `allowedHosts`.
    public var trustedProxies: [IPAddressRange] = []
    /// Serve `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` without a token.
    public var anonymousDiscovery: Bool = true
    /// A connection that sends nothing for this long (between keep-alive requests, or while its
    /// request head trickles in) is closed, so idle or stalled clients do not hold sockets.
    /// `nil` keeps connections open indefinitely.
    public var idleTimeout: Duration? = .seconds(60)
    /// At most this many connections are served at once; further ones wait in the listen
    /// backlog (unanswered, not refused) until one closes. `nil` means no cap.
    public var maxConnections: Int? = 512
    /// How long one request may take, from its head to its answer. Past it the request is
    /// answered 503 with `Retry-After` (`requestRetryAfter` seconds) and its work is cancelled.
    public var requestTimeout: Duration = .seconds(30)
    /// The `Retry-After` of a request that ran past `requestTimeout`, in seconds.
    public var requestRetryAfter: Int = 5
    /// How long `/readyz` waits for the store to grant its write lock before answering 503.
    public var readinessTimeout: Duration = .seconds(2)
    /// The tenant's sync status as JSON (`tenant status --json`), served at
    /// `GET /tenants/{name}/status` and `GET /status` to a bearer of that tenant's token.
    /// Absent when the server runs without the Zscaler side.
    public var syncStatus: (@Sendable (Tenant) async throws -> String)?

    public init() {}
}
