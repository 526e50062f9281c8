import SCIMCore

/// SplitMix64: a tiny deterministic generator, so a failing property names a seed that
/// reproduces it.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random filters, resources and PATCH operations for the property tests.
enum RandomSCIM {
    static let paths = [
        "userName", "displayName", "active", "title", "externalId", "id", "name.givenName", "name.familyName",
        "emails", "emails.value", "emails.type", "emails.primary", "phoneNumbers.value", "meta.lastModified", "meta.created",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "urn:zscim:params:scim:schemas:extension:zscaler:2.0:User:ziaUserId", "x509Certificates.value", "groups.value",
        "nickName", "addresses.country", "roles.value", "unknownThing",
    ]
    static let complexAttributes = ["emails", "phoneNumbers", "addresses", "roles", "groups", "name", "ims"]
    static let subNames = ["value", "type", "primary", "display", "country", "givenName", "bogus"]

    static func randomCase(_ s: String, _ rng: inout SplitMix) -> String {
        String(s.map { Bool.random(using: &rng) ? Character($0.uppercased()) : $0 })
    }

    static func string(_ rng: inout SplitMix) -> String {
        let alphabet: [Character] = [
            "a", "B", "z", " ", "\"", "\\", "é", "日", "\n", "\t", "\u{01}", "@", ".", "]", "[", "(", ")", "😀", "0", "-",
        ]
        return String((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func literal(_ rng: inout SplitMix) -> FilterLiteral {
        switch Int.random(in: 0...5, using: &rng) {
        case 0: return .bool(Bool.random(using: &rng))
        case 1: return .null
        case 2:
            return .number(JSONNumber(["0", "-1", "42", "3.25", "1e3", "-0.5E-2", "12345678901234567890"].randomElement(using: &rng)!)!)
        case 3: return .string(["2024-01-02T03:04:05Z", "2011-05-13T04:42:34.123+02:00", "not-a-date"].randomElement(using: &rng)!)
        default: return .string(string(&rng))
        }
    }

    static func path(_ rng: inout SplitMix, relative: Bool) -> AttributePath {
        if relative { return AttributePath(name: randomCase(subNames.randomElement(using: &rng)!, &rng)) }
        return AttributePath.parse(randomCase(paths.randomElement(using: &rng)!, &rng))!
    }

    static func filter(_ rng: inout SplitMix, depth: Int = 0, relative: Bool = false) -> Filter {
        let leaf = depth >= 4 || Int.random(in: 0...9, using: &rng) < 4
        if leaf {
            let p = path(&rng, relative: relative)
            if Int.random(in: 0...7, using: &rng) == 0 { return .present(p) }
            return .comparison(p, ComparisonOperator.allCases.randomElement(using: &rng)!, literal(&rng))
        }
        switch Int.random(in: 0...4, using: &rng) {
        case 0: return .and(filter(&rng, depth: depth + 1, relative: relative), filter(&rng, depth: depth + 1, relative: relative))
        case 1: return .or(filter(&rng, depth: depth + 1, relative: relative), filter(&rng, depth: depth + 1, relative: relative))
        case 2: return .not(filter(&rng, depth: depth + 1, relative: relative))
        default:
            if relative { return .not(filter(&rng, depth: depth + 1, relative: true)) }
            let parent = AttributePath(name: randomCase(complexAttributes.randomElement(using: &rng)!, &rng))
            return .valuePath(parent, filter(&rng, depth: depth + 1, relative: true))
        }
    }

    /// Any JSON at all, biased towards SCIM-looking shapes with wrong types mixed in.
    static func json(_ rng: inout SplitMix, depth: Int = 0) -> JSONValue {
        let roll = Int.random(in: 0...(depth > 2 ? 5 : 8), using: &rng)
        switch roll {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(JSONNumber(["0", "7", "-3.5", "1e400", "99999999999999999999"].randomElement(using: &rng)!)!)
        case 3, 4: return .string(Bool.random(using: &rng) ? string(&rng) : "2020-02-29T12:00:00Z")
        case 5: return .string("u\(Int.random(in: 1...5, using: &rng))")
        case 6: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in json(&rng, depth: depth + 1) })
        default:
            var o = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let key = randomCase((subNames + complexAttributes + ["userName", "active"]).randomElement(using: &rng)!, &rng)
                o.set(json(&rng, depth: depth + 1), forKeyIgnoringCase: key)
            }
            return .object(o)
        }
    }

    static func resource(_ rng: inout SplitMix) -> JSONObject {
        var o = JSONObject()
        o["schemas"] = .array([.string(SchemaURN.user)])
        o["id"] = .string("r\(rng.next() % 1000)")
        for key in paths.shuffled(using: &rng).prefix(Int.random(in: 0...10, using: &rng)) {
            let top = String(key.split(separator: ".").first!)
            if key.hasPrefix("urn:") {
                let p = AttributePath.parse(key)!
                o[p.schema!] = .object(JSONObject([(p.name, json(&rng))]))
            } else {
                o.set(json(&rng), forKeyIgnoringCase: randomCase(top, &rng))
            }
        }
        return o
    }

    static func patchOperation(_ rng: inout SplitMix) -> JSONValue {
        var op = JSONObject()
        op["op"] = .string(["add", "Add", "remove", "replace", "Replace", "move"].randomElement(using: &rng)!)
        if Int.random(in: 0...4, using: &rng) > 0 {
            let text: String
            switch Int.random(in: 0...3, using: &rng) {
            case 0: text = filter(&rng).description
            case 1:
                text =
                    "\(complexAttributes.randomElement(using: &rng)!)[\(filter(&rng, relative: true))].\(subNames.randomElement(using: &rng)!)"
            default: text = randomCase(paths.randomElement(using: &rng)!, &rng)
            }
            op["path"] = .string(text)
        }
        if Int.random(in: 0...5, using: &rng) > 0 { op["value"] = json(&rng) }
        return .object(op)
    }
}
