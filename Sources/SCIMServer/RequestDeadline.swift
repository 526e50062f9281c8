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
    func run<T: Sendable>(_ work: @escaping @Sendable () async throws(SCIMError) -> T) async throws(SCIMError) -> T {
        let remaining = instant - ContinuousClock.now
        guard remaining > .zero else { throw exceeded }
        let race = DeadlineRace<T>()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.install(continuation)
                let task = Task {
                    do throws(SCIMError) {
                        race.decide(.success(try await work()))
                    } catch {
                        race.decide(.failure(error))
                    }
                }
                // A timer on an event loop costs far less per request than a sleeping task.
                let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(remaining.nanoseconds)) {
                    race.decide(nil)
                }
                race.attach(task: task, timer: timer)
            }
        } onCancel: {
            race.decide(nil)
        }
        guard let outcome else { throw exceeded }
        return try outcome.get()
    }
}

/// The first of "the work finished" and "time is up" to arrive; the loser is cleaned up (the
/// timer cancelled, or the work's task cancelled).
final class DeadlineRace<T: Sendable>: Sendable {
    struct State {
        /// nil while undecided; `.some(nil)` when time ran out; `.some(result)` when the work won.
        var decided: Result<T, SCIMError>??
        var continuation: CheckedContinuation<Result<T, SCIMError>?, Never>?
        var task: Task<Void, Never>?
        var timer: Scheduled<Void>?
    }

    let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<Result<T, SCIMError>?, Never>) {
        let decided: Result<T, SCIMError>?? = state.withLock { state in
            if state.decided == nil { state.continuation = continuation }
            return state.decided
        }
        if let decided { continuation.resume(returning: decided) }
    }

    func attach(task: Task<Void, Never>, timer: Scheduled<Void>) {
        let decided: Result<T, SCIMError>?? = state.withLock { state in
            if state.decided == nil {
                state.task = task
                state.timer = timer
            }
            return state.decided
        }
        guard let decided else { return }
        timer.cancel()
        if decided == nil { task.cancel() }
    }

    func decide(_ outcome: Result<T, SCIMError>?) {
        let taken = state.withLock { state -> (CheckedContinuation<Result<T, SCIMError>?, Never>?, Task<Void, Never>?, Scheduled<Void>?)? in
            guard state.decided == nil else { return nil }
            state.decided = .some(outcome)
            defer {
                state.continuation = nil
                state.task = nil
                state.timer = nil
            }
            return (state.continuation, state.task, state.timer)
        }
        guard let (continuation, task, timer) = taken else { return }
        continuation?.resume(returning: outcome)
        timer?.cancel()
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
