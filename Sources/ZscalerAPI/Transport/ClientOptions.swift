import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

/// Settings every Zscaler client shares: rate budget, retries, time, limits on what it reads.
public struct ClientOptions: Sendable {
    /// The budget per method class, in server time (scaled by ``timeScale`` when the client is built).
    public var rateLimits: RateLimitPolicy
    /// A budget shared with other clients of the same tenant (or across replicas). When nil the client
    /// makes its own ``RateLimiter`` from ``rateLimits``. Zscaler counts per tenant, so two clients of
    /// one tenant must share one (pass the first client's ``ZIAClient/limiter`` to the second).
    public var limiter: (any RateLimiting)?
    public var retry: RetryPolicy
    /// Real seconds per Zscaler second: 1 for Zscaler; in tests the emulator's own `timeScale`
    /// (0.01 = a hundred times faster). The durations the client *assumes* (rate windows, backoff,
    /// session lifetimes, waits) are multiplied by it; what the server *says* (`Retry-After`,
    /// `expires_in`) is already real time and is taken as sent.
    public var timeScale: Double
    public var clock: ClientClock
    /// Epoch milliseconds for the legacy login timestamp: wall time, not ``clock`` (Zscaler checks it
    /// against its own clock, ±2 hours).
    public var wallClockMilliseconds: @Sendable () -> Int64
    /// Per attempt, not scaled.
    public var requestTimeout: Duration
    /// Bodies larger than this are refused (a 10,000-user page is about 4 MB).
    public var maximumResponseBytes: Int
    /// The longest the client waits for its own rate budget before failing with
    /// ``ZscalerAPIError/Kind/hourlyBudgetExhausted`` (in server time).
    public var maximumLimiterWait: Duration
    public var userAgent: String
    /// Extra headers on every request (e.g. `x-partner-id`).
    public var extraHeaders: [(String, String)]

    public init(
        rateLimits: RateLimitPolicy, limiter: (any RateLimiting)? = nil, retry: RetryPolicy = .default, timeScale: Double = 1,
        clock: ClientClock = .continuous,
        wallClockMilliseconds: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
        requestTimeout: Duration = .seconds(60), maximumResponseBytes: Int = 64 << 20,
        maximumLimiterWait: Duration = .seconds(300), userAgent: String = "zscim-ZscalerAPI/1.0",
        extraHeaders: [(String, String)] = []
    ) {
        self.rateLimits = rateLimits
        self.limiter = limiter
        self.retry = retry
        self.timeScale = timeScale
        self.clock = clock
        self.wallClockMilliseconds = wallClockMilliseconds
        self.requestTimeout = requestTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.maximumLimiterWait = maximumLimiterWait
        self.userAgent = userAgent
        self.extraHeaders = extraHeaders
    }

    func validate() throws(ZscalerAPIError) {
        guard timeScale.isFinite, timeScale >= 0.000_01, timeScale <= 1000 else {
            throw .invalidConfiguration("timeScale must be between 0.00001 and 1000 (got \(timeScale))")
        }
        guard maximumResponseBytes > 0 else { throw .invalidConfiguration("maximumResponseBytes must be positive") }
        guard requestTimeout > .zero else { throw .invalidConfiguration("requestTimeout must be positive") }
        for (methodClass, windows) in rateLimits.windows {
            for window in windows where window.limit < 1 || window.period <= .zero {
                throw .invalidConfiguration("rate limit \(window) of \(methodClass) must allow at least one call per positive period")
            }
        }
    }

    /// The pipeline for one API, with everything scaled into client time.
    func pipeline(baseURL: BaseURL, httpClient: HTTPClient, logger: Logger, scrubber: SecretScrubber, accept: String)
        -> (RequestPipeline, any RateLimiting)
    {
        let limiter = self.limiter ?? RateLimiter(policy: rateLimits.scaled(by: timeScale), clock: clock)
        var headers = HTTPHeaders([("Accept", accept)])
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        let transport = HTTPTransport(
            client: httpClient, logger: logger, scrubber: scrubber, requestTimeout: requestTimeout,
            maximumResponseBytes: maximumResponseBytes, userAgent: userAgent)
        let pipeline = RequestPipeline(
            baseURL: baseURL, transport: transport, limiter: limiter, retry: retry.scaled(by: timeScale), clock: clock,
            maximumLimiterWait: maximumLimiterWait.scaled(by: timeScale), defaultHeaders: headers,
            logger: logger)
        return (pipeline, limiter)
    }
}
