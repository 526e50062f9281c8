import Foundation
import SCIMBridge
import SCIMCore
import SCIMStoreSQLite
import Synchronization

/// The product store itself (`SQLiteDirectoryStore`, on GRDB) doing the same operations through
/// the `DirectoryStore` protocol: what the raw GRDB figures cost once JSON serialisation and
/// parsing, index-key derivation and the protocol's shapes are added.
final class ProductStoreDriver: StoreDriver {
    let name = "SQLiteDirectoryStore"
    let path: String
    let store: SQLiteDirectoryStore
    let user: StoredResource
    /// The big group's version: every member write moves it on (the store checks it).
    let groupVersion = Mutex(1)

    init() throws {
        path = try Fixture.copy(for: "store")
        store = try SQLiteDirectoryStore(path: path)
        guard case .object(let attributes) = try JSONParser.parse(HotPathSQL.attributes(0)) else {
            throw StoreError.unavailable("the user template is not an object")
        }
        let now = SCIMDateTime.now()
        user = StoredResource(kind: .user, id: "", version: 1, created: now, lastModified: now, attributes: attributes)
    }

    /// The store has no close call: its pool closes when the process ends. The file is
    /// deleted now (SQLite keeps working on an open, unlinked file until then).
    func close() async throws {
        Fixture.remove(path)
    }

    func writeUser(_ n: Int) async throws {
        var resource = user
        resource.id = HotPathSQL.userID(n)
        resource.attributes["userName"] = .string(HotPathSQL.userNameKey(n))
        resource.attributes["emails"] = .array([.object(JSONObject([("type", "work"), ("value", .string(HotPathSQL.userNameKey(n)))]))])
        _ = try await store.commit(tenantID: HotPathSQL.tenantID, Change(.put(ResourceWrite(resource: resource, expectedVersion: nil)), at: SCIMDateTime.now(), action: "seed"))
    }

    func lookupUserName(_ key: String) async throws -> String? {
        // The query the service's scan sends for `userName eq` (first batch).
        let query = StoreQuery(kind: .user, conditions: [.userNameEquals(key)], limit: 2000)
        return try await store.list(tenantID: HotPathSQL.tenantID, query: query).resources.first?.resource.id
    }

    func fetch(id: String) async throws -> String? {
        try await store.resource(tenantID: HotPathSQL.tenantID, kind: .user, id: id)?.id
    }

    func addMembers(_ ids: [String]) async throws {
        let version = groupVersion.withLock { v in
            v += 1
            return v - 1
        }
        let now = SCIMDateTime.now()
        let group = StoredResource(
            kind: .group, id: HotPathSQL.bigGroupID, version: version + 1, created: now, lastModified: now,
            attributes: JSONObject([("schemas", .array(["urn:ietf:params:scim:schemas:core:2.0:Group"])), ("displayName", "All Employees")])
        )
        let records = ids.map { MemberRecord(id: $0, kind: .user, display: $0) }
        _ = try await store.commit(
            tenantID: HotPathSQL.tenantID, Change(.put(ResourceWrite(resource: group, expectedVersion: version, membership: [.add(records)])), at: SCIMDateTime.now(), action: "seed"))
    }
}
