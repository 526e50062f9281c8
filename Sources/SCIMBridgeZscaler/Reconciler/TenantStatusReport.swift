import Foundation
import SCIMBridge
import SCIMCore

/// What `zscim tenant status` and the admin status endpoint show: how far a tenant's Zscaler side
/// is behind, why, and how much of the rate budget the reconciler spent. Built from the store
/// alone, so it is the same from the CLI, any replica, or the server.
public struct TenantStatusReport: Codable, Sendable, Hashable {
    public struct Counts: Codable, Sendable, Hashable {
        public var pending = 0
        public var synced = 0
        public var failed = 0
    }

    public struct Queue: Codable, Sendable, Hashable {
        public var priority = 0
        public var bulk = 0
        public var backingOff = 0
        public var pendingDeletes = 0
        /// Seconds the oldest queued change has waited.
        public var oldestPendingSeconds: Double?
    }

    public struct Activation: Codable, Sendable, Hashable {
        public var pending = false
        public var pendingSinceSeconds: Double?
        public var lastActivatedAt: String?
        public var activations = 0
    }

    public struct BudgetUse: Codable, Sendable, Hashable {
        public var kind: String
        /// Calls in the last hour of Zscaler time.
        public var lastHour: Int
        public var hourlyLimit: Int?
    }

    public struct Failure: Codable, Sendable, Hashable {
        public var kind: String
        public var id: String
        public var name: String?
        public var code: String?
        public var message: String
        public var at: String?
    }

    public var tenant: String
    public var connected: Bool
    public var target: String?
    public var users = Counts()
    public var groups = Counts()
    public var queue = Queue()
    public var activation = Activation()
    public var rateBudget: [BudgetUse] = []
    public var tenantError: String?
    public var recentFailures: [Failure] = []

    public static func build(tenant: Tenant, store: any DirectoryStore, now: Int64 = ReconcilerClock.system.nowMillis(), failures: Int = 10)
        async throws -> TenantStatusReport
    {
        var report = TenantStatusReport(tenant: tenant.name, connected: false)
        let connection = try await store.connection(tenantID: tenant.id)
        var timeScale = 1.0
        if let connection {
            report.connected = true
            // Settings only: the status never needs (or opens) the sealed secrets.
            if let settings = try? ZscalerConnection.decodeSettings(connection.settings) {
                report.target = settings.baseURL + (settings.isOneAPI ? " (OneAPI)" : " (legacy session)")
                timeScale = settings.rateScale
            }
        }
        let summary = try await store.syncSummary(tenantID: tenant.id, now: now, failureLimit: failures)
        func counts(_ map: [SyncState: Int]) -> Counts {
            Counts(pending: map[.pending] ?? 0, synced: map[.synced] ?? 0, failed: map[.failed] ?? 0)
        }
        report.users = counts(summary.users)
        report.groups = counts(summary.groups)
        func secondsSince(_ millis: Int64?) -> Double? {
            guard let millis else { return nil }
            let elapsed: Int64 = max(0, now - millis)
            return Double(elapsed) / 1000
        }
        report.queue = Queue(
            priority: summary.queued[.priority] ?? 0, bulk: summary.queued[.bulk] ?? 0, backingOff: summary.backingOff,
            pendingDeletes: summary.pendingDeletes, oldestPendingSeconds: secondsSince(summary.oldestDirty))
        let state = ReconcilerState.decode(try await store.reconcilerState(tenantID: tenant.id))
        report.activation = Activation(
            pending: state.activationPendingSince != nil,
            pendingSinceSeconds: secondsSince(state.activationPendingSince),
            lastActivatedAt: state.lastActivationAt.map { SCIMDateTime(epochMillis: $0).description }, activations: state.activations)
        let hour = Int64((3_600_000 * timeScale).rounded())
        // The caps the reconciler paces by, and the reference's for the classes it does not.
        let paced = ReconcilerSettings()
        let limits: [CallKind: Int] = [
            .write: paced.writesPerHour, .activation: paced.activationsPerHour, .bulkDelete: 4, .userList: 40, .read: 1000, .list: 400,
        ]
        report.rateBudget = CallKind.allCases.map { kind in
            BudgetUse(kind: kind.rawValue, lastHour: state.calls(kind, now: now, hour: hour), hourlyLimit: limits[kind])
        }
        if let paused = state.pausedUntil, paused > now { report.tenantError = state.tenantError }
        report.recentFailures = summary.recentFailures.map {
            Failure(kind: $0.kind.rawValue, id: $0.scimID, name: $0.name, code: $0.code, message: $0.message, at: $0.at?.description)
        }
        return report
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The plain-text form for a terminal.
    public func text() -> String {
        var lines: [String] = []
        lines.append(
            "Tenant \(tenant): \(connected ? "connected to \(target ?? "?")" : "not connected to Zscaler (zscim tenant connect \(tenant) …)")"
        )
        if let tenantError { lines.append("  PROBLEM: \(tenantError)") }
        lines.append("  users:  \(users.synced) synced, \(users.pending) pending, \(users.failed) failed")
        lines.append("  groups: \(groups.synced) synced, \(groups.pending) pending, \(groups.failed) failed")
        var queueLine =
            "  queue:  \(queue.priority) priority, \(queue.bulk) bulk, \(queue.backingOff) backing off, \(queue.pendingDeletes) deletions"
        if let oldest = queue.oldestPendingSeconds { queueLine += String(format: "; oldest waiting %.1f s", oldest) }
        lines.append(queueLine)
        var activationLine = "  activation: \(activation.activations) so far"
        if let last = activation.lastActivatedAt { activationLine += ", last at \(last)" }
        if activation.pending { activationLine += String(format: ", changes pending for %.1f s", activation.pendingSinceSeconds ?? 0) }
        lines.append(activationLine)
        var used: [String] = []
        for use in rateBudget where use.lastHour > 0 {
            var text = use.kind + " " + String(use.lastHour)
            if let limit = use.hourlyLimit { text += "/" + String(limit) }
            used.append(text)
        }
        if !used.isEmpty { lines.append("  rate budget (last hour): " + used.joined(separator: ", ")) }
        if !recentFailures.isEmpty {
            lines.append("  recent failures:")
            for f in recentFailures {
                var line = "    " + f.kind + " " + (f.name ?? f.id) + " [" + (f.code ?? "-") + "] " + f.message
                if let at = f.at { line += " at " + at }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
