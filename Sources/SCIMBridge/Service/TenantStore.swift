import SCIMCore

/// The store as the SCIM service reads it for one request: every call is scoped to the
/// request's tenant (a call cannot name another tenant by mistake), and every failure is already
/// the SCIM error the client gets (`SCIMService.mapStoreError`), so call sites read like the
/// store's own API instead of wrapping each call in an error-mapping closure.
struct TenantStore {
    let store: any DirectoryStore
    let tenantID: String
    let service: SCIMService

    func resource(kind: ResourceKind, id: String) async throws(SCIMError) -> StoredResource? {
        do { return try await store.resource(tenantID: tenantID, kind: kind, id: id) } catch { throw service.mapStoreError(error) }
    }

    func members(groupID: String) async throws(SCIMError) -> [MemberRecord] {
        do { return try await store.members(tenantID: tenantID, groupID: groupID) } catch { throw service.mapStoreError(error) }
    }

    func groups(memberIDs: [String]) async throws(SCIMError) -> [String: [GroupReference]] {
        do { return try await store.groups(tenantID: tenantID, memberIDs: memberIDs) } catch { throw service.mapStoreError(error) }
    }

    func references(ids: [String]) async throws(SCIMError) -> [String: MemberRecord] {
        do { return try await store.references(tenantID: tenantID, ids: ids) } catch { throw service.mapStoreError(error) }
    }

    func list(query: StoreQuery) async throws(SCIMError) -> StoreListResult {
        do { return try await store.list(tenantID: tenantID, query: query) } catch { throw service.mapStoreError(error) }
    }

    func exactList(query: StoreQuery) async throws(SCIMError) -> StoreListResult? {
        do { return try await store.exactList(tenantID: tenantID, query: query) } catch { throw service.mapStoreError(error) }
    }

    func groupCounts(userIDs: [String]) async throws(SCIMError) -> [String: Int] {
        do { return try await store.groupCounts(tenantID: tenantID, userIDs: userIDs) } catch { throw service.mapStoreError(error) }
    }
}

extension SCIMService {
    /// The store, scoped to `request`'s tenant, failing with SCIM errors.
    func store(_ request: SCIMRequest) -> TenantStore {
        TenantStore(store: store, tenantID: request.tenant.id, service: self)
    }
}
