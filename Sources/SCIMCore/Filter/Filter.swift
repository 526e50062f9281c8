/// A parsed SCIM filter (RFC 7644 §3.4.2.2), kept as an inspectable tree so a store can push the
/// parts it has indexes for down to SQL and evaluate the rest in memory.
public indirect enum Filter: Sendable, Hashable {
    case comparison(AttributePath, ComparisonOperator, FilterLiteral)
    case present(AttributePath)
    case and(Filter, Filter)
    case or(Filter, Filter)
    case not(Filter)
    /// `attr[filter]`: the inner filter's paths name sub-attributes of `attr`, and all of it must
    /// hold for one and the same value of `attr`.
    case valuePath(AttributePath, Filter)
}

public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le

    /// Operators that only make sense on strings.
    public var isSubstring: Bool { self == .co || self == .sw || self == .ew }
    /// Operators that need an ordering.
    public var isOrdering: Bool { self == .gt || self == .ge || self == .lt || self == .le }
}

/// A comparison value: RFC 7644's `compValue = false / null / true / number / string`.
public enum FilterLiteral: Sendable, Hashable {
    case string(String)
    case number(JSONNumber)
    case bool(Bool)
    case null

    public var kindName: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        }
    }
}

extension FilterLiteral: CustomStringConvertible {
    public var description: String {
        switch self {
        case .string(let s): return JSONValue.quoted(s)
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

extension Filter: CustomStringConvertible {
    /// The canonical text: logical nodes carry their own parentheses, so the grouping of the
    /// tree is explicit and parsing the text again gives the same tree. Those parentheses make a
    /// long `and`/`or` chain nest deeper (and print longer) than `FilterParser.Options` lets a
    /// client send, so parse printed text back with the limits lifted.
    public var description: String {
        switch self {
        case .comparison(let path, let op, let literal): return "\(path) \(op.rawValue) \(literal)"
        case .present(let path): return "\(path) pr"
        case .and(let l, let r): return "(\(l) and \(r))"
        case .or(let l, let r): return "(\(l) or \(r))"
        case .not(let f): return "not (\(f))"
        case .valuePath(let path, let f): return "\(path)[\(f)]"
        }
    }

    /// Every attribute path the filter mentions, with value paths' inner paths qualified by their
    /// parent (`emails[type eq "work"]` gives `emails.type`).
    public var referencedPaths: [AttributePath] {
        switch self {
        case .comparison(let p, _, _), .present(let p): return [p]
        case .and(let l, let r), .or(let l, let r): return l.referencedPaths + r.referencedPaths
        case .not(let f): return f.referencedPaths
        case .valuePath(let parent, let inner):
            return inner.referencedPaths.map { AttributePath(schema: parent.schema, name: parent.name, subAttribute: $0.name) }
        }
    }

    /// The number of nested logical levels, for the service's depth limit.
    public var depth: Int {
        switch self {
        case .comparison, .present: return 1
        case .and(let l, let r), .or(let l, let r): return 1 + max(l.depth, r.depth)
        case .not(let f): return 1 + f.depth
        case .valuePath(_, let f): return 1 + f.depth
        }
    }

    /// Splits a top-level conjunction into its parts: a store evaluates the indexable parts in
    /// SQL and the rest in memory.
    public var conjuncts: [Filter] {
        if case .and(let l, let r) = self { return l.conjuncts + r.conjuncts }
        return [self]
    }
}
