import SCIMCore
import Testing

@Suite("JSON value")
struct JSONTests {
    @Test("numbers, member order and strings come back exactly as sent")
    func roundTrip() throws {
        let text = #"{"b":701984000000000001,"a":1.50,"c":-0.0e+10,"s":"é\"\\\n\u0001/","t":true,"n":null,"l":[1,{"x":[]}]}"#
        let value = try JSONParser.parse(text)
        #expect(
            value.serialized() == #"{"b":701984000000000001,"a":1.50,"c":-0.0e+10,"s":"é\"\\\n\u0001/","t":true,"n":null,"l":[1,{"x":[]}]}"#
        )
        #expect(value.objectValue?.keys == ["b", "a", "c", "s", "t", "n", "l"])
    }

    @Test("object equality ignores member order; numbers compare by value")
    func equality() throws {
        #expect(try JSONParser.parse(#"{"a":1,"b":2}"#) == JSONParser.parse(#"{"b":2,"a":1.0}"#))
        #expect(try JSONParser.parse("[1,2]") != JSONParser.parse("[2,1]"))
    }

    @Test("surrogate pairs decode; lone surrogates are refused")
    func surrogates() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(#""\ud83d""#) }
    }

    @Test(
        "malformed documents are refused with a position",
        arguments: [
            "", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "{\"a\":1}x", "\"\\x\"", "{\"a\":1,\"a\":2}",
            "[\"\u{01}\"]", "nul", "{,}", "[1 2]",
        ])
    func malformed(_ text: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line >= 1 && error.column >= 1)
            #expect(!error.message.isEmpty)
        }
    }

    @Test("nesting depth is bounded, so a hostile body cannot exhaust the stack")
    func depthLimit() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: JSONParser.Error.self) { try JSONParser().parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("errors report line and column")
    func errorPosition() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": ?\n}")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
        }
    }

    @Test("a SCIM error renders as RFC 7644 §3.12 with status as a string")
    func errorBody() {
        let body = SCIMError.invalidFilter("bad").jsonValue
        #expect(body["status"] == .string("400"))
        #expect(body["scimType"] == .string("invalidFilter"))
        #expect(body["schemas"] == .array([.string("urn:ietf:params:scim:api:messages:2.0:Error")]))
        #expect(SCIMError.notFound("x").jsonValue["scimType"] == nil)
    }
}
