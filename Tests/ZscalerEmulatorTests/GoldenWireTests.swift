import Foundation
import Testing

@testable import ZscalerEmulator

/// The golden wire payloads in `conformance/zscaler/wire/` (written with the client, from the
/// reference) read by the emulator's *own* types: requests must decode into what the emulator
/// accepts, and every response and error body must be what the emulator itself would send for the
/// same data. The client checks the same files with its own types; together the two sides cannot
/// share one misunderstanding.
@Suite struct GoldenWireTests {
    // MARK: Requests decode into what the emulator accepts

    @Test func loginRequestCarriesTheWorkedObfuscationVector() throws {
        let credentials = try GoldenWire.decode(ZIAWire.AuthCredentials.self, "zia-auth-session-request.json")
        #expect(EmulatorKeyObfuscation.obfuscate(apiKey: "AbCdEfGhIjKl", timestamp: credentials.timestamp) == credentials.apiKey)
    }

    @Test(arguments: ["zia-user-create-request.json", "zia-user-update-request.json"])
    func userRequestsHaveEveryRequiredField(file: String) throws {
        let input = try GoldenWire.decode(ZIAWire.UserInput.self, file)
        #expect(input.name != nil && input.email != nil && input.groups != nil && input.department != nil)
        #expect(input.adminUser != true)
    }

    @Test func bulkDeleteAndNamedRequests() throws {
        let bulk = try GoldenWire.decode(ZIAWire.BulkDelete.self, "zia-users-bulk-delete-request.json")
        #expect(!bulk.ids.isEmpty && bulk.ids.count <= ZIABehaviour().bulkDeleteMaxIds)
        for file in ["zia-group-create-request.json", "zia-department-create-request.json"] {
            #expect(try GoldenWire.decode(ZIAWire.NamedInput.self, file).name?.isEmpty == false)
        }
    }

    @Test func formRequests() throws {
        let token = try #require(FormFields.parse(try GoldenWire.text("oneapi-token-request.form")))
        #expect(token["grant_type"] == "client_credentials" && token["audience"] == OneAPITokenRoutes.audience)
        #expect(token["client_id"] != nil && token["client_secret"] != nil)
        let signin = try #require(FormFields.parse(try GoldenWire.text("zpa-signin-request.form")))
        #expect(signin["client_id"] != nil && signin["client_secret"] != nil)
    }

