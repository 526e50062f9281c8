import SCIMBridge

/// How the HTTP face of zscim is set up.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The externally visible origin (`https://bridge.example.com`) used in `meta.location` and
    /// `Location`. When absent, `http://` plus the request's Host header.
    public var publicBaseURL: String?
    /// Serve `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` without a token.
    public var anonymousDiscovery: Bool = true
    /// The tenant's sync status as JSON (`tenant status --json`), served at
    /// `GET /tenants/{name}/status` and `GET /status` to a bearer of that tenant's token.
    /// Absent when the server runs without the Zscaler side.
    public var syncStatus: (@Sendable (Tenant) async throws -> String)?

    public init() {}
}
