/// Faults to inject into Zscaler-facing routes (never into `/__emulator/…`). Rates are
/// probabilities per request in 0...1; durations are real milliseconds/seconds (not scaled).
/// Set from the configuration at start and replaced at run time through `PUT /__emulator/faults`.
public struct FaultSettings: Sendable, Codable, Equatable {
    /// Share of requests answered 500 `UNEXPECTED_ERROR` (ZIA) / 503 `retryable.server.error` (ZPA).
    public var serverErrorRate: Double = 0
    /// Latency added before every request is handled, plus up to `latencyJitterMilliseconds` more.
    public var latencyMilliseconds: Int = 0
    public var latencyJitterMilliseconds: Int = 0
    /// Share of requests whose connection is closed without any response.
    public var dropConnectionRate: Double = 0
    /// Share of requests answered 429 regardless of the limits (a "storm"); see also the timed
    /// storm of `POST /__emulator/faults/storm`.
    public var tooManyRequestsRate: Double = 0
    /// Share of requests answered 401 "Resource Access Blocked" (a throttling variant the SDKs
    /// retry, reference §5.3).
    public var resourceAccessBlockedRate: Double = 0
    /// Maintenance: ZIA writes answer 403 `STATE_READONLY` with `x-zscaler-mode: read-only` (§2.5).
    public var readOnly: Bool = false
    /// Only requests whose path starts with this are affected; `nil` = every Zscaler route.
    public var pathPrefix: String?

    public init() {}

    func validate() throws(EmulatorConfigurationError) {
        for (name, rate) in [
            ("serverErrorRate", serverErrorRate), ("dropConnectionRate", dropConnectionRate),
            ("tooManyRequestsRate", tooManyRequestsRate), ("resourceAccessBlockedRate", resourceAccessBlockedRate),
        ] where !(0...1).contains(rate) {
            throw .init("faults.\(name) must be within 0...1, got \(rate)")
        }
        guard latencyMilliseconds >= 0, latencyJitterMilliseconds >= 0, latencyMilliseconds <= 600_000,
            latencyJitterMilliseconds <= 600_000
        else { throw .init("faults latency must be within 0...600000 ms") }
    }
}
