import Foundation
import Testing
import ZscalerEmulator

/// Groups and departments: reads on both APIs, writes only through OneAPI (reference §4).
@Suite struct ZIAGroupsTests {
    @Test func listsSearchAndLiteViews() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            let groups = try await h.send(.GET, "/api/v1/groups", headers: cookie).array
            #expect(groups.count == 7)
            #expect(groups.first?["isSystemDefined"] as? Bool == true)
            let searched = try await h.send(.GET, "/api/v1/groups?search=generated%20group", headers: cookie).array
            #expect(searched.map { $0["name"] as? String } == ["Group 1", "Group 6"])  // matched on comments
            #expect(try await h.send(.GET, "/api/v1/groups?search=Default", headers: cookie).text == "[]")
            let lite = try await h.send(.GET, "/api/v1/groups/lite?pageSize=2&page=2", headers: cookie).array
            #expect(lite.map { $0["id"] as? Int } == [24_000_002, 24_000_003])
            #expect(try await h.send(.GET, "/api/v1/groups/24000003", headers: cookie).object["name"] as? String == "Group 3")
            #expect(try await h.send(.GET, "/api/v1/groups/lite/24000003", headers: cookie).status == 200)
            #expect(try await h.send(.GET, "/api/v1/groups/1", headers: cookie).status == 404)
            let byName = try await h.send(.GET, "/api/v1/groups?sortBy=name&sortOrder=desc", headers: cookie).array
            #expect(byName.first?["name"] as? String == "Service Admin")
        }
    }

    @Test func departmentsSearchWithLimitSearchAndLiteIds() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            #expect(try await h.send(.GET, "/api/v1/departments", headers: cookie).array.count == 5)
            #expect(try await h.send(.GET, "/api/v1/departments?search=department%203&limitSearch=true", headers: cookie).array.count == 1)
            let lite = try await h.send(.GET, "/api/v1/departments/lite?id=25000001&id=25000003", headers: cookie).array
            #expect(lite.map { $0["id"] as? Int } == [25_000_001, 25_000_003])
            #expect(try await h.send(.GET, "/api/v1/departments/25000002", headers: cookie).object["name"] as? String == "Department 2")
            #expect(try await h.send(.GET, "/api/v1/departments?limitSearch=maybe", headers: cookie).status == 400)
        }
    }

    @Test func legacyHostRefusesWritesAsOneAPIOnly() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            for (method, path) in [
                (HTTPMethodName.POST, "/api/v1/groups"), (.PUT, "/api/v1/groups/24000001"), (.DELETE, "/api/v1/departments/25000001"),
            ] {
                let reply = try await h.send(method.nio, path, headers: cookie, json: method == .DELETE ? nil : ["name": "X"])
                #expect(reply.status == 401)
                #expect(reply.text.contains("only through Zscaler OneAPI"))
                #expect(reply.header("Content-Type")?.hasPrefix("text/plain") == true)
            }
        }
    }

    @Test func oneAPICreatesUpdatesAndDeletesGroupsAndDepartments() async throws {
        try await withEmulator { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            let created = try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["name": "Quarantine"])
            #expect(created.status == 200)
            let id = try #require(created.object["id"] as? Int)
            #expect(Set(created.object.keys) == ["id", "name"])
            let renamed = try await h.send(.PUT, "/zia/api/v1/groups/\(id)", headers: bearer, json: ["name": "Quarantine 2"])
            #expect(renamed.object["name"] as? String == "Quarantine 2")
            let duplicate = try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["name": "group 1"])
            #expect(duplicate.status == 409 && duplicate.object["code"] as? String == "DUPLICATE_ITEM")
            #expect(try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["comments": "no name"]).status == 400)
            let deleted = try await h.send(.DELETE, "/zia/api/v1/groups/\(id)", headers: bearer)
            #expect(deleted.status == 204 && deleted.body.isEmpty)
            let department = try await h.send(.POST, "/zia/api/v1/departments", headers: bearer, json: ["name": "Legal", "comments": "c"])
            let departmentId = try #require(department.object["id"] as? Int)
            #expect(
                try await h.send(.PUT, "/zia/api/v1/departments/\(departmentId)", headers: bearer, json: ["name": "Legal & Compliance"])
                    .status == 200)
            #expect(try await h.send(.DELETE, "/zia/api/v1/departments/\(departmentId)", headers: bearer).status == 204)
        }
    }

    @Test func systemAndReferencedGroupsCannotBeDeleted() async throws {
        try await withEmulator { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            let system = try await h.send(.DELETE, "/zia/api/v1/groups/24000000", headers: bearer)
            #expect(system.status == 403 && system.object["code"] as? String == "INVALID_OPERATION")
            let used = try await h.send(.DELETE, "/zia/api/v1/groups/24000001", headers: bearer)
            #expect(used.status == 400 && used.object["code"] as? String == "RESOURCE_IN_USE")
            #expect((used.object["message"] as? String)?.hasPrefix("GROUP is associated with") == true)
            #expect(try await h.send(.DELETE, "/zia/api/v1/departments/25000001", headers: bearer).status == 400)
            #expect(try await h.send(.PUT, "/zia/api/v1/departments/25000000", headers: bearer, json: ["name": "x"]).status == 403)
        }
    }

    @Test func oneIdentityTenantsRefuseDirectoryWrites() async throws {
        try await withEmulator({ $0.zia.oneIdentityEnabled = true }) { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            let reply = try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["name": "X"])
            #expect(reply.status == 403)
            #expect(reply.text == #"{"code":"INVALID_OPERATION","message":"Not allowed for one identity enabled tenants"}"#)
        }
    }
}

/// Method names usable in `@Test` argument lists and loops.
enum HTTPMethodName: Equatable {
    case GET, POST, PUT, PATCH, DELETE
}
