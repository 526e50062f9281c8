/// A necessary condition on one stored string attribute that a store can test itself (in SQL,
/// without handing every resource to the service), taken from a filter's top-level `and` terms:
/// `title eq "Director"`, `name.familyName sw "Nak"`.
///
/// It only narrows: the store may return more (and must return at least every resource the term
/// matches); the service still evaluates the whole filter. So it is made only where a plain
/// ASCII case-insensitive test is a superset of the filter's own comparison: an ASCII literal, a
/// singular string attribute stored in the resource's JSON under `keys`. A store keeps every
/// resource whose value holds a non-ASCII character (Unicode case folding can map those onto
/// ASCII, e.g. the Kelvin sign onto `k`), so the superset holds for any stored text.
public struct TextPrefilter: Sendable, Hashable {
    public enum Match: Sendable, Hashable {
        case equals, startsWith, endsWith, contains
    }

    /// Canonical JSON keys from the resource's root (`["name", "familyName"]`).
    public let keys: [String]
    public let match: Match
    /// The literal; ASCII only, without NUL.
    public let value: String
    /// The attribute compares case-insensitively (`caseExact` false), so for ASCII text an ASCII
    /// case-insensitive test is not only a superset of the filter's comparison but the same test.
    public let foldsCase: Bool

    public init(keys: [String], match: Match, value: String, foldsCase: Bool = false) {
        self.keys = keys
        self.match = match
        self.value = value
        self.foldsCase = foldsCase
    }

    /// The literal as a `LIKE … ESCAPE '\'` pattern (`%`, `_` and `\` escaped).
    public var likePattern: String {
        var escaped = ""
        for c in value {
            if c == "%" || c == "_" || c == "\\" { escaped.append("\\") }
            escaped.append(c)
        }
        switch match {
        case .equals: return escaped
        case .startsWith: return escaped + "%"
        case .endsWith: return "%" + escaped
        case .contains: return "%" + escaped + "%"
        }
    }
}

extension FilterCompiler {
    /// The `TextPrefilter`s of `filter`'s top-level `and` terms (use the compiled filter's
    /// normalised `filter`); terms that cannot give one are left to the service alone.
    public func textPrefilters(_ filter: Filter) -> [TextPrefilter] {
        filter.conjuncts.compactMap { term in
            guard case .comparison(let path, let op, .string(let value)) = term else { return nil }
            let match: TextPrefilter.Match
            switch op {
            case .eq: match = .equals
            case .sw: match = .startsWith
            case .ew: match = .endsWith
            case .co: match = .contains
            default: return nil
            }
            // ASCII without NUL: SQLite ends bound text and LIKE patterns at a NUL.
            guard value.utf8.allSatisfy({ $0 > 0 && $0 < 0x80 }), let resolved = definition.resolve(path) else { return nil }
            // Singular all the way down, a string at the end: one JSON path, one value.
            guard !resolved.attribute.multiValued, resolved.target.type == .string, !resolved.target.multiValued else { return nil }
            if let sub = resolved.subAttribute, resolved.attribute.type != .complex || sub.type != .string { return nil }
            // Rendered, not stored: id, meta, schemas (and the membership attributes, multi-valued).
            guard let first = resolved.keys.first, !["id", "meta", "schemas"].contains(first) else { return nil }
            return TextPrefilter(keys: resolved.keys, match: match, value: value, foldsCase: !resolved.target.caseExact)
        }
    }
}
