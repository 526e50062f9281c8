/// A PATCH `path` (RFC 7644 §3.5.2): `attrPath`, or `attrPath "[" valFilter "]" ["." subAttr]`.
public struct PatchPath: Sendable, Hashable, CustomStringConvertible {
    public var attribute: AttributePath
    public var filter: Filter?
    /// The sub-attribute after a value filter (`emails[type eq "work"].value`). A sub-attribute
    /// without a filter stays in `attribute.subAttribute`.
    public var subAttributeAfterFilter: String?

    public init(attribute: AttributePath, filter: Filter? = nil, subAttributeAfterFilter: String? = nil) {
        self.attribute = attribute
        self.filter = filter
        self.subAttributeAfterFilter = subAttributeAfterFilter
    }

    /// The sub-attribute the path ends on, wherever it was written.
    public var subAttribute: String? { subAttributeAfterFilter ?? attribute.subAttribute }

    public var description: String {
        guard let filter else { return attribute.description }
        return "\(attribute)[\(filter)]" + (subAttributeAfterFilter.map { ".\($0)" } ?? "")
    }

    /// Parses path text. A malformed path is `invalidPath`; a malformed filter inside the
    /// brackets is `invalidFilter`, with its position in the whole path.
    public static func parse(_ text: String, filterOptions: FilterParser.Options = .strict) throws(SCIMError) -> PatchPath {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalidPath("The path is empty") }
        guard bytes.count <= filterOptions.maxLength else { throw .invalidPath("The path is longer than \(filterOptions.maxLength) bytes") }
        guard let open = bytes.firstIndex(of: UInt8(ascii: "[")) else {
            guard let path = AttributePath.parse(text) else { throw .invalidPath("'\(text)' is not a valid attribute path") }
            return PatchPath(attribute: path)
        }
        let head = String(decoding: bytes[..<open], as: UTF8.self)
        guard let attribute = AttributePath.parse(head), attribute.subAttribute == nil else {
            throw .invalidPath("'\(head)' before '[' is not an attribute name")
        }
        // Find the closing bracket outside string literals.
        var i = open + 1
        var inString = false
        var escaped = false
        var close: Int?
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "]") {
                close = i
                break
            }
            i += 1
        }
        guard let close else {
            if inString { throw .invalidFilter("Invalid filter in path: a string is never closed") }
            throw .invalidPath("'[' at position \(open + 1) is never closed")
        }
        var parser = FilterParser(options: filterOptions)
        parser.options.allowValuePathSubAttribute = false
        let filter = try parser.parseValueFilter(bytes[(open + 1)..<close], offset: open + 1)
        var sub: String?
        if close + 1 < bytes.count {
            guard bytes[close + 1] == UInt8(ascii: ".") else { throw .invalidPath("unexpected text after ']' in '\(text)'") }
            let name = String(decoding: bytes[(close + 2)...], as: UTF8.self)
            guard AttributePath.isValidAttributeName(name) else { throw .invalidPath("'\(name)' after ']' is not a sub-attribute name") }
            sub = name
        }
        return PatchPath(attribute: attribute, filter: filter, subAttributeAfterFilter: sub)
    }
}
