import SCIMCore
import Testing

/// The cap on one string value (issue 8, defect 7): a longer value is 400 `invalidValue` naming
/// the attribute, whether it comes by POST/PUT or by PATCH.
@Suite("String length cap")
struct StringLengthCapTests {
    static let limit = ValueCoercer.defaultMaxStringBytes

    static func expectTooLong(_ path: String, _ body: () throws(SCIMError) -> Void) {
        do {
            try body()
            Issue.record("a value over the cap was accepted at \(path)")
        } catch {
            #expect(error.status == 400)
            #expect(error.scimType == .invalidValue)
            #expect(error.detail.contains("'\(path)'"), "\(error.detail)")
            #expect(error.detail.contains("\(limit)"), "\(error.detail)")
        }
    }

    static func user(_ members: String) -> JSONValue {
        TestSupport.json(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],\#(members)}"#)
    }

    @Test("the default is 64 KiB of UTF-8, and a value exactly at the cap is accepted")
    func boundary() throws {
        #expect(Self.limit == 65_536)
        let validator = ResourceValidator(definition: TestSupport.user)
        let atCap = String(repeating: "a", count: Self.limit)
        let accepted = try validator.validate(Self.user(#""userName":"\#(atCap)""#))
        #expect(accepted["userName"]?.stringValue == atCap)
        Self.expectTooLong("userName") { () throws(SCIMError) in
            _ = try validator.validate(Self.user(#""userName":"\#(atCap)a""#))
        }
        // Bytes, not characters: 32,769 two-byte characters are over the cap.
        Self.expectTooLong("displayName") { () throws(SCIMError) in
            _ = try validator.validate(Self.user(#""userName":"b","displayName":"\#(String(repeating: "é", count: Self.limit / 2 + 1))""#))
        }
    }

    @Test("sub-attributes, extension attributes, references and binaries are capped too")
    func everyStringKind() {
        let validator = ResourceValidator(definition: TestSupport.user)
        let long = String(repeating: "A", count: Self.limit + 1)
        Self.expectTooLong("emails.value") { () throws(SCIMError) in
            _ = try validator.validate(Self.user(#""userName":"b","emails":[{"value":"\#(long)"}]"#))
        }
        Self.expectTooLong("name.givenName") { () throws(SCIMError) in
            _ = try validator.validate(Self.user(#""userName":"b","name":{"givenName":"\#(long)"}"#))
        }
        Self.expectTooLong("profileUrl") { () throws(SCIMError) in
            _ = try validator.validate(Self.user(#""userName":"b","profileUrl":"\#(long)""#))
        }
        Self.expectTooLong("x509Certificates.value") { () throws(SCIMError) in
            _ = try validator.validate(Self.user(#""userName":"b","x509Certificates":[{"value":"\#(long)"}]"#))
        }
        let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        Self.expectTooLong("\(enterprise):department") { () throws(SCIMError) in
            _ = try validator.validate(
                TestSupport.json(
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","\#(enterprise)"],"userName":"b","\#(enterprise)":{"department":"\#(long)"}}"#
                ))
        }
    }

    @Test("PATCH values are capped, with the limit the engine was given")
    func patch() {
        let user = TestSupport.object(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"b"}"#)
        func body(_ op: String) -> JSONValue {
            TestSupport.json(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[\#(op)]}"#)
        }
        let long = String(repeating: "x", count: Self.limit + 1)
        let engine = PatchEngine(definition: TestSupport.user)
        Self.expectTooLong("title") { () throws(SCIMError) in
            _ = try engine.apply(body: body(#"{"op":"replace","path":"title","value":"\#(long)"}"#), to: user)
        }
        Self.expectTooLong("emails.value") { () throws(SCIMError) in
            _ = try engine.apply(body: body(#"{"op":"add","value":{"emails":[{"value":"\#(long)"}]}}"#), to: user)
        }

        let small = PatchEngine(definition: TestSupport.user, maxStringBytes: 8)
        #expect(small.coercer.maxStringBytes == 8)
        #expect((try? small.apply(body: body(#"{"op":"replace","path":"title","value":"12345678"}"#), to: user)) != nil)
        do {
            _ = try small.apply(body: body(#"{"op":"replace","path":"name.familyName","value":"123456789"}"#), to: user)
            Issue.record("a 9-byte value passed a cap of 8")
        } catch {
            #expect(error.scimType == .invalidValue)
            #expect(error.detail.contains("'name.familyName' is 9 bytes long; the limit for one value is 8 bytes"), "\(error.detail)")
        }
    }
}
