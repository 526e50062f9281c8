import Foundation
import SCIMBridge
import SCIMCore
import ZscalerAPI

/// Users: create (adopting an existing ZIA user with the same login), update with one PUT of the
/// whole user (groups read-modify-write), deactivate per policy, delete in `bulkDelete` batches.
extension TenantReconciler {
    func process(_ record: SyncRecord) async throws {
        switch (record.kind, record.deleted) {
        case (.user, false): try await syncUser(record)
        case (.user, true): try await deleteUsers(startingWith: record)
        case (.group, false): try await syncGroup(record)
        case (.group, true): try await deleteGroup(record)
        }
    }

    func syncUser(_ record: SyncRecord) async throws {
        // Read now: whatever changed since the row was marked is folded into this one call.
        guard let resource = try await store.resource(tenantID: tenantID, kind: .user, id: record.scimID) else {
            return  // deleted meanwhile: its tombstone mark is newer and comes next
        }
        let desired = DesiredUser(resource.attributes)
        let deprovisioned = !desired.active
        if deprovisioned, policy.deactivation == .delete {
            if let id = record.zscalerID {
                try await bulkDelete([Int(id)])
                try await self.record(record, .unlinked)
                try await changed(priority: true)
            }
            try await self.record(record, .synced(zscalerID: nil, observed: nil, markMembers: false))
            return
        }
        if let reason = ZIAUserRules.rejection(resource.attributes, policy: policy) {
            try await fail(record, code: "REJECTED", reason)
            return
        }
        let groupIDs = try await desiredGroupIDs(userID: record.scimID, deprovisioned: deprovisioned)
        if groupIDs.count > ZIAUserRules.maximumGroups {
            try await fail(
                record, code: "TOO_MANY_GROUPS", "the user is in \(groupIDs.count) groups; ZIA allows at most \(ZIAUserRules.maximumGroups)"
            )
            return
        }
        guard let department = try await department(named: desired.department, record: record) else { return }

        var zscalerID = record.zscalerID
        if zscalerID == nil, record.createAttempted {
            zscalerID = try await lookup(email: desired.email, name: desired.name, record: record)
            // Our own earlier create landed: it still needs activating.
            if zscalerID != nil { try await changed(priority: record.lane == .priority) }
        }
        let plan = UserPlan(
            desired: desired, department: department, groups: groupIDs, disabled: deprovisioned, priority: record.lane == .priority)
        if let zscalerID {
            try await update(record, zscalerID: zscalerID, plan)
        } else {
            try await create(record, plan)
        }
    }

    /// Brings an existing ZIA user to the plan: GET, then one PUT when anything zscim owns differs.
    func update(_ record: SyncRecord, zscalerID: Int64, _ plan: UserPlan) async throws {
        guard let current = try await fetchUser(Int(zscalerID)) else {
            // Deleted in the Zscaler console: create it again.
            try await self.record(record, .unlinked)
            try await create(record, plan)
            return
        }
        if current.email.caseInsensitiveCompare(plan.desired.email) != .orderedSame {
            try await renamed(record, zscalerID: zscalerID, from: current.email, plan)
            return
        }
        if current.isNonEditable == true {
            try await fail(
                record, code: "NOT_EDITABLE",
                "ZIA marks \(current.email) as not editable (synced from a directory); the API cannot change it")
            return
        }
        let managed = try await managedGroupIDs()
        let merged = UserMapping.merged(
            current: current, name: plan.desired.name, department: plan.department, disabled: plan.disabled, groups: plan.groups,
            managed: managed)
        guard UserMapping.differs(current, merged) else {
            stats.unchanged += 1
            try await self.record(record, .synced(zscalerID: zscalerID, observed: UserMapping.observed(current), markMembers: false))
            return
        }
        count(.write)
        let updated = try await target.updateUser(merged)
        stats.updates += 1
        try await self.record(record, .synced(zscalerID: zscalerID, observed: UserMapping.observed(updated), markMembers: false))
        try await changed(priority: plan.priority)
    }

