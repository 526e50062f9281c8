import HTTPTypes
import HummingbirdTesting
import SCIMCore
import Testing

@Suite("/Users")
struct UserEndpointTests {
    static let entraCreate = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "externalId":"0a21f0f2","userName":"Test_User_ab6490ee@contoso.com","active":true,
         "emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b@contoso.com"}],"meta":{"resourceType":"User"},
         "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"4h5"}}
        """

    @Test("create, read, replace, patch, delete; then 404")
    func lifecycle() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let created = try await client.call(
                .post, "/scim/v2/Users", token: h.acmeToken, body: Self.entraCreate, contentType: "application/scim+json; charset=utf-8")
            #expect(created.status == .created)
            let id = try #require(created["id"]?.stringValue)
            #expect(
                created.headers[.location] == "http://localhost/scim/v2/Users/\(id)"
                    || created.headers[.location]?.hasSuffix("/scim/v2/Users/\(id)") == true)
            #expect(created.headers[.eTag] == "W/\"1\"")
            #expect(created["meta"]?["resourceType"] == "User")
            #expect(created["meta"]?["version"] == "W/\"1\"")
            #expect(created["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["employeeNumber"] == "701984")

            let read = try await client.call(.get, "/scim/v2/Users/\(id)", token: h.acmeToken)
            #expect(read["userName"] == "Test_User_ab6490ee@contoso.com")

            let put = try await client.call(
                .put, "/scim/v2/Users/\(id)", token: h.acmeToken,
                body:
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"\#(id)","userName":"Test_User_ab6490ee@contoso.com","displayName":"T","active":true}"#
            )
            #expect(put.status == .ok)
            #expect(put["displayName"] == "T")
            #expect(put["emails"] == nil)
            #expect(put.headers[.eTag] == "W/\"2\"")

            let patch = try await client.call(
                .patch, "/scim/v2/Users/\(id)", token: h.acmeToken,
                body:
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}"#
            )
            #expect(patch.status == .ok)
            #expect(patch["active"] == .bool(false))

            #expect(try await client.call(.delete, "/scim/v2/Users/\(id)", token: h.acmeToken).status == .noContent)
            let gone = try await client.call(.get, "/scim/v2/Users/\(id)", token: h.acmeToken)
            #expect(gone.status == .notFound)
            #expect(gone["detail"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("password is accepted, never returned")
    func password() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let id = try await client.createUser("pw@x.test", token: h.acmeToken, extra: #","password":"s3cret!""#)
            #expect(try await client.call(.get, "/scim/v2/Users/\(id)", token: h.acmeToken)["password"] == nil)
            #expect(
                try await client.call(.get, "/scim/v2/Users?attributes=password", token: h.acmeToken)["Resources"]?[0]?["password"] == nil)
        }
    }

    @Test("userName is unique per tenant, case-insensitively: 409 uniqueness")
    func uniqueness() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            _ = try await client.createUser("Bob@X.test", token: h.acmeToken)
            let again = try await client.call(
                .post, "/scim/v2/Users", token: h.acmeToken,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob@x.TEST"}"#)
            #expect(again.status == .conflict)
            #expect(again.scimType == "uniqueness")
            _ = try await client.createUser("bob@x.test", token: h.globexToken)
        }
    }

    @Test("ETags: If-Match mismatch is 412, If-None-Match current is 304")
    func etags() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let id = try await client.createUser("e@x.test", token: h.acmeToken)
            let stale: HTTPFields = [.ifMatch: "W/\"7\""]
            let body =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"T"}]}"#
            #expect(
                try await client.call(.patch, "/scim/v2/Users/\(id)", token: h.acmeToken, body: body, headers: stale).status
                    == .preconditionFailed)
            #expect(
                try await client.call(.delete, "/scim/v2/Users/\(id)", token: h.acmeToken, headers: stale).status == .preconditionFailed)
            #expect(
                try await client.call(.patch, "/scim/v2/Users/\(id)", token: h.acmeToken, body: body, headers: [.ifMatch: "W/\"1\""]).status
                    == .ok)
            #expect(
                try await client.call(.get, "/scim/v2/Users/\(id)", token: h.acmeToken, headers: [.ifNoneMatch: "W/\"2\""]).status
                    == .notModified)
            #expect(
                try await client.call(.get, "/scim/v2/Users/\(id)", token: h.acmeToken, headers: [.ifNoneMatch: "W/\"1\""]).status == .ok)
        }
    }

    @Test("bad bodies get the right SCIM error and change nothing")
    func badInput() async throws {
        let h = try await ServerHarness { $0.maxBodySize = 2048 }
        try await h.run { client in
            let broken = try await client.call(.post, "/scim/v2/Users", token: h.acmeToken, body: #"{"userName": "#)
            #expect(broken.status == .badRequest && broken.scimType == "invalidSyntax")
            #expect(broken["detail"]?.stringValue?.contains("line 1") == true)
            let big =
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","title":""# + String(repeating: "a", count: 4000)
                + #""}"#
            #expect(try await client.call(.post, "/scim/v2/Users", token: h.acmeToken, body: big).status == .contentTooLarge)
            #expect(
                try await client.call(.post, "/scim/v2/Users", token: h.acmeToken, body: "{}", contentType: "text/plain").status
                    == .unsupportedMediaType)
            #expect(
                try await client.call(
                    .post, "/scim/v2/Users", token: h.acmeToken, body: "{}", contentType: "application/json; charset=latin1"
                ).status == .unsupportedMediaType)
            #expect(
                try await client.call(.get, "/scim/v2/Users", token: h.acmeToken, headers: [.accept: "text/html"]).status == .notAcceptable)
            let noUserName = try await client.call(
                .post, "/scim/v2/Users", token: h.acmeToken,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"displayName":"x"}"#)
            #expect(noUserName.status == .badRequest && noUserName.scimType == "invalidValue")
            let badPatch = try await client.call(
                .patch, "/scim/v2/Users/\(try await client.createUser("p@x.test", token: h.acmeToken))", token: h.acmeToken,
                body:
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"ok"},{"op":"remove","path":"userName"}]}"#
            )
            #expect(badPatch.status == .badRequest && badPatch.scimType == "mutability")
            #expect(try await client.call(.get, "/scim/v2/Users?filter=title%20eq%20%22ok%22", token: h.acmeToken).total == 0)
            #expect(try await client.call(.get, "/scim/v2/Users", token: h.acmeToken).total == 1)
        }
    }

    @Test("an empty body on POST and a body that is not an object are invalidSyntax")
    func emptyBody() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let empty = try await client.call(.post, "/scim/v2/Users", token: h.acmeToken, body: "")
            let array = try await client.call(.post, "/scim/v2/Users", token: h.acmeToken, body: "[1]")
            #expect(empty.scimType == "invalidSyntax")
            #expect(array.scimType == "invalidSyntax")
        }
    }
}
