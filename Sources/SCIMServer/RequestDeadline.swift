import NIOCore
import NIOPosix
import SCIMCore
import Synchronization

/// When the server stops waiting for one request, and how it stops.
///
/// The service checks `SCIMRequest.deadline` between store rounds and gives up by itself, but a
/// request can also wait where no check runs (a write queued behind the SQLite lock, a status
/// read). `run` bounds those too: the work runs in its own task, and at the deadline the client
/// is answered 503 + `Retry-After` at once while the work is cancelled and left to end on its own.
/// A write that was already committing when the deadline passed may still complete; its retry
/// then meets it (409 on a create, a new ETag on an update), as after any lost answer.
struct RequestDeadline: Sendable {
    var instant: ContinuousClock.Instant
    var timeout: Duration
    var retryAfter: Int

    init(timeout: Duration, retryAfter: Int, now: ContinuousClock.Instant = .now) {
        self.instant = now.advanced(by: timeout)
        self.timeout = timeout
        self.retryAfter = retryAfter
    }

    var exceeded: SCIMError {
        .unavailable("The request did not finish within \(timeout.secondsText); retry later", retryAfter: retryAfter)
    }

    /// Throws the 503 once the deadline has passed (between chunks of a slow body, say).
    func check() throws(SCIMError) {
        if ContinuousClock.now >= instant { throw exceeded }
    }

    /// `work`'s result, or the 503 if the deadline passes first (or the request's own task is
    /// cancelled); in both cases the work is cancelled.
    ///
    /// Per request this costs a lock and one task that starts on the calling thread
    /// (`Task.immediate`, so no executor hop before the work's first suspension); the deadline
    /// itself is watched by the process's one `DeadlineWatchdog`, not by a timer per request
    /// (scheduling and cancelling a timer on an event loop from another thread wakes that loop
    /// through its eventfd twice per request).
    func run<T: Sendable>(_ work: @escaping @Sendable () async throws(SCIMError) -> T) async throws(SCIMError) -> T {
        guard ContinuousClock.now < instant else { throw exceeded }
        let race = DeadlineRace<T>()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.install(continuation)
                let watch = DeadlineWatchdog.shared.watch(until: instant) { race.decide(nil) }
                let task = Task.immediate {
                    do throws(SCIMError) {
                        race.decide(.success(try await work()))
                    } catch {
                        race.decide(.failure(error))
                    }
                }
                race.attach(task: task, watch: watch)
            }
        } onCancel: {
            race.decide(nil)
        }
        guard let outcome else { throw exceeded }
        return try outcome.get()
    }
}

/// Watches every running request's deadline with one repeating tick on an event loop, so a
/// request registers with a lock instead of scheduling (and then cancelling) a timer of its own.
/// A deadline is noticed within one tick (`resolution`) of passing: deadlines are seconds long.
final class DeadlineWatchdog: Sendable {
    static let shared = DeadlineWatchdog(resolution: .milliseconds(25))

    struct Entry {
        var instant: ContinuousClock.Instant
        var expire: @Sendable () -> Void
    }

    struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var ticking = false
    }

    let resolution: Duration
    private let state = Mutex(State())

    init(resolution: Duration) {
        self.resolution = resolution
    }

    /// Calls `expire` once `instant` has passed, unless `stop(id)` comes first. Returns the id.
    func watch(until instant: ContinuousClock.Instant, expire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, startTicking) = state.withLock { state -> (UInt64, Bool) in
            state.nextID &+= 1
            state.entries[state.nextID] = Entry(instant: instant, expire: expire)
            let start = !state.ticking
            state.ticking = true
            return (state.nextID, start)
        }
        if startTicking { scheduleTick() }
        return id
    }

    func stop(_ id: UInt64) {
        state.withLock { _ = $0.entries.removeValue(forKey: id) }
    }

    /// Expires what is due; keeps ticking while anything is watched, stops when nothing is.
    private func tick() {
        let now = ContinuousClock.now
        let (due, again) = state.withLock { state -> ([@Sendable () -> Void], Bool) in
            var due: [@Sendable () -> Void] = []
            for (id, entry) in state.entries where entry.instant <= now {
                due.append(entry.expire)
                state.entries.removeValue(forKey: id)
            }
            state.ticking = !state.entries.isEmpty
            return (due, state.ticking)
        }
        for expire in due { expire() }
        if again { scheduleTick() }
    }

    private func scheduleTick() {
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(resolution.nanoseconds)) { self.tick() }
    }
}

/// The first of "the work finished" and "time is up" to arrive; the loser is cleaned up (the
/// watchdog entry dropped, or the work's task cancelled).
final class DeadlineRace<T: Sendable>: Sendable {
    struct State {
        /// nil while undecided; `.some(nil)` when time ran out; `.some(result)` when the work won.
        var decided: Result<T, SCIMError>??
        var continuation: CheckedContinuation<Result<T, SCIMError>?, Never>?
        var task: Task<Void, Never>?
        /// The watchdog entry of this race (see `DeadlineWatchdog`).
        var watch: UInt64?
    }

    let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<Result<T, SCIMError>?, Never>) {
        let decided: Result<T, SCIMError>?? = state.withLock { state in
            if state.decided == nil { state.continuation = continuation }
            return state.decided
        }
        if let decided { continuation.resume(returning: decided) }
    }

    func attach(task: Task<Void, Never>, watch: UInt64) {
        let decided: Result<T, SCIMError>?? = state.withLock { state in
            if state.decided == nil {
                state.task = task
                state.watch = watch
            }
            return state.decided
        }
        guard let decided else { return }
        DeadlineWatchdog.shared.stop(watch)
        if decided == nil { task.cancel() }
    }

    func decide(_ outcome: Result<T, SCIMError>?) {
        let taken = state.withLock { state -> (CheckedContinuation<Result<T, SCIMError>?, Never>?, Task<Void, Never>?, UInt64?)? in
            guard state.decided == nil else { return nil }
            state.decided = .some(outcome)
            defer {
                state.continuation = nil
                state.task = nil
                state.watch = nil
            }
            return (state.continuation, state.task, state.watch)
        }
        guard let (continuation, task, watch) = taken else { return }
        continuation?.resume(returning: outcome)
        if let watch { DeadlineWatchdog.shared.stop(watch) }
        if outcome == nil { task?.cancel() }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// `30 s`, `0.5 s`: how long, for messages.
    var secondsText: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 { return "\(seconds) s" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return "\((value * 1000).rounded() / 1000) s"
    }
}
