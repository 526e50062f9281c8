import SCIMCore

/// What the SCIM service decides for the Zscaler side of a write: the lane a change goes in and
/// the rejections ZIA would make that are known before anything is sent (DESIGN §2 item 6).
extension SCIMService {
    /// The tenant's sync policy, or nil when it has no Zscaler connection (then nothing is refused
    /// for Zscaler's sake: the desired state is simply kept until a connection exists).
    func policy(_ request: SCIMRequest) async throws(SCIMError) -> TenantPolicy? {
        do {
            return try await policies.policy(tenantID: request.tenant.id) { () async throws(StoreError) -> TenantPolicy? in
                guard let record = try await store.connection(tenantID: request.tenant.id) else { return nil }
                return (try? TenantPolicy.decode(record.policy)) ?? TenantPolicy()
            }
        } catch {
            throw mapStoreError(error)
        }
    }

    /// Refuses a user that ZIA would refuse. `previous` is the stored user on a replace or PATCH.
    func checkUserForZscaler(_ request: SCIMRequest, _ attributes: JSONObject, previous: StoredResource?) async throws(SCIMError) {
        guard let policy = try await policy(request) else { return }
        if let reason = ZIAUserRules.rejection(attributes, policy: policy) { throw .invalidValue(reason) }
        if let previous, policy.userNameChange == .reject, previous.sync?.zscalerID != nil,
            ZIAUserRules.email(previous.attributes).lowercased() != ZIAUserRules.email(attributes).lowercased()
        {
            throw .mutability(
                "userName cannot change once the user exists in Zscaler (ZIA's login id is immutable); the tenant's policy is "
                    + "userNameChange=reject (set it to recreate to delete and recreate the Zscaler user instead)")
        }
    }

    /// Deactivation is deprovisioning: it overtakes bulk work.
    func lane(old: JSONObject?, new: JSONObject) -> SyncLane {
        guard let old else { return .bulk }
        return ZIAUserRules.isActive(old) && !ZIAUserRules.isActive(new) ? .priority : .bulk
    }

    /// Users added to the quarantine group go through the priority lane too.
    func addedMemberLane(_ request: SCIMRequest, groupAttributes: JSONObject) async throws(SCIMError) -> SyncLane {
        guard let quarantine = try await policy(request)?.quarantineGroup else { return .bulk }
        return CaseFolding.equal(ZIAUserRules.groupName(groupAttributes), quarantine) ? .priority : .bulk
    }

    /// ZIA allows 127 groups per user: adding users to a group refuses the whole change if one
    /// of them would pass that.
    func checkGroupCapacity(_ request: SCIMRequest, groupID: String, steps: [MembershipStep]) async throws(SCIMError) {
        guard try await policy(request) != nil else { return }
        var added: [String] = []
        for step in steps {
            switch step {
            case .add(let records), .replace(let records): added += records.filter { $0.kind == .user }.map(\.id)
            case .remove, .removeAll: continue
            }
        }
        guard !added.isEmpty else { return }
        let counts = try await store(request).groupCounts(userIDs: added)
        // A user already in this group does not gain one; the count includes it, so only users
        // already at the limit and not yet members would pass it. Checking membership of those few
        // costs one more read only when someone is at the limit.
        let atLimit = added.filter { (counts[$0] ?? 0) >= ZIAUserRules.maximumGroups }
        guard !atLimit.isEmpty else { return }
        let groupsOf = try await store(request).groups(memberIDs: atLimit)
        let over = atLimit.filter { id in !(groupsOf[id] ?? []).contains { $0.id == groupID } }
        guard let first = over.first else { return }
        throw .invalidValue(
            "User \(first)\(over.count > 1 ? " and \(over.count - 1) more" : "") already belongs to \(ZIAUserRules.maximumGroups) groups, "
                + "the most ZIA allows per user")
    }
}
