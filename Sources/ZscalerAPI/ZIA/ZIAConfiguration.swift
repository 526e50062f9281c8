/// Everything a ``ZIAClient`` needs: where ZIA is, how to authenticate, and the shared options.
public struct ZIAConfiguration: Sendable {
    /// Legacy session (API key + admin login) or OneAPI bearer token.
    public enum Authentication: Sendable {
        case legacy(ZIALegacyCredentials)
        case oneAPI(OneAPICredentials)
    }

    public var baseURL: BaseURL
    public var authentication: Authentication
    public var options: ClientOptions
    /// Zscaler ends an idle legacy session after 5 minutes (§2.3). Server time.
    public var sessionIdleTimeout: Duration
    /// Renew a session this old even if it was used recently. Zscaler says a session "expires in 5
    /// minutes"; whether idle or from login is unknown (§12), so the default assumes the stricter
    /// reading. nil: idle time only, as the SDKs assume. Server time.
    public var sessionMaximumLifetime: Duration?
    /// A session within this margin of either limit is renewed before use rather than spending a call
    /// on a 401. Server time.
    public var sessionRenewMargin: Duration
    /// A OneAPI token is replaced this long before it expires (at most half its lifetime). Server time.
    public var tokenRefreshBeforeExpiry: Duration

    public init(
        baseURL: BaseURL, authentication: Authentication, options: ClientOptions = ClientOptions(rateLimits: .zia),
        sessionIdleTimeout: Duration = .seconds(300), sessionMaximumLifetime: Duration? = .seconds(300),
        sessionRenewMargin: Duration = .seconds(15),
        tokenRefreshBeforeExpiry: Duration = .seconds(60)
    ) {
        self.baseURL = baseURL
        self.authentication = authentication
        self.options = options
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionMaximumLifetime = sessionMaximumLifetime
        self.sessionRenewMargin = sessionRenewMargin
        self.tokenRefreshBeforeExpiry = tokenRefreshBeforeExpiry
    }

    /// The legacy API of a known cloud: `https://zsapi.<cloud>/api/v1`.
    public static func legacy(cloud: ZIACloud, credentials: ZIALegacyCredentials, options: ClientOptions = ClientOptions(rateLimits: .zia))
        -> ZIAConfiguration
    {
        ZIAConfiguration(baseURL: cloud.legacyBaseURL, authentication: .legacy(credentials), options: options)
    }

    /// ZIA through the OneAPI gateway: `https://api.zsapi.net/zia/api/v1`.
    public static func oneAPI(
        cloud: OneAPICloud = .production, credentials: OneAPICredentials, options: ClientOptions = ClientOptions(rateLimits: .zia)
    )
        -> ZIAConfiguration
    {
        ZIAConfiguration(baseURL: cloud.ziaBaseURL, authentication: .oneAPI(credentials), options: options)
    }

    public var isOneAPI: Bool {
        if case .oneAPI = authentication { return true }
        return false
    }
}
