/// Case-insensitive string comparison for SCIM's `caseExact: false` attributes and for attribute
/// names. ASCII text (nearly every user name, e-mail and attribute name) is compared byte by byte
/// without allocating, since filters run these once per resource during a scan; anything else
/// falls back to Unicode lower-casing.
public enum CaseFolding {
    @inline(__always)
    static func lowerASCII(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }

    /// Unicode-aware case-insensitive equality.
    public static func equal(_ a: String, _ b: String) -> Bool {
        // Native strings are read in place (no copy, no reference counting). A string without
        // contiguous UTF-8 (bridged, on Apple platforms) takes the general comparison below.
        let inPlace = a.utf8.withContiguousStorageIfAvailable { x in b.utf8.withContiguousStorageIfAvailable { y in asciiEqual(x, y) } }
        if case .some(.some(.some(let known))) = inPlace { return known }
        return fold(a) == fold(b)
    }

    /// Equality of two UTF-8 texts ignoring ASCII case; `nil` when non-ASCII bytes leave it to
    /// Unicode lower-casing.
    @inline(__always)
    static func asciiEqual(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool? {
        if x.count != y.count {
            // Different lengths can only fold equal when some byte is non-ASCII.
            return x.contains(where: { $0 >= 0x80 }) || y.contains(where: { $0 >= 0x80 }) ? nil : false
        }
        for i in 0..<x.count {
            let p = x[i]
            let q = y[i]
            if p == q { continue }
            if p >= 0x80 || q >= 0x80 { return nil }
            if lowerASCII(p) != lowerASCII(q) { return false }
        }
        return true
    }

    /// The case-folded form used for case-insensitive comparisons and ordering.
    public static func fold(_ s: String) -> String {
        var needsWork = false
        for b in s.utf8 where (b >= 0x41 && b <= 0x5A) || b >= 0x80 {
            needsWork = true
            break
        }
        return needsWork ? s.lowercased() : s
    }

    /// Whether `haystack` contains `needle`, which is already folded when `caseExact` is false.
    /// Linear in both lengths (see `SubstringPattern`); a filter prepares its pattern once instead.
    public static func contains(_ haystack: String, foldedNeedle needle: String, caseExact: Bool) -> Bool {
        SubstringPattern(foldedNeedle: needle, caseExact: caseExact).matches(haystack, anchor: .anywhere)
    }

    public static func hasPrefix(_ haystack: String, foldedNeedle needle: String, caseExact: Bool) -> Bool {
        SubstringPattern(foldedNeedle: needle, caseExact: caseExact).matches(haystack, anchor: .start)
    }

    public static func hasSuffix(_ haystack: String, foldedNeedle needle: String, caseExact: Bool) -> Bool {
        SubstringPattern(foldedNeedle: needle, caseExact: caseExact).matches(haystack, anchor: .end)
    }
}
