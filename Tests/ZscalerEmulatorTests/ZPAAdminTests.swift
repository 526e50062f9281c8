import Foundation
import Testing
import ZscalerEmulator

/// ZPA's admin API: `/signin`, IdP controller, read-only SCIM group/attribute APIs, limits (§8).
@Suite struct ZPAAdminTests {
    static let seed: SeedFixture = {
        var seed = SeedFixture.generated(userCount: 3, scimUserCount: 5)
        seed.zpa.idps[0].scimGroups = (0..<25).map { index in
            SeedFixture.SCIMGroup(
                id: "group-\(index)", adminId: 3_251_000 + index, displayName: "SCIM Group \(index)", externalId: nil,
                members: index == 0 ? ["00000000-0000-4000-8000-000000000000"] : [])
        }
        return seed
    }()

    var customer: String { SeedFixture.testCredentials.zpaCustomerId }
    var idp: String { SeedFixture.testCredentials.zpaIdpId }

    @Test func signinReturnsAStringExpiry() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let form = "client_id=\(h.credentials.zpaClientId)&client_secret=\(h.credentials.zpaClientSecret)"
            let reply = try await h.send(.POST, "/signin", body: form, contentType: "application/x-www-form-urlencoded")
            #expect(reply.status == 200)
            #expect(reply.object["expires_in"] as? String == "3600")
            #expect(reply.object["token_type"] as? String == "Bearer")
            let wrong = try await h.send(
                .POST, "/signin", body: "client_id=x&client_secret=y", contentType: "application/x-www-form-urlencoded")
            #expect(wrong.status == 401 && wrong.object["id"] as? String == "access.denied")
            #expect(try await h.send(.POST, "/signin", json: ["client_id": "x"]).status == 400)
            let token = try #require(reply.object["access_token"] as? String)
            #expect(try await h.send(.POST, "/signout", headers: [("Authorization", "Bearer \(token)")]).status == 200)
            #expect(
                try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp", headers: [("Authorization", "Bearer \(token)")])
                    .status == 401)
        }
    }

    @Test func idpControllerListsIdPsWithTheirSCIMEndpoint() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let bearer = [("Authorization", try await h.zpaToken())]
            let list = try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp", headers: bearer).object
            #expect(list["totalCount"] as? String == "1")
            #expect(list["totalPages"] as? String == "1")
            let idp = try #require((list["list"] as? [[String: Any]])?.first)
            #expect(idp["id"] as? String == self.idp)
            #expect(idp["scimServiceProviderEndpoint"] as? String == "\(h.base)/scim/1/\(self.idp)/v2")
            #expect(idp["scimEnabled"] as? Bool == true)
            #expect(idp["signSamlRequest"] as? String == "0")
            #expect(((idp["userMetadata"] as? [String: Any])?["spEntityId"] as? String)?.hasSuffix("/auth/metadata/\(self.idp)") == true)
            let one = try await h.send(.GET, "/mgmtconfig/v1/admin/customers/\(customer)/idp/\(self.idp)", headers: bearer)
            #expect(one.object["name"] as? String == "Generated IdP")
            let missing = try await h.send(.GET, "/mgmtconfig/v1/admin/customers/\(customer)/idp/1", headers: bearer)
            #expect(missing.status == 400 && missing.object["id"] as? String == "resource.not.found")
            #expect(missing.object["params"] as? [String] == ["1"])
            #expect(try await h.send(.GET, "/mgmtconfig/v2/admin/customers/999/idp", headers: bearer).status == 401)
            #expect(try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp?pagesize=501", headers: bearer).status == 400)
        }
    }

    @Test func scimGroupsUseNumbersAndPageBy20() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let bearer = [("Authorization", try await h.zpaToken())]
            let page = try await h.send(
                .GET, "/userconfig/v1/customers/\(customer)/scimgroup/idpId/\(idp)?sortBy=id&sortOrder=ASC", headers: bearer
            ).object
            #expect(page["totalCount"] as? Int == 25)
            #expect(page["totalPages"] as? Int == 2)
            let items = try #require(page["list"] as? [[String: Any]])
            #expect(items.count == 20)
            #expect(items.first?["id"] as? Int == 3_251_000)
            #expect(items.first?["internalId"] as? String == "group-0")
            let searched = try await h.send(
                .GET, "/userconfig/v1/customers/\(customer)/scimgroup/idpId/\(idp)?search=Group%2012", headers: bearer
            ).object
            #expect(searched["totalCount"] as? Int == 1)
            let one = try await h.send(.GET, "/userconfig/v1/customers/\(customer)/scimgroup/3251003", headers: bearer)
            #expect(one.object["name"] as? String == "SCIM Group 3")
            // Read-only: no write routes.
            #expect(
                try await h.send(.POST, "/userconfig/v1/customers/\(customer)/scimgroup/idpId/\(idp)", headers: bearer, json: ["name": "x"])
                    .status == 404)
        }
    }

    @Test func scimAttributesAndTheirValues() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let bearer = [("Authorization", try await h.zpaToken())]
            let attributes = try await h.send(
                .GET, "/mgmtconfig/v1/admin/customers/\(customer)/idp/\(idp)/scimattribute?pagesize=100", headers: bearer
            ).object
            let list = try #require(attributes["list"] as? [[String: Any]])
            let userName = try #require(list.first { $0["name"] as? String == "userName" })
            let id = try #require(userName["id"] as? String)
            #expect(
                try await h.send(.GET, "/mgmtconfig/v1/admin/customers/\(customer)/idp/\(idp)/scimattribute/\(id)", headers: bearer).status
                    == 200)
            let values = try await h.send(
                .GET, "/userconfig/v1/customers/\(customer)/scimattribute/idpId/\(idp)/attributeId/\(id)", headers: bearer
            ).object
            #expect(values["totalCount"] as? Int == 5)
            #expect((values["list"] as? [String])?.contains("user1@example.com") == true)
        }
    }

    @Test func readLimitIs20Per10SecondsWithRetryAfterInSeconds() async throws {
        try await withEmulator(seed: Self.seed, { $0.rateLimits.enforce = true }) { h in
            let bearer = [("Authorization", try await h.zpaToken())]
            for _ in 0..<20 {
                #expect(try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp", headers: bearer).status == 200)
            }
            let refused = try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp", headers: bearer)
            #expect(refused.status == 429)
            #expect(refused.object["id"] as? String == "invalid.toomanyrequests")
            #expect(refused.object["reason"] as? String == "Exceeded the number of requests allowed.")
            #expect(refused.header("retry-after")?.range(of: #"^\d+s$"#, options: .regularExpression) != nil)
        }
    }

    @Test func oneAPITokensReachZPAUnderZpaPrefix() async throws {
        try await withEmulator(seed: Self.seed) { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            let reply = try await h.send(.GET, "/zpa/mgmtconfig/v2/admin/customers/\(customer)/idp", headers: bearer)
            #expect(reply.status == 200 && reply.header("x-ratelimit-limit") != nil)
            #expect(try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp", headers: bearer).status == 401)
        }
    }
}
