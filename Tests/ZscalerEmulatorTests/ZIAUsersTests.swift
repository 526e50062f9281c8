import Foundation
import Testing
import ZscalerEmulator

/// `/users` over the legacy API: listing, filters, create/replace/delete rules, bulkDelete.
@Suite struct ZIAUsersTests {
    /// Generated fixture: admin 20000000, synced 20000001/2, users 40000000… in groups 24000001…,
    /// departments 25000001…; `Service Admin` is 24000000 / 25000000.
    static let seed = SeedFixture.generated(userCount: 150, groupCount: 6, departmentCount: 4)

    func newUser(_ email: String, groups: [Int] = [24_000_001], department: Int = 25_000_001) -> [String: Any] {
        [
            "name": "Test \(email)", "email": email, "groups": groups.map { ["id": $0] }, "department": ["id": department],
            "password": "Str0ng!Passw0rd",
        ]
    }

    @Test func listIsABareArrayWithDefaultPageSize100AndOneBasedPages() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let first = try await h.send(.GET, "/api/v1/users", headers: cookie)
            #expect(first.status == 200)
            #expect(first.array.count == 100)
            #expect(first.array.first?["id"] as? Int == 20_000_000)
            let second = try await h.send(.GET, "/api/v1/users?page=2", headers: cookie)
            #expect(second.array.count == 53)
            let big = try await h.send(.GET, "/api/v1/users?pageSize=10000", headers: cookie)
            #expect(big.array.count == 153)
            let beyond = try await h.send(.GET, "/api/v1/users?page=9&pageSize=100", headers: cookie)
            #expect(beyond.status == 200 && beyond.array.isEmpty)
            let tooBig = try await h.send(.GET, "/api/v1/users?pageSize=10001", headers: cookie)
            #expect(tooBig.status == 400 && tooBig.object["code"] as? String == "INVALID_INPUT_ARGUMENT")
            #expect(try await h.send(.GET, "/api/v1/users?page=0", headers: cookie).status == 400)
            #expect(try await h.send(.GET, "/api/v1/users?pageSize=abc", headers: cookie).status == 400)
        }
    }

    @Test func userJSONHasTheRecordedShape() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let user = try await h.send(.GET, "/api/v1/users/40000000", headers: cookie).object
            #expect(user["email"] as? String == "user1@example.com")
            #expect(user["adminUser"] as? Bool == false)
            #expect(user["deleted"] as? Bool == false)
            #expect(user["isNonEditable"] as? Bool == false)
            #expect(user["pilotUser"] as? Bool == false)
            #expect(user["pwdLastModifiedTime"] as? Int == 0)
            #expect(user["disabled"] == nil)  // only present when true
            #expect(user["comments"] == nil)
            #expect(user["password"] == nil)
            let groups = try #require(user["groups"] as? [[String: Any]])
            #expect(groups.allSatisfy { Set($0.keys) == ["id", "name"] })
            #expect((user["department"] as? [String: Any])?["name"] as? String == "Department 1")
        }
    }

    @Test func filtersNameSubstringDeptAndGroupPrefixAndIgnoresSearch() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let named = try await h.send(.GET, "/api/v1/users?name=ser%2012&pageSize=1000", headers: cookie).array.compactMap {
                $0["name"] as? String
            }
            #expect(
                Set(named) == [
                    "User 12", "User 120", "User 121", "User 122", "User 123", "User 124", "User 125", "User 126", "User 127", "User 128",
                    "User 129",
                ])
            let dept = try await h.send(.GET, "/api/v1/users?dept=department%202&pageSize=1000", headers: cookie).array
            #expect(!dept.isEmpty && dept.allSatisfy { ($0["department"] as? [String: Any])?["name"] as? String == "Department 2" })
            // A prefix, not a substring.
            #expect(try await h.send(.GET, "/api/v1/users?dept=partment&pageSize=1000", headers: cookie).array.isEmpty)
            let group = try await h.send(.GET, "/api/v1/users?group=Group%203&pageSize=1000", headers: cookie).array
            #expect(
                !group.isEmpty
                    && group.allSatisfy { (($0["groups"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "Group 3" } })
            let searched = try await h.send(.GET, "/api/v1/users?search=nobody-matches-this", headers: cookie)
            #expect(searched.array.count == 100)
        }
    }

    @Test func createReturnsTheUserAndLeavesChangesPending() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            var body = newUser("ada@example.com", groups: [24_000_001, 24_000_002])
            body["comments"] = "provisioned by bridge"
            let created = try await h.send(.POST, "/api/v1/users", headers: cookie, json: body)
            #expect(created.status == 200)
            let id = try #require(created.object["id"] as? Int)
            #expect(id >= 10_000_000 && id < 1_000_000_000)
            #expect(created.object["comments"] as? String == "provisioned by bridge")
            #expect((created.object["groups"] as? [Any])?.count == 2)
            #expect(try await h.send(.GET, "/api/v1/status", headers: cookie).object["status"] as? String == "PENDING")
            let fetched = try await h.send(.GET, "/api/v1/users/\(id)", headers: cookie)
            #expect(fetched.object["email"] as? String == "ada@example.com")
        }
    }

    @Test func createRefusesMissingFieldsForeignDomainsDuplicatesAndTooManyGroups() async throws {
        let seed = SeedFixture.generated(userCount: 5, groupCount: 130, departmentCount: 2)
        try await withEmulator(seed: seed) { h in
            let cookie = [("Cookie", try await h.login())]
            for field in ["name", "email", "groups", "department", "password"] {
                var body = newUser("missing.\(field)@example.com")
                body[field] = nil
                let reply = try await h.send(.POST, "/api/v1/users", headers: cookie, json: body)
                #expect(reply.status == 400, "missing \(field)")
                #expect(reply.object["message"] as? String == "\(field) cannot be null")
            }
            let foreign = try await h.send(.POST, "/api/v1/users", headers: cookie, json: newUser("x@not-our-domain.com"))
            #expect(foreign.status == 400 && foreign.object["code"] as? String == "INVALID_INPUT_ARGUMENT")
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: newUser("no-at-sign")).status == 400)
            let duplicate = try await h.send(.POST, "/api/v1/users", headers: cookie, json: newUser("USER1@example.com"))
            #expect(duplicate.status == 409 && duplicate.object["code"] as? String == "DUPLICATE_ITEM")
            let tooMany = try await h.send(
                .POST, "/api/v1/users", headers: cookie, json: newUser("many@example.com", groups: Array(24_000_001...24_000_128)))
            #expect(tooMany.status == 400)
            let most = try await h.send(
                .POST, "/api/v1/users", headers: cookie, json: newUser("most@example.com", groups: Array(24_000_001...24_000_127)))
            #expect(most.status == 200)
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: newUser("g@example.com", groups: [99])).status == 400)
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: newUser("d@example.com", department: 99)).status == 400)
            var weak = newUser("weak@example.com")
            weak["password"] = "password"
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: weak).status == 400)
            var wrongType = newUser("type@example.com")
            wrongType["groups"] = "24000001"
            #expect(
                try await h.send(.POST, "/api/v1/users", headers: cookie, json: wrongType).text
                    == #"{"message":"Request body is invalid."}"#)
            var admin = newUser("admin2@example.com")
            admin["adminUser"] = true
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: admin).status == 400)
        }
    }

    @Test func putReplacesTheWholeUserAndKeepsEmailImmutable() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            var user = try await h.send(.GET, "/api/v1/users/40000000", headers: cookie).object
            user["groups"] = [["id": 24_000_005]]
            user["comments"] = "moved"
            let updated = try await h.send(.PUT, "/api/v1/users/40000000", headers: cookie, json: user)
            #expect(updated.status == 200)
            #expect((updated.object["groups"] as? [[String: Any]])?.map { $0["id"] as? Int } == [24_000_005])
            user["email"] = "renamed@example.com"
            let renamed = try await h.send(.PUT, "/api/v1/users/40000000", headers: cookie, json: user)
            #expect(renamed.status == 400 && renamed.object["message"] as? String == "email cannot be changed")
            // Full replace: a field left out is cleared.
            user["email"] = "user1@example.com"
            user["comments"] = nil
            let cleared = try await h.send(.PUT, "/api/v1/users/40000000", headers: cookie, json: user)
            #expect(cleared.object["comments"] == nil)
            #expect(try await h.send(.PUT, "/api/v1/users/999", headers: cookie, json: user).status == 404)
        }
    }

    @Test func adminAndDirectorySyncedUsersAreProtected() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let admin = try await h.send(.DELETE, "/api/v1/users/20000000", headers: cookie)
            #expect(admin.status == 403 && admin.object["code"] as? String == "INVALID_OPERATION")
            let synced = try await h.send(.DELETE, "/api/v1/users/20000001", headers: cookie)
            #expect(synced.status == 403)
            var body = try await h.send(.GET, "/api/v1/users/20000001", headers: cookie).object
            body["name"] = "Changed"
            #expect(try await h.send(.PUT, "/api/v1/users/20000001", headers: cookie, json: body).status == 403)
        }
    }

    @Test func deleteAnswers204AndUnknownIds404WithoutBody() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let deleted = try await h.send(.DELETE, "/api/v1/users/40000003", headers: cookie)
            #expect(deleted.status == 204 && deleted.body.isEmpty)
            let again = try await h.send(.GET, "/api/v1/users/40000003", headers: cookie)
            #expect(again.status == 404 && again.body.isEmpty)
            #expect(try await h.send(.GET, "/api/v1/users/not-a-number", headers: cookie).status == 404)
        }
    }

    @Test func bulkDeleteTakesAtMost500IdsAndReturnsThoseDeleted() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let tooMany = try await h.send(.POST, "/api/v1/users/bulkDelete", headers: cookie, json: ["ids": Array(1...501)])
            #expect(tooMany.status == 400 && tooMany.object["code"] as? String == "INVALID_INPUT_ARGUMENT")
            #expect(try await h.send(.POST, "/api/v1/users/bulkDelete", headers: cookie, json: ["ids": [Int]()]).status == 400)
            let ids = [40_000_010, 40_000_011, 20_000_000, 20_000_001, 123]
            let reply = try await h.send(.POST, "/api/v1/users/bulkDelete", headers: cookie, json: ["ids": ids])
            #expect(reply.status == 200)
            #expect(reply.object["ids"] as? [Int] == [40_000_010, 40_000_011])
            let full = try await h.send(.POST, "/api/v1/users/bulkDelete", headers: cookie, json: ["ids": Array(40_000_020..<40_000_520)])
            #expect((full.object["ids"] as? [Int])?.count == 130)
        }
    }

    @Test func referencesAndAuditors() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let references = try await h.send(.GET, "/api/v1/users/references?name=User%201", headers: cookie).array
            #expect(!references.isEmpty && references.allSatisfy { Set($0.keys) == ["id", "name"] })
            #expect(try await h.send(.GET, "/api/v1/users/references?pageSize=101", headers: cookie).status == 400)
            let withAdmins = try await h.send(.GET, "/api/v1/users/references?includeAdminUsers=true&pageSize=100", headers: cookie).array
            #expect(withAdmins.first?["id"] as? Int == 20_000_000)
            #expect(try await h.send(.GET, "/api/v1/users/auditors", headers: cookie).array.isEmpty)
        }
    }
}
