import Foundation
import Synchronization

/// The shared insides of a running emulator: state, sessions, tokens, limiter, lock, faults and
/// counters. Routes get it; nothing else does.
final class EmulatorCore: Sendable {
    let configuration: EmulatorConfiguration
    /// The fixture the state started from (the reset endpoint can go back to it).
    let seed: SeedFixture
    private let state: Mutex<EmulatorState>
    let sessions: SessionStore
    let oneAPITokens: TokenStore
    let zpaTokens: TokenStore
    let limiter: RateLimiter
    let editLock = EditLock()
    let faults: FaultInjector
    let counters = EmulatorCounters()
    let persistence: StatePersistence?

    init(configuration: EmulatorConfiguration, seed: SeedFixture, initialState: EmulatorState) {
        self.configuration = configuration
        self.seed = seed
        state = Mutex(initialState)
        sessions = SessionStore(maxSessions: configuration.sessions.maxSessions)
        oneAPITokens = TokenStore(maxTokens: configuration.sessions.maxTokens)
        zpaTokens = TokenStore(maxTokens: configuration.sessions.maxTokens)
        limiter = RateLimiter(timeScale: configuration.timeScale)
        faults = FaultInjector(settings: configuration.faults, seed: configuration.randomSeed ?? UInt64.random(in: .min ... .max))
        persistence = configuration.statePath.map {
            StatePersistence(path: $0, debounce: .milliseconds(Int64(configuration.saveDebounceSeconds * 1000)))
        }
    }

    /// A copy of the state (cheap: copy-on-write).
    var snapshot: EmulatorState { state.withLock { $0 } }

    func read<T: Sendable, E: Error>(_ body: (EmulatorState) throws(E) -> T) throws(E) -> T {
        let current = snapshot
        return try body(current)
    }

    /// Changes the state atomically and schedules a save.
    func mutate<T: Sendable, E: Error>(_ body: (inout EmulatorState) throws(E) -> T) throws(E) -> T {
        let result = try state.withLock { (state: inout EmulatorState) throws(E) -> T in try body(&state) }
        persistence?.markDirty()
        return result
    }

    /// Replaces the whole state (reset to seed).
    func replaceState(_ newState: EmulatorState) {
        state.withLock { $0 = newState }
        persistence?.markDirty()
    }

    func scaled(_ zscalerSeconds: Double) -> Duration { configuration.scaled(zscalerSeconds) }

    /// Runs a ZIA configuration write under the tenant-global edit lock (§5.3): 409 when the lock
    /// cannot be had within the configured wait; the lock is held for the write's processing time.
    func ziaWrite<T: Sendable>(_ body: (inout EmulatorState) throws -> T) async throws -> T {
        guard await editLock.acquire(wait: scaled(configuration.editLock.waitSeconds)) else {
            counters.update { $0.editLockConflicts += 1 }
            throw ZIAError.editLock
        }
        let result: Result<T, any Error>
        do { result = .success(try mutate(body)) } catch { result = .failure(error) }
        let hold = scaled(configuration.editLock.writeHoldSeconds)
        if hold > .zero { try? await Task.sleep(for: hold) }
        editLock.release()
        return try result.get()
    }

    /// Ends every ZIA session and bearer token now (a fault, or "forced session expiry").
    func expireAllSessions() {
        sessions.removeAll()
        oneAPITokens.revokeAll()
        zpaTokens.revokeAll()
        counters.update { $0.sessionsExpired += 1 }
    }
}