    @Test func scimRequests() throws {
        let user = try GoldenWire.json("zpa-scim-user-create-request.json")
        let attributes = try ZPASCIMDirectory.UserSchema.sanitize(try #require(user.objectValue))
        #expect(attributes["userName"]?.stringValue?.isEmpty == false)
        #expect(try GoldenWire.json("zpa-scim-group-create-request.json")[caseInsensitive: "displayName"]?.stringValue != nil)
        for file in ["zpa-scim-user-patch-request.json", "zpa-scim-group-patch-request.json"] {
            #expect(try !ZPASCIMDirectory.patchOperations(try GoldenWire.json(file)).isEmpty)
        }
    }

    // MARK: Responses are what the emulator renders for the same data

    @Test(arguments: [
        "zia-users-list-page.json", "zia-user-get-response.json", "zia-user-create-response.json", "zia-user-update-response.json",
    ])
    func usersRenderIdentically(file: String) throws {
        let golden = try GoldenWire.json(file)
        for item in golden.arrayValue ?? [golden] {
            let object = try #require(item.objectValue)
            var directory = ZIADirectory()
            let groups = object["groups"]?.arrayValue ?? []
            for group in groups {
                directory.upsert(
                    ZIAGroup(id: try GoldenWire.int(group["id"]), name: group["name"]?.stringValue ?? "", isSystemDefined: false))
            }
            let department = object["department"]
            if let department {
                directory.upsert(
                    ZIADepartment(
                        id: try GoldenWire.int(department["id"]), name: department["name"]?.stringValue ?? "", isSystemDefined: false))
            }
            let user = ZIAUser(
                id: try GoldenWire.int(object["id"]), name: object["name"]?.stringValue ?? "", email: object["email"]?.stringValue ?? "",
                groupIds: try groups.map { try GoldenWire.int($0["id"]) },
                departmentId: try department.map { try GoldenWire.int($0["id"]) },
                comments: object["comments"]?.stringValue, tempAuthEmail: object["tempAuthEmail"]?.stringValue,
                adminUser: object["adminUser"]?.boolValue ?? false, type: object["type"]?.stringValue,
                disabled: object["disabled"]?.boolValue ?? false, source: .hostedDB,
                authMethods: object["authMethods"]?.arrayValue?.compactMap(\.stringValue))
            let rendered = try GoldenWire.rendered(ZIAWire.UserOutput(user, in: directory))
            // Known divergence: the golden marks an AD-synced user `isNonEditable: true`; the reference
            // only saw false, so the emulator always sends false (a client must not rely on it).
            #expect(rendered.removing(["isNonEditable"]) == item.removing(["isNonEditable"]), "\(file) user \(user.id)")
        }
    }

    @Test(arguments: ["zia-groups-list-page.json", "zia-group-create-response.json"])
    func groupsRenderIdentically(file: String) throws {
        let golden = try GoldenWire.json(file)
        for item in golden.arrayValue ?? [golden] {
            let group = ZIAGroup(
                id: try GoldenWire.int(item["id"]), name: item["name"]?.stringValue ?? "", comments: item["comments"]?.stringValue,
                idpId: try item["idpId"].map { try GoldenWire.int($0) }, isSystemDefined: item["isSystemDefined"]?.boolValue ?? false)
            #expect(try GoldenWire.rendered(ZIAWire.GroupOutput(group)) == item)
        }
    }

    @Test(arguments: ["zia-departments-list-page.json", "zia-department-create-response.json"])
    func departmentsRenderIdentically(file: String) throws {
        let golden = try GoldenWire.json(file)
        for item in golden.arrayValue ?? [golden] {
            let department = ZIADepartment(
                id: try GoldenWire.int(item["id"]), name: item["name"]?.stringValue ?? "", comments: item["comments"]?.stringValue,
                idpId: try item["idpId"].map { try GoldenWire.int($0) }, isSystemDefined: false)
            // Known divergence: `deleted: false` — recordings omit it when false (reference §4.2).
            #expect(try GoldenWire.rendered(ZIAWire.DepartmentOutput(department)) == item.removing(["deleted"]))
        }
    }

    @Test func sessionAndActivationBodies() throws {
        #expect(try GoldenWire.rendered(ZIAWire.SessionInfo()) == GoldenWire.json("zia-auth-session-response.json"))
        #expect(try GoldenWire.rendered(ZIAWire.NoSession()) == GoldenWire.json("zia-auth-session-check-expired.json"))
        #expect(try GoldenWire.rendered(ZIAWire.ActivationStatus(status: "PENDING")) == GoldenWire.json("zia-status-pending.json"))
        #expect(try GoldenWire.rendered(ZIAWire.ActivationStatus(status: "ACTIVE")) == GoldenWire.json("zia-status-activate-response.json"))
        #expect(
            try GoldenWire.rendered(ZIAWire.ActivationStatus(status: "ACTIVE")) == GoldenWire.json("zia-auth-session-logout-response.json"))
        // The ZIdentity variant lacks the password-expiry members: a subset of what the emulator sends.
        let zidentity = try #require(try GoldenWire.json("zia-auth-session-response-zidentity.json").objectValue)
        let full = try #require(try GoldenWire.rendered(ZIAWire.SessionInfo()).objectValue)
        #expect(zidentity.allSatisfy { full[$0.key] == $0.value })
    }

    // MARK: Error bodies are the emulator's own

