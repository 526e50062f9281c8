import Foundation
import SCIMBridge
import SCIMCore
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
}
