/// Case-insensitive string comparison for SCIM's `caseExact: false` attributes and for attribute
/// names, with an allocation-free ASCII fast path (nearly every user name and attribute name is
/// ASCII, and filters compare them once per resource during a scan).
public enum CaseFolding {
    @inline(__always)
    static func lowerASCII(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }

    /// Unicode-aware case-insensitive equality.
    public static func equal(_ a: String, _ b: String) -> Bool {
        var ai = a.utf8.makeIterator()
        var bi = b.utf8.makeIterator()
        while true {
            switch (ai.next(), bi.next()) {
            case (nil, nil): return true
            case (let x?, let y?):
                if x >= 0x80 || y >= 0x80 { return fold(a) == fold(b) }
                if lowerASCII(x) != lowerASCII(y) { return false }
            default:
                // Lengths differ; only non-ASCII text can still fold to equal strings.
                if a.utf8.contains(where: { $0 >= 0x80 }) || b.utf8.contains(where: { $0 >= 0x80 }) {
                    return fold(a) == fold(b)
                }
                return false
            }
        }
    }

    /// The case-folded form used for case-insensitive comparisons and ordering.
    public static func fold(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 >= 0x41 }) { return s }
        return s.lowercased()
    }

    /// `haystack` contains / starts with / ends with `needle`, where `needle` is already folded
    /// when `caseExact` is false.
    public static func contains(_ haystack: String, foldedNeedle needle: String, caseExact: Bool) -> Bool {
        if needle.isEmpty { return true }
        let h = caseExact ? haystack : fold(haystack)
        return h.contains(needle)
    }

    public static func hasPrefix(_ haystack: String, foldedNeedle needle: String, caseExact: Bool) -> Bool {
        (caseExact ? haystack : fold(haystack)).hasPrefix(needle)
    }

    public static func hasSuffix(_ haystack: String, foldedNeedle needle: String, caseExact: Bool) -> Bool {
        (caseExact ? haystack : fold(haystack)).hasSuffix(needle)
    }
}
