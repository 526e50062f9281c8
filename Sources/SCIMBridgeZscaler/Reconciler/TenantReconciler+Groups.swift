import Foundation
import SCIMBridge
import SCIMCore
import ZscalerAPI

/// Groups and departments: a SCIM group maps to the ZIA group of the same name (or its
/// `ziaGroupName`); one that does not exist is created through OneAPI when the policy allows,
/// else its failure names the missing group. Groups that existed in ZIA are mapped, never renamed
/// or deleted; groups zscim created follow their SCIM group.
extension TenantReconciler {
    func syncGroup(_ record: SyncRecord) async throws {
        guard let resource = try await store.resource(tenantID: tenantID, kind: .group, id: record.scimID) else { return }
        let name = ZIAUserRules.groupName(resource.attributes)
        guard !name.isEmpty, name.count <= ZIAUserRules.maximumNameLength else {
            try await fail(record, code: "INVALID_NAME", "the ZIA group name must be 1-\(ZIAUserRules.maximumNameLength) characters")
            return
        }
        let observed = ObservedGroup.decode(record.observed)
        if let id = record.zscalerID, let observed {
            if observed.name == name {
                try await self.record(record, .synced(zscalerID: id, observed: observed.json, markMembers: false))
                return
            }
            if observed.createdByZscim, target.canWriteDirectory {
                count(.write)
                let renamed = try await target.renameGroup(id: Int(id), name: name)
                stats.groupWrites += 1
                groupsByName[observed.name.lowercased()] = nil
                groupsByName[renamed.name.lowercased()] = Int(id)
                try await self.record(
                    record,
                    .synced(zscalerID: id, observed: ObservedGroup(name: renamed.name, createdByZscim: true).json, markMembers: false))
                try await changed(priority: false)
                return
            }
            // A mapped group renamed in SCIM maps to another ZIA group: members move over.
            retire(Int(id))
        }
        if let existing = try await groupID(named: name) {
            try await self.record(
                record,
                .synced(zscalerID: Int64(existing), observed: ObservedGroup(name: name, createdByZscim: false).json, markMembers: true))
            return
        }
        guard target.canWriteDirectory, policy.createMissing else {
            if record.zscalerID != nil { try await self.record(record, .unlinked) }
            let why: String =
                target.canWriteDirectory
                ? " and the policy does not create missing groups" : "; the legacy ZIA API cannot create groups (OneAPI can)"
            let message: String =
                "ZIA has no group named \"" + name + "\"" + why + ": create it in the ZIA admin portal, then run `zscim tenant retry`"
            try await fail(record, code: "GROUP_NOT_FOUND", message)
            return
        }
        count(.write)
        let created = try await target.createGroup(name: name)
        stats.groupWrites += 1
        guard let id = created.id else { throw ZscalerAPIError(.decoding, message: "ZIA answered a group create without an id") }
        groupsByName[created.name.lowercased()] = id
        try await self.record(
            record, .synced(zscalerID: Int64(id), observed: ObservedGroup(name: created.name, createdByZscim: true).json, markMembers: true)
        )
        try await changed(priority: false)
    }

    /// A deleted SCIM group: its members were marked when it was deleted and lose its ZIA group
    /// (it stays in the managed set as retired). A group zscim created is deleted in ZIA too, once
    /// no user references it any more (ZIA refuses before: retried).
    func deleteGroup(_ record: SyncRecord) async throws {
        if let id = record.zscalerID {
            retire(Int(id))
            try await saveState()
            if let observed = ObservedGroup.decode(record.observed), observed.createdByZscim, target.canWriteDirectory {
                count(.delete)
                do {
                    try await target.deleteGroup(id: Int(id))
                } catch  where error.kind == .notFound {}
                stats.groupWrites += 1
                groupsByName[observed.name.lowercased()] = nil
                try await changed(priority: true)
            }
        }
        try await self.record(record, .removed)
    }

    func retire(_ id: Int) {
        if !state.retiredGroupIDs.contains(id) { state.retiredGroupIDs.append(id) }
    }

    /// The ZIA group named `name` (case-insensitive), from a listing refreshed on a miss at most
    /// every `directoryRefreshSeconds`.
    func groupID(named name: String) async throws -> Int? {
        let key = name.lowercased()
        if let id = groupsByName[key] { return id }
        let now = clock.nowMillis()
        if let loaded = groupsLoadedAt, now - loaded < settings.millis(settings.directoryRefreshSeconds) { return nil }
        count(.list)
        let groups = try await target.allGroups()
        var byName: [String: Int] = [:]
        for group in groups {
            guard let id = group.id else { continue }
            let key = group.name.lowercased()
            if byName[key] == nil { byName[key] = id }
        }
        groupsByName = byName
        groupsLoadedAt = now
        return groupsByName[key]
    }

    /// The ZIA department for a user: its own by name, created (OneAPI) when missing and allowed,
    /// else the policy's default department. Records a failure and returns nil when there is none.
    func department(named wanted: String?, record: SyncRecord) async throws -> ZIAReference? {
        if let wanted, let found = try await departmentReference(named: wanted) { return found }
        if let wanted, target.canWriteDirectory, policy.createMissing {
            count(.write)
            let created = try await target.createDepartment(name: wanted)
            stats.groupWrites += 1
            if let id = created.id {
                let reference = ZIAReference(id: id, name: created.name)
                departments[created.name.lowercased()] = reference
                return reference
            }
        }
        if let fallback = policy.defaultDepartment, let found = try await departmentReference(named: fallback) { return found }
        var reason = "the user has no department"
        if let wanted { reason = "ZIA has no department named \"" + wanted + "\"" }
        try await fail(
            record, code: "DEPARTMENT_NOT_FOUND",
            "\(reason) and the tenant's policy names no default department that exists (zscim tenant policy NAME --default-department …); ZIA requires one"
        )
        return nil
    }

    func departmentReference(named name: String) async throws -> ZIAReference? {
        let key = name.lowercased()
        if let found = departments[key] { return found }
        let now = clock.nowMillis()
        if let loaded = departmentsLoadedAt, now - loaded < settings.millis(settings.directoryRefreshSeconds) { return nil }
        count(.list)
        let all = try await target.allDepartments()
        var byName: [String: ZIAReference] = [:]
        for department in all {
            guard let id = department.id else { continue }
            let key = department.name.lowercased()
            if byName[key] == nil { byName[key] = ZIAReference(id: id, name: department.name) }
        }
        departments = byName
        departmentsLoadedAt = now
        return departments[key]
    }
}
