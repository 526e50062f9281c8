import PropertyBased
import SCIMCore
import Testing

/// `co`/`sw`/`ew` (issue 8, defect 7): linear-time search with the semantics the filter always had.
@Suite("Substring search")
struct SubstringSearchTests {
    /// The old search tried the needle at every offset: for these sizes that is about 4 billion
    /// byte comparisons per value (minutes in a debug build), where KMP takes about 2 million steps.
    static let needleLength = 4_000
    static let haystackLength = 1_000_000

    @Test("a 4,000-byte co needle against 1 MB ASCII values: right answers, linear work")
    func longASCIINeedle() throws {
        // The worst case for the naive search: every offset matches all but the last byte.
        let haystack = String(repeating: "a", count: Self.haystackLength)
        let needle = String(repeating: "A", count: Self.needleLength - 1) + "B"
        let folded = CaseFolding.fold(needle)
        #expect(!CaseFolding.contains(haystack, foldedNeedle: folded, caseExact: false))
        #expect(CaseFolding.contains(haystack + "b", foldedNeedle: folded, caseExact: false))
        #expect(!CaseFolding.contains(haystack + "b", foldedNeedle: needle, caseExact: true))
        #expect(
            CaseFolding.contains(haystack + "B", foldedNeedle: String(repeating: "a", count: Self.needleLength - 1) + "B", caseExact: true))
        #expect(CaseFolding.hasSuffix(haystack + "B", foldedNeedle: folded, caseExact: false))
        #expect(!CaseFolding.hasPrefix(haystack + "B", foldedNeedle: folded, caseExact: false))
    }

    @Test("a long needle against 1 MB of non-ASCII text takes the Unicode path, still linear")
    func longUnicodeNeedle() throws {
        let haystack = String(repeating: "é", count: Self.haystackLength / 2)
        let needle = String(repeating: "É", count: Self.needleLength / 2 - 1) + "X"
        let folded = CaseFolding.fold(needle)
        #expect(!CaseFolding.contains(haystack, foldedNeedle: folded, caseExact: false))
        #expect(CaseFolding.contains(haystack + "x", foldedNeedle: folded, caseExact: false))
        // Decomposed text matches a precomposed needle (canonical equivalence).
        #expect(CaseFolding.contains("e\u{301}" + haystack + "x", foldedNeedle: folded, caseExact: false))
    }

    @Test("a compiled co filter over users with 1 MB titles")
    func compiledFilter() throws {
        let needle = String(repeating: "x", count: Self.needleLength - 1) + "y"
        let filter = try CompiledFilter.compile("title co \"\(needle.uppercased())\"", for: TestSupport.user)
        let long = String(repeating: "x", count: Self.haystackLength)
        let users = (0..<3).map { i in
            var user = TestSupport.object(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u\#(i)","userName":"u\#(i)"}"#)
            user["title"] = .string(i == 1 ? long + "Y" + long : long)
            return user
        }
        #expect(filter.matchingIndices(in: users) == [1])
    }

    /// The semantics, written the slow and obvious way: case-exact compares bytes; otherwise ASCII
    /// compares with letters lower-cased, and anything else compares the lower-cased value
    /// character by character.
    static func reference(_ haystack: String, _ needle: String, caseExact: Bool, _ anchor: String) -> Bool {
        let asciiPath = caseExact || (haystack.utf8.allSatisfy { $0 < 0x80 } && needle.utf8.allSatisfy { $0 < 0x80 })
        if asciiPath {
            let h = Array(haystack.utf8).map { caseExact ? $0 : (($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0) }
            let n = Array(needle.utf8)
            if n.isEmpty { return true }
            if n.count > h.count { return false }
            let starts = anchor == "sw" ? [0] : anchor == "ew" ? [h.count - n.count] : Array(0...(h.count - n.count))
            return starts.contains { s in Array(h[s..<s + n.count]) == n }
        }
        let h = Array(haystack.lowercased())
        let n = Array(needle)
        if n.isEmpty { return true }
        if n.count > h.count { return false }
        let starts = anchor == "sw" ? [0] : anchor == "ew" ? [h.count - n.count] : Array(0...(h.count - n.count))
        return starts.contains { s in Array(h[s..<s + n.count]) == n }
    }

    @Test("random strings: co, sw and ew agree with the obvious search, case-exact or not")
    func agreesWithReference() async {
        // Letters in both cases, repeats (to exercise KMP's fallbacks), precomposed and decomposed
        // accents, a combining mark alone, characters whose lower case is longer (İ) or the same (ß).
        let pieces = ["a", "a", "b", "A", "B", "é", "É", "e\u{301}", "\u{301}", "ß", "İ", "x", "ab", "aa"]
        await propertyCheck(count: 3000, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            func text(_ max: Int) -> String {
                (0..<Int.random(in: 0...max, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            }
            let haystack = text(12)
            let raw = Bool.random(using: &rng) ? text(4) : String(haystack.dropFirst(Int.random(in: 0...3, using: &rng)).prefix(3))
            for caseExact in [true, false] {
                let needle = caseExact ? raw : CaseFolding.fold(raw)
                let got = [
                    CaseFolding.contains(haystack, foldedNeedle: needle, caseExact: caseExact),
                    CaseFolding.hasPrefix(haystack, foldedNeedle: needle, caseExact: caseExact),
                    CaseFolding.hasSuffix(haystack, foldedNeedle: needle, caseExact: caseExact),
                ]
                let want = ["co", "sw", "ew"].map { Self.reference(haystack, needle, caseExact: caseExact, $0) }
                #expect(got == want, "seed \(seed): \(haystack.debugDescription) / \(needle.debugDescription) caseExact \(caseExact)")
            }
        }
    }
}
