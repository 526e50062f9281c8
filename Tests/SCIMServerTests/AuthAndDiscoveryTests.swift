import HTTPTypes
import HummingbirdTesting
import SCIMCore
import Testing

@Suite("Authentication, tenants and discovery")
struct AuthAndDiscoveryTests {
    @Test("no token, a wrong scheme or a wrong token is 401 with WWW-Authenticate")
    func unauthorized() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            for token in [nil, "nope", "zscim_forged"] as [String?] {
                let r = try await client.call(.get, "/scim/v2/Users", token: token)
                #expect(r.status == .unauthorized)
                #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            let basic = try await client.call(.get, "/scim/v2/Users", token: nil, headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test("a tenant's token does not open another tenant's URL or data")
    func isolation() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let id = try await client.createUser("ann@acme.test", token: h.acmeToken)
            #expect(try await client.call(.get, "/tenants/acme/scim/v2/Users/\(id)", token: h.acmeToken).status == .ok)
            #expect(try await client.call(.get, "/tenants/globex/scim/v2/Users/\(id)", token: h.acmeToken).status == .unauthorized)
            #expect(try await client.call(.get, "/tenants/acme/scim/v2/Users/\(id)", token: h.globexToken).status == .unauthorized)
            #expect(try await client.call(.get, "/scim/v2/Users/\(id)", token: h.globexToken).status == .notFound)
            #expect(
                try await client.call(.get, "/scim/v2/Users?filter=userName%20eq%20%22ann@acme.test%22", token: h.globexToken).total == 0)
            #expect(try await client.call(.delete, "/scim/v2/Users/\(id)", token: h.globexToken).status == .notFound)
            #expect(try await client.call(.get, "/scim/v2/Users/\(id)", token: h.acmeToken).status == .ok)
        }
    }

    @Test("discovery tells the truth about the service's limits")
    func serviceProviderConfig() async throws {
        let h = try await ServerHarness { $0.maxResults = 250 }
        try await h.run { client in
            let r = try await client.call(.get, "/scim/v2/ServiceProviderConfig", token: nil)
            #expect(r.status == .ok)
            #expect(r["patch"]?["supported"] == .bool(true))
            #expect(r["filter"]?["maxResults"] == 250)
            #expect(r["bulk"]?["maxOperations"] == 1000)
            #expect(r["etag"]?["supported"] == .bool(true))
            #expect(r["changePassword"]?["supported"] == .bool(false))
            #expect(r["pagination"]?["cursor"] == .bool(true))
            #expect(r["meta"]?["location"]?.stringValue?.hasSuffix("/scim/v2/ServiceProviderConfig") == true)
        }
    }

    @Test("resource types and schemas are listed and found by id; unknown ids are 404; writes are 405")
    func resourceTypesAndSchemas() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let types = try await client.call(.get, "/scim/v2/ResourceTypes", token: nil)
            #expect(types.total == 2)
            #expect(try await client.call(.get, "/scim/v2/ResourceTypes/User", token: nil)["endpoint"] == "/Users")
            let schemas = try await client.call(.get, "/scim/v2/Schemas", token: nil)
            #expect(schemas.ids.contains("urn:ietf:params:scim:schemas:core:2.0:User"))
            #expect(schemas.ids.contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"))
            let user = try await client.call(.get, "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", token: nil)
            #expect(user["attributes"]?.arrayValue?.contains { $0["name"] == "userName" } == true)
            #expect(user["attributes"]?.arrayValue?.contains { $0["name"] == "id" } == false)
            #expect(try await client.call(.get, "/scim/v2/Schemas/urn:nope", token: nil).status == .notFound)
            #expect(try await client.call(.get, "/scim/v2/ResourceTypes/Device", token: nil).status == .notFound)
            #expect(try await client.call(.post, "/scim/v2/Schemas", token: h.acmeToken, body: "{}").status == .methodNotAllowed)
            #expect(try await client.call(.get, "/scim/v2/Schemas?filter=id%20pr", token: nil).status == .forbidden)
        }
    }

    @Test("discovery can require a token")
    func discoveryWithToken() async throws {
        var harness = try await ServerHarness()
        harness.serverConfiguration.anonymousDiscovery = false
        let h = harness
        try await h.run { client in
            let anonymous = try await client.call(.get, "/scim/v2/Schemas", token: nil)
            let authenticated = try await client.call(.get, "/scim/v2/Schemas", token: h.acmeToken)
            #expect(anonymous.status == .unauthorized)
            #expect(authenticated.status == .ok)
        }
    }

    @Test("health and readiness")
    func health() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let health = try await client.call(.get, "/healthz", token: nil)
            #expect(health.status == .ok)
            // Readiness is whether the store answered a probe in time; on a host stalled longer
            // than the probe's deadline one answer can be 503, so it is asked again.
            // (Its 503 body is a probe's answer, not a SCIM error, so it is read raw.)
            var ready = try await client.execute(uri: "/readyz", method: .get, headers: [:], body: nil).status
            for _ in 0..<10 where ready != .ok {
                try await Task.sleep(for: .milliseconds(300))
                ready = try await client.execute(uri: "/readyz", method: .get, headers: [:], body: nil).status
            }
            #expect(ready == .ok)
            #expect(try await client.call(.get, "/readyz", token: nil).status == .ok)
        }
    }

    @Test("unknown routes are SCIM 404s, wrong methods SCIM 405s, /Me is 501")
    func routing() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            #expect(try await client.call(.get, "/nope", token: nil).status == .notFound)
            #expect(try await client.call(.get, "/scim/v2/Devices", token: h.acmeToken).status == .notFound)
            #expect(try await client.call(.get, "/scim/v2/Users/a/b", token: h.acmeToken).status == .notFound)
            let r = try await client.call(.delete, "/scim/v2/Users", token: h.acmeToken)
            #expect(r.status == .methodNotAllowed)
            #expect(r.headers[.allow] == "GET, POST")
            #expect(try await client.call(.get, "/scim/v2/Me", token: h.acmeToken).status == .notImplemented)
        }
    }
}
