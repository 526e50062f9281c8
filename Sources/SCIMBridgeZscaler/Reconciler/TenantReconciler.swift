import Foundation
import Logging
import SCIMBridge
import SCIMCore
import ZscalerAPI

/// Drains one tenant's dirty rows into ZIA (DESIGN §2): level-triggered and idempotent.
///
/// Each round reads the due rows (priority lane first), and for each reads the desired state from
/// the store *now* — so ten changes to a user cost one call — compares it with ZIA, and sends the
/// one call that closes the gap. A success closes exactly the generation that was read; a write
/// that raced the call leaves the row dirty for the next round. Nothing lives only in memory: after
/// a crash the rows, links and the activation debounce are reloaded and the work simply continues.
public actor TenantReconciler {
    public let tenantID: String
    let store: any DirectoryStore
    let target: any ZIADirectoryTarget
    public internal(set) var policy: TenantPolicy
    let settings: ReconcilerSettings
    let clock: ReconcilerClock
    /// Users' sealed passwords, used once to create the ZIA user (hosted-database users need
    /// one) and forgotten then. Without a vault a generated password is sent.
    let passwords: PasswordVault?
    let logger: Logger

    var state = ReconcilerState()
    var stateLoaded = false
    var departments: [String: ZIAReference] = [:]
    var departmentsLoadedAt: Int64?
    var groupsByName: [String: Int] = [:]
    var groupsLoadedAt: Int64?
    /// A priority change arrived: the current round stops taking bulk rows.
    var priorityWaiting = false
    var woken = false
    public internal(set) var stats = ReconcilerStats()

    public init(
        tenantID: String, store: any DirectoryStore, target: any ZIADirectoryTarget, policy: TenantPolicy,
        settings: ReconcilerSettings = ReconcilerSettings(), clock: ReconcilerClock = .system, passwords: PasswordVault? = nil,
        logger: Logger
    ) {
        self.passwords = passwords
        self.tenantID = tenantID
        self.store = store
        self.target = target
        self.policy = policy
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    public func update(policy: TenantPolicy) { self.policy = policy }

    /// A SCIM write committed a change for this tenant.
    public func wake(lane: SyncLane) {
        woken = true
        if lane == .priority { priorityWaiting = true }
    }

    /// Runs rounds until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            let next = await runOnce()
            woken = false
            while !Task.isCancelled, !woken, clock.nowMillis() < next {
                try? await clock.sleep(.milliseconds(min(25, max(1, next - clock.nowMillis()))))
            }
        }
    }

    var hour: Int64 { settings.millis(3600) }

    /// One round. Returns the epoch ms at which the next round is due (now when work remains).
    @discardableResult
    public func runOnce() async -> Int64 {
        do {
            if !stateLoaded {
                // Reloaded after a restart: a pending activation is still pending.
                state = ReconcilerState.decode(try await store.reconcilerState(tenantID: tenantID))
                stateLoaded = true
            }
            var now = clock.nowMillis()
            if let paused = state.pausedUntil, paused > now { return paused }
            let records = try await store.dueSyncRecords(tenantID: tenantID, now: now, limit: settings.batchSize)
            priorityWaiting = false
            var processed = 0
            for record in records {
                if priorityWaiting, record.lane == .bulk { break }
                // The hour's bulk share used up: the rest waits; priority work still goes.
                if record.lane == .bulk, bulkWriteWait(now: clock.nowMillis()) != nil { break }
                // The round's read may be stale (an earlier row's batch may have closed this one).
                guard let fresh = try await store.syncRecord(tenantID: tenantID, kind: record.kind, scimID: record.scimID),
                    fresh.isDirty, fresh.notBefore <= clock.nowMillis()
                else { continue }
                do {
                    try await process(fresh)
                } catch let error as ZscalerAPIError {
                    if try await handle(error, record: fresh) { break }
                } catch let error as StoreError {
                    logger.error("store failed during reconcile", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
                    return clock.nowMillis() + settings.millis(5)
                }
                processed += 1
            }
            now = clock.nowMillis()
            try await maybeActivate(now: now, queueEmpty: records.count < settings.batchSize && processed == records.count)
            if processed > 0 { return now }
            var next = now + settings.pollInterval.millis
            if let due = activationDue(now: now) { next = min(next, max(due, now + 1)) }
            if !records.isEmpty, records.allSatisfy({ $0.lane == .bulk }), let wait = bulkWriteWait(now: now) {
                // Only bulk work waits on the hour's share: poll no more often than needed, but
                // never later than the activation due above.
                next = min(max(next, now + min(wait, settings.millis(60))), activationDue(now: now).map { max($0, now + 1) } ?? Int64.max)
            }
            return next
        } catch {
            logger.error("reconcile round failed", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
            return clock.nowMillis() + settings.millis(5)
        }
    }

    // MARK: - Failures

    /// Records a Zscaler failure on the row. Returns true when the whole round should stop
    /// (the tenant's credentials were refused: every call would fail the same way).
    func handle(_ error: ZscalerAPIError, record: SyncRecord) async throws -> Bool {
        let now = clock.nowMillis()
        let at = SCIMDateTime(epochMillis: now)
        let code = error.zscalerCode?.rawValue
        var message = error.message
        if let request = error.request { message = request + ": " + message }
        if let status = error.status { message += " (HTTP \(status))" }
        stats.failures += 1
        switch error.kind {
        case .authenticationFailed:
            state.tenantError = "Zscaler refused the credentials: \(error.message)"
            state.pausedUntil = now + settings.millis(settings.authenticationPauseSeconds)
            try await saveState()
            logger.error("zscaler refused the credentials; pausing", metadata: ["tenant": "\(tenantID)"])
            return true
        case .rateLimited, .hourlyBudgetExhausted, .editLocked, .serverError, .transport, .sessionExpired, .cancelled, .decoding,
            .responseTooLarge:
            var retryAt = now + settings.millis(backoffSeconds(attempts: record.attempts, cap: settings.backoffMaximumSeconds))
            if let after = error.retryAfter {
                retryAt = max(retryAt, now + after.millis)
            }
            try await store.recordSync(
                tenantID: tenantID, kind: record.kind, scimID: record.scimID, generation: record.generation,
                .transientFailure(code: code, message: message, retryAt: retryAt), at: at)
            logger.warning("zscaler call failed; will retry", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
            return false
        default:
            if error.zscalerCode == .resourceInUse || error.zscalerCode == .editLockNotAvailable {
                // Refused for now (e.g. a group still referenced): another round will get there.
                let retryAt = now + settings.millis(backoffSeconds(attempts: record.attempts, cap: 300))
                try await store.recordSync(
                    tenantID: tenantID, kind: record.kind, scimID: record.scimID, generation: record.generation,
                    .transientFailure(code: code, message: message, retryAt: retryAt), at: at)
                return false
            }
            try await store.recordSync(
                tenantID: tenantID, kind: record.kind, scimID: record.scimID, generation: record.generation,
                .permanentFailure(code: code, message: message), at: at)
            logger.warning("zscaler refused a change", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
            return false
        }
    }

    /// Exponential backoff in Zscaler seconds: base × 2^attempts, capped.
    func backoffSeconds(attempts: Int, cap: Double) -> Double {
        let factor = Double(1 << min(max(attempts, 0), 20))
        return min(settings.backoffBaseSeconds * factor, cap)
    }

    func fail(_ record: SyncRecord, code: String, _ message: String) async throws {
        stats.failures += 1
        try await store.recordSync(
            tenantID: tenantID, kind: record.kind, scimID: record.scimID, generation: record.generation,
            .permanentFailure(code: code, message: message), at: SCIMDateTime(epochMillis: clock.nowMillis()))
    }

    func record(_ record: SyncRecord, _ outcome: SyncOutcome) async throws {
        try await store.recordSync(
            tenantID: tenantID, kind: record.kind, scimID: record.scimID, generation: record.generation, outcome,
            at: SCIMDateTime(epochMillis: clock.nowMillis()))
    }

    // MARK: - Budget

    /// How long bulk writes must wait for the hour's bulk share (the priority reserve excluded),
    /// or nil when they may go now.
    func bulkWriteWait(now: Int64) -> Int64? {
        let share = Int((Double(settings.writesPerHour) * (1 - policy.priorityReserve)).rounded(.down))
        guard state.calls(.write, now: now, hour: hour) >= share, let oldest = state.oldestCall(.write, now: now, hour: hour) else {
            return nil
        }
        return max(1, oldest + hour - now)
    }

    func count(_ kind: CallKind) {
        state.record(kind, now: clock.nowMillis(), hour: hour)
        stats.count(kind)
    }

    func saveState() async throws {
        try await store.setReconcilerState(tenantID: tenantID, state.encoded())
    }

    /// A change reached ZIA and waits for activation.
    func changed(priority: Bool) async throws {
        let now = clock.nowMillis()
        if state.activationPendingSince == nil { state.activationPendingSince = now }
        state.lastChangeAt = now
        if priority { state.activateNow = true }
        state.tenantError = nil
        try await saveState()
    }
}

/// Counts of what a reconciler did since it started (benchmarks, status).
public struct ReconcilerStats: Sendable, Hashable {
    public var creates = 0
    public var updates = 0
    public var reads = 0
    public var lookups = 0
    public var bulkDeletes = 0
    public var deletedUsers = 0
    public var activations = 0
    public var groupWrites = 0
    public var listings = 0
    public var unchanged = 0
    public var adopted = 0
    public var failures = 0

    mutating func count(_ kind: CallKind) {
        switch kind {
        case .activation: activations += 1
        case .bulkDelete: bulkDeletes += 1
        case .read: reads += 1
        case .userList: lookups += 1
        case .list: listings += 1
        case .write, .delete: break
        }
    }
}

extension Duration {
    var millis: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
