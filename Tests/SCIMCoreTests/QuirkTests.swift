import SCIMCore
import Testing

/// Every quirk is switchable on its own: a request that needs it is refused (or treated by the
/// RFC) without it, and accepted with a profile that has only that quirk.
@Suite("Client quirk profiles")
struct QuirkTests {
    typealias Quirk = CompatibilityProfile.Quirk

    static let user = TestSupport.object(
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"bjensen","active":true,
         "emails":[{"value":"b@home.test","type":"home"}]}
        """)
    static let group = TestSupport.object(
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"G","members":[{"value":"u1"},{"value":"u2"}]}
        """)

    /// Runs one sample under `profile`; `nil` when it was refused.
    static func outcome(_ quirk: Quirk, _ profile: CompatibilityProfile) -> JSONValue? {
        func patch(_ ops: String, _ resource: JSONObject = user, type: ResourceDefinition = TestSupport.user, envelope: Bool = true)
            -> JSONValue?
        {
            let body =
                envelope
                ? #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":\#(ops)}"# : #"{"Operations":\#(ops)}"#
            return try? .object(PatchEngine(definition: type, profile: profile).apply(body: TestSupport.json(body), to: resource))
        }
        func filter(_ text: String) -> JSONValue? {
            (try? CompiledFilter.compile(text, for: TestSupport.user, profile: profile)).map { .string($0.filter.description) }
        }
        func validate(_ body: String) -> JSONValue? {
            try? .object(ResourceValidator(definition: TestSupport.user, profile: profile).validate(TestSupport.json(body)))
        }
        switch quirk {
        case .caseInsensitivePatchOps: return patch(#"[{"op":"Replace","path":"displayName","value":"B"}]"#)
        case .booleanStrings: return patch(#"[{"op":"replace","path":"active","value":"False"}]"#)
        case .pathKeysInPatchValue: return patch(#"[{"op":"replace","value":{"name.givenName":"Barbara"}}]"#)
        case .removeMembersByValueList:
            return patch(#"[{"op":"remove","path":"members","value":[{"value":"u1"}]}]"#, group, type: TestSupport.group)
        case .managerAsString:
            return patch(#"[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"u9"}]"#)
        case .ownIDInPatchValue: return patch(#"[{"op":"replace","value":{"id":"u1","displayName":"B"}}]"#)
        case .valuePathSubAttributeInFilter: return filter(#"emails[type eq "work"].value eq "b@x""#)
        case .filterLiteralCase: return filter("active eq TRUE")
        case .createMissingFilteredValue: return patch(#"[{"op":"add","path":"emails[type eq \"work\"].value","value":"b@work.test"}]"#)
        case .typeOnlyValues:
            return validate(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","addresses":[{"type":"work"}]}"#)
        case .singleValueForMultiValued: return patch(#"[{"op":"add","path":"emails","value":{"value":"b@x.test"}}]"#)
        case .schemasInPatchValue:
            return patch(#"[{"op":"replace","value":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"displayName":"B"}}]"#)
        case .missingResourceSchemas: return validate(#"{"userName":"x"}"#)
        case .foreignSchemaURNs: return validate(#"{"schemas":["urn:scim:schemas:core:1.0"],"userName":"x"}"#)
        case .missingPatchSchemas: return patch(#"[{"op":"replace","path":"displayName","value":"B"}]"#, envelope: false)
        case .unknownAttributes:
            return validate(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","shoeSize":44}"#)
        }
    }

    @Test("each quirk changes the outcome on its own", arguments: Quirk.allCases)
    func quirkIsSwitchable(_ quirk: Quirk) throws {
        let without = Self.outcome(quirk, .strict)
        let with = Self.outcome(quirk, CompatibilityProfile(name: "only-\(quirk.rawValue)", quirks: [quirk]))
        let lenient = Self.outcome(quirk, .lenient)
        #expect(with != nil, "\(quirk) should be accepted with the quirk on")
        #expect(with != without, "\(quirk) should make a difference")
        #expect(lenient == with, "lenient should include \(quirk)")
    }

    @Test("the specific rewrites produce RFC form")
    func rewrites() throws {
        let only = { (q: Quirk) in CompatibilityProfile(name: q.rawValue, quirks: [q]) }
        #expect(
            Self.outcome(.valuePathSubAttributeInFilter, only(.valuePathSubAttributeInFilter))
                == .string(#"emails[(type eq "work" and value eq "b@x")]"#))
        let removed = try #require(Self.outcome(.removeMembersByValueList, only(.removeMembersByValueList)))
        #expect(removed["members"] == TestSupport.json(#"[{"value":"u2"}]"#))
        let manager = try #require(Self.outcome(.managerAsString, only(.managerAsString)))
        #expect(manager["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == TestSupport.json(#"{"manager":{"value":"u9"}}"#))
        let typeOnly = try #require(Self.outcome(.typeOnlyValues, only(.typeOnlyValues)))
        #expect(typeOnly["addresses"] == nil)
    }

    @Test("profiles are found by name, case-insensitively, and every client profile is a subset of lenient")
    func profileLookup() {
        #expect(CompatibilityProfile.named("ENTRA") == .entra)
        #expect(CompatibilityProfile.named("nope") == nil)
        for profile in CompatibilityProfile.all {
            #expect(profile.quirks.isSubset(of: CompatibilityProfile.lenient.quirks))
        }
    }
}
