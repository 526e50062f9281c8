import PropertyBased
import SCIMCore
import Testing

/// Properties that must hold for any input, checked on random ones (each failure reports the
/// seed; `RandomSCIM` rebuilds the same input from it).
@Suite("Properties")
struct PropertyTests {
    static let seeds = Gen.uint64(in: 0...UInt64.max)

    @Test("printing a parsed filter and parsing it again gives the same tree")
    func printParseRoundTrip() async {
        await propertyCheck(count: 2000, input: Self.seeds) { seed in
            var rng = SplitMix(seed: seed)
            let filter = RandomSCIM.filter(&rng)
            let text = filter.description
            do {
                let reparsed = try FilterParser.parse(text)
                #expect(reparsed == filter, "seed \(seed): \(text)")
                #expect(reparsed.description == text, "seed \(seed)")
            } catch {
                Issue.record("seed \(seed): printed filter does not parse: \(text): \(error)")
            }
        }
    }

    @Test("compiling and evaluating random filters on random resources never traps")
    func evaluationNeverTraps() async {
        let user = TestSupport.user
        await propertyCheck(count: 3000, input: Self.seeds) { seed in
            var rng = SplitMix(seed: seed)
            let filter = RandomSCIM.filter(&rng)
            for profile in [CompatibilityProfile.strict, .lenient] {
                guard let compiled = try? FilterCompiler(definition: user, profile: profile).compile(filter) else { continue }
                for _ in 0..<5 {
                    let resource = RandomSCIM.resource(&rng)
                    // Evaluation is total, and `not` is exactly the negation.
                    let direct = compiled.matches(resource)
                    let negated = try? FilterCompiler(definition: user, profile: profile).compile(.not(filter))
                    #expect(negated?.matches(resource) == !direct, "seed \(seed)")
                }
            }
        }
    }

    @Test("random bytes as a filter give a result or an invalidFilter error, never a trap")
    func parserTotal() async {
        let alphabet = Array(#"abcABC eqnotandorprgtlt()[]"\.:_$-0123456789@é"#)
        await propertyCheck(count: 3000, input: Self.seeds) { seed in
            var rng = SplitMix(seed: seed)
            let text = String((0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            do throws(SCIMError) {
                let filter = try FilterParser.parse(text, options: .lenient)
                _ = try? FilterCompiler(definition: TestSupport.user).compile(filter)
            } catch {
                #expect(error.scimType == .invalidFilter, "seed \(seed): \(text): \(error)")
                #expect(error.status == 400)
            }
        }
    }

    @Test("random PATCH requests either apply or fail with a SCIM 400, never trap")
    func patchTotal() async {
        let user = TestSupport.user
        await propertyCheck(count: 2000, input: Self.seeds) { seed in
            var rng = SplitMix(seed: seed)
            let resource = RandomSCIM.resource(&rng)
            let ops = (0..<Int.random(in: 1...4, using: &rng)).map { _ in RandomSCIM.patchOperation(&rng) }
            let body: JSONValue = .object(JSONObject([("schemas", .array([.string(SchemaURN.patchOp)])), ("Operations", .array(ops))]))
            for profile in [CompatibilityProfile.strict, .lenient] {
                do throws(SCIMError) {
                    let after = try PatchEngine(definition: user, profile: profile).apply(body: body, to: resource)
                    // Whatever changed, the id and core schema URN stay.
                    #expect(after["id"] == resource["id"], "seed \(seed)")
                } catch {
                    #expect(error.status == 400 || error.status == 409, "seed \(seed): \(error)")
                    #expect(error.scimType != nil, "seed \(seed): \(error)")
                }
            }
        }
    }

    @Test("JSON text survives parse and serialize unchanged")
    func jsonRoundTrip() async {
        await propertyCheck(count: 2000, input: Self.seeds) { seed in
            var rng = SplitMix(seed: seed)
            let value = RandomSCIM.json(&rng)
            let text = value.serialized()
            let reparsed = try? JSONParser.parse(text)
            #expect(reparsed == value, "seed \(seed): \(text)")
            #expect(reparsed?.serialized() == text, "seed \(seed)")
        }
    }
}