    /// ZIA's login id cannot change: by policy the rename is refused, or the user recreated.
    func renamed(_ record: SyncRecord, zscalerID: Int64, from old: String, _ plan: UserPlan) async throws {
        guard policy.userNameChange == .recreate else {
            let message =
                "userName changed from " + old + " to " + plan.desired.email
                + ", but ZIA's login id cannot change; set the tenant's policy userNameChange=recreate to delete and recreate the Zscaler user"
            try await fail(record, code: "USERNAME_CHANGED", message)
            return
        }
        try await bulkDelete([Int(zscalerID)])
        try await self.record(record, .unlinked)
        var recreate = plan
        recreate.priority = true
        try await create(record, recreate)
    }

    /// The user, or nil when ZIA has no such user.
    func fetchUser(_ id: Int) async throws -> ZIAUser? {
        count(.read)
        do {
            return try await target.user(id: id)
        } catch {
            if error.kind == .notFound { return nil }
            throw error
        }
    }

    func create(_ record: SyncRecord, _ plan: UserPlan) async throws {
        let desired = plan.desired
        let password: String?
        do {
            password = try await passwords?.password(tenantID: tenantID, userID: record.scimID)
        } catch let error as StoreError {
            throw error
        } catch {
            try await fail(
                record, code: "PASSWORD_UNREADABLE",
                "the password the SCIM client set cannot be opened with the loaded secret key; load the key it was sealed with, "
                    + "or set the password again")
            return
        }
        try await self.record(record, .createAttempted(observed: UserMapping.lookupKey(email: desired.email, name: desired.name)))
        var groups: [ZIAReference] = []
        for id in plan.groups.sorted() { groups.append(ZIAReference(id: id)) }
        let user = ZIAUser(
            name: desired.name, email: desired.email, groups: groups, department: plan.department,
            password: password ?? UserMapping.generatedPassword(), disabled: plan.disabled ? true : nil)
        count(.write)
        do {
            let created = try await target.createUser(user)
            stats.creates += 1
            guard let id = created.id else { throw ZscalerAPIError(.decoding, message: "ZIA answered a create without an id") }
            try await self.record(record, .synced(zscalerID: Int64(id), observed: UserMapping.observed(created), markMembers: false))
            // Created with it: the bridge needs it no more, so it is not kept.
            if password != nil { try await passwords?.forget(tenantID: tenantID, userID: record.scimID) }
            try await changed(priority: plan.priority)
        } catch let error as ZscalerAPIError where error.zscalerCode == .duplicateItem {
            // The login exists in ZIA already (created before zscim, or an earlier attempt whose
            // answer was lost): adopt it, then bring it to the desired state in the next round.
            // The row stays dirty (its generation is not closed), so the next round updates it.
            guard try await lookup(email: desired.email, name: desired.name, record: record) != nil else { throw error }
            stats.adopted += 1
        }
    }

    /// Finds the ZIA user with this login and links it. Returns its id.
    func lookup(email: String, name: String, record: SyncRecord) async throws -> Int64? {
        count(.userList)
        guard let found = try await target.lookupUser(email: email, name: name), let id = found.id else { return nil }
        try await adopt(Int64(id), observed: UserMapping.observed(found), record: record)
        return Int64(id)
    }

    /// Links a ZIA user to this SCIM user. A deleted SCIM user whose ZIA user was about to be
    /// deleted gives it up (a delete and re-create of the same person must not delete the new one).
    func adopt(_ id: Int64, observed: String, record: SyncRecord) async throws {
        for other in try await store.syncRecords(tenantID: tenantID, kind: .user)
        where other.zscalerID == id && other.scimID != record.scimID {
            if other.deleted {
                try await store.recordSync(
                    tenantID: tenantID, kind: .user, scimID: other.scimID, generation: other.generation, .removed,
                    at: SCIMDateTime(epochMillis: clock.nowMillis()))
            } else {
                try await store.recordSync(
                    tenantID: tenantID, kind: .user, scimID: other.scimID, generation: other.generation, .unlinked,
                    at: SCIMDateTime(epochMillis: clock.nowMillis()))
            }
        }
        try await self.record(record, .linked(zscalerID: id, observed: observed))
        // The ZIA user exists already: a kept password is never sent now.
        try await passwords?.forget(tenantID: tenantID, userID: record.scimID)
    }

