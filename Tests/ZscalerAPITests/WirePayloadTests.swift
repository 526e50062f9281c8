import Foundation
import Testing

@testable import ZscalerAPI

/// The golden payloads in `conformance/zscaler/wire/` decoded with the client's own types and encoded
/// back. The emulator checks the same files with its own types; agreeing on the files is agreeing on
/// the wire.
@Suite("Golden wire payloads")
struct WirePayloadTests {
    /// Decodes `file` as `T`, re-encodes it and expects the same JSON (key order and spacing aside).
    func roundTrip<T: Codable>(_ type: T.Type, _ file: String) throws -> T {
        let data = try WireFiles.data(file)
        let value = try JSONDecoder().decode(T.self, from: data)
        let encoded = try RequestPipeline.encoder.encode(value)
        #expect(WireFiles.canonical(encoded) == WireFiles.canonical(data), "\(file) does not survive a round trip")
        return value
    }

    @Test("every golden JSON file is covered by a test here")
    func coverage() {
        let covered: Set<String> = Set(Self.roundTrips.map(\.file) + Self.errorFiles + Self.specialFiles)
        let missing = WireFiles.allJSONFiles.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "not checked by the client: \(missing)")
        #expect(WireFiles.allJSONFiles.count >= 40)
    }

    /// Files checked by a generic round trip into the named type.
    static let roundTrips: [(file: String, check: @Sendable (WirePayloadTests) throws -> Void)] = [
        ("zia-auth-session-request.json", { _ = try $0.roundTrip(ZIALoginRequest.self, "zia-auth-session-request.json") }),
        ("zia-auth-session-response.json", { _ = try $0.roundTrip(ZIASessionInfo.self, "zia-auth-session-response.json") }),
        (
            "zia-auth-session-response-zidentity.json",
            { _ = try $0.roundTrip(ZIASessionInfo.self, "zia-auth-session-response-zidentity.json") }
        ),
        ("zia-auth-session-check-expired.json", { _ = try $0.roundTrip(ZIASessionInfo.self, "zia-auth-session-check-expired.json") }),
        (
            "zia-auth-session-logout-response.json",
            { _ = try $0.roundTrip(ZIAActivationStatus.self, "zia-auth-session-logout-response.json") }
        ),
        ("zia-users-list-page.json", { _ = try $0.roundTrip([ZIAUser].self, "zia-users-list-page.json") }),
        ("zia-user-get-response.json", { _ = try $0.roundTrip(ZIAUser.self, "zia-user-get-response.json") }),
        ("zia-user-create-request.json", { _ = try $0.roundTrip(ZIAUser.self, "zia-user-create-request.json") }),
        ("zia-user-create-response.json", { _ = try $0.roundTrip(ZIAUser.self, "zia-user-create-response.json") }),
        ("zia-user-update-request.json", { _ = try $0.roundTrip(ZIAUser.self, "zia-user-update-request.json") }),
        ("zia-user-update-response.json", { _ = try $0.roundTrip(ZIAUser.self, "zia-user-update-response.json") }),
        ("zia-users-bulk-delete-request.json", { _ = try $0.roundTrip(ZIAIDList.self, "zia-users-bulk-delete-request.json") }),
        ("zia-users-bulk-delete-response.json", { _ = try $0.roundTrip(ZIAIDList.self, "zia-users-bulk-delete-response.json") }),
        ("zia-groups-list-page.json", { _ = try $0.roundTrip([ZIAGroup].self, "zia-groups-list-page.json") }),
        ("zia-group-create-request.json", { _ = try $0.roundTrip(ZIAGroup.self, "zia-group-create-request.json") }),
        ("zia-group-create-response.json", { _ = try $0.roundTrip(ZIAGroup.self, "zia-group-create-response.json") }),
        ("zia-departments-list-page.json", { _ = try $0.roundTrip([ZIADepartment].self, "zia-departments-list-page.json") }),
        ("zia-department-create-request.json", { _ = try $0.roundTrip(ZIADepartment.self, "zia-department-create-request.json") }),
        ("zia-department-create-response.json", { _ = try $0.roundTrip(ZIADepartment.self, "zia-department-create-response.json") }),
        ("zia-status-pending.json", { _ = try $0.roundTrip(ZIAActivationStatus.self, "zia-status-pending.json") }),
        ("zia-status-activate-response.json", { _ = try $0.roundTrip(ZIAActivationStatus.self, "zia-status-activate-response.json") }),
        ("oneapi-token-response.json", { _ = try $0.roundTrip(OneAPITokenResponse.self, "oneapi-token-response.json") }),
        ("zpa-signin-response.json", { _ = try $0.roundTrip(ZPASignInResponse.self, "zpa-signin-response.json") }),
        ("zpa-idp-page.json", { _ = try $0.roundTrip(ZPAPage<ZPAIdentityProvider>.self, "zpa-idp-page.json") }),
        ("zpa-scimgroup-page.json", { _ = try $0.roundTrip(ZPAPage<ZPASCIMGroupRecord>.self, "zpa-scimgroup-page.json") }),
        ("zpa-scimattribute-page.json", { _ = try $0.roundTrip(ZPAPage<ZPASCIMAttribute>.self, "zpa-scimattribute-page.json") }),
        ("zpa-scimattribute-values-page.json", { _ = try $0.roundTrip(ZPAPage<String>.self, "zpa-scimattribute-values-page.json") }),
        ("zpa-scim-user-create-request.json", { _ = try $0.roundTrip(ZPASCIMUser.self, "zpa-scim-user-create-request.json") }),
        ("zpa-scim-user.json", { _ = try $0.roundTrip(ZPASCIMUser.self, "zpa-scim-user.json") }),
        ("zpa-scim-user-patch-request.json", { _ = try $0.roundTrip(ZPASCIMPatch.self, "zpa-scim-user-patch-request.json") }),
        ("zpa-scim-group-create-request.json", { _ = try $0.roundTrip(ZPASCIMGroup.self, "zpa-scim-group-create-request.json") }),
        ("zpa-scim-group.json", { _ = try $0.roundTrip(ZPASCIMGroup.self, "zpa-scim-group.json") }),
        ("zpa-scim-group-patch-request.json", { _ = try $0.roundTrip(ZPASCIMPatch.self, "zpa-scim-group-patch-request.json") }),
    ]

    /// Error bodies, checked by ``ErrorMappingTests``.
    static let errorFiles = WireFiles.allJSONFiles.filter { $0.contains("-error-") || $0.hasPrefix("oneapi-token-error") }

    /// Files with a dedicated test below (they decode into generic wrappers).
    static let specialFiles = ["zpa-scim-users-list-response.json", "zpa-scim-groups-list-response.json"]

    @Test("round trip", arguments: 0..<roundTrips.count)
    func roundTripFile(_ index: Int) throws {
        try Self.roundTrips[index].check(self)
    }

    @Test("ZIA user fields: absent department and disabled, groups always present, ids exact")
    func ziaUsers() throws {
        let users = try JSONDecoder().decode([ZIAUser].self, from: try WireFiles.data("zia-users-list-page.json"))
        #expect(users.count == 4)
        #expect(users[0].adminUser == true && users[0].groups.first?.name == "Service Admin")
        #expect(users[1].department == ZIAReference(id: 25_658_563, name: "Research"))
        #expect(users[2].department == nil && users[2].groups.isEmpty && users[2].isDisabled)
        #expect(!users[1].isDisabled && users[1].disabled == nil)
        #expect(users[3].isNonEditable == true)
        #expect(users.map(\.id) == [29_309_064, 165_214_882, 165_214_901, 165_214_933])
    }

    @Test("the create body the client builds is the golden one")
    func createBody() throws {
        let user = ZIAUser(
            name: "Alan Turing", email: "alan@example.com", groups: [ZIAReference(id: 24_392_492)],
            department: ZIAReference(id: 25_658_563), comments: "provisioned by bridge", password: "Str0ng!Passw0rd")
        try user.validate(forCreate: true)
        let encoded = try RequestPipeline.encoder.encode(user)
        #expect(WireFiles.canonical(encoded) == WireFiles.canonical(try WireFiles.data("zia-user-create-request.json")))
    }

    @Test("ZPA strings and numbers: 18-digit ids exact, string counts and flags")
    func zpaScalars() throws {
        let idps = try JSONDecoder().decode(ZPAPage<ZPAIdentityProvider>.self, from: try WireFiles.data("zpa-idp-page.json"))
        #expect(idps.totalPages?.value == 1 && idps.totalPages?.isString == true)
        let entra = try #require(idps.list?.first)
        #expect(entra.id == "216196257331285825")
        #expect(entra.signSamlRequest?.value == true && entra.autoProvision?.value == false)
        #expect(entra.scimServiceProviderEndpoint == "https://scim1.private.zscaler.com/scim/1/216196257331285825/v2")
        #expect(entra.isUserIdP && !(idps.list?[1].isUserIdP ?? true))

        let groups = try JSONDecoder().decode(ZPAPage<ZPASCIMGroupRecord>.self, from: try WireFiles.data("zpa-scimgroup-page.json"))
        #expect(groups.totalCount?.value == 1424 && groups.totalCount?.isString == false)
        #expect(groups.list?.first?.idpId == ZPAID("216196257331285825") && groups.list?.first?.idpId?.isNumeric == true)

        let signin = try JSONDecoder().decode(ZPASignInResponse.self, from: try WireFiles.data("zpa-signin-response.json"))
        #expect(signin.expires_in.value == 3600 && signin.expires_in.isString)
        let token = try JSONDecoder().decode(OneAPITokenResponse.self, from: try WireFiles.data("oneapi-token-response.json"))
        #expect(token.expires_in.value == 3600 && !token.expires_in.isString)
    }

    @Test("scimattribute uniqueness as RFC text (golden, emulator) or as a boolean (Go SDK)")
    func uniqueness() throws {
        let page = try JSONDecoder().decode(ZPAPage<ZPASCIMAttribute>.self, from: try WireFiles.data("zpa-scimattribute-page.json"))
        #expect(page.list?.map { $0.uniqueness?.isUnique } == [true, false])
        let flagged = try JSONDecoder().decode(
            ZPASCIMAttribute.self, from: Data(#"{"id":"1","name":"userName","uniqueness":true}"#.utf8))
        #expect(flagged.uniqueness == .flag(true) && flagged.uniqueness?.isUnique == true)
    }

    @Test("SCIM list responses and the enterprise extension")
    func scimLists() throws {
        let users = try JSONDecoder().decode(
            ZPASCIMListResponse<ZPASCIMUser>.self, from: try WireFiles.data("zpa-scim-users-list-response.json"))
        #expect(users.totalResults == 2 && users.resources.map(\.id) == ["8d1c0b52-3f6e-4a7b-9a35-2e4c11f0a9d7", "72301"])
        let groups = try JSONDecoder().decode(
            ZPASCIMListResponse<ZPASCIMGroup>.self, from: try WireFiles.data("zpa-scim-groups-list-response.json"))
        #expect(groups.resources.allSatisfy { $0.members == nil })
        let user = try JSONDecoder().decode(ZPASCIMUser.self, from: try WireFiles.data("zpa-scim-user.json"))
        #expect(user.enterprise?.department == "Research" && user.active == true)
        // ZPA's own examples send active as a string (§9.2).
        let sloppy = try JSONDecoder().decode(ZPASCIMUser.self, from: Data(#"{"userName":"a@b.c","active":"true"}"#.utf8))
        #expect(sloppy.active == true)
    }

    @Test("the membership PATCH the client builds is the golden one")
    func groupPatch() throws {
        let patch = ZPASCIMPatch([.addMembers(["72301"]), .removeMember("8d1c0b52-3f6e-4a7b-9a35-2e4c11f0a9d7")])
        let encoded = try RequestPipeline.encoder.encode(patch)
        #expect(WireFiles.canonical(encoded) == WireFiles.canonical(try WireFiles.data("zpa-scim-group-patch-request.json")))
    }

    @Test("the form bodies of the token requests")
    func forms() throws {
        let oneAPI = try WireFiles.text("oneapi-token-request.form").trimmingCharacters(in: .whitespacesAndNewlines)
        let pairs = FormEncoding.decode(oneAPI)
        #expect(pairs.map(\.0) == ["grant_type", "client_id", "client_secret", "audience"])
        #expect(pairs[2].1 == "s3cr3t-Value+with/chars" && pairs[3].1 == "https://api.zscaler.com")
        #expect(FormEncoding.encode(pairs) == oneAPI)
        let zpa = try WireFiles.text("zpa-signin-request.form").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(FormEncoding.encode(FormEncoding.decode(zpa)) == zpa)
    }
}
