import Crypto
import Foundation
import Logging
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMStoreSQLite
import Testing

/// A user's write-only `password` (issue 8, defect 3): never in the database in the clear, never
/// returned, sent to ZIA once on create, then forgotten.
@Suite("Passwords", .serialized)
struct PasswordTests {
    /// Every byte of the database and its `-wal`/`-shm` files.
    static func databaseBytes(_ path: String) -> [UInt8] {
        [path, path + "-wal", path + "-shm"].flatMap { (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: $0)))) ?? [] }
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard n.count <= haystack.count else { return false }
        return (0...(haystack.count - n.count)).contains { i in haystack[i..<(i + n.count)].elementsEqual(n) }
    }

    @Test("a password is sealed apart from the attributes, never returned, used for the ZIA create, then forgotten")
    func sealedUsedForgotten() async throws {
        try await BridgeHarness.with { h in
            let secret = "Kx9!quartz-Velvet-\(UInt32.random(in: 0...UInt32.max))"
            let (status, created) = try await h.scim(
                .POST, "/Users",
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"pat@example.com","password":"\#(secret)"}"#)
            #expect(status == 201)
            #expect(created["password"] == nil)
            let id = try #require(created["id"]?.stringValue)
            #expect(!Self.contains(Self.databaseBytes(h.store.path), secret), "the password is in the database files in the clear")
            let stored = try await h.store.resource(tenantID: h.tenant.id, kind: .user, id: id)
            #expect(stored?.attributes["password"] == nil)

            try await h.waitUntilConverged()
            #expect(h.ziaUser("pat@example.com") != nil)
            // Created with it, so not kept any more.
            #expect(try await h.store.sealedPassword(tenantID: h.tenant.id, userID: id) == nil)
            let (_, read) = try await h.scim(.GET, "/Users/\(id)")
            #expect(read["password"] == nil)
            #expect(!Self.contains(Self.databaseBytes(h.store.path), secret))
        }
    }

    @Test("the client's password is the one ZIA gets: one ZIA refuses fails the user with ZIA's reason")
    func clientPasswordReachesZIA() async throws {
        try await BridgeHarness.with { h in
            // Too short for the emulator's policy (8): a generated password would have passed.
            let (status, created) = try await h.scim(
                .POST, "/Users",
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"sam@example.com","password":"Ab1!"}"#)
            #expect(status == 201)
            let id = try #require(created["id"]?.stringValue)
            let deadline = ContinuousClock.now + .seconds(30)
            var state: String?
            while ContinuousClock.now < deadline {
                state = try await h.store.syncRecord(tenantID: h.tenant.id, kind: .user, scimID: id)?.status.state.rawValue
                if state == "failed" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(state == "failed")
            let record = try await h.store.syncRecord(tenantID: h.tenant.id, kind: .user, scimID: id)
            #expect(record?.status.lastError?.contains("password") == true)
            #expect(h.ziaUser("sam@example.com") == nil)
            // Not used yet, so still kept (sealed) for a retry.
            #expect(try await h.store.sealedPassword(tenantID: h.tenant.id, userID: id) != nil)
            // A PATCH with a good password replaces it; the retry creates the user.
            #expect(try await h.patch("Users", id, #"{"op":"replace","path":"password","value":"Str0ng!Passw0rd"}"#) == 200)
            try await h.waitUntilConverged()
            #expect(h.ziaUser("sam@example.com") != nil)
            #expect(try await h.store.sealedPassword(tenantID: h.tenant.id, userID: id) == nil)
        }
    }

    @Test("PATCH remove password forgets the kept one; a password set once the ZIA user exists is not kept")
    func withdrawnAndLate() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-password-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteDirectoryStore(path: dir.appendingPathComponent("zscim.sqlite").path)
        let tenant = Tenant(id: "tid-acme", name: "acme", created: .now())
        try await store.createTenant(tenant)
        var configuration = ServiceConfiguration(cursorSecret: Array(repeating: 3, count: 32))
        configuration.passwordSealer = SecretBox(key: SymmetricKey(size: .bits256))
        let service = try SCIMService(
            store: store, registry: try SchemaRegistry.load(directory: BridgeHarness.schemasPath), configuration: configuration,
            logger: Logger(label: "test"))
        let request = SCIMRequest(tenant: tenant, baseURL: "https://scim.example.com/scim/v2")
        func body(_ text: String) throws -> JSONValue { try JSONParser().parse(Array(text.utf8)) }
        func patch(_ id: String, _ operation: String) async throws {
            _ = try await service.patch(
                request, kind: .user, id: id,
                body: try body(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[\#(operation)]}"#))
        }
        let created = try await service.create(
            request, kind: .user,
            body: try body(
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"kim@example.com","password":"Str0ng!Passw0rd"}"#))
        let id = try #require(created.body["id"]?.stringValue)
        #expect(try await store.sealedPassword(tenantID: tenant.id, userID: id) != nil)
        try await patch(id, #"{"op":"remove","path":"password"}"#)
        #expect(try await store.sealedPassword(tenantID: tenant.id, userID: id) == nil)
        try await patch(id, #"{"op":"replace","path":"password","value":"An0ther!Passw0rd"}"#)
        #expect(try await store.sealedPassword(tenantID: tenant.id, userID: id) != nil)
        try await patch(id, #"{"op":"replace","value":{"password":null}}"#)
        #expect(try await store.sealedPassword(tenantID: tenant.id, userID: id) == nil)

        // Linked to a ZIA user: the bridge never sends a password again, so none is kept.
        let row = try #require(try await store.syncRecord(tenantID: tenant.id, kind: .user, scimID: id))
        try await store.recordSync(
            tenantID: tenant.id, kind: .user, scimID: id, generation: row.generation,
            .synced(zscalerID: 4242, observed: nil, markMembers: false), at: .now())
        try await patch(id, #"{"op":"replace","path":"password","value":"Th1rd!Passw0rd"}"#)
        #expect(try await store.sealedPassword(tenantID: tenant.id, userID: id) == nil)
        // Blanking the required userName through PATCH is refused like on create.
        for blank in [#"" ""#, #""""#] {
            do {
                try await patch(id, #"{"op":"replace","path":"userName","value":\#(blank)}"#)
                Issue.record("userName \(blank) was patched in")
            } catch let error as SCIMError {
                #expect(error.status == 400 && error.scimType == .invalidValue)
            }
        }
        #expect(
            try await store.resource(tenantID: tenant.id, kind: .user, id: id)?.attributes["userName"]?.stringValue == "kim@example.com")
    }
}
