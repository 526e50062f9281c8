import Foundation
import Testing
import ZscalerEmulator

/// ZIdentity's token endpoint and the ZIA routes under `/zia/api/v1` with bearer tokens (§7).
@Suite struct OneAPITests {
    static let audience = "audience=https%3A%2F%2Fapi.zscaler.com"

    func form(_ h: Harness, secret: String? = nil, audience: Bool = true) -> String {
        "grant_type=client_credentials&client_id=\(h.credentials.oneAPIClientId)&client_secret=\(secret ?? h.credentials.oneAPIClientSecret)"
            + (audience ? "&\(Self.audience)" : "")
    }

    @Test func tokenHasBearerTypeNumericExpiryAndJWTShape() async throws {
        try await withEmulator { h in
            let reply = try await h.send(.POST, "/oauth2/v1/token", body: form(h), contentType: "application/x-www-form-urlencoded")
            #expect(reply.status == 200)
            #expect(reply.object["token_type"] as? String == "Bearer")
            #expect(reply.object["expires_in"] as? Int == 3600)
            let token = try #require(reply.object["access_token"] as? String)
            #expect(token.split(separator: ".").count == 3)
            #expect(reply.header("Cache-Control") == "no-store")
        }
    }

    @Test func tokenRequiresAudienceGrantTypeAndTheRightSecret() async throws {
        try await withEmulator { h in
            let noAudience = try await h.send(
                .POST, "/oauth2/v1/token", body: form(h, audience: false), contentType: "application/x-www-form-urlencoded")
            #expect(noAudience.status == 400 && noAudience.object["error"] as? String == "invalid_request")
            let wrong = try await h.send(
                .POST, "/oauth2/v1/token", body: form(h, secret: "nope"), contentType: "application/x-www-form-urlencoded")
            #expect(wrong.status == 400 && wrong.object["error"] as? String == "invalid_client")
            let grant = try await h.send(
                .POST, "/oauth2/v1/token", body: "grant_type=password&\(Self.audience)", contentType: "application/x-www-form-urlencoded")
            #expect(grant.object["error"] as? String == "unsupported_grant_type")
            #expect(try await h.send(.POST, "/oauth2/v1/token", json: ["grant_type": "client_credentials"]).status == 400)
            let basic = Data("\(h.credentials.oneAPIClientId):\(h.credentials.oneAPIClientSecret)".utf8).base64EncodedString()
            let viaBasic = try await h.send(
                .POST, "/oauth2/v1/token", headers: [("Authorization", "Basic \(basic)")],
                body: "grant_type=client_credentials&\(Self.audience)", contentType: "application/x-www-form-urlencoded")
            #expect(viaBasic.status == 200)
        }
    }

    @Test func bearerTokenServesZIARoutesWithGatewayHeaders() async throws {
        try await withEmulator { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            let users = try await h.send(.GET, "/zia/api/v1/users?pageSize=5", headers: bearer)
            #expect(users.status == 200 && users.array.count == 5)
            #expect(users.header("x-ratelimit-limit") == "5000, 5000;w=60")
            #expect(users.header("x-ratelimit-remaining") == "4999")
            #expect(users.header("x-oneapi-request-id") != nil)
            let noToken = try await h.send(.GET, "/zia/api/v1/users")
            #expect(noToken.status == 401)
            #expect(noToken.text == #"{"detail":"unauthorized","type":"","title":"","status":""}"#)
            #expect(noToken.header("x-oneapi-api-category") == "public")
            // A JSESSIONID does not open OneAPI, and a bearer token does not open the legacy API.
            let cookie = try await h.login()
            #expect(try await h.send(.GET, "/zia/api/v1/users", headers: [("Cookie", cookie)]).status == 401)
            #expect(try await h.send(.GET, "/api/v1/users", headers: bearer).object["code"] as? String == "SESSION_NOT_VALID")
        }
    }

    @Test func tokensExpireUnderTheTimeScale() async throws {
        // 400 Zscaler seconds at 0.01 = 4 s (reported as expires_in 4): long enough that the first
        // use is inside the lifetime even while the whole suite loads both cores.
        var seed = SeedFixture.generated(userCount: 3)
        seed.oneAPI.clients[0].tokenLifetimeSeconds = 400
        try await withEmulator(seed: seed, { $0.timeScale = 0.01 }) { h in
            let reply = try await h.send(.POST, "/oauth2/v1/token", body: form(h), contentType: "application/x-www-form-urlencoded")
            #expect(reply.object["expires_in"] as? Int == 4)
            let bearer = [("Authorization", "Bearer \(reply.object["access_token"] as! String)")]
            #expect(try await h.send(.GET, "/zia/api/v1/status", headers: bearer).status == 200)
            try await Task.sleep(for: .milliseconds(4500))
            #expect(try await h.send(.GET, "/zia/api/v1/status", headers: bearer).status == 401)
        }
    }
}
