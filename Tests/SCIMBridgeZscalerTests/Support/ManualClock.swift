import SCIMBridgeZscaler
import SCIMCore
import Synchronization

/// A virtual clock for the reconciler and the SCIM side of a test: time moves only when the test
/// (or the reconciler's own `sleep`) moves it, so a debounce of five Zscaler seconds or an hour's
/// rate budget is checked in microseconds and the result never depends on the machine's speed.
///
/// The same instant stamps the changes a test commits (`scimNow`) and the reconciler's decisions
/// (`nowMillis`), as in production where the service's clock and the reconciler's share one
/// timeline (the queue is ordered by change stamps, backoff by reconciler time).
final class ManualClock: Sendable {
    private let millis: Mutex<Int64>

    /// 2026-01-01T00:00:00Z: a round number, far from 0, so "epoch ms" mistakes show.
    init(startMillis: Int64 = 1_767_225_600_000) {
        millis = Mutex(startMillis)
    }

    var nowMillis: Int64 {
        get { millis.withLock { $0 } }
    }

    func set(_ value: Int64) { millis.withLock { $0 = value } }

    func advance(milliseconds: Int64) { millis.withLock { $0 += milliseconds } }

    func advance(seconds: Double) { advance(milliseconds: Int64((seconds * 1000).rounded())) }

    /// Moves to `instant` if it is in the future (a reconciler's "next round due at").
    func advance(to instant: Int64) { millis.withLock { $0 = max($0, instant) } }

    /// The current instant as a SCIM timestamp, for `Change.at` and `meta`.
    var scimNow: SCIMDateTime {
        let ms = nowMillis
        return SCIMDateTime(seconds: ms / 1000, nanoseconds: Int32(ms % 1000) * 1_000_000)
    }

    /// The reconciler's view: `sleep` advances virtual time instead of waiting, so even `run()`
    /// never blocks a test on wall time.
    var reconcilerClock: ReconcilerClock {
        ReconcilerClock(nowMillis: { [self] in nowMillis }, sleep: { [self] duration in advance(milliseconds: duration.totalMilliseconds) })
    }
}

extension Duration {
    fileprivate var totalMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
