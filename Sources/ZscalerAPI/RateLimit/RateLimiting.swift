/// A tenant's rate budget. The client asks for a permit before every call and hands it back when the
/// answer (or the failure) arrived.
///
/// A protocol so the bridge can put a budget shared by several replicas behind it (DESIGN §2.5); the
/// in-memory ``RateLimiter`` is the default and the reference behaviour.
public protocol RateLimiting: Sendable {
    /// Waits until a call of `methodClass` may be sent.
    /// - Throws: ``ZscalerAPIError/Kind/hourlyBudgetExhausted`` (with `retryAfter`) when the wait would be
    ///   longer than `maximumWait`; ``ZscalerAPIError/Kind/cancelled`` when the task is cancelled.
    func acquire(_ methodClass: MethodClass, maximumWait: Duration) async throws(ZscalerAPIError) -> RateLimitPermit

    /// The call made under `permit` has finished (answered or failed).
    func finish(_ permit: RateLimitPermit) async

    /// No call of `methodClass` before `delay` from now: the server's `Retry-After` as a floor.
    func imposeFloor(_ delay: Duration, on methodClass: MethodClass) async
}

/// Proof that a call may be sent; return it with ``RateLimiting/finish(_:)``.
public struct RateLimitPermit: Sendable, Hashable {
    public let id: UInt64
    /// The class whose buckets the call spent (after aliasing).
    public let methodClass: MethodClass
    /// How long the caller waited for it.
    public let waited: Duration

    public init(id: UInt64, methodClass: MethodClass, waited: Duration) {
        self.id = id
        self.methodClass = methodClass
        self.waited = waited
    }
}
