/// An attribute path as SCIM writes it (RFC 7644 §3.10): `[URN ":"] name ["." subName]`.
///
/// Names are kept as the client wrote them; resolution against the schemas is case-insensitive
/// (see `ResourceDefinition.resolve`).
public struct AttributePath: Sendable, Hashable, CustomStringConvertible {
    /// The schema URN prefix, when written.
    public var schema: String?
    public var name: String
    public var subAttribute: String?

    public init(schema: String? = nil, name: String, subAttribute: String? = nil) {
        self.schema = schema
        self.name = name
        self.subAttribute = subAttribute
    }

    public var description: String {
        var s = schema.map { "\($0):" } ?? ""
        s += name
        if let subAttribute { s += ".\(subAttribute)" }
        return s
    }

    /// Parses `[URN ":"] name ["." sub]`; `nil` when the text is not such a path.
    public static func parse(_ text: String) -> AttributePath? {
        var schema: String?
        var rest = Substring(text)
        if text.utf8.count > 4, CaseFolding.equal(String(text.prefix(4)), "urn:") {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            schema = String(text[..<colon])
            rest = text[text.index(after: colon)...]
            guard schema!.utf8.count > 4 else { return nil }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let name = String(parts[0])
        guard isValidAttributeName(name) else { return nil }
        var sub: String?
        if parts.count == 2 {
            sub = String(parts[1])
            guard isValidAttributeName(sub!) else { return nil }
        }
        return AttributePath(schema: schema, name: name, subAttribute: sub)
    }

    /// RFC 7643 §2.1: `ATTRNAME = ALPHA *(nameChar)`, `nameChar = "-" / "_" / DIGIT / ALPHA`;
    /// plus `$ref`, which the RFC's own schemas use.
    public static func isValidAttributeName(_ name: String) -> Bool {
        if name == "$ref" { return true }
        var first = true
        for b in name.utf8 {
            let alpha = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if first {
                guard alpha else { return false }
                first = false
            } else {
                guard alpha || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") else { return false }
            }
        }
        return !first
    }
}
