import SCIMBridge
import ZscalerAPI

/// Activation (reference §6): changes to users and groups are pending in ZIA until
/// `POST /status/activate`, which is tenant-wide and limited to 10 a minute and 40 an hour. So it
/// is debounced: once writes have been quiet for a moment, or have been pending too long during a
/// long backlog, or at once after a deprovisioning change. Bulk-triggered activations leave the
/// priority reserve of the hourly cap unused.
extension TenantReconciler {
    /// When the pending activation is due (epoch ms), or nil when nothing is pending: after the
    /// quiet period or the longest delay (at once for deprovisioning), never before a failed
    /// attempt's backoff ends, and never before the hourly cap has room (bulk: its share).
    func activationDue(now: Int64) -> Int64? {
        guard let since = state.activationPendingSince else { return nil }
        var due: Int64
        if state.activateNow {
            due = now
        } else {
            let quiet = (state.lastChangeAt ?? since) + settings.millis(policy.activationQuietSeconds)
            due = min(quiet, since + settings.millis(policy.activationMaxDelaySeconds))
        }
        if let retry = state.activationRetryAt { due = max(due, retry) }
        let cap =
            state.activateNow
            ? settings.activationsPerHour : Int((Double(settings.activationsPerHour) * (1 - policy.priorityReserve)).rounded(.down))
        if state.calls(.activation, now: now, hour: hour) >= max(cap, 1), let oldest = state.oldestCall(.activation, now: now, hour: hour) {
            due = max(due, oldest + hour + 1)
        }
        return due
    }

    func maybeActivate(now: Int64, queueEmpty: Bool) async throws {
        guard let due = activationDue(now: now), due <= now else { return }
        do {
            count(.activation)
            try await target.activateChanges()
        } catch {
            logger.warning("activation failed; will retry", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
            var wait = settings.millis(backoffSeconds(attempts: 1, cap: 60))
            if let after = error.retryAfter { wait = max(wait, after.millis) }
            state.activationRetryAt = now + wait
            try await saveState()
            return
        }
        state.activationPendingSince = nil
        state.lastChangeAt = nil
        state.activateNow = false
        state.activationRetryAt = nil
        state.lastActivationAt = clock.nowMillis()
        state.activations += 1
        try await saveState()
    }
}
