import Synchronization

/// Decides, per request, which fault (if any) to inject, from the current ``FaultSettings`` and a
/// timed 429 storm. Random choices use a seeded generator so a test can reproduce a run.
final class FaultInjector: Sendable {
    enum Fault: Equatable, Sendable {
        case drop
        case tooManyRequests
        case serverError
        case resourceAccessBlocked
    }

    private struct State: Sendable {
        var settings: FaultSettings
        var random: SplitMix64
        var stormUntil: ContinuousClock.Instant?
    }

    private let state: Mutex<State>

    init(settings: FaultSettings, seed: UInt64) {
        state = Mutex(State(settings: settings, random: SplitMix64(seed: seed)))
    }

    var settings: FaultSettings {
        get { state.withLock { $0.settings } }
    }

    func replace(_ settings: FaultSettings) { state.withLock { $0.settings = settings } }

    /// Every request answered 429 for `duration` (real time).
    func startStorm(for duration: Duration, now: ContinuousClock.Instant) { state.withLock { $0.stormUntil = now + duration } }

    func reset(to settings: FaultSettings) {
        state.withLock {
            $0.settings = settings
            $0.stormUntil = nil
        }
    }

    /// Whether `path` is subject to faults (never the control routes).
    func applies(to path: String) -> Bool {
        guard !path.hasPrefix(ControlRoutes.prefix) else { return false }
        return state.withLock { state in state.settings.pathPrefix.map { path.hasPrefix($0) } ?? true }
    }

    /// Extra latency for this request (zero when none is configured).
    func latency() -> Duration {
        state.withLock { state in
            let base = state.settings.latencyMilliseconds
            let jitter = state.settings.latencyJitterMilliseconds
            guard base > 0 || jitter > 0 else { return .zero }
            let extra = jitter > 0 ? Int(state.random.next() % UInt64(jitter + 1)) : 0
            return .milliseconds(base + extra)
        }
    }

    /// Whether to drop this connection (decided when the request head arrives).
    func shouldDrop(path: String) -> Bool {
        guard applies(to: path) else { return false }
        return state.withLock { state in state.random.chance(state.settings.dropConnectionRate) }
    }

    /// The response fault for this request, if any (drops are decided earlier, at the socket).
    func responseFault(now: ContinuousClock.Instant) -> Fault? {
        state.withLock { state in
            if let until = state.stormUntil {
                if now < until { return .tooManyRequests }
                state.stormUntil = nil
            }
            if state.random.chance(state.settings.tooManyRequestsRate) { return .tooManyRequests }
            if state.random.chance(state.settings.serverErrorRate) { return .serverError }
            if state.random.chance(state.settings.resourceAccessBlockedRate) { return .resourceAccessBlocked }
            return nil
        }
    }

    var readOnly: Bool { state.withLock { $0.settings.readOnly } }
}

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64), so fault runs replay.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `rate` (0 never draws, so a rate of 0 leaves the sequence alone).
    mutating func chance(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        guard rate < 1 else { return true }
        return Double(next() >> 11) / Double(1 << 53) < rate
    }
}
