import Synchronization

/// Sliding-window rate limiting with violation counting.
///
/// Each key (an endpoint of the org, a ZPA method class, a OneAPI client, an IdP's SCIM server)
/// keeps a log of the instants of its admitted calls per window. A call *violates* the limits
/// when any window already holds `limit` calls within its length — exactly the calls a real
/// Zscaler would refuse. A sliding log is the strictest reading of "N per second": two calls
/// straddling a second boundary are still too close.
final class RateLimiter: Sendable {
    struct Decision: Sendable {
        /// The window that refused the call (the one that frees up last), if any.
        var violated: EmulatedRateWindow?
        /// Real time until that window admits a call again.
        var retryAfter: Duration
        /// Whether the call may proceed (no violation, or enforcement off).
        var admitted: Bool
    }

    private struct Log: Sendable {
        var stamps: [ContinuousClock.Instant] = []
        var head = 0

        var count: Int { stamps.count - head }
        var oldest: ContinuousClock.Instant? { head < stamps.count ? stamps[head] : nil }

        mutating func prune(before cutoff: ContinuousClock.Instant) {
            while head < stamps.count, stamps[head] <= cutoff { head += 1 }
            if head > 64, head * 2 > stamps.count {
                stamps.removeFirst(head)
                head = 0
            }
        }

        mutating func append(_ instant: ContinuousClock.Instant, cap: Int) {
            stamps.append(instant)
            if count > cap { head += count - cap }
        }
    }

    private let logs = Mutex<[String: [Log]]>([:])
    private let timeScale: Double

    init(timeScale: Double) { self.timeScale = timeScale }

    /// Decides one call. `enforce` false admits violations (they are still reported).
    func check(
        key: String, windows: [EmulatedRateWindow], now: ContinuousClock.Instant, enforce: Bool, refusedCallsConsumeQuota: Bool
    ) -> Decision {
        guard !windows.isEmpty else { return Decision(violated: nil, retryAfter: .zero, admitted: true) }
        return logs.withLock { logs in
            var entries = logs[key] ?? Array(repeating: Log(), count: windows.count)
            if entries.count != windows.count { entries = Array(repeating: Log(), count: windows.count) }
            var violated: EmulatedRateWindow?
            var retryAfter = Duration.zero
            for (index, window) in windows.enumerated() {
                let length = scaled(window.seconds)
                entries[index].prune(before: now - length)
                if entries[index].count >= window.limit, let oldest = entries[index].oldest {
                    let wait = oldest + length - now
                    if violated == nil || wait > retryAfter {
                        violated = window
                        retryAfter = wait
                    }
                }
            }
            // The log mirrors what a real Zscaler would have counted, whether or not this call is
            // let through: with enforcement off, a violating call still is not in the real log.
            if violated == nil || refusedCallsConsumeQuota {
                for (index, window) in windows.enumerated() {
                    // A window never needs more than `limit` stamps to decide: bounded memory.
                    entries[index].append(now, cap: window.limit)
                }
            }
            let admitted = violated == nil || !enforce
            logs[key] = entries
            return Decision(violated: violated, retryAfter: retryAfter, admitted: admitted)
        }
    }

    /// Calls counted in the first window of `key` and the time until the oldest of them leaves
    /// it, for the OneAPI `x-ratelimit-*` headers.
    func usage(key: String, window: EmulatedRateWindow, now: ContinuousClock.Instant) -> (used: Int, reset: Duration) {
        let length = scaled(window.seconds)
        return logs.withLock { logs in
            guard let log = logs[key]?.first else { return (0, .zero) }
            let live = log.stamps[log.head...].filter { $0 > now - length }
            return (live.count, live.first.map { $0 + length - now } ?? .zero)
        }
    }

    /// Forgets every log (the reset endpoint).
    func reset() { logs.withLock { $0.removeAll() } }

    private func scaled(_ seconds: Double) -> Duration { .nanoseconds(Int64((seconds * timeScale * 1e9).rounded())) }
}
