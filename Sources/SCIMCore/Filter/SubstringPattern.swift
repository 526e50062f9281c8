/// A `co`/`sw`/`ew` needle prepared once, when the filter is compiled, so that each test against
/// an attribute value costs time linear in the value and the needle, never their product.
///
/// The old search tried the needle at every offset of the value: a 4,000-byte `co` needle against
/// a 1 MB value is 4 billion byte comparisons per resource, which one request could make the
/// server do 100,000 times. Knuth–Morris–Pratt never moves backwards in the value, so it reads
/// each byte (or character) once plus at most once more per fallback: about 2 million steps there.
///
/// The semantics are those the filter has always had:
/// - `caseExact` attributes compare UTF-8 bytes;
/// - other attributes, when value and needle are both ASCII, compare bytes with ASCII letters
///   lower-cased (the needle is already folded);
/// - otherwise the value is folded with Unicode lower-casing and compared character by
///   character (grapheme clusters, canonical equivalence), as `String` comparison does.
struct SubstringPattern: Sendable {
    /// The needle, already folded by `CaseFolding.fold` when `caseExact` is false.
    let needle: String
    let caseExact: Bool
    let bytes: [UInt8]
    /// KMP failure function over `bytes`: `byteFailure[i]` is the length of the longest proper
    /// border of `bytes[0...i]`.
    let byteFailure: [Int]
    let needleIsASCII: Bool
    /// The needle as characters with its failure function, for the Unicode path; empty unless the
    /// pattern can take that path (case-insensitive).
    let characters: [Character]
    let characterFailure: [Int]

    init(foldedNeedle needle: String, caseExact: Bool) {
        self.needle = needle
        self.caseExact = caseExact
        bytes = Array(needle.utf8)
        byteFailure = Self.failure(bytes)
        needleIsASCII = !bytes.contains(where: { $0 >= 0x80 })
        characters = caseExact ? [] : Array(needle)
        characterFailure = Self.failure(characters)
    }

    /// The KMP failure function. Needs only an equivalence relation on elements, which both
    /// bytes and `Character` equality (canonical equivalence) are.
    static func failure<T: Equatable>(_ p: [T]) -> [Int] {
        var f = [Int](repeating: 0, count: p.count)
        var k = 0
        var i = 1
        while i < p.count {
            while k > 0 && p[i] != p[k] { k = f[k - 1] }
            if p[i] == p[k] { k += 1 }
            f[i] = k
            i += 1
        }
        return f
    }

    enum Anchor {
        case anywhere, start, end
    }

    /// Whether `haystack` contains the needle at `anchor`.
    func matches(_ haystack: String, anchor: Anchor) -> Bool {
        if bytes.isEmpty { return true }
        var h = haystack
        let byteResult: Bool? = h.withUTF8 { hb -> Bool? in
            // Case-exact compares bytes whatever they are. Folding non-ASCII text can change its
            // length and its characters, so case-insensitive non-ASCII takes the Unicode path.
            if !caseExact, !needleIsASCII || Self.containsNonASCII(hb) { return nil }
            if bytes.count > hb.count { return false }
            switch anchor {
            case .start: return equalBytes(hb, at: 0)
            case .end: return equalBytes(hb, at: hb.count - bytes.count)
            case .anywhere: return searchBytes(hb)
            }
        }
        if let byteResult { return byteResult }
        let folded = CaseFolding.fold(haystack)
        switch anchor {
        case .start: return folded.hasPrefix(needle)
        case .end: return folded.hasSuffix(needle)
        case .anywhere: return searchCharacters(folded)
        }
    }

    static func containsNonASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in buffer where b >= 0x80 { return true }
        return false
    }

    @inline(__always)
    func byte(_ hb: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt8 {
        caseExact ? hb[i] : CaseFolding.lowerASCII(hb[i])
    }

    func equalBytes(_ hb: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for j in 0..<bytes.count where byte(hb, start + j) != bytes[j] { return false }
        return true
    }

    /// KMP over bytes: each haystack byte is read once.
    func searchBytes(_ hb: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            byteFailure.withUnsafeBufferPointer { f in
                let m = p.count
                var k = 0
                for i in 0..<hb.count {
                    let c = byte(hb, i)
                    while k > 0 && p[k] != c { k = f[k - 1] }
                    if p[k] == c {
                        k += 1
                        if k == m { return true }
                    }
                }
                return false
            }
        }
    }

    /// KMP over characters, streaming the haystack (no array of its characters is built).
    func searchCharacters(_ haystack: String) -> Bool {
        let m = characters.count
        if m == 0 { return true }
        var k = 0
        for c in haystack {
            while k > 0 && characters[k] != c { k = characterFailure[k - 1] }
            if characters[k] == c {
                k += 1
                if k == m { return true }
            }
        }
        return false
    }
}