    @Test func ziaErrorBodies() throws {
        let cases: [(String, any WireError)] = [
            ("zia-error-400-authentication-failed.json", ZIAError.authenticationFailed),
            ("zia-error-400-invalid-username-or-password.json", ZIAError.invalidCredentials),
            ("zia-error-400-body-invalid.json", ZIAError.invalidBody),
            ("zia-error-400-invalid-input-argument.json", ZIAError.invalidInput("name cannot be null")),
            ("zia-error-401-session-not-valid.json", ZIAError.sessionNotValid),
            ("zia-error-401-resource-access-blocked.json", ZIAError.resourceAccessBlocked),
            ("zia-error-403-state-readonly.json", ZIAError.readOnly),
            ("zia-error-403-invalid-operation.json", ZIAError.oneIdentityTenant),
            ("zia-error-404-resource-not-found.json", ZIAError.notFound("Resource not found", empty: false)),
            ("zia-error-409-edit-lock.json", ZIAError.editLock),
            (
                "zia-error-429-rate-limit-hourly.json",
                ZIARateLimited(window: EmulatedRateWindow.perHour(400).description, retryAfter: "1800")
            ),
            ("zia-error-500-unexpected.json", ZIAError.unexpected),
            ("oneapi-error-401-unauthorized.json", OneAPIUnauthorized()),
            ("oneapi-token-error-400.json", OAuthError(error: "invalid_client", description: "Client authentication failed")),
            ("zpa-error-429.json", ZPAError.tooMany(retryAfter: "13")),
            ("zpa-error-401-access-denied.json", ZPAError.accessDenied("Access denied")),
        ]
        for (file, error) in cases {
            #expect(try GoldenWire.json(error.wireResponse.body) == GoldenWire.json(file), "\(file)")
        }
        // The 429 body is byte-exact: 70 bytes, as recorded.
        let limited = ZIARateLimited(window: EmulatedRateWindow.perSecond(1).description, retryAfter: "1").wireResponse
        #expect(limited.body == (try GoldenWire.data("zia-error-429-rate-limit.json")))
        #expect(limited.headers.contains { $0.name == "Retry-After" && $0.value == "1" })
        // Shape only: the message of a duplicate is ours, and its status is configurable (400 or 409).
        let duplicate = try GoldenWire.json("zia-error-400-duplicate-item.json")
        #expect(duplicate["code"] == .string("DUPLICATE_ITEM"))
        let notFound = try GoldenWire.json("zpa-error-400-resource-not-found.json")
        let emulatorNotFound = ZPAError.notFound(
            "Resource not found", params: notFound["params"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(try GoldenWire.json(emulatorNotFound.wireResponse.body) == notFound)
        #expect(
            try GoldenWire.shape(GoldenWire.json(SCIMWireError.notFound("x").wireResponse.body))
                == GoldenWire.shape(GoldenWire.json("zpa-scim-error-404.json")))
    }

    // MARK: Live shapes: the emulator's answers have the golden's members with the golden's JSON types

    @Test func liveResponsesHaveTheGoldenShapes() async throws {
        try await withEmulator(seed: .generated(userCount: 3, scimUserCount: 3)) { h in
            let oneAPI = try await h.send(
                .POST, "/oauth2/v1/token",
                body:
                    "grant_type=client_credentials&client_id=\(h.credentials.oneAPIClientId)&client_secret=\(h.credentials.oneAPIClientSecret)&audience=https%3A%2F%2Fapi.zscaler.com",
                contentType: "application/x-www-form-urlencoded")
            try GoldenWire.expectShape(of: oneAPI.body, covers: "oneapi-token-response.json")
            let signin = try await h.send(
                .POST, "/signin", body: "client_id=\(h.credentials.zpaClientId)&client_secret=\(h.credentials.zpaClientSecret)",
                contentType: "application/x-www-form-urlencoded")
            try GoldenWire.expectShape(of: signin.body, covers: "zpa-signin-response.json")
            let zpa = [("Authorization", try await h.zpaToken())]
            let customer = h.credentials.zpaCustomerId
            let idp = h.credentials.zpaIdpId
            _ = try await h.send(
                .POST, "/scim/1/\(idp)/v2/Groups", headers: [("Authorization", "Bearer \(h.credentials.zpaSCIMToken)")],
                json: ["displayName": "G", "externalId": "e-1"])
            try GoldenWire.expectShape(
                of: try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(customer)/idp", headers: zpa).body, covers: "zpa-idp-page.json"
            )
            try GoldenWire.expectShape(
                of: try await h.send(.GET, "/userconfig/v1/customers/\(customer)/scimgroup/idpId/\(idp)", headers: zpa).body,
                covers: "zpa-scimgroup-page.json", optional: ["list[].idpGroupId"])
            try GoldenWire.expectShape(
                of: try await h.send(.GET, "/mgmtconfig/v1/admin/customers/\(customer)/idp/\(idp)/scimattribute", headers: zpa).body,
                covers: "zpa-scimattribute-page.json")
            let scim = [("Authorization", "Bearer \(h.credentials.zpaSCIMToken)")]
            let user = try GoldenWire.json("zpa-scim-user-create-request.json")
            let created = try await h.send(
                .POST, "/scim/1/\(idp)/v2/Users", headers: scim, json: try JSONSerialization.jsonObject(with: JSONEncoder().encode(user)))
            try GoldenWire.expectShape(of: created.body, covers: "zpa-scim-user.json")
            let groupId = try #require(
                (try await h.send(.GET, "/scim/1/\(idp)/v2/Groups", headers: scim).object["Resources"] as? [[String: Any]])?.first?["id"]
                    as? String)
            try GoldenWire.expectShape(
                of: try await h.send(.GET, "/scim/1/\(idp)/v2/Groups/\(groupId)", headers: scim).body, covers: "zpa-scim-group.json")
            try GoldenWire.expectShape(
                of: try await h.send(.GET, "/scim/1/\(idp)/v2/Groups", headers: scim).body, covers: "zpa-scim-groups-list-response.json")
        }
    }
}

