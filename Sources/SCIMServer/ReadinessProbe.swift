import SCIMBridge
import SCIMCore
import Synchronization

/// `/readyz`: ready only when a write would get through now. A store locked by another process,
/// or stuck behind a long write, makes SCIM writes wait up to the store's busy timeout; a probe
/// that only read would still say ready. So the probe takes (and releases) the write lock under
/// a short deadline, and not getting it in time is "not ready".
///
/// One probe runs at a time: while the store is stuck, each `/readyz` joins the probe already
/// waiting instead of queueing another behind the lock.
final class ReadinessProbe: Sendable {
    let store: any DirectoryStore
    let inFlight = Mutex<Task<Bool, Never>?>(nil)

    init(store: any DirectoryStore) {
        self.store = store
    }

    /// Whether the store granted its write lock within `timeout`.
    func isReady(within timeout: Duration) async -> Bool {
        let probe = inFlight.withLock { current in
            if let current { return current }
            let probe = Task { [self] in
                let ready: Bool
                do {
                    try await self.store.probeWrite()
                    ready = true
                } catch {
                    ready = false
                }
                self.inFlight.withLock { $0 = nil }
                return ready
            }
            current = probe
            return probe
        }
        // Giving up on the wait leaves the shared probe running for the next caller.
        let deadline = RequestDeadline(timeout: timeout, retryAfter: 1)
        return (try? await deadline.run { await probe.value }) ?? false
    }
}
