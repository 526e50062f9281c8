import HTTPTypes
import HummingbirdTesting
import SCIMCore
import Testing

@Suite("/Groups and membership")
struct GroupEndpointTests {
    static func patch(_ ops: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":\#(ops)}"#
    }

    @Test("members must exist; membership shows both ways; deleting a user leaves its groups")
    func membership() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let a = try await client.createUser("a@x.test", token: h.acmeToken, extra: #","displayName":"Ann""#)
            let b = try await client.createUser("b@x.test", token: h.acmeToken)
            let bad = try await client.call(
                .post, "/scim/v2/Groups", token: h.acmeToken,
                body:
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[{"value":"fake-member-id"}]}"#
            )
            #expect(bad.status == .badRequest && bad.scimType == "invalidValue")
            let g = try await client.createGroup("Eng", members: [a, b], token: h.acmeToken)
            let group = try await client.call(.get, "/scim/v2/Groups/\(g)", token: h.acmeToken)
            #expect(group["members"]?.arrayValue?.count == 2)
            #expect(group["members"]?[0]?["display"] == "Ann")
            #expect(group["members"]?[0]?["type"] == "User")
            let user = try await client.call(.get, "/scim/v2/Users/\(a)", token: h.acmeToken)
            #expect(user["groups"]?[0]?["value"] == .string(g))
            #expect(user["groups"]?[0]?["display"] == "Eng")
            #expect(try await client.call(.get, "/scim/v2/Groups?filter=members%20eq%20%22\(b)%22", token: h.acmeToken).ids == [g])
            #expect(try await client.call(.delete, "/scim/v2/Users/\(b)", token: h.acmeToken).status == .noContent)
            let after = try await client.call(.get, "/scim/v2/Groups/\(g)", token: h.acmeToken)
            #expect(after["members"]?.arrayValue?.map { $0["value"] } == [.string(a)])
            #expect(after.headers[.eTag] == "W/\"2\"")
        }
    }

    @Test("a group of another tenant's users cannot be made")
    func crossTenantMembers() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let foreign = try await client.createUser("f@x.test", token: h.globexToken)
            let r = try await client.call(
                .post, "/scim/v2/Groups", token: h.acmeToken,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[{"value":"\#(foreign)"}]}"#)
            #expect(r.scimType == "invalidValue")
        }
    }

    @Test("Entra and Okta membership PATCHes; with groupPatchNoContent a group PATCH answers 204 unless attributes are asked for")
    func clientPatches() async throws {
        let h = try await ServerHarness { $0.groupPatchNoContent = true }
        try await h.run { client in
            var users: [String] = []
            for i in 1...4 { users.append(try await client.createUser("m\(i)@x.test", token: h.acmeToken)) }
            let g = try await client.createGroup("Eng", members: [users[0], users[1]], token: h.acmeToken)
            let entraAdd = Self.patch(
                #"[{"op":"Add","path":"members","value":[{"$ref":null,"value":"\#(users[2])"},{"value":"\#(users[3])"}]}]"#)
            let added = try await client.call(.patch, "/scim/v2/Groups/\(g)", token: h.acmeToken, body: entraAdd)
            #expect(added.status == .noContent)
            #expect(added.headers[.eTag] == "W/\"2\"")
            let entraRemove = Self.patch(#"[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"\#(users[0])"}]}]"#)
            #expect(try await client.call(.patch, "/scim/v2/Groups/\(g)", token: h.acmeToken, body: entraRemove).status == .noContent)
            let okta = Self.patch(
                #"[{"op":"remove","path":"members[value eq \"\#(users[1])\"]"},{"op":"add","path":"members","value":[{"value":"\#(users[0])","display":"m1"}]}]"#
            )
            let withBody = try await client.call(.patch, "/scim/v2/Groups/\(g)?excludedAttributes=meta", token: h.acmeToken, body: okta)
            #expect(withBody.status == .ok)
            #expect(
                Set(withBody["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []) == Set([users[2], users[3], users[0]]))
            let missing = Self.patch(#"[{"op":"add","path":"members","value":[{"value":"fake-member-id"}]}]"#)
            #expect(try await client.call(.patch, "/scim/v2/Groups/\(g)", token: h.acmeToken, body: missing).scimType == "invalidValue")
            let byType = Self.patch(#"[{"op":"remove","path":"members[type eq \"User\"]"}]"#)
            #expect(try await client.call(.patch, "/scim/v2/Groups/\(g)", token: h.acmeToken, body: byType).status == .noContent)
            #expect(try await client.call(.get, "/scim/v2/Groups/\(g)", token: h.acmeToken)["members"] == nil)
            let rename = Self.patch(#"[{"op":"replace","value":{"id":"\#(g)","displayName":"Engineering"}}]"#)
            #expect(try await client.call(.patch, "/scim/v2/Groups/\(g)", token: h.acmeToken, body: rename).status == .noContent)
            #expect(
                try await client.call(.get, "/scim/v2/Groups/\(g)?excludedAttributes=members", token: h.acmeToken)["displayName"]
                    == "Engineering")
        }
    }

    @Test("by default a group PATCH answers 200 with the group, projected as asked")
    func patchAnswer() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let a = try await client.createUser("a@x.test", token: h.acmeToken)
            let g = try await client.createGroup("G", token: h.acmeToken)
            let add = Self.patch(#"[{"op":"add","path":"members","value":[{"value":"\#(a)"}]}]"#)
            let full = try await client.call(.patch, "/scim/v2/Groups/\(g)", token: h.acmeToken, body: add)
            #expect(full.status == .ok && full["members"]?[0]?["value"] == .string(a))
            let slim = try await client.call(
                .patch, "/scim/v2/Groups/\(g)?excludedAttributes=members", token: h.acmeToken,
                body: Self.patch(#"[{"op":"replace","path":"displayName","value":"H"}]"#))
            #expect(slim.status == .ok && slim["members"] == nil && slim["displayName"] == "H")
        }
    }

    @Test("group displayName is unique by default")
    func displayNameUnique() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            _ = try await client.createGroup("Eng", token: h.acmeToken)
            let r = try await client.call(
                .post, "/scim/v2/Groups", token: h.acmeToken,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"ENG"}"#)
            #expect(r.status == .conflict && r.scimType == "uniqueness")
        }
    }

    @Test("PUT replaces the member list; a PUT without members empties the group")
    func putMembers() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let a = try await client.createUser("a@x.test", token: h.acmeToken)
            let b = try await client.createUser("b@x.test", token: h.acmeToken)
            let g = try await client.createGroup("G", members: [a], token: h.acmeToken)
            let put = try await client.call(
                .put, "/scim/v2/Groups/\(g)", token: h.acmeToken,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[{"value":"\#(b)"}]}"#)
            #expect(put["members"]?.arrayValue?.map { $0["value"] } == [.string(b)])
            let empty = try await client.call(
                .put, "/scim/v2/Groups/\(g)", token: h.acmeToken,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G"}"#)
            #expect(empty["members"] == nil)
        }
    }
}
