import Synchronization

/// What the emulator saw, for tests and benchmarks: calls per route, 429s served, and limit
/// violations (calls a real Zscaler would have refused). A client that paces itself correctly
/// runs flat out with `limitViolations == 0`.
public struct EmulatorCountersSnapshot: Sendable, Codable, Equatable {
    /// Per route, keyed `"METHOD /template"` (e.g. `"GET /api/v1/users/{userId}"`).
    public var routes: [String: RouteCounts]
    public var totals: Totals

    public struct RouteCounts: Sendable, Codable, Equatable {
        public var calls = 0
        /// Responses by status code (as text, for JSON).
        public var statuses: [String: Int] = [:]
        /// 429s sent, from limits or storms.
        public var tooManyRequests = 0
        public var limitViolations = 0
    }

    public struct Totals: Sendable, Codable, Equatable {
        public var calls = 0
        public var tooManyRequests = 0
        public var limitViolations = 0
        /// Faults injected.
        public var stormResponses = 0
        public var injectedServerErrors = 0
        public var resourceAccessBlocked = 0
        public var droppedConnections = 0
        public var editLockConflicts = 0
        public var sessionsCreated = 0
        public var sessionsExpired = 0
        public var tokensIssued = 0
        public var activations = 0
    }
}

/// Thread-safe counters behind ``EmulatorCountersSnapshot``. Routes are bounded by the router's
/// templates (unknown paths all count as `NotFound`).
final class EmulatorCounters: Sendable {
    private let state = Mutex(EmulatorCountersSnapshot(routes: [:], totals: .init()))

    var snapshot: EmulatorCountersSnapshot { state.withLock { $0 } }

    func reset() { state.withLock { $0 = EmulatorCountersSnapshot(routes: [:], totals: .init()) } }

    func recordCall(_ route: String) {
        state.withLock {
            $0.routes[route, default: .init()].calls += 1
            $0.totals.calls += 1
        }
    }

    func recordStatus(_ route: String, _ status: Int) {
        state.withLock {
            $0.routes[route, default: .init()].statuses[String(status), default: 0] += 1
            if status == 429 {
                $0.routes[route, default: .init()].tooManyRequests += 1
                $0.totals.tooManyRequests += 1
            }
        }
    }

    func recordViolation(_ route: String) {
        state.withLock {
            $0.routes[route, default: .init()].limitViolations += 1
            $0.totals.limitViolations += 1
        }
    }

    func update(_ body: (inout EmulatorCountersSnapshot.Totals) -> Void) { state.withLock { body(&$0.totals) } }

    func recordDrop() { update { $0.droppedConnections += 1 } }
}
