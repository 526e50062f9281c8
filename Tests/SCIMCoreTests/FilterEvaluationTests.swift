import PropertyBased
import SCIMCore
import Testing

/// The evaluator's shortcuts (issue 8, the in-memory scan) give the answers the plain rules give.
@Suite("Filter evaluation shortcuts")
struct FilterEvaluationTests {
    static func user(_ members: String) -> JSONObject {
        TestSupport.object(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u","userName":"u"\#(members)}"#)
    }

    @Test("dateTime comparisons on the forms the service writes agree with comparing parsed instants")
    func dateTimeFastPath() async {
        // Mostly the canonical forms (YYYY-MM-DDThh:mm:ss[.fff]Z), with invalid dates (month 13,
        // 30 February, a leap second), other offsets and fractions mixed in.
        await propertyCheck(count: 3000, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            func two(_ range: ClosedRange<Int>) -> String {
                let v = Int.random(in: range, using: &rng)
                return v < 10 ? "0\(v)" : "\(v)"
            }
            func date() -> String {
                let year = ["1999", "2000", "2024", "2026", "0000", "9999"].randomElement(using: &rng)!
                let text =
                    "\(year)-\(two(1...13))-\(two(1...31))T\(two(0...23)):\(two(0...59)):\(two(Bool.random(using: &rng) ? 58...60 : 0...59))"
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: return text + "." + String(Int.random(in: 100...999, using: &rng)) + "Z"
                case 1: return text + ".5Z"
                case 2: return text + "+01:30"
                default: return text + "Z"
                }
            }
            let literal = date()
            let value = date()
            for op in ["eq", "ne", "gt", "ge", "lt", "le"] {
                guard let filter = try? CompiledFilter.compile("meta.lastModified \(op) \"\(literal)\"", for: TestSupport.user) else {
                    #expect(SCIMDateTime(literal) == nil, "seed \(seed): \(literal) is valid but the filter does not compile")
                    continue
                }
                let l = SCIMDateTime(literal)!
                let expected: Bool
                if let v = SCIMDateTime(value) {
                    switch op {
                    case "eq": expected = v == l
                    case "ne": expected = v != l
                    case "gt": expected = v > l
                    case "ge": expected = v >= l
                    case "lt": expected = v < l
                    default: expected = v <= l
                    }
                } else {
                    expected = op == "ne"  // an invalid value equals nothing
                }
                let resource = Self.user(#","meta":{"lastModified":"\#(value)"}"#)
                #expect(filter.matches(resource) == expected, "seed \(seed): \(value) \(op) \(literal)")
            }
        }
    }

    @Test("a key stored outside the string's inline form is still found, exactly or ignoring case")
    func keysInAnyRepresentation() throws {
        var key = String()
        key.reserveCapacity(64)  // a heap buffer, though "title" would fit inline
        key += "title"
        var resource = Self.user("")
        resource[key] = "Engineer"
        #expect(try CompiledFilter.compile(#"title eq "engineer""#, for: TestSupport.user).matches(resource))
        resource.removeValue(forKeyIgnoringCase: "title")
        resource["TITLE"] = "Engineer"
        #expect(try CompiledFilter.compile(#"title eq "engineer""#, for: TestSupport.user).matches(resource))
        let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        resource[enterprise.uppercased()] = TestSupport.json(#"{"department":"Sales"}"#)
        #expect(try CompiledFilter.compile(#"\#(enterprise):department eq "sales""#, for: TestSupport.user).matches(resource))
    }

    @Test("values of a multi-valued attribute that are not objects match as empty objects")
    func nonObjectValues() throws {
        let resource = Self.user(#","emails":["a@example.com",{"value":"b@example.com","type":"work"}]"#)
        let work = try CompiledFilter.compile(#"emails[type eq "work"]"#, for: TestSupport.user)
        let noType = try CompiledFilter.compile(#"emails[not (type pr)]"#, for: TestSupport.user)
        let bare = Self.user(#","emails":["a@example.com"]"#)
        #expect(work.matches(resource))
        #expect(!work.matches(bare))
        #expect(noType.matches(bare))
    }
}
