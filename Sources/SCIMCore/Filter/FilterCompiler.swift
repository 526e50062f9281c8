/// Checks a `Filter` against a resource type's schemas and builds its `CompiledFilter`.
public struct FilterCompiler: Sendable {
    public let definition: ResourceDefinition
    public let profile: CompatibilityProfile

    public init(definition: ResourceDefinition, profile: CompatibilityProfile = .lenient) {
        self.definition = definition
        self.profile = profile
    }

    /// The compiled filter's `filter` is the normalised tree (quirks rewritten into RFC form,
    /// e.g. `active eq "True"` becomes `active eq true`), which is what a store should push down.
    public func compile(_ filter: Filter) throws(SCIMError) -> CompiledFilter {
        let (root, normalized) = try node(filter, parent: nil)
        return CompiledFilter(filter: normalized, root: root)
    }

    /// `schemas` is not a schema attribute, yet RFC 7644 §3.4.2.2 filters on it
    /// (`schemas eq "urn:…:enterprise:2.0:User"`): a multi-valued, case-insensitive URI.
    static let schemasPseudoAttribute = SchemaAttribute(
        name: "schemas", type: .reference, multiValued: true, caseExact: false, mutability: .readOnly, returned: .always)

    /// Resolves a path at the top level, or relative to the value-path attribute `parent`.
    func resolve(_ path: AttributePath, parent: ResolvedAttribute?) throws(SCIMError) -> (keys: [String], attribute: SchemaAttribute) {
        if parent == nil, path.schema == nil, path.subAttribute == nil, CaseFolding.equal(path.name, "schemas") {
            return (["schemas"], Self.schemasPseudoAttribute)
        }
        if let parent {
            guard path.schema == nil, path.subAttribute == nil, let sub = parent.attribute.subAttribute(named: path.name) else {
                throw .invalidFilter("'\(path)' is not a sub-attribute of '\(parent.canonicalPath)'")
            }
            return ([sub.name], sub)
        }
        guard let resolved = definition.resolve(path) else {
            throw .invalidFilter("'\(path)' is not an attribute of \(definition.resourceType.name) resources")
        }
        return (resolved.keys, resolved.target)
    }

    func node(_ filter: Filter, parent: ResolvedAttribute?) throws(SCIMError) -> (FilterNode, Filter) {
        switch filter {
        case .and(let l, let r):
            let (a, x) = try node(l, parent: parent)
            let (b, y) = try node(r, parent: parent)
            return (.and(a, b), .and(x, y))
        case .or(let l, let r):
            let (a, x) = try node(l, parent: parent)
            let (b, y) = try node(r, parent: parent)
            return (.or(a, b), .or(x, y))
        case .not(let f):
            let (a, x) = try node(f, parent: parent)
            return (.not(a), .not(x))
        case .present(let path):
            let (keys, attribute) = try resolve(path, parent: parent)
            try checkFilterable(attribute, path)
            return (.present(keys: keys), filter)
        case .valuePath(let path, let inner):
            guard parent == nil, let resolved = definition.resolve(path), resolved.subAttribute == nil else {
                throw .invalidFilter("'\(path)' is not an attribute of \(definition.resourceType.name) resources")
            }
            guard resolved.attribute.type == .complex else {
                throw .invalidFilter("'\(path)' is not a complex attribute, so it cannot take a value filter [...]")
            }
            let (a, x) = try node(inner, parent: resolved)
            return (.valuePath(keys: resolved.keys, a), .valuePath(path, x))
        case .comparison(let path, let op, let literal):
            var (keys, attribute) = try resolve(path, parent: parent)
            try checkFilterable(attribute, path)
            if attribute.type == .complex {
                // RFC 7644 §3.4.2.2: a complex attribute without a sub-attribute compares its `value`.
                guard let value = attribute.subAttribute(named: "value"), !op.isOrdering else {
                    throw .invalidFilter(
                        "'\(path)' is complex; compare one of its sub-attributes (e.g. \(path).\(attribute.subAttributes.first?.name ?? "value"))"
                    )
                }
                keys.append(value.name)
                attribute = value
            }
            let comparator = try comparator(op, literal, attribute, path)
            return (.compare(keys: keys, comparator), .comparison(path, op, comparator.literal ?? literal))
        }
    }

    func checkFilterable(_ attribute: SchemaAttribute, _ path: AttributePath) throws(SCIMError) {
        if attribute.returned == .never || attribute.mutability == .writeOnly {
            throw .invalidFilter("'\(path)' is never returned and cannot be used in a filter")
        }
    }

    func comparator(_ op: ComparisonOperator, _ literal: FilterLiteral, _ attribute: SchemaAttribute, _ path: AttributePath)
        throws(SCIMError) -> Comparator
    {
        let opName = op.rawValue
        if case .null = literal {
            guard op == .eq || op == .ne else { throw .invalidFilter("'\(opName)' cannot compare with null in '\(path)'") }
            return Comparator(op: op, operand: .null)
        }
        func mismatch() -> SCIMError {
            .invalidFilter("'\(path)' is of type \(attribute.type.rawValue) and cannot be compared with the \(literal.kindName) \(literal)")
        }
        switch attribute.type {
        case .string, .reference, .binary:
            guard case .string(let s) = literal else { throw mismatch() }
            if attribute.type == .binary && !(op == .eq || op == .ne) {
                throw .invalidFilter("'\(opName)' does not apply to the binary attribute '\(path)'")
            }
            let exact = attribute.comparesCaseExact
            return Comparator(op: op, operand: .string(exact ? s : CaseFolding.fold(s), caseExact: exact))
        case .boolean:
            guard op == .eq || op == .ne else { throw .invalidFilter("'\(opName)' does not apply to the boolean attribute '\(path)'") }
            switch literal {
            case .bool(let b): return Comparator(op: op, operand: .bool(b))
            case .string(let s) where profile.allows(.booleanStrings):
                if CaseFolding.equal(s, "true") { return Comparator(op: op, operand: .bool(true)) }
                if CaseFolding.equal(s, "false") { return Comparator(op: op, operand: .bool(false)) }
                throw mismatch()
            default: throw mismatch()
            }
        case .integer, .decimal:
            guard !op.isSubstring else { throw .invalidFilter("'\(opName)' does not apply to the numeric attribute '\(path)'") }
            guard case .number(let n) = literal else { throw mismatch() }
            if attribute.type == .integer, !n.isIntegerLiteral { throw mismatch() }
            return Comparator(op: op, operand: .number(n))
        case .dateTime:
            guard !op.isSubstring else { throw .invalidFilter("'\(opName)' does not apply to the dateTime attribute '\(path)'") }
            guard case .string(let s) = literal else { throw mismatch() }
            guard let d = SCIMDateTime(s) else {
                throw .invalidFilter("\"\(s)\" is not a valid dateTime for '\(path)' (expected e.g. 2011-05-13T04:42:34Z)")
            }
            return Comparator(op: op, operand: .dateTime(d))
        case .complex:
            throw .invalidFilter("'\(path)' is complex and cannot be compared")
        }
    }
}
