import Synchronization

/// ZIA's tenant-global edit lock (reference §5.3): one mutation at a time. A write takes the lock
/// for its processing time; another write arriving meanwhile waits up to the configured time and
/// then gets 409 `EDIT_LOCK_NOT_AVAILABLE`. A fault can hold the lock for a while, as another admin
/// editing in the portal would.
final class EditLock: Sendable {
    private struct Waiter: Sendable {
        var id: UInt64
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State: Sendable {
        var held = false
        var nextWaiterId: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state = Mutex(State())

    /// Takes the lock, waiting at most `wait`; `false` when it could not be had in time.
    func acquire(wait: Duration) async -> Bool {
        let waiterId: UInt64? = state.withLock { state in
            if !state.held {
                state.held = true
                return nil
            }
            state.nextWaiterId += 1
            return state.nextWaiterId
        }
        guard let waiterId else { return true }
        guard wait > .zero else {
            return false
        }
        return await withCheckedContinuation { continuation in
            let resumeNow: Bool? = state.withLock { state in
                // The holder may have released between the two critical sections.
                if !state.held {
                    state.held = true
                    return true
                }
                state.waiters.append(Waiter(id: waiterId, continuation: continuation))
                return nil
            }
            if let resumeNow {
                continuation.resume(returning: resumeNow)
                return
            }
            Task {
                try? await Task.sleep(for: wait)
                let timedOut = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == waiterId }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                timedOut?.resume(returning: false)
            }
        }
    }

    /// Releases the lock, handing it straight to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiters.isEmpty {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }

    /// Holds the lock for `duration` on behalf of "another admin" (a fault). Returns at once; the
    /// hold starts when the lock is free (a write in progress finishes first).
    func hold(for duration: Duration) {
        // Taken synchronously when free, so a write sent right after the fault is set sees it.
        let tookNow = state.withLock { state in
            guard !state.held else { return false }
            state.held = true
            return true
        }
        Task {
            if !tookNow {
                guard await self.acquire(wait: .seconds(3600)) else { return }
            }
            try? await Task.sleep(for: duration)
            self.release()
        }
    }

    var isHeld: Bool { state.withLock { $0.held } }
}
