/// The client's notion of time: rate windows, backoff, session idle time and token expiry all read
/// this, so tests can drive them with a manual clock instead of sleeping.
///
/// A type-erased `Clock` with `Duration` steps. Instants are expressed as the `Duration` since the clock
/// was wrapped, which keeps the limiter's arithmetic free of associated types.
public struct ClientClock: Sendable {
    private let nowOffset: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        nowOffset = { origin.duration(to: clock.now) }
        sleeper = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
    }

    /// The real, monotonic clock (keeps counting while the machine sleeps).
    public static var continuous: ClientClock { ClientClock(ContinuousClock()) }

    /// Time since this clock was created.
    public func now() -> Duration { nowOffset() }

    /// Sleeps until `now() >= instant`; throws `CancellationError` when the task is cancelled.
    public func sleep(until instant: Duration) async throws { try await sleeper(instant) }

    /// Sleeps for `duration` (nothing when it is zero or negative).
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        try await sleeper(now() + duration)
    }
}