    /// The ZIA ids of the groups the user should be in: its SCIM groups' linked ZIA groups (a
    /// group not yet in ZIA is reconciled first), or only the quarantine group.
    func desiredGroupIDs(userID: String, deprovisioned: Bool) async throws -> Set<Int> {
        if deprovisioned, policy.deactivation == .quarantine, let name = policy.quarantineGroup {
            if let id = try await groupID(named: name) { return [id] }
            return []
        }
        let groups = try await store.groups(tenantID: tenantID, memberIDs: [userID])[userID] ?? []
        var ids = Set<Int>()
        for group in groups {
            guard var link = try await store.syncRecord(tenantID: tenantID, kind: .group, scimID: group.id) else { continue }
            if link.zscalerID == nil, link.isDirty, link.state != .failed {
                try await syncGroup(link)
                link = try await store.syncRecord(tenantID: tenantID, kind: .group, scimID: group.id) ?? link
            }
            if let id = link.zscalerID { ids.insert(Int(id)) }
        }
        return ids
    }

    /// Every ZIA group id zscim manages (linked, retired, the quarantine group): the part of a
    /// user's ZIA group list that zscim owns; the rest is kept as it is.
    func managedGroupIDs() async throws -> Set<Int> {
        var ids = Set<Int>()
        for link in try await store.syncRecords(tenantID: tenantID, kind: .group) { if let id = link.zscalerID { ids.insert(Int(id)) } }
        ids.formUnion(state.retiredGroupIDs)
        if let name = policy.quarantineGroup, let id = try await groupID(named: name) { ids.insert(id) }
        return ids
    }

    // MARK: Deletion

    /// A deleted user's ZIA user goes in a `bulkDelete` with every other deletion that is due,
    /// once the batch is full or its oldest member has waited `deleteBatchDelaySeconds`.
    func deleteUsers(startingWith first: SyncRecord) async throws {
        let now = clock.nowMillis()
        let due = try await store.dueSyncRecords(tenantID: tenantID, now: now, limit: ZIAClient.bulkDeleteChunkSize * 2)
        var batch: [SyncRecord] = []
        var candidates: [SyncRecord] = [first]
        candidates.append(contentsOf: due)
        var seen = Set<String>()
        for record in candidates {
            guard record.kind == .user, record.deleted, seen.insert(record.scimID).inserted else { continue }
            if record.zscalerID == nil {
                // Never reached ZIA, unless a create's answer was lost: look for it once.
                if record.createAttempted, let key = UserMapping.parseLookupKey(record.observed) {
                    count(.userList)
                    if let found = try await target.lookupUser(email: key.email, name: key.name), let id = found.id {
                        var linked = record
                        linked.zscalerID = Int64(id)
                        batch.append(linked)
                        continue
                    }
                }
                try await self.record(record, .removed)
                continue
            }
            batch.append(record)
            if batch.count == ZIAClient.bulkDeleteChunkSize { break }
        }
        guard !batch.isEmpty else { return }
        var oldest = now
        for record in batch { oldest = min(oldest, record.enqueuedAt) }
        let flushAt = oldest + settings.millis(settings.deleteBatchDelaySeconds)
        guard batch.count >= ZIAClient.bulkDeleteChunkSize || flushAt <= now else {
            for record in batch { try await self.record(record, .deferred(until: flushAt)) }
            return
        }
        var ids: [Int] = []
        for record in batch { if let id = record.zscalerID { ids.append(Int(id)) } }
        try await bulkDelete(ids)
        for record in batch { try await self.record(record, .removed) }
        try await changed(priority: true)
    }

    func bulkDelete(_ ids: [Int]) async throws {
        count(.bulkDelete)
        let deleted = try await target.bulkDeleteUsers(ids: ids)
        stats.deletedUsers += deleted.count
    }
}
