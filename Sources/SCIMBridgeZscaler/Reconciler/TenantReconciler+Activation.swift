import SCIMBridge
import ZscalerAPI

/// Activation (reference §6): changes to users and groups are pending in ZIA until
/// `POST /status/activate`, which is tenant-wide and limited to 10 a minute and 40 an hour. So it
/// is debounced: once writes have been quiet for a moment, or have been pending too long during a
/// long backlog, or at once after a deprovisioning change. Bulk-triggered activations leave the
/// priority reserve of the hourly cap unused.
extension TenantReconciler {
    /// When the pending activation is due (epoch ms), or nil when nothing is pending.
    func activationDue(now: Int64) -> Int64? {
        guard let since = state.activationPendingSince else { return nil }
        if state.activateNow { return now }
        let quiet = (state.lastChangeAt ?? since) + settings.millis(policy.activationQuietSeconds)
        let longest = since + settings.millis(policy.activationMaxDelaySeconds)
        return min(quiet, longest)
    }

    func maybeActivate(now: Int64, queueEmpty: Bool) async throws {
        guard let due = activationDue(now: now), due <= now else { return }
        if !state.activateNow {
            let share = Int((Double(settings.activationsPerHour) * (1 - policy.priorityReserve)).rounded(.down))
            if state.calls(.activation, now: now, hour: hour) >= share { return }
        }
        do {
            count(.activation)
            try await target.activateChanges()
        } catch {
            logger.warning("activation failed; will retry", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
            // Retried at the next due time; the debounce start stays so it is not postponed forever.
            state.lastChangeAt = now
            try await saveState()
            return
        }
        state.activationPendingSince = nil
        state.lastChangeAt = nil
        state.activateNow = false
        state.lastActivationAt = clock.nowMillis()
        state.activations += 1
        try await saveState()
    }
}
