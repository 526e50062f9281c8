/// A filter checked against a resource type's schemas and prepared for fast evaluation:
/// attribute names resolved to canonical keys, literals converted and case-folded once, and every
/// nonsensical comparison (`gt` on a boolean, a string compared with a number) refused up front as
/// `invalidFilter` instead of silently matching nothing.
public struct CompiledFilter: Sendable {
    public let filter: Filter
    let matcher: any FilterMatcher

    init(filter: Filter, root: FilterNode) {
        self.filter = filter
        self.matcher = root.matcher()
    }

    /// Whether `resource` matches.
    public func matches(_ resource: JSONObject) -> Bool {
        resource.members.withUnsafeBufferPointer { matcher.matches($0) }
    }

    /// The indexes of the resources that match, in order: the in-memory scan a store falls back
    /// to for the parts of a filter it cannot push down. Walks the array in place, without
    /// copying each resource out of it.
    public func matchingIndices(in resources: [JSONObject]) -> [Int] {
        resources.withUnsafeBufferPointer { buffer in
            var result: [Int] = []
            for i in buffer.indices where buffer[i].members.withUnsafeBufferPointer({ matcher.matches($0) }) { result.append(i) }
            return result
        }
    }

    /// Parses and compiles in one step.
    public static func compile(
        _ text: String, for definition: ResourceDefinition, profile: CompatibilityProfile = .lenient
    ) throws(SCIMError) -> CompiledFilter {
        let filter = try FilterParser(options: profile.filterOptions).parse(text)
        return try FilterCompiler(definition: definition, profile: profile).compile(filter)
    }
}

/// A resolved, typed comparison, as the compiler checked it; `FilterProgram.swift` turns it into the
/// test that runs.
struct Comparator: Sendable {
    enum Operand: Sendable {
        /// Folded already when not `caseExact`.
        case string(String, caseExact: Bool)
        case number(JSONNumber)
        case bool(Bool)
        case dateTime(SCIMDateTime)
        case null
    }

    let op: ComparisonOperator
    let operand: Operand

    /// The literal in RFC form when compiling changed its type (a boolean given as a string).
    var literal: FilterLiteral? {
        if case .bool(let b) = operand { return .bool(b) }
        return nil
    }
}

/// The compiled tree: keys are canonical attribute names from the root of whatever object the
/// node is evaluated against (the resource, or one value of a value path). `matcher()` turns it
/// into the form that is evaluated.
indirect enum FilterNode: Sendable {
    case compare(keys: [String], Comparator)
    case present(keys: [String])
    case and(FilterNode, FilterNode)
    case or(FilterNode, FilterNode)
    case not(FilterNode)
    case valuePath(keys: [String], FilterNode)
}

/// A value filter (`emails[type eq "work"]`) compiled relative to its attribute, tested against
/// one value of that attribute at a time (PATCH paths use it).
public struct CompiledValueFilter: Sendable {
    public let filter: Filter
    let matcher: any FilterMatcher

    init(filter: Filter, node: FilterNode) {
        self.filter = filter
        self.matcher = node.matcher()
    }

    /// Whether one value of the attribute matches; a value that is not an object matches as the
    /// empty object would.
    public func matches(_ element: JSONValue) -> Bool {
        guard case .object(let object) = element else { return matcher.matches(UnsafeBufferPointer(start: nil, count: 0)) }
        return object.members.withUnsafeBufferPointer { matcher.matches($0) }
    }
}

extension FilterCompiler {
    /// Compiles the filter inside `attr[...]`, whose names are sub-attributes of `parent`.
    public func compileValueFilter(_ filter: Filter, parent: ResolvedAttribute) throws(SCIMError) -> CompiledValueFilter {
        guard parent.attribute.type == .complex, parent.subAttribute == nil else {
            throw .invalidFilter("'\(parent.canonicalPath)' is not a complex attribute, so it cannot take a value filter [...]")
        }
        let (root, normalized) = try node(filter, parent: parent)
        return CompiledValueFilter(filter: normalized, node: root)
    }
}
