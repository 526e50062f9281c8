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
        // Contiguous UTF-8 (every native string) is read in place; a bridged one is made native.
        let byteResult: Bool?? = haystack.utf8.withContiguousStorageIfAvailable { matchBytes($0, anchor) }
        let result: Bool?
        if let byteResult {
            result = byteResult
        } else {
            var copy = haystack
            result = copy.withUTF8 { matchBytes($0, anchor) }
        }
        if let result { return result }
        let folded = CaseFolding.fold(haystack)
        switch anchor {
        case .start: return folded.hasPrefix(needle)
        case .end: return folded.hasSuffix(needle)
        case .anywhere: return searchCharacters(folded)
        }
    }

    /// The byte comparison, or `nil` when the Unicode path must decide: case-exact compares bytes
    /// whatever they are, but folding non-ASCII text can change its length and its characters.
    func matchBytes(_ hb: UnsafeBufferPointer<UInt8>, _ anchor: Anchor) -> Bool? {
        if !caseExact, !needleIsASCII || Self.containsNonASCII(hb) { return nil }
        if bytes.count > hb.count { return false }
        switch anchor {
        case .start: return equalBytes(hb, at: 0)
        case .end: return equalBytes(hb, at: hb.count - bytes.count)
        case .anywhere:
            if caseExact {
                return bytes.count <= Self.shortNeedle ? searchShort(hb, fold: false) : searchBytes(hb, fold: false)
            }
            return bytes.count <= Self.shortNeedle ? searchShort(hb, fold: true) : searchBytes(hb, fold: true)
        }
    }

    /// Needles up to this long are searched by trying each offset: at most this many comparisons
    /// per byte, which beats KMP's table lookups on the short needles filters nearly always have.
    static let shortNeedle = 16

    static func containsNonASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for b in buffer { any |= b }
        return any >= 0x80
    }

    @inline(__always)
    static func byte(_ hb: UnsafeBufferPointer<UInt8>, _ i: Int, fold: Bool) -> UInt8 {
        fold ? CaseFolding.lowerASCII(hb[i]) : hb[i]
    }

    func equalBytes(_ hb: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for j in 0..<bytes.count where Self.byte(hb, start + j, fold: !caseExact) != bytes[j] { return false }
        return true
    }

    /// Tries every offset; linear because the needle is short.
    @inline(__always)
    func searchShort(_ hb: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            let m = p.count
            let first = p[0]
            var i = 0
            let last = hb.count - m
            outer: while i <= last {
                if Self.byte(hb, i, fold: fold) == first {
                    for j in 1..<m where Self.byte(hb, i + j, fold: fold) != p[j] {
                        i += 1
                        continue outer
                    }
                    return true
                }
                i += 1
            }
            return false
        }
    }

    /// KMP over bytes: each haystack byte is read once.
    @inline(__always)
    func searchBytes(_ hb: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            byteFailure.withUnsafeBufferPointer { f in
                let m = p.count
                var k = 0
                for i in 0..<hb.count {
                    let c = Self.byte(hb, i, fold: fold)
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
