import AsyncHTTPClient
import Logging

/// The ZIA admin API (legacy session or OneAPI): users, groups, departments, activation.
///
/// One client per tenant. It owns the session or token and, unless given a shared one, the tenant's
/// rate budget; it does not own the `HTTPClient`. Every call waits for budget, authenticates, and
/// retries what can succeed on its own (see ``RetryPolicy``); failures are ``ZscalerAPIError``s
/// carrying Zscaler's code. Creates are never resent blindly: after an unclear failure they look for
/// what they may have made first.
public struct ZIAClient: Sendable {
    public let configuration: ZIAConfiguration
    /// The tenant's rate budget (shared with whoever passed it in).
    public let limiter: any RateLimiting
    let pipeline: RequestPipeline
    let authorizer: any RequestAuthorizer
    let session: ZIALegacySession?
    let tokens: BearerTokenCache?

    /// - Parameter httpClient: must not follow redirects (the default, ``ZscalerHTTPClient/shared``,
    ///   does not; build others from ``ZscalerHTTPClient/configuration``).
    public init(configuration: ZIAConfiguration, httpClient: HTTPClient = ZscalerHTTPClient.shared, logger: Logger)
        throws(ZscalerAPIError)
    {
        try configuration.options.validate()
        let options = configuration.options
        let scrubber = SecretScrubber()
        let (pipeline, limiter) = options.pipeline(
            baseURL: configuration.baseURL, httpClient: httpClient, logger: logger, scrubber: scrubber, accept: "application/json")
        self.configuration = configuration
        self.pipeline = pipeline
        self.limiter = limiter
        switch configuration.authentication {
        case .legacy(let credentials):
            guard credentials.apiKey.revealed.utf8.count >= 12 else {
                throw .invalidConfiguration("the ZIA API key must be at least 12 characters")
            }
            let session = ZIALegacySession(
                credentials: credentials, pipeline: pipeline, scrubber: scrubber, clock: options.clock,
                idleTimeout: configuration.sessionIdleTimeout.scaled(by: options.timeScale),
                maximumLifetime: configuration.sessionMaximumLifetime?.scaled(by: options.timeScale),
                renewMargin: configuration.sessionRenewMargin.scaled(by: options.timeScale),
                wallClockMilliseconds: options.wallClockMilliseconds)
            self.session = session
            self.tokens = nil
            self.authorizer = session
        case .oneAPI(let credentials):
            scrubber.register(credentials.clientSecret)
            let tokens = BearerTokenCache(
                clock: options.clock, scrubber: scrubber,
                refreshBeforeExpiry: configuration.tokenRefreshBeforeExpiry.scaled(by: options.timeScale)
            ) { () async throws(ZscalerAPIError) -> BearerTokenCache.Grant in
                try await TokenRequests.oneAPI(credentials, tokenURL: credentials.tokenURL, pipeline: pipeline)
            }
            self.session = nil
            self.tokens = tokens
            self.authorizer = tokens
        }
    }

    // MARK: Session

    /// Logs in now (legacy) or fetches a token now (OneAPI); otherwise this happens on the first call.
    public func authenticate() async throws(ZscalerAPIError) {
        _ = try await authorizer.authorization()
    }

    /// Ends the legacy session, which also activates this admin's pending changes (§2.3, §6). Returns
    /// the activation status Zscaler reports, or nil when there was no session or on OneAPI (which has no
    /// logout: call ``activate()`` instead).
    @discardableResult
    public func logout() async throws(ZscalerAPIError) -> ZIAActivationStatus? {
        try await session?.logout()
    }

    /// Whether the legacy session is still alive (`GET /authenticatedSession`); always true on OneAPI.
    public func isSessionAlive() async throws(ZscalerAPIError) -> Bool {
        guard let session else { return true }
        return try await session.check()
    }

    /// Logins (legacy) or token fetches (OneAPI) performed so far.
    public func authenticationCount() async -> Int {
        if let session { return await session.loginCount }
        if let tokens { return await tokens.fetchCount }
        return 0
    }

    // MARK: Plumbing shared by the endpoint files

    /// - Parameter idempotent: nil takes the method's meaning (POST is not); see ``RequestSpec/idempotent``.
    func send<Response: Decodable>(
        _ method: HTTPMethodName, _ path: String, query: [(String, String)] = [], body: (any Encodable & Sendable)? = nil,
        as type: Response.Type, methodClass: MethodClass, idempotent: Bool? = nil
    ) async throws(ZscalerAPIError) -> Response {
        try await pipeline.json(
            method.nio, path, query: query, body: body, as: type, methodClass: methodClass, idempotent: idempotent, authorizer: authorizer)
    }

    /// For calls whose answer is empty or ignored (DELETE).
    func sendIgnoringBody(_ method: HTTPMethodName, _ path: String, methodClass: MethodClass) async throws(ZscalerAPIError) {
        _ = try await pipeline.perform(
            RequestSpec(method: method.nio, target: .path(path), methodClass: methodClass), authorizer: authorizer)
    }

    func requireOneAPI(_ operation: String) throws(ZscalerAPIError) {
        guard configuration.isOneAPI else {
            throw .notSupported("\(operation) is available only through Zscaler OneAPI, not the legacy session API (reference §4.1)")
        }
    }
}
