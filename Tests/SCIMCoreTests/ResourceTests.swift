import SCIMCore
import Testing

@Suite("Projection, sorting and validation")
struct ResourceTests {
    static let babs = TestSupport.object(
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id":"u1","externalId":"b1","userName":"bjensen","password":"s3cret","displayName":"Babs",
         "name":{"givenName":"Barbara","familyName":"Jensen"},
         "emails":[{"value":"b@example.com","type":"work","primary":true},{"value":"b@home.test","type":"home"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7","department":"Sales"},
         "meta":{"resourceType":"User","created":"2020-01-01T00:00:00Z","lastModified":"2020-01-02T00:00:00Z"}}
        """)

    func project(_ attributes: [String] = [], excluded: [String] = []) throws -> JSONObject {
        try Projection(definition: TestSupport.user, attributes: attributes, excludedAttributes: excluded).apply(to: Self.babs)
    }

    @Test("password is never returned, whatever is asked")
    func passwordNeverReturned() throws {
        #expect(try project()["password"] == nil)
        #expect(try project(["password"])["password"] == nil)
    }

    @Test("attributes= keeps what was asked plus returned:always (id, schemas)")
    func attributesParameter() throws {
        let p = try project(["userName", "name.familyName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"])
        #expect(Set(p.keys) == ["schemas", "id", "userName", "name", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"])
        #expect(p["name"] == TestSupport.json(#"{"familyName":"Jensen"}"#))
        #expect(p["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == TestSupport.json(#"{"department":"Sales"}"#))
    }

    @Test("attribute names in attributes= are case-insensitive and unknown names are ignored")
    func attributesCaseInsensitive() throws {
        let p = try project(["USERNAME", "emails.VALUE", "nonsense"])
        #expect(p["userName"] == .string("bjensen"))
        #expect(p["emails"] == TestSupport.json(#"[{"value":"b@example.com"},{"value":"b@home.test"}]"#))
    }

    @Test("excludedAttributes= drops what was named but never id")
    func excludedAttributes() throws {
        let p = try project(excluded: ["emails", "id", "name.givenName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"])
        #expect(p["emails"] == nil)
        #expect(p["id"] == .string("u1"))
        #expect(p["name"] == TestSupport.json(#"{"familyName":"Jensen"}"#))
        #expect(p["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == nil)
        #expect(p["userName"] == .string("bjensen"))
    }

    @Test("excludedAttributes=members leaves a group without members (Entra's lookups)")
    func excludeMembers() throws {
        let group = TestSupport.object(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g","displayName":"G","members":[{"value":"u1"}]}"#)
        let p = try Projection(definition: TestSupport.group, excludedAttributes: ["members"]).apply(to: group)
        #expect(p["members"] == nil && p["displayName"] == .string("G"))
    }

    @Test("a malformed attribute path in attributes= is invalidPath")
    func malformedProjection() {
        #expect(throws: SCIMError.self) { try Projection(definition: TestSupport.user, attributes: ["emails[type"]) }
    }

    static let people: [JSONObject] = [
        TestSupport.object(
            #"{"id":"a","userName":"carol","meta":{"lastModified":"2020-01-01T10:00:00+02:00"},"emails":[{"value":"z@x","primary":false},{"value":"b@x","primary":true}]}"#
        ),
        TestSupport.object(#"{"id":"b","userName":"Alice","meta":{"lastModified":"2020-01-01T09:00:00Z"},"emails":[{"value":"c@x"}]}"#),
        TestSupport.object(#"{"id":"c","meta":{"lastModified":"2019-12-31T23:00:00Z"}}"#),
        TestSupport.object(#"{"id":"d","userName":"bob","meta":{"lastModified":"2020-01-01T08:00:00.5Z"},"emails":[{"value":"a@x"}]}"#),
    ]

    func order(_ sortBy: String, _ sortOrder: String? = nil) throws -> [String] {
        try SortSpec(definition: TestSupport.user, sortBy: sortBy, sortOrder: sortOrder).sorted(Self.people).compactMap {
            $0["id"]?.stringValue
        }
    }

    @Test("userName sorts case-insensitively; missing values sort last both ways")
    func sortUserName() throws {
        #expect(try order("userName") == ["b", "d", "a", "c"])
        #expect(try order("username", "descending") == ["a", "d", "b", "c"])
    }

    @Test("dateTimes sort as instants, across offsets and fractions")
    func sortDateTime() throws {
        #expect(try order("meta.lastModified") == ["c", "a", "d", "b"])
    }

    @Test("a multi-valued attribute sorts by its primary value, else its first")
    func sortMultiValued() throws {
        #expect(try order("emails") == ["d", "a", "b", "c"])
        #expect(try order("emails.value") == ["d", "a", "b", "c"])
    }

    @Test("bad sortBy and sortOrder are refused")
    func badSort() {
        #expect(throws: SCIMError.self) { try SortSpec(definition: TestSupport.user, sortBy: "nope") }
        #expect(throws: SCIMError.self) { try SortSpec(definition: TestSupport.user, sortBy: "password") }
        #expect(throws: SCIMError.self) { try SortSpec(definition: TestSupport.user, sortBy: "userName", sortOrder: "up") }
    }

    func validate(_ text: String, profile: CompatibilityProfile = .lenient, mode: ResourceValidator.Mode = .create) throws(SCIMError)
        -> JSONObject
    {
        try ResourceValidator(definition: TestSupport.user, profile: profile).validate(TestSupport.json(text), mode: mode)
    }

    func expectError(
        _ type: SCIMError.ErrorType, _ text: String, profile: CompatibilityProfile = .lenient, mode: ResourceValidator.Mode = .create
    ) {
        do {
            _ = try validate(text, profile: profile, mode: mode)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.scimType == type, "\(error)")
        }
    }

    @Test("Entra's create body validates; read-only input is dropped; names become canonical")
    func entraCreate() throws {
        let out = try validate(
            """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "externalId":"0a21","UserName":"Test_User@contoso.com","active":"True","id":"client-chosen",
             "emails":[{"primary":true,"type":"work","value":"Test_User@contoso.com"}],"meta":{"resourceType":"User"},
             "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"4h5"}}
            """)
        #expect(out["userName"] == .string("Test_User@contoso.com"))
        #expect(out["active"] == .bool(true))
        #expect(out["id"] == nil && out["meta"] == nil)
        #expect(out["roles"] == nil)
        #expect(out["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["department"] == .string("4h5"))
    }

    @Test("Okta's create body (groups: [], password) validates and keeps the password for the store")
    func oktaCreate() throws {
        let out = try validate(
            """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local",
             "name":{"givenName":"Test","familyName":"User"},"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
             "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}
            """, profile: .okta)
        #expect(out["password"] == .string("1mz050nq"))
        #expect(out["groups"] == nil)
    }

    @Test("OneLogin's SCIM 1.x schema URNs are mapped under lenient, refused under strict")
    func legacyURNs() throws {
        let body = #"{"schemas":["urn:scim:schemas:core:2.0","urn:scim:schemas:extension:enterprise:2.0"],"userName":"x"}"#
        let out = try validate(body)
        #expect(out["schemas"] == .array([.string(SchemaURN.user)]))
        expectError(.invalidSyntax, body, profile: .strict)
    }

    @Test("missing or wrong input gets the right scimType")
    func badBodies() {
        expectError(.invalidValue, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"displayName":"no userName"}"#)
        expectError(.invalidValue, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":""}"#)
        expectError(.invalidSyntax, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"x"}"#)
        expectError(.invalidSyntax, #"["not an object"]"#)
        expectError(.invalidValue, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","active":"yes"}"#)
        expectError(.invalidValue, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":7}"#)
        expectError(
            .invalidValue,
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","emails":[{"value":"a","primary":true},{"value":"b","primary":true}]}"#
        )
        expectError(.invalidSyntax, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","userNAME":"y"}"#)
        expectError(
            .invalidSyntax, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","shoeSize":44}"#, profile: .strict)
        expectError(.invalidSyntax, #"{"userName":"x"}"#, profile: .strict)
        expectError(
            .invalidSyntax, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","urn:example:unknown":{"a":1}}"#)
        expectError(
            .invalidValue,
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","meta":{},"x509Certificates":[{"value":"not base64!"}]}"#
        )
    }

    @Test("unknown attributes are dropped under lenient and refused under strict")
    func unknownAttributes() throws {
        let out = try validate(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","shoeSize":44}"#)
        #expect(out["shoeSize"] == nil)
    }

    @Test("PUT keeps the password the client cannot read back, and refuses a change to an immutable attribute")
    func replaceMode() throws {
        let existing = TestSupport.object(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"x","password":"old"}"#)
        let out = try validate(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","displayName":"X"}"#,
            mode: .replace(existing: existing))
        #expect(out["password"] == .string("old"))
        let group = TestSupport.object(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[{"value":"u1","display":"A"}]}"#)
        let changed = TestSupport.json(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[{"value":"u1","display":"B"}]}"#)
        // Members as a whole are readWrite: a PUT may replace the list.
        #expect(throws: Never.self) {
            try ResourceValidator(definition: TestSupport.group).validate(changed, mode: .replace(existing: group))
        }
    }

    @Test("date-times parse RFC 3339 with offsets and fractions, and refuse the rest")
    func dateTimes() throws {
        let a = try #require(SCIMDateTime("2011-05-13T04:42:34Z"))
        let b = try #require(SCIMDateTime("2011-05-13T06:42:34+02:00"))
        #expect(a == b)
        #expect(SCIMDateTime("2011-05-13T04:42:34.5Z")! > a)
        #expect(SCIMDateTime("2020-02-29T00:00:00Z") != nil)
        #expect(SCIMDateTime("2021-02-29T00:00:00Z") == nil)
        #expect(SCIMDateTime("2011-05-13T04:42:34") == nil)
        #expect(SCIMDateTime("2011-13-13T04:42:34Z") == nil)
        #expect(SCIMDateTime("yesterday") == nil)
        #expect(a.description == "2011-05-13T04:42:34Z")
        #expect(SCIMDateTime("1969-12-31T23:59:59.250Z")!.description == "1969-12-31T23:59:59.250Z")
    }
}
