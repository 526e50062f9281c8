import AsyncHTTPClient
import Logging
import ZscalerAPI

/// From stored settings to a working ``ZIAClient``, and the checks that make a connection
/// storable.
extension ZscalerConnection {
    /// A client for this tenant. `limiter` shares a rate budget (Zscaler counts per tenant, so two
    /// clients of one tenant must share one); nil makes a fresh one.
    /// - Parameter httpClient: must not follow redirects (``ZscalerHTTPClient``).
    public func makeClient(httpClient: HTTPClient, logger: Logger, limiter: (any RateLimiting)? = nil) throws(ZscalerAPIError)
        -> ZIAClient
    {
        try ZIAClient(configuration: clientConfiguration(limiter: limiter), httpClient: httpClient, logger: logger)
    }

    /// The configuration ``makeClient(httpClient:logger:limiter:)`` uses, for callers that adjust
    /// it (retry policy, timeouts) before building the client. Pacing is ZIA's, scaled by
    /// ``rateScale``.
    public func clientConfiguration(
        limiter: (any RateLimiting)? = nil, retry: RetryPolicy = .default, requestTimeout: Duration = .seconds(60)
    ) throws(ZscalerAPIError) -> ZIAConfiguration {
        guard rateScale.isFinite, rateScale > 0 else {
            throw ZscalerAPIError(.invalidConfiguration, message: "the rate scale must be a positive number")
        }
        let options = ClientOptions(
            rateLimits: .zia, limiter: limiter, retry: retry, timeScale: rateScale, requestTimeout: requestTimeout)
        let base = try BaseURL(baseURL, allowUnlisted: allowUnlistedHost)
        switch flavor {
        case .legacy:
            guard let username, !username.isEmpty, let password = secrets.password, !password.isEmpty,
                let apiKey = secrets.apiKey, !apiKey.isEmpty
            else {
                throw ZscalerAPIError(.invalidConfiguration, message: "a legacy connection needs the admin username, password and API key")
            }
            let credentials = ZIALegacyCredentials(username: username, password: Secret(password), apiKey: Secret(apiKey))
            return ZIAConfiguration(baseURL: base, authentication: .legacy(credentials), options: options)
        case .oneAPI:
            guard let clientID, !clientID.isEmpty, let clientSecret = secrets.clientSecret, !clientSecret.isEmpty else {
                throw ZscalerAPIError(.invalidConfiguration, message: "a OneAPI connection needs the client id and client secret")
            }
            let credentials = OneAPICredentials(clientID: clientID, clientSecret: Secret(clientSecret), tokenURL: try resolvedTokenURL())
            return ZIAConfiguration(baseURL: base, authentication: .oneAPI(credentials), options: options)
        }
    }

    /// The OneAPI token endpoint: ``tokenURL`` as given, else the vanity domain's on the OneAPI
    /// cloud whose gateway ``baseURL`` names (production when it names none).
    public func resolvedTokenURL() throws(ZscalerAPIError) -> BaseURL {
        if let tokenURL { return try BaseURL(tokenURL, allowUnlisted: allowUnlistedHost) }
        guard let vanityDomain else {
            throw ZscalerAPIError(.invalidConfiguration, message: "a OneAPI connection needs the vanity domain or the token URL")
        }
        let host = (try? BaseURL(baseURL, allowUnlisted: true))?.host
        let cloud = OneAPICloud.allCases.first { $0.ziaBaseURL.host == host } ?? .production
        return try cloud.tokenURL(vanityDomain: vanityDomain)
    }

    /// Everything that can be known wrong before a call: required fields and secrets per flavor,
    /// URLs well formed and on Zscaler's hosts unless unlisted hosts are allowed, the rate scale
    /// only for such hosts. `connect` runs it before logging in; ``TenantConnections`` before
    /// storing.
    public func validate() throws(ConnectionError) {
        try Self.checkURL(baseURL, name: "the ZIA base URL", allowUnlisted: allowUnlistedHost)
        guard rateScale.isFinite, rateScale > 0, rateScale <= 1000 else {
            throw ConnectionError(.invalidSettings, "the rate scale must be a number in (0, 1000], got \(rateScale)")
        }
        if rateScale != 1, !allowUnlistedHost {
            throw ConnectionError(
                .invalidSettings,
                "a rate scale other than 1 is only for an emulator (allow its unlisted host too): Zscaler's own limits are fixed")
        }
        switch flavor {
        case .legacy:
            if (username ?? "").isEmpty { throw ConnectionError(.invalidSettings, "a legacy connection needs the ZIA admin username") }
            if (secrets.password ?? "").isEmpty { throw ConnectionError(.missingSecret, "a legacy connection needs the admin password") }
            guard let apiKey = secrets.apiKey, !apiKey.isEmpty else {
                throw ConnectionError(.missingSecret, "a legacy connection needs the ZIA API key")
            }
            if apiKey.utf8.count < 12 {
                throw ConnectionError(
                    .invalidSettings, "the ZIA API key is \(apiKey.utf8.count) characters; ZIA's keys have at least 12 (check the key file)"
                )
            }
        case .oneAPI:
            if (clientID ?? "").isEmpty { throw ConnectionError(.invalidSettings, "a OneAPI connection needs the client id") }
            if (secrets.clientSecret ?? "").isEmpty { throw ConnectionError(.missingSecret, "a OneAPI connection needs the client secret") }
            if let tokenURL {
                try Self.checkURL(tokenURL, name: "the OneAPI token URL", allowUnlisted: allowUnlistedHost)
            } else if let vanityDomain {
                do {
                    _ = try OneAPICloud.production.tokenURL(vanityDomain: vanityDomain)
                } catch {
                    throw ConnectionError(.invalidSettings, error.message)
                }
            } else if allowUnlistedHost {
                throw ConnectionError(
                    .invalidSettings,
                    "with a base URL outside Zscaler's clouds, give the token URL too (the emulator's is <its base>/oauth2/v1/token)")
            } else {
                throw ConnectionError(.invalidSettings, "a OneAPI connection needs the ZIdentity vanity domain (or the token URL)")
            }
        }
    }

    /// Malformed → ``ConnectionError/Kind/invalidSettings``; well formed but not a Zscaler host
    /// (or plain http) → ``ConnectionError/Kind/unlistedHost``. Decided by asking ``BaseURL`` twice,
    /// never by reading its message.
    static func checkURL(_ url: String, name: String, allowUnlisted: Bool) throws(ConnectionError) {
        let lenient: BaseURL
        do {
            lenient = try BaseURL(url, allowUnlisted: true)
        } catch {
            throw ConnectionError(.invalidSettings, "\(name) \(url.debugDescription) is not usable: \(error.message)")
        }
        guard !allowUnlisted else { return }
        do {
            _ = try BaseURL(url, allowUnlisted: false)
        } catch {
            throw ConnectionError(
                .unlistedHost,
                "\(name) \(url) is not on a known Zscaler cloud host (or is not https); \(lenient.host) is refused so that "
                    + "credentials only ever go to Zscaler. For the emulator or a test double, allow it explicitly (--allow-unlisted-host)")
        }
    }
}
