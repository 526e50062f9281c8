import Foundation
import Testing
import ZscalerEmulator

/// Query strings are form-decoded as Zscaler's Java servlets decode them: `+` and `%20` are both a
/// space, `%2B` is a plus, names are decoded too, and a malformed escape is a clear 400. Clients
/// such as pyzscaler (through `requests`) send `search=Service+Admin`.
@Suite struct QueryDecodingTests {
    /// Generated fixture: `Service Admin` is group 24000000 and department 25000000, the admin
    /// user 20000000 is in both; `Group 1` has the comment "Generated group 1".
    static let seed = SeedFixture.generated(userCount: 12, groupCount: 6, departmentCount: 4)

    func names(_ reply: Harness.Reply) -> [String] { reply.array.compactMap { $0["name"] as? String } }
    func ids(_ reply: Harness.Reply) -> [Int] { reply.array.compactMap { $0["id"] as? Int } }

    @Test(arguments: ["/api/v1", "/zia/api/v1"])
    func groupSearchDecodesPlusAndPercentTwentyAsSpace(base: String) async throws {
        try await withEmulator(seed: Self.seed) { h in
            let auth = try await authHeader(h, base: base)
            for path in ["groups", "groups/lite"] {
                let plus = try await h.send(.GET, "\(base)/\(path)?search=Service+Admin", headers: auth)
                #expect(plus.status == 200)
                #expect(names(plus) == ["Service Admin"], "\(path) search=Service+Admin")
                #expect(names(try await h.send(.GET, "\(base)/\(path)?search=Service%20Admin", headers: auth)) == ["Service Admin"])
                // Matched on comments ("Generated group 1", "Generated group 6").
                #expect(names(try await h.send(.GET, "\(base)/\(path)?search=generated+group", headers: auth)) == ["Group 1", "Group 6"])
            }
        }
    }

    @Test(arguments: ["/api/v1", "/zia/api/v1"])
    func departmentSearchDecodesPlusAsSpace(base: String) async throws {
        try await withEmulator(seed: Self.seed) { h in
            let auth = try await authHeader(h, base: base)
            for path in ["departments", "departments/lite"] {
                #expect(names(try await h.send(.GET, "\(base)/\(path)?search=Service+Admin", headers: auth)) == ["Service Admin"])
                let limited = try await h.send(.GET, "\(base)/\(path)?search=Department+3&limitSearch=true", headers: auth)
                #expect(names(limited) == ["Department 3"], "\(path)")
            }
        }
    }

    @Test func userFiltersDecodePlusAsSpace() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            #expect(ids(try await h.send(.GET, "/api/v1/users?dept=Service+Admin", headers: cookie)) == [20_000_000])
            #expect(ids(try await h.send(.GET, "/api/v1/users?group=Service+Admin", headers: cookie)) == [20_000_000])
            #expect(ids(try await h.send(.GET, "/api/v1/users?name=API+Admin", headers: cookie)) == [20_000_000])
            #expect(ids(try await h.send(.GET, "/api/v1/users?name=API%20Admin", headers: cookie)) == [20_000_000])
            let dept = try await h.send(.GET, "/api/v1/users?dept=Department+2", headers: cookie).array
            #expect(!dept.isEmpty && dept.allSatisfy { ($0["department"] as? [String: Any])?["name"] as? String == "Department 2" })
            let group = try await h.send(.GET, "/api/v1/users?group=Group+3", headers: cookie).array
            #expect(
                !group.isEmpty
                    && group.allSatisfy { (($0["groups"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "Group 3" } })
            let references = try await h.send(.GET, "/api/v1/users/references?name=Synced+One", headers: cookie)
            #expect(ids(references) == [20_000_001])
        }
    }

    @Test func namesAreDecodedAndPercentTwoBIsALiteralPlus() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            let created = try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["name": "C++ Developers"])
            #expect(created.status == 200)
            #expect(names(try await h.send(.GET, "/zia/api/v1/groups?search=C%2B%2B", headers: bearer)) == ["C++ Developers"])
            // `C++` is "C" and two spaces, which no group name contains.
            #expect(try await h.send(.GET, "/zia/api/v1/groups?search=C++", headers: bearer).text == "[]")
            // An encoded parameter name (`sort%42y` is `sortBy`) is decoded like its value.
            let sorted = try await h.send(.GET, "/zia/api/v1/groups?sort%42y=name&sortOrder=desc", headers: bearer)
            #expect(names(sorted).first == "Service Admin")
        }
    }

    @Test func zpaSearchDecodesPlusAsSpace() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let bearer = [("Authorization", try await h.zpaToken())]
            let customer = h.credentials.zpaCustomerId
            let list = try await h.send(
                .GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp?search=name+LIKE+Generated+IdP", headers: bearer)
            #expect(list.status == 200)
            #expect(list.object["totalCount"] as? String == "1")
        }
    }

    @Test func malformedPercentEncodingIsAClear400() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let cookie = [("Cookie", try await h.login())]
            let zia = try await h.sendRaw("GET /api/v1/groups?search=%ZZ HTTP/1.1", headers: cookie)
            #expect(zia.status == 400)
            #expect(zia.object["code"] as? String == "INVALID_INPUT_ARGUMENT")
            #expect((zia.object["message"] as? String)?.contains("percent-encoding") == true)
            let bearer = [("Authorization", try await h.zpaToken())]
            let customer = h.credentials.zpaCustomerId
            let zpa = try await h.sendRaw("GET /mgmtconfig/v2/admin/customers/\(customer)/idp?search=50% HTTP/1.1", headers: bearer)
            #expect(zpa.status == 400 && zpa.object["id"] as? String == "invalid.input")
            let scim = try await h.sendRaw(
                "GET /scim/1/\(h.credentials.zpaIdpId)/v2/Users?filter=%E9 HTTP/1.1",
                headers: [("Authorization", "Bearer \(h.credentials.zpaSCIMToken)")])
            #expect(scim.status == 400 && scim.object["scimType"] as? String == "invalidValue")
        }
    }

    private func authHeader(_ h: Harness, base: String) async throws -> [(String, String)] {
        base == "/api/v1" ? [("Cookie", try await h.login())] : [("Authorization", try await h.oneAPIToken())]
    }
}
