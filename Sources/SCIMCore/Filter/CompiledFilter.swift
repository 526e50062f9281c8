/// A filter checked against a resource type's schemas and prepared for fast evaluation:
/// attribute names resolved to canonical keys, literals converted and case-folded once, and every
/// nonsensical comparison (`gt` on a boolean, a string compared with a number) refused up front as
/// `invalidFilter` instead of silently matching nothing.
public struct CompiledFilter: Sendable {
    public let filter: Filter
    let root: FilterNode

    /// Whether `resource` matches.
    public func matches(_ resource: JSONObject) -> Bool {
        root.evaluate(.object(resource))
    }

    /// The indexes of the resources that match, in order: the in-memory scan a store falls back
    /// to for the parts of a filter it cannot push down. Walks the array in place, without
    /// copying each resource out of it.
    public func matchingIndices(in resources: [JSONObject]) -> [Int] {
        resources.withUnsafeBufferPointer { buffer in
            var result: [Int] = []
            for i in buffer.indices where root.evaluate(.object(buffer[i])) { result.append(i) }
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

/// A resolved, typed comparison.
struct Comparator: Sendable {
    enum Operand: Sendable {
        case string(String, caseExact: Bool)
        case number(JSONNumber)
        case bool(Bool)
        case dateTime(SCIMDateTime)
        case null
    }

    let op: ComparisonOperator
    let operand: Operand
    /// The needle of `co`/`sw`/`ew`, prepared once for linear-time search.
    let pattern: SubstringPattern?

    init(op: ComparisonOperator, operand: Operand) {
        self.op = op
        self.operand = operand
        if op.isSubstring, case .string(let needle, let caseExact) = operand {
            pattern = SubstringPattern(foldedNeedle: needle, caseExact: caseExact)
        } else {
            pattern = nil
        }
    }

    /// The literal in RFC form when compiling changed its type (a boolean given as a string).
    var literal: FilterLiteral? {
        if case .bool(let b) = operand { return .bool(b) }
        return nil
    }

    /// Whether one attribute value satisfies the comparison (for `ne`, the caller negates `eq`).
    func test(_ value: JSONValue) -> Bool {
        switch operand {
        case .string(let literal, let caseExact):
            guard case .string(let s) = value else { return false }
            switch op {
            case .eq, .ne: return caseExact ? s == literal : CaseFolding.equal(s, literal)
            case .co: return pattern?.matches(s, anchor: .anywhere) ?? false
            case .sw: return pattern?.matches(s, anchor: .start) ?? false
            case .ew: return pattern?.matches(s, anchor: .end) ?? false
            case .gt: return (caseExact ? s : CaseFolding.fold(s)) > literal
            case .ge: return (caseExact ? s : CaseFolding.fold(s)) >= literal
            case .lt: return (caseExact ? s : CaseFolding.fold(s)) < literal
            case .le: return (caseExact ? s : CaseFolding.fold(s)) <= literal
            }
        case .number(let literal):
            guard case .number(let n) = value else { return false }
            return Comparator.order(n, literal, op)
        case .bool(let literal):
            guard case .bool(let b) = value else { return false }
            return b == literal
        case .dateTime(let literal):
            guard case .string(let s) = value, let d = SCIMDateTime(s) else { return false }
            return Comparator.order(d, literal, op)
        case .null:
            return value.isNull
        }
    }

    static func order<T: Comparable>(_ a: T, _ b: T, _ op: ComparisonOperator) -> Bool {
        switch op {
        case .eq, .ne: return a == b
        case .gt: return a > b
        case .ge: return a >= b
        case .lt: return a < b
        case .le: return a <= b
        case .co, .sw, .ew: return false
        }
    }
}

/// The evaluable tree. Keys are canonical attribute names from the root of whatever object the
/// node is evaluated against (the resource, or one value of a value path).
indirect enum FilterNode: Sendable {
    case compare(keys: [String], Comparator)
    case present(keys: [String])
    case and(FilterNode, FilterNode)
    case or(FilterNode, FilterNode)
    case not(FilterNode)
    case valuePath(keys: [String], FilterNode)

    func evaluate(_ root: JSONValue) -> Bool {
        switch self {
        case .compare(let keys, let comparator):
            switch (comparator.op, comparator.operand) {
            case (.eq, .null): return !FilterNode.any(root, keys, 0, .assigned)
            case (.ne, .null): return FilterNode.any(root, keys, 0, .assigned)
            case (.ne, _): return !FilterNode.any(root, keys, 0, .compare(comparator))
            default: return FilterNode.any(root, keys, 0, .compare(comparator))
            }
        case .present(let keys):
            return FilterNode.any(root, keys, 0, .present)
        case .and(let l, let r): return l.evaluate(root) && r.evaluate(root)
        case .or(let l, let r): return l.evaluate(root) || r.evaluate(root)
        case .not(let f): return !f.evaluate(root)
        case .valuePath(let keys, let inner):
            return FilterNode.any(root, keys, 0, .inner(inner))
        }
    }

    /// What `any` checks at the end of a path. An enum rather than a closure: closures capture
    /// (and so retain) the comparator on every call, which dominated full scans.
    enum Test {
        case compare(Comparator)
        case assigned
        case present
        case inner(FilterNode)

        @inline(__always)
        func check(_ value: JSONValue) -> Bool {
            switch self {
            case .compare(let c): return c.test(value)
            case .assigned: return !value.isNull
            case .present: return !value.isUnassigned
            case .inner(let node): return node.evaluate(value)
            }
        }
    }

    /// Follows `keys[depth...]` from `value`, fanning out over arrays at every level, and
    /// reports whether any value reached passes `test`. Elements are visited through buffer
    /// pointers so a scan does not retain every value it passes.
    /// Where a member's value sits inside a `JSONObject.Member` tuple.
    static let valueOffset = MemoryLayout<JSONObject.Member>.offset(of: \JSONObject.Member.value)!

    static func any(_ value: JSONValue, _ keys: [String], _ depth: Int, _ test: Test) -> Bool {
        withUnsafePointer(to: value) { any($0, keys, depth, test) }
    }

    static func any(_ value: UnsafePointer<JSONValue>, _ keys: [String], _ depth: Int, _ test: Test) -> Bool {
        guard depth < keys.count else {
            if case .array(let elements) = value.pointee {
                return elements.withUnsafeBufferPointer { buffer in
                    for i in buffer.indices where test.check(buffer[i]) { return true }
                    return false
                }
            }
            return test.check(value.pointee)
        }
        switch value.pointee {
        case .object(let object):
            return object.members.withUnsafeBufferPointer { buffer in
                guard let i = JSONObject.index(in: buffer, forKeyIgnoringCase: keys[depth]), let base = buffer.baseAddress else {
                    return false
                }
                // Point at the member's value in place rather than copying it out.
                let value = UnsafeRawPointer(base + i).advanced(by: FilterNode.valueOffset).assumingMemoryBound(to: JSONValue.self)
                return any(value, keys, depth + 1, test)
            }
        case .array(let elements):
            return elements.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return false }
                for i in buffer.indices where any(base + i, keys, depth, test) { return true }
                return false
            }
        default:
            return false
        }
    }
}

/// A value filter (`emails[type eq "work"]`) compiled relative to its attribute, tested against
/// one value of that attribute at a time (PATCH paths use it).
public struct CompiledValueFilter: Sendable {
    public let filter: Filter
    let node: FilterNode

    public func matches(_ element: JSONValue) -> Bool { node.evaluate(element) }
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
