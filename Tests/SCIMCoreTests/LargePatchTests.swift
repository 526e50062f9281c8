import SCIMCore
import Testing

/// PATCH de-duplication of multi-valued attributes (issue 8, defect 7): hashed, with the same
/// equality as before. The sizes are where comparing each value with all of them took minutes
/// (25,000 values: about 300 million comparisons of JSON objects).
@Suite("Large PATCHes")
struct LargePatchTests {
    static let count = 25_000

    static func patch(_ operations: String) -> JSONValue {
        TestSupport.json(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[\#(operations)]}"#)
    }

    static func emails(_ range: Range<Int>, type: String = "work") -> String {
        range.map { #"{"value":"user\#($0)@example.com","type":"\#(type)"}"# }.joined(separator: ",")
    }

    static let user = TestSupport.object(
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"bjensen","#
            + #""emails":[{"value":"user0@example.com","type":"work","primary":true},{"type":"home","value":"user1@example.com"}]}"#)

    @Test("adding 25,000 emails skips the deep-equal ones (member order ignored) and keeps order")
    func addManyEmails() throws {
        // user0 is already there with primary; user1 is there as "home" (member order differs):
        // the added user1/home is a duplicate, user1/work is not; and every value is sent twice.
        let body = Self.patch(
            #"{"op":"add","path":"emails","value":[\#(Self.emails(0..<Self.count)),\#(Self.emails(0..<Self.count)),{"value":"user1@example.com","type":"home"}]}"#
        )
        let after = try PatchEngine(definition: TestSupport.user).apply(body: body, to: Self.user)
        let emails = try #require(after["emails"]?.arrayValue)
        // user0/work differs from the stored user0 (which has primary: true), so it is added once.
        #expect(emails.count == 2 + Self.count)
        #expect(emails[0] == TestSupport.json(#"{"value":"user0@example.com","type":"work","primary":true}"#))
        #expect(emails[2] == TestSupport.json(#"{"value":"user0@example.com","type":"work"}"#))
        #expect(emails.last == TestSupport.json(#"{"value":"user\#(Self.count - 1)@example.com","type":"work"}"#))
        #expect(Set(emails).count == emails.count)
    }

    @Test("a new primary demotes the old one, which then counts as a duplicate of its demoted form")
    func primaryDemotion() throws {
        let body = Self.patch(
            #"{"op":"add","path":"emails","value":[{"value":"new@example.com","type":"work","primary":true},{"value":"user0@example.com","type":"work","primary":false}]}"#
        )
        let after = try PatchEngine(definition: TestSupport.user).apply(body: body, to: Self.user)
        #expect(
            after["emails"]
                == TestSupport.json(
                    #"[{"value":"user0@example.com","type":"work","primary":false},{"type":"home","value":"user1@example.com"},{"value":"new@example.com","type":"work","primary":true}]"#
                ))
    }

    static let group = TestSupport.object(
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Everyone","members":[]}"#)

    static func members(_ range: Range<Int>, display: Bool = false) -> String {
        range.map { display ? #"{"value":"m\#($0)","display":"Member \#($0)"}"# : #"{"value":"m\#($0)"}"# }.joined(separator: ",")
    }

    @Test("members de-duplicate by value (the id), 25,000 at a time; removal by value list likewise")
    func manyMembers() throws {
        let engine = PatchEngine(definition: TestSupport.group, profile: .lenient)
        // The second list repeats the ids with a display: still the same members.
        let added = try engine.apply(
            body: Self.patch(
                #"{"op":"add","path":"members","value":[\#(Self.members(0..<Self.count)),\#(Self.members(0..<Self.count, display: true))]}"#
            ),
            to: Self.group)
        let members = try #require(added["members"]?.arrayValue)
        #expect(members.count == Self.count)
        #expect(members.first == TestSupport.json(#"{"value":"m0"}"#))

        // Entra's remove-by-value-list: every other member, named with a display.
        let even = stride(from: 0, to: Self.count, by: 2).map { #"{"value":"m\#($0)","display":"x"}"# }.joined(separator: ",")
        let removed = try engine.apply(body: Self.patch(#"{"op":"remove","path":"members","value":[\#(even)]}"#), to: added)
        let left = try #require(removed["members"]?.arrayValue)
        #expect(left.count == Self.count / 2)
        #expect(left.first == TestSupport.json(#"{"value":"m1"}"#))
        #expect(left.allSatisfy { ($0["value"]?.stringValue?.dropFirst()).flatMap { Int($0) }.map { $0 % 2 == 1 } ?? false })
    }

    @Test("removing listed emails removes deep-equal values only")
    func removeListedEmails() throws {
        let existing = TestSupport.object(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"b","emails":[\#(Self.emails(0..<Self.count))]}"#
        )
        let listed = (0..<Self.count).map { i in
            // Odd ones differ in type, so they are not the same value and stay.
            #"{"type":"\#(i % 2 == 0 ? "work" : "home")","value":"user\#(i)@example.com"}"#
        }.joined(separator: ",")
        let after = try PatchEngine(definition: TestSupport.user, profile: .lenient).apply(
            body: Self.patch(#"{"op":"remove","path":"emails","value":[\#(listed)]}"#), to: existing)
        #expect(after["emails"]?.arrayValue?.count == Self.count / 2)
    }
}
