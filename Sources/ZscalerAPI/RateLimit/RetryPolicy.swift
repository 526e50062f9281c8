/// How often and how long the client retries, per kind of failure.
///
/// Only failures that can succeed on their own are retried: throttling (429, "Resource Access
/// Blocked"), the edit lock (409 `EDIT_LOCK_NOT_AVAILABLE`), server errors (5xx) and broken
/// connections. Every other 4xx is the caller's to fix and is returned at once. Each kind has its own
/// bound, so a storm of one kind cannot use up the patience meant for another.
///
/// Throttling and the edit lock mean the request was not applied, so every request is retried after
/// them. A 5xx or a connection that broke after sending leaves the outcome unknown: only idempotent
/// requests are resent as they are; a create looks for what it may have made first, and the same
/// bounds apply to its attempts.
public struct RetryPolicy: Sendable {
    /// Retries after 429 / Resource Access Blocked (attempts = retries + 1).
    public var throttledRetries: Int
    /// Retries after 409 edit lock.
    public var editLockRetries: Int
    /// Retries after 5xx.
    public var serverErrorRetries: Int
    /// Retries after a connection failure.
    public var transportRetries: Int
    /// Backoff of the first retry; doubles with each further retry of the same kind.
    public var baseDelay: Duration
    /// Backoff never exceeds this (before the `Retry-After` floor is applied).
    public var maximumDelay: Duration
    /// The edit lock is held while another admin's change is saved; Zscaler says "wait a few seconds".
    public var editLockBaseDelay: Duration
    /// A `Retry-After` longer than this is not waited for: the call fails with `retryAfter` set, so the
    /// caller (the reconciler) can schedule the work instead of holding a task for an hour.
    public var maximumRetryAfter: Duration
    /// Source of jitter in `0..<1`; replaceable for deterministic tests.
    public var random: @Sendable () -> Double

    public init(
        throttledRetries: Int = 8, editLockRetries: Int = 6, serverErrorRetries: Int = 4, transportRetries: Int = 4,
        baseDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30),
        editLockBaseDelay: Duration = .seconds(2), maximumRetryAfter: Duration = .seconds(300),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.throttledRetries = throttledRetries
        self.editLockRetries = editLockRetries
        self.serverErrorRetries = serverErrorRetries
        self.transportRetries = transportRetries
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.editLockBaseDelay = editLockBaseDelay
        self.maximumRetryAfter = maximumRetryAfter
        self.random = random
    }

    public static let `default` = RetryPolicy()

    /// No retries at all (tests that want to see the first failure).
    public static let none = RetryPolicy(throttledRetries: 0, editLockRetries: 0, serverErrorRetries: 0, transportRetries: 0)

    /// "Equal jitter" exponential backoff for the `retry`-th retry (1-based): half the capped exponential
    /// delay is fixed, the other half random, so retries spread out but never come back immediately.
    public func backoff(retry: Int, base: Duration? = nil) -> Duration {
        let first = base ?? baseDelay
        let exponent = min(max(retry - 1, 0), 30)
        let raw = min(first.seconds * Double(1 << exponent), maximumDelay.seconds)
        let jitter = min(max(random(), 0), 1)
        return .nanoseconds(Int64((raw / 2 + raw / 2 * jitter) * 1e9))
    }

    /// The wait before the `retry`-th retry (1-based) of one kind: the backoff, or the server's
    /// `Retry-After` when that is longer. Nil when the server asks for longer than
    /// ``maximumRetryAfter``: the caller then fails with `retryAfter` set instead of holding the task.
    /// Every wait of the pipeline goes through here, so none exceeds `max(maximumDelay,
    /// maximumRetryAfter)`.
    func delay(retry: Int, base: Duration? = nil, retryAfter: Duration?) -> Duration? {
        if let retryAfter, retryAfter > maximumRetryAfter { return nil }
        return max(min(backoff(retry: retry, base: base), maximumDelay), retryAfter ?? .zero)
    }

    /// Delays multiplied by `factor` (the time scale; 0.01 = a hundred times faster).
    public func scaled(by factor: Double) -> RetryPolicy {
        guard factor != 1 else { return self }
        var copy = self
        copy.baseDelay = baseDelay.scaled(by: factor)
        copy.maximumDelay = maximumDelay.scaled(by: factor)
        copy.editLockBaseDelay = editLockBaseDelay.scaled(by: factor)
        copy.maximumRetryAfter = maximumRetryAfter.scaled(by: factor)
        return copy
    }
}
