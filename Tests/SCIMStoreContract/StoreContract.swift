import SCIMBridge
import SCIMCore

/// The behaviour every `DirectoryStore` must have, as named checks. Each store's test target runs
/// every check against a fresh store (`@Test(arguments: StoreContract.checks)`), so SQLite and
/// PostgreSQL are held to the same contract.
public enum StoreContract {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Check: Sendable, CustomStringConvertible {
        public let name: String
        public let run: @Sendable (any DirectoryStore) async throws -> Void
        public var description: String { name }
    }

    static func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw Failure(description: message()) }
    }

    static func expectError(_ expected: StoreError, _ body: () async throws(StoreError) -> Void) async throws {
        do {
            try await body()
            throw Failure(description: "expected \(expected), nothing was thrown")
        } catch let error as StoreError {
            switch (error, expected) {
            case (.uniqueness(let a), .uniqueness(let b)): try expect(a == b, "expected uniqueness on \(b), got on \(a)")
            case (.versionConflict, .versionConflict), (.notFound, .notFound), (.tenantExists, .tenantExists): break
            default: throw Failure(description: "expected \(expected), got \(error)")
            }
        }
    }

    static let t0 = SCIMDateTime("2026-01-01T00:00:00Z")!

    static func tenant(_ name: String) -> Tenant { Tenant(id: "tid-\(name)", name: name, created: t0) }

    static func user(_ id: String, _ userName: String, emails: [String] = [], externalId: String? = nil, modified: SCIMDateTime = t0)
        -> StoredResource
    {
        var a = JSONObject([("schemas", .array([.string(SchemaURN.user)])), ("userName", .string(userName))])
        if !emails.isEmpty { a["emails"] = .array(emails.map { .object(JSONObject([("value", .string($0))])) }) }
        if let externalId { a["externalId"] = .string(externalId) }
        return StoredResource(kind: .user, id: id, version: 1, created: t0, lastModified: modified, attributes: a)
    }

    static func group(_ id: String, _ name: String) -> StoredResource {
        StoredResource(
            kind: .group, id: id, version: 1, created: t0, lastModified: t0,
            attributes: JSONObject([("schemas", .array([.string(SchemaURN.group)])), ("displayName", .string(name))]))
    }

    static func setUp(_ store: any DirectoryStore, _ names: String...) async throws {
        for name in names { try await store.createTenant(tenant(name)) }
    }

    public static let checks: [Check] = [
        Check(name: "tenants are created once, listed, found by name, and deleted with everything they own") { store in
            try await setUp(store, "acme", "globex")
            try await expectError(.tenantExists("acme")) { () async throws(StoreError) in try await store.createTenant(tenant("acme")) }
            try expect(try await store.tenants().map(\.name) == ["acme", "globex"], "tenant list")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "a@x"), expectedVersion: nil))
            try await store.addToken(TokenRecord(tenantID: "tid-acme", hash: [1, 2, 3], created: t0))
            try await store.deleteTenant(id: "tid-acme")
            try expect(try await store.tenant(named: "acme") == nil, "deleted tenant still found")
            try expect(try await store.tenant(forTokenHash: [1, 2, 3]) == nil, "deleted tenant's token still works")
            // A new tenant with the old name starts empty.
            try await store.createTenant(tenant("acme"))
            try expect(try await store.resource(tenantID: "tid-acme", kind: .user, id: "u1") == nil, "resource survived its tenant")
        },
        Check(name: "a token finds only its own tenant, and removed tokens stop working") { store in
            try await setUp(store, "acme", "globex")
            try await store.addToken(TokenRecord(tenantID: "tid-acme", hash: Array(repeating: 7, count: 32), created: t0))
            try await store.addToken(TokenRecord(tenantID: "tid-globex", hash: Array(repeating: 8, count: 32), created: t0))
            try expect(try await store.tenant(forTokenHash: Array(repeating: 7, count: 32))?.name == "acme", "token → tenant")
            try expect(try await store.tenant(forTokenHash: Array(repeating: 9, count: 32)) == nil, "unknown token")
            try expect(try await store.tokens(tenantID: "tid-acme").count == 1, "token listing")
            try await store.removeToken(tenantID: "tid-acme", hash: Array(repeating: 7, count: 32))
            try expect(try await store.tenant(forTokenHash: Array(repeating: 7, count: 32)) == nil, "removed token")
        },
        Check(name: "userName is unique per tenant, case-insensitively and ignoring surrounding spaces") { store in
            try await setUp(store, "acme", "globex")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "Bob@X.com"), expectedVersion: nil))
            try await expectError(.uniqueness(.userName)) { () async throws(StoreError) in
                try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u2", " bob@x.COM "), expectedVersion: nil))
            }
            // Another tenant may have the same user name.
            try await store.write(tenantID: "tid-globex", ResourceWrite(resource: user("u2", "bob@x.com"), expectedVersion: nil))
        },
        Check(name: "writes check the expected version; a stale one is a conflict") { store in
            try await setUp(store, "acme")
            var u = user("u1", "a@x")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: u, expectedVersion: nil))
            u.version = 2
            u.attributes["displayName"] = "A"
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: u, expectedVersion: 1))
            u.version = 3
            try await expectError(.versionConflict(current: 2)) { () async throws(StoreError) in
                try await store.write(tenantID: "tid-acme", ResourceWrite(resource: u, expectedVersion: 1))
            }
            let stored = try await store.resource(tenantID: "tid-acme", kind: .user, id: "u1")
            try expect(stored?.version == 2 && stored?.attributes["displayName"] == .string("A"), "stored state")
            try await expectError(.notFound) { () async throws(StoreError) in
                try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("nope", "n@x"), expectedVersion: 1))
            }
        },
        Check(name: "another tenant's resources are unreachable by id, list and membership") { store in
            try await setUp(store, "acme", "globex")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "a@x"), expectedVersion: nil))
            try expect(try await store.resource(tenantID: "tid-globex", kind: .user, id: "u1") == nil, "get across tenants")
            try expect(try await store.list(tenantID: "tid-globex", query: StoreQuery(kind: .user)).total == 0, "list across tenants")
            try expect(try await store.references(tenantID: "tid-globex", ids: ["u1"]).isEmpty, "references across tenants")
            try expect(
                try await store.delete(tenantID: "tid-globex", kind: .user, id: "u1", expectedVersion: nil) == false,
                "delete across tenants")
        },
        Check(name: "membership steps apply in order as deltas, and both directions are answered") { store in
            try await setUp(store, "acme")
            for i in 1...4 {
                try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u\(i)", "u\(i)@x"), expectedVersion: nil))
            }
            var g = group("g1", "Eng")
            let m = { (i: Int) in MemberRecord(id: "u\(i)", kind: .user, display: "U\(i)") }
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: g, expectedVersion: nil, membership: [.add([m(1), m(2)])]))
            g.version = 2
            try await store.write(
                tenantID: "tid-acme",
                ResourceWrite(resource: g, expectedVersion: 1, membership: [.remove(["u1"]), .add([m(3), m(2)]), .add([m(4)])]))
            try expect(try await store.members(tenantID: "tid-acme", groupID: "g1").map(\.id) == ["u2", "u3", "u4"], "members after steps")
            try expect(try await store.groups(tenantID: "tid-acme", memberIDs: ["u3", "u1"])["u3"]?.map(\.id) == ["g1"], "reverse lookup")
            g.version = 3
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: g, expectedVersion: 2, membership: [.replace([m(1)])]))
            try expect(try await store.members(tenantID: "tid-acme", groupID: "g1").map(\.id) == ["u1"], "replace")
            g.version = 4
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: g, expectedVersion: 3, membership: [.removeAll]))
            try expect(try await store.members(tenantID: "tid-acme", groupID: "g1").isEmpty, "remove all")
        },
        Check(name: "deleting a user removes it from its groups and moves their version") { store in
            try await setUp(store, "acme")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "a@x"), expectedVersion: nil))
            try await store.write(
                tenantID: "tid-acme",
                ResourceWrite(resource: group("g1", "Eng"), expectedVersion: nil, membership: [.add([MemberRecord(id: "u1", kind: .user)])])
            )
            try expect(try await store.delete(tenantID: "tid-acme", kind: .user, id: "u1", expectedVersion: nil), "deleted")
            try expect(try await store.members(tenantID: "tid-acme", groupID: "g1").isEmpty, "membership left behind")
            try expect(try await store.resource(tenantID: "tid-acme", kind: .group, id: "g1")?.version == 2, "group version")
            try expect(try await store.delete(tenantID: "tid-acme", kind: .user, id: "u1", expectedVersion: nil) == false, "second delete")
        },
        Check(name: "a group displayName is unique when the write asks for it") { store in
            try await setUp(store, "acme")
            try await store.write(
                tenantID: "tid-acme", ResourceWrite(resource: group("g1", "Eng"), expectedVersion: nil, uniqueDisplayName: true))
            try await expectError(.uniqueness(.displayName)) { () async throws(StoreError) in
                try await store.write(
                    tenantID: "tid-acme", ResourceWrite(resource: group("g2", "ENG"), expectedVersion: nil, uniqueDisplayName: true))
            }
            try await store.write(
                tenantID: "tid-acme", ResourceWrite(resource: group("g3", "ENG"), expectedVersion: nil, uniqueDisplayName: false))
        },
        Check(name: "indexed conditions narrow lists, and totals ignore the window") { store in
            try await setUp(store, "acme")
            let later = SCIMDateTime("2026-06-01T12:00:00.250Z")!
            try await store.write(
                tenantID: "tid-acme",
                ResourceWrite(
                    resource: user("u1", "Ann@x", emails: ["Ann@Work.test", "a@home.test"], externalId: "E1"), expectedVersion: nil))
            try await store.write(
                tenantID: "tid-acme",
                ResourceWrite(
                    resource: user("u2", "bob@x", emails: ["bob@work.test"], externalId: "e1", modified: later), expectedVersion: nil))
            try await store.write(
                tenantID: "tid-acme",
                ResourceWrite(resource: group("g1", "Eng"), expectedVersion: nil, membership: [.add([MemberRecord(id: "u2", kind: .user)])])
            )
            func ids(_ conditions: [IndexedCondition], kind: ResourceKind = .user) async throws -> [String] {
                try await store.list(tenantID: "tid-acme", query: StoreQuery(kind: kind, conditions: conditions)).resources.map(
                    \.resource.id)
            }
            try expect(try await ids([.userNameEquals("ann@x")]) == ["u1"], "userName key")
            try expect(try await ids([.externalIDEquals("E1")]) == ["u1"], "externalId is exact")
            try expect(try await ids([.emailEquals("ann@work.test")]) == ["u1"], "email key")
            try expect(try await ids([.idEquals("u2")]) == ["u2"], "id")
            try expect(
                try await ids([.lastModified(.gt, SCIMDateTime("2026-06-01T12:00:00.2501Z")!)]).contains("u2"), "lastModified only narrows")
            try expect(try await ids([.lastModified(.lt, SCIMDateTime("2026-03-01T00:00:00Z")!)]) == ["u1"], "lastModified lt")
            try expect(try await ids([.hasMember("u2")], kind: .group) == ["g1"], "hasMember")
            try expect(try await ids([.displayNameEquals("eng")], kind: .group) == ["g1"], "displayName key")
            let page = try await store.list(
                tenantID: "tid-acme", query: StoreQuery(kind: .user, sort: .userName(ascending: false), offset: 0, limit: 1))
            try expect(page.total == 2 && page.resources.map(\.resource.id) == ["u2"], "sorted window with total")
            let after = try await store.list(
                tenantID: "tid-acme",
                query: StoreQuery(
                    kind: .user, limit: 10,
                    afterSequence: page.resources.isEmpty
                        ? 0 : try await store.list(tenantID: "tid-acme", query: StoreQuery(kind: .user, limit: 1)).resources[0].sequence))
            try expect(after.resources.map(\.resource.id) == ["u2"] && after.total == 2, "keyset after the first")
        },
        Check(name: "a user list can carry each user's groups, read with it") { store in
            try await setUp(store, "acme")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "a@x"), expectedVersion: nil))
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u2", "b@x"), expectedVersion: nil))
            try await store.write(
                tenantID: "tid-acme",
                ResourceWrite(resource: group("g1", "Eng"), expectedVersion: nil, membership: [.add([MemberRecord(id: "u1", kind: .user)])])
            )
            var query = StoreQuery(kind: .user)
            query.includeGroups = true
            let result = try await store.list(tenantID: "tid-acme", query: query)
            try expect(result.groups["u1"] == [GroupReference(id: "g1", display: "Eng")], "u1's groups")
            try expect(result.groups["u2"] == nil, "u2 has none")
            try expect(try await store.list(tenantID: "tid-acme", query: StoreQuery(kind: .user)).groups.isEmpty, "not asked, not read")
        },
        Check(name: "membership deltas apply without a version check and move the group's version") { store in
            try await setUp(store, "acme")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "a@x"), expectedVersion: nil))
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: group("g1", "Eng"), expectedVersion: nil))
            let later = SCIMDateTime("2026-02-01T00:00:00Z")!
            let v2 = try await store.applyMembership(
                tenantID: "tid-acme", groupID: "g1", steps: [.add([MemberRecord(id: "u1", kind: .user)])], lastModified: later)
            let v3 = try await store.applyMembership(tenantID: "tid-acme", groupID: "g1", steps: [], lastModified: later)
            try expect(v2 == 2 && v3 == 3, "versions \(v2) \(v3)")
            let g = try await store.resource(tenantID: "tid-acme", kind: .group, id: "g1")
            try expect(g?.lastModified == later && g?.attributes["displayName"] == "Eng", "attributes untouched, lastModified moved")
            try expect(try await store.members(tenantID: "tid-acme", groupID: "g1").map(\.id) == ["u1"], "member added")
            try await expectError(.notFound) { () async throws(StoreError) in
                _ = try await store.applyMembership(tenantID: "tid-acme", groupID: "nope", steps: [], lastModified: later)
            }
            try await expectError(.notFound) { () async throws(StoreError) in
                _ = try await store.applyMembership(tenantID: "tid-other", groupID: "g1", steps: [], lastModified: later)
            }
        },
        Check(name: "references report kind and a display name, and only for existing ids") { store in
            try await setUp(store, "acme")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "a@x"), expectedVersion: nil))
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: group("g1", "Eng"), expectedVersion: nil))
            let refs = try await store.references(tenantID: "tid-acme", ids: ["u1", "g1", "nope"])
            try expect(refs.count == 2, "only existing")
            try expect(refs["u1"] == MemberRecord(id: "u1", kind: .user, display: "a@x"), "user reference")
            try expect(refs["g1"] == MemberRecord(id: "g1", kind: .group, display: "Eng"), "group reference")
        },
        Check(name: "a member must exist when the commit adds it; the whole commit fails otherwise") { store in
            try await setUp(store, "acme", "globex")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "a@x"), expectedVersion: nil))
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: group("g1", "Eng"), expectedVersion: nil))
            try await store.write(tenantID: "tid-globex", ResourceWrite(resource: user("g-u", "g@x"), expectedVersion: nil))
            // Deleted between the service's lookup and the commit (a concurrent DELETE /Users/u1).
            _ = try await store.delete(tenantID: "tid-acme", kind: .user, id: "u1", expectedVersion: nil)
            for steps: [MembershipStep] in [
                [.add([MemberRecord(id: "u1", kind: .user)])], [.replace([MemberRecord(id: "u1", kind: .user)])],
                // Another tenant's user is no member either.
                [.add([MemberRecord(id: "g-u", kind: .user)])],
            ] {
                do {
                    _ = try await store.applyMembership(tenantID: "tid-acme", groupID: "g1", steps: steps, lastModified: t0)
                    throw Failure(description: "\(steps) was committed")
                } catch let error as StoreError {
                    guard case .missingMember = error else { throw Failure(description: "expected missingMember, got \(error)") }
                }
            }
            try expect(try await store.members(tenantID: "tid-acme", groupID: "g1").isEmpty, "no dangling member")
            try expect(try await store.resource(tenantID: "tid-acme", kind: .group, id: "g1")?.version == 1, "group untouched")
            do {
                try await store.write(
                    tenantID: "tid-acme",
                    ResourceWrite(
                        resource: group("g2", "Ops"), expectedVersion: nil, membership: [.add([MemberRecord(id: "u1", kind: .user)])]))
                throw Failure(description: "a new group with a missing member was created")
            } catch let error as StoreError {
                guard case .missingMember("u1") = error else { throw Failure(description: "expected missingMember(u1), got \(error)") }
            }
            try expect(try await store.resource(tenantID: "tid-acme", kind: .group, id: "g2") == nil, "no half-created group")
        },
        Check(name: "concurrent commits each get their own outcome: duplicates fail alone, the rest are all kept", run: concurrentCommits),
        Check(name: "userName is unique and found whatever its Unicode normal form and case") { store in
            try await setUp(store, "acme")
            try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u1", "jos\u{00E9}@x.com"), expectedVersion: nil))
            try await expectError(.uniqueness(.userName)) { () async throws(StoreError) in
                try await store.write(tenantID: "tid-acme", ResourceWrite(resource: user("u2", "JOSE\u{0301}@x.com"), expectedVersion: nil))
            }
            for spelling in ["jose\u{0301}@x.com", "Jos\u{00C9}@X.com", " jos\u{00E9}@x.com "] {
                let found = try await store.list(
                    tenantID: "tid-acme", query: StoreQuery(kind: .user, conditions: [.userNameEquals(StoredResource.key(spelling)!)]))
                try expect(found.resources.map(\.resource.id) == ["u1"], "\(spelling.unicodeScalars.map(\.value)) finds u1")
            }
        },
    ]

    /// 40 creates at once, every fifth a duplicate userName of the one before it (a group commit
    /// must give each its own outcome).
    static func concurrentCommits(_ store: any DirectoryStore) async throws {
        try await setUp(store, "acme")
        let outcomes = await withTaskGroup(of: (Int, Bool).self, returning: [Int: Bool].self) { group in
            for i in 0..<40 {
                group.addTask {
                    let name = i % 5 == 4 ? "user\(i - 1)@x" : "user\(i)@x"
                    let write = ResourceWrite(resource: user("u\(i)", name), expectedVersion: nil)
                    let ok = (try? await store.write(tenantID: "tid-acme", write)) != nil
                    return (i, ok)
                }
            }
            var all: [Int: Bool] = [:]
            for await (i, ok) in group { all[i] = ok }
            return all
        }
        for pair in 0..<8 {
            let a = pair * 5 + 3
            let b = pair * 5 + 4
            try expect(outcomes[a] != outcomes[b], "exactly one of u\(a) and u\(b) (same userName) is kept")
        }
        let kept = outcomes.filter { $0.value }.map(\.key)
        try expect(kept.count == 32, "32 of 40 kept, got \(kept.count)")
        let listed = try await store.list(tenantID: "tid-acme", query: StoreQuery(kind: .user))
        try expect(listed.total == 32, "32 stored, got \(listed.total)")
        for i in kept {
            let stored = try await store.resource(tenantID: "tid-acme", kind: .user, id: "u\(i)")
            try expect(stored != nil, "u\(i) was acknowledged but is missing")
        }
        try expect(try await store.auditEntries(tenantID: "tid-acme", limit: 100).count == 32, "one audit entry per kept change")
    }
}
