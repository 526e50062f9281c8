import Testing
import ZscalerAPI
import ZscalerEmulator

extension ZscalerAPIIntegration {
    /// ZPA's management API and an IdP's SCIM server against the real emulator.
    @Suite("ZPA against the emulator")
    struct ZPAIntegrationTests {
        @Test("sign in, list IdPs with their SCIM endpoint, read SCIM attributes and groups")
        func management() async throws {
            try await EmulatorHarness.with { harness in
                let client = try harness.zpa()
                let idps = try await client.identityProviders().collect()
                let idp = try #require(idps.first { $0.id.value == harness.credentials.zpaIdpId })
                #expect(idp.scimEnabled == true && idp.isUserIdP)
                #expect(idp.scimServiceProviderEndpoint?.hasSuffix("/scim/1/\(harness.credentials.zpaIdpId)/v2") == true)
                #expect(try await client.identityProvider(id: idp.id.value).name == idp.name)
                let attributes = try await client.scimAttributes(idpID: idp.id.value).collect()
                #expect(attributes.contains { $0.name == "userName" })
                if let first = attributes.first {
                    #expect(try await client.scimAttribute(idpID: idp.id.value, id: first.id.value).id == first.id)
                }
                _ = try await client.scimGroups(idpID: idp.id.value).collect()
                #expect(await client.signInCount() == 1)
                do throws(ZscalerAPIError) {
                    _ = try await client.identityProvider(id: "216196257331285999")
                    Issue.record("an unknown IdP was found")
                } catch {
                    #expect(error.kind == .notFound)
                }
                await #expect(throws: ZscalerAPIError.self) { try await client.identityProvider(id: "../../etc") }
                try await client.signOut()
            }
        }

        @Test("SCIM users and groups: create, find, patch membership, replace, delete; active=false deletes")
        func scim() async throws {
            try await EmulatorHarness.with { harness in
                let scim = try harness.zpaSCIM()
                let ada = try await scim.createUser(
                    ZPASCIMUser(
                        userName: "ada@example.com", externalId: "ext-ada", displayName: "Ada Lovelace",
                        name: .init(givenName: "Ada", familyName: "Lovelace"),
                        emails: [.init(value: "ada@example.com", type: "work", primary: true)],
                        active: true, enterprise: .init(department: "Research")))
                let adaID = try #require(ada.id)
                #expect(ada.enterprise?.department == "Research")
                let grace = try await scim.createUser(ZPASCIMUser(userName: "grace@example.com", displayName: "Grace Hopper", active: true))
                let found = try await scim.users(filter: #"userName eq "ada@example.com""#).collect()
                #expect(found.map(\.id) == [adaID])

                var group = try await scim.createGroup(ZPASCIMGroup(displayName: "Engineering", members: [.init(value: adaID)]))
                let groupID = try #require(group.id)
                try await scim.patchGroup(id: groupID, ZPASCIMPatch([.addMembers([grace.id!]), .removeMember(adaID)]))
                group = try await scim.group(id: groupID)
                #expect(group.members?.map(\.value) == [grace.id!])
                group.displayName = "Engineering Team"
                group.members = []
                #expect(try await scim.replaceGroup(group).displayName == "Engineering Team")
                #expect(try await scim.groups().collect().contains { $0.id == groupID })

                var replaced = ada
                replaced.title = "Analyst"
                #expect(try await scim.replaceUser(replaced).title == "Analyst")
                // ZPA deletes a user set inactive (§9.2).
                try await scim.patchUser(id: adaID, ZPASCIMPatch([.init(op: "replace", path: "active", value: .bool(false))]))
                await #expect(throws: ZscalerAPIError.self) { try await scim.user(id: adaID) }
                try await scim.deleteUser(id: grace.id!)
                try await scim.deleteGroup(id: groupID)
                #expect(try await scim.users().collect().isEmpty)
            }
        }

        @Test("SCIM paging with ZPA's count of at most 100")
        func scimPaging() async throws {
            try await EmulatorHarness.with(seed: .generated(userCount: 10, scimUserCount: 250)) { harness in
                let scim = try harness.zpaSCIM()
                let all = try await scim.users(count: 100).collect()
                #expect(all.count == 250 && Set(all.compactMap(\.id)).count == 250)
                #expect(harness.calls("GET /scim/1/{idpId}/v2/Users") == 3)
                await #expect(throws: ZscalerAPIError.self) { try await scim.users(count: 101).collect() }
                #expect(harness.emulator.counters.totals.limitViolations == 0)
            }
        }
    }
}