/// Reading the golden files and comparing JSON.
enum GoldenWire {
    static let directory = repositoryRoot.appendingPathComponent("conformance/zscaler/wire")

    static func data(_ file: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(file)) }
    static func text(_ file: String) throws -> String { String(decoding: try data(file), as: UTF8.self) }
    static func decode<T: Decodable>(_ type: T.Type, _ file: String) throws -> T { try JSONDecoder().decode(T.self, from: try data(file)) }
    static func json(_ file: String) throws -> EmulatorJSON { try json(try data(file)) }
    static func json(_ data: Data) throws -> EmulatorJSON { try JSONDecoder().decode(EmulatorJSON.self, from: data) }
    static func rendered(_ value: some Encodable) throws -> EmulatorJSON { try json(try JSONEncoder().encode(value)) }

    static func int(_ value: EmulatorJSON?) throws -> Int {
        guard case .integer(let number)? = value else { throw GoldenError("expected an integer, got \(String(describing: value))") }
        return Int(number)
    }

    /// Every member path (`a.b`, arrays as `a[]`) with its JSON kind.
    static func shape(_ value: EmulatorJSON, prefix: String = "") -> [String: String] {
        switch value {
        case .object(let members):
            var result: [String: String] = prefix.isEmpty ? [:] : [prefix: "object"]
            for (key, member) in members { result.merge(shape(member, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) { a, _ in a } }
            return result
        case .array(let items):
            var result: [String: String] = [prefix: "array"]
            for item in items { result.merge(shape(item, prefix: prefix + "[]")) { a, _ in a } }
            return result
        case .string: return [prefix: "string"]
        case .integer, .number: return [prefix: "number"]
        case .bool: return [prefix: "bool"]
        case .null: return [prefix: "null"]
        }
    }

    /// The emulator's body has every member the golden has (except `optional` ones), with the same
    /// JSON kind wherever both have it (nulls match anything).
    static func expectShape(
        of body: Data, covers file: String, optional: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let mine = shape(try json(body))
        let golden = shape(try json(file))
        for (path, kind) in golden where !optional.contains(path) {
            guard let myKind = mine[path] else {
                // Members inside arrays the emulator left empty (certificates, say) cannot be compared.
                if !mine.keys.contains(where: { path.hasPrefix($0 + "[]") }) {
                    Issue.record("\(file): the emulator does not send \(path)", sourceLocation: sourceLocation)
                }
                continue
            }
            if kind != "null", myKind != "null", kind != myKind {
                Issue.record("\(file): \(path) is \(myKind) in the emulator, \(kind) in the golden", sourceLocation: sourceLocation)
            }
        }
    }

    struct GoldenError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

extension EmulatorJSON {
    /// The object without the named members.
    func removing(_ keys: Set<String>) -> EmulatorJSON {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { !keys.contains($0.key) })
    }

    subscript(_ key: String) -> EmulatorJSON? { objectValue?[key] }
}
