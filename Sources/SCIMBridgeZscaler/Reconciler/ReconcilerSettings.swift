import Foundation
import SCIMBridge
import SCIMCore

/// The reconciler's clock: wall time in epoch milliseconds (the same timeline as the SCIM
/// service's change stamps, which order the queue) and a way to wait. Tests drive a manual one.
public struct ReconcilerClock: Sendable {
    public var nowMillis: @Sendable () -> Int64
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(nowMillis: @escaping @Sendable () -> Int64, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.nowMillis = nowMillis
        self.sleep = sleep
    }

    public static let system = ReconcilerClock(
        nowMillis: { SCIMDateTime.now().epochMillis },
        sleep: { try await Task.sleep(for: $0) })
}

/// How a tenant's reconciler paces and batches its work. Durations named `…Seconds` are Zscaler
/// seconds, scaled by `timeScale` (real seconds per Zscaler second: 1 against Zscaler, the
/// emulator's own time scale against the emulator).
public struct ReconcilerSettings: Sendable {
    public var timeScale: Double = 1
    /// Dirty rows read per round; a priority wake-up cuts a round short.
    public var batchSize: Int = 16
    /// How often the store is polled when nothing woke the reconciler (real time). Other
    /// replicas' writes are only seen this way.
    public var pollInterval: Duration = .milliseconds(250)
    /// A deletion waits this long for others to share its `bulkDelete` call (500 ids, 1/min, 4/h).
    public var deleteBatchDelaySeconds: Double = 10
    /// Zscaler's hourly caps per class (reference §5.2, the emulator's defaults): the priority
    /// reserve is a share of these.
    public var writesPerHour: Int = 400
    public var activationsPerHour: Int = 40
    /// Backoff of transient failures: base, doubling per attempt, capped.
    public var backoffBaseSeconds: Double = 2
    public var backoffMaximumSeconds: Double = 600
    /// How long the name → id listings of groups and departments are trusted before a miss
    /// lists them again.
    public var directoryRefreshSeconds: Double = 60
    /// A tenant-wide pause after Zscaler refused the credentials.
    public var authenticationPauseSeconds: Double = 60

    public init() {}

    /// Zscaler seconds as real milliseconds.
    func millis(_ zscalerSeconds: Double) -> Int64 { Int64((zscalerSeconds * timeScale * 1000).rounded()) }
}
