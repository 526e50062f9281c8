import Foundation
import Testing
import ZscalerEmulator

/// ZPA's per-IdP SCIM server (§9.2).
@Suite struct ZPASCIMTests {
    static let seed = SeedFixture.generated(userCount: 2, scimUserCount: 150)
    var path: String { "/scim/1/\(SeedFixture.testCredentials.zpaIdpId)/v2" }
    var auth: [(String, String)] { [("Authorization", "Bearer \(SeedFixture.testCredentials.zpaSCIMToken)")] }
    static let scimType = "application/scim+json"

    func user(_ userName: String, active: Any = true) -> [String: Any] {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": userName, "displayName": "D \(userName)",
            "active": active,
            "name": ["givenName": "G", "familyName": "F"], "emails": [["value": userName, "type": "work", "primary": true]],
            "groups": [["value": "ignored"]], "phoneNumbers": [["value": "+1 555"]],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": ["department": "Engineering"],
        ]
    }

    func patch(_ operations: [[String: Any]]) -> [String: Any] {
        ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations]
    }

    @Test func requiresTheIdPsToken() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let none = try await h.send(.GET, "\(path)/Users")
            #expect(none.status == 401 && none.header("Content-Type") == Self.scimType)
            #expect(try await h.send(.GET, "\(path)/Users", headers: [("Authorization", "Bearer wrong")]).status == 401)
            #expect(try await h.send(.GET, "/scim/1/123/v2/Users", headers: auth).status == 401)
        }
    }

    @Test func createKeepsDocumentedAttributesAndIgnoresGroups() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let created = try await h.send(.POST, "\(path)/Users", headers: auth, json: user("new@example.com"), contentType: Self.scimType)
            #expect(created.status == 201)
            let id = try #require(created.object["id"] as? String)
            #expect(created.object["groups"] == nil && created.object["phoneNumbers"] == nil)
            #expect(
                (created.object["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as? [String: Any])?["department"] as? String
                    == "Engineering")
            #expect((created.object["meta"] as? [String: Any])?["location"] as? String == "\(h.base)\(path)/Users/\(id)")
            let duplicate = try await h.send(
                .POST, "\(path)/Users", headers: auth, json: user("NEW@example.com"), contentType: Self.scimType)
            #expect(duplicate.status == 409 && duplicate.object["scimType"] as? String == "uniqueness")
            #expect(try await h.send(.POST, "\(path)/Users", headers: auth, json: ["displayName": "no userName"]).status == 400)
            #expect(try await h.send(.POST, "\(path)/Users", headers: auth, body: "{", contentType: Self.scimType).status == 400)
            // The documented examples send "active": "true" as a string; it is accepted.
            #expect(try await h.send(.POST, "\(path)/Users", headers: auth, json: user("s@example.com", active: "true")).status == 201)
        }
    }

    @Test func listPagesWithCountDefault10AndMax100() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let first = try await h.send(.GET, "\(path)/Users", headers: auth).object
            #expect(first["totalResults"] as? Int == 150)
            #expect((first["Resources"] as? [Any])?.count == 10)
            let big = try await h.send(.GET, "\(path)/Users?count=500&startIndex=101", headers: auth).object
            #expect((big["Resources"] as? [Any])?.count == 50)
            #expect(big["startIndex"] as? Int == 101)
            let clamped = try await h.send(.GET, "\(path)/Users?count=500", headers: auth).object
            #expect(clamped["itemsPerPage"] as? Int == 100)
            let filtered = try await h.send(.GET, "\(path)/Users?filter=userName%20eq%20%22USER7@example.com%22", headers: auth).object
            #expect(filtered["totalResults"] as? Int == 1)
            let badFilter = try await h.send(.GET, "\(path)/Users?filter=userName%20co%20%22x%22", headers: auth)
            #expect(badFilter.status == 400 && badFilter.object["scimType"] as? String == "invalidFilter")
        }
    }

    @Test func oversizedCountIsRefusedWhenConfigured() async throws {
        try await withEmulator(seed: Self.seed, { $0.zpa.scimRejectOversizedCount = true }) { h async throws in
            #expect(try await h.send(.GET, "\(path)/Users?count=101", headers: auth).object["scimType"] as? String == "tooMany")
        }
    }

    @Test func inactiveMeansDeleted() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let id = try #require(
                try await h.send(.POST, "\(path)/Users", headers: auth, json: user("leaver@example.com")).object["id"] as? String)
            let replaced = try await h.send(
                .PATCH, "\(path)/Users/\(id)", headers: auth, json: patch([["op": "Replace", "path": "active", "value": "False"]]))
            #expect(replaced.status == 204 && replaced.body.isEmpty)
            #expect(try await h.send(.GET, "\(path)/Users/\(id)", headers: auth).status == 404)
            var body = user("leaver2@example.com")
            let second = try #require(try await h.send(.POST, "\(path)/Users", headers: auth, json: body).object["id"] as? String)
            body["active"] = false
            #expect(try await h.send(.PUT, "\(path)/Users/\(second)", headers: auth, json: body).status == 200)
            #expect(try await h.send(.GET, "\(path)/Users/\(second)", headers: auth).status == 404)
        }
    }

    @Test func patchUserAttributes() async throws {
        try await withEmulator(seed: Self.seed, { $0.zpa.scimUserPatchReturnsBody = true }) { h in
            let id = try #require(
                try await h.send(.POST, "\(path)/Users", headers: auth, json: user("p@example.com")).object["id"] as? String)
            let patched = try await h.send(
                .PATCH, "\(path)/Users/\(id)", headers: auth,
                json: patch([
                    ["op": "replace", "path": "displayName", "value": "Renamed"],
                    ["op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Sales"],
                    ["op": "replace", "path": "emails[type eq \"work\"].value", "value": "p2@example.com"],
                    ["op": "add", "value": ["title": "Engineer"]],
                    ["op": "remove", "path": "name.givenName"],
                ]))
            #expect(patched.status == 200)
            #expect(patched.object["displayName"] as? String == "Renamed")
            #expect(patched.object["title"] as? String == "Engineer")
            #expect(((patched.object["emails"] as? [[String: Any]])?.first)?["value"] as? String == "p2@example.com")
            #expect((patched.object["name"] as? [String: Any])?["givenName"] == nil)
            #expect(
                (patched.object["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as? [String: Any])?["department"] as? String
                    == "Sales")
            let bad = try await h.send(
                .PATCH, "\(path)/Users/\(id)", headers: auth,
                json: ["Operations": [["op": "replace", "path": "displayName", "value": "x"]]])
            #expect(bad.status == 400)
            #expect(try await h.send(.DELETE, "\(path)/Users/\(id)", headers: auth).status == 204)
            #expect(try await h.send(.DELETE, "\(path)/Users/\(id)", headers: auth).status == 404)
        }
    }

    @Test func groupMembershipOnlyThroughGroups() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let a = "00000000-0000-4000-8000-000000000001"
            let b = "00000000-0000-4000-8000-000000000002"
            let created = try await h.send(
                .POST, "\(path)/Groups", headers: auth, json: ["displayName": "Engineers", "members": [["value": a]]])
            #expect(created.status == 201)
            let id = try #require(created.object["id"] as? String)
            let added = try await h.send(
                .PATCH, "\(path)/Groups/\(id)", headers: auth, json: patch([["op": "add", "path": "members", "value": [["value": b]]]]))
            #expect(added.status == 204 && added.body.isEmpty)
            let fetched = try await h.send(.GET, "\(path)/Groups/\(id)", headers: auth).object
            #expect((fetched["members"] as? [[String: Any]])?.compactMap { $0["value"] as? String } == [a, b])
            let listed = try await h.send(.GET, "\(path)/Groups", headers: auth).object
            #expect(((listed["Resources"] as? [[String: Any]])?.first)?["members"] == nil)
            let excluded = try await h.send(.GET, "\(path)/Groups/\(id)?excludeAttributes=members", headers: auth).object
            #expect(excluded["members"] == nil && excluded["displayName"] != nil)
            _ = try await h.send(
                .PATCH, "\(path)/Groups/\(id)", headers: auth, json: patch([["op": "remove", "path": "members[value eq \"\(a)\"]"]]))
            _ = try await h.send(
                .PATCH, "\(path)/Groups/\(id)", headers: auth, json: patch([["op": "remove", "path": "members", "value": [["value": b]]]]))
            #expect((try await h.send(.GET, "\(path)/Groups/\(id)", headers: auth).object["members"] as? [Any])?.isEmpty == true)
            let unknownMember = try await h.send(
                .PATCH, "\(path)/Groups/\(id)", headers: auth,
                json: patch([["op": "add", "path": "members", "value": [["value": "nobody"]]]]))
            #expect(unknownMember.status == 400)
            _ = try await h.send(.POST, "\(path)/Groups", headers: auth, json: ["displayName": "Zebra"])
            let sorted = try await h.send(.GET, "\(path)/Groups?sortBy=displayName&sortOrder=descending", headers: auth).object
            #expect(((sorted["Resources"] as? [[String: Any]])?.first)?["displayName"] as? String == "Zebra")
            #expect(try await h.send(.POST, "\(path)/Groups", headers: auth, json: ["displayName": "engineers"]).status == 409)
            #expect(try await h.send(.DELETE, "\(path)/Groups/\(id)", headers: auth).status == 204)
        }
    }
}
