import SCIMBridge
import SCIMCore

/// Short forms of `commit` for the checks: each is one change, as the service would commit it.
extension DirectoryStore {
    func write(tenantID: String, _ write: ResourceWrite) async throws(StoreError) {
        _ = try await commit(tenantID: tenantID, Change(.put(write), at: write.resource.lastModified, action: "test"))
    }

    func applyMembership(tenantID: String, groupID: String, steps: [MembershipStep], lastModified: SCIMDateTime) async throws(StoreError)
        -> Int
    {
        try await commit(tenantID: tenantID, Change(.membership(groupID: groupID, steps: steps), at: lastModified, action: "test")).version
            ?? 0
    }

    func delete(tenantID: String, kind: ResourceKind, id: String, expectedVersion: Int?) async throws(StoreError) -> Bool {
        try await commit(
            tenantID: tenantID,
            Change(.delete(kind: kind, id: id, expectedVersion: expectedVersion), at: StoreContract.t0, lane: .priority, action: "test")
        ).deleted
    }
}
