/// Applies PATCH operations (RFC 7644 §3.5.2) to a resource, driven by its schemas.
///
/// The whole request is applied to a copy: any error leaves the caller's resource as it was, so
/// a request applies entirely or not at all. `meta` is the service's business, not the engine's.
public struct PatchEngine: Sendable {
    public let definition: ResourceDefinition
    public let profile: CompatibilityProfile
    public let maxOperations: Int
    /// How operation values are checked and coerced; the service uses the same one when it turns
    /// member operations into store deltas, so both paths judge a value alike.
    public let coercer: ValueCoercer
    let compiler: FilterCompiler

    /// `maxStringBytes` caps each string value an operation sets (see `ValueCoercer`).
    public init(
        definition: ResourceDefinition, profile: CompatibilityProfile = .lenient, maxOperations: Int = 1000,
        maxStringBytes: Int = ValueCoercer.defaultMaxStringBytes
    ) {
        self.definition = definition
        self.profile = profile
        self.maxOperations = maxOperations
        self.coercer = ValueCoercer(profile: profile, maxStringBytes: maxStringBytes)
        self.compiler = FilterCompiler(definition: definition, profile: profile)
    }

    /// Decodes a PatchOp body and applies it.
    public func apply(body: JSONValue, to resource: JSONObject) throws(SCIMError) -> JSONObject {
        try apply(PatchRequest.decode(body, profile: profile, maxOperations: maxOperations), to: resource)
    }

    public func apply(_ request: PatchRequest, to resource: JSONObject) throws(SCIMError) -> JSONObject {
        var working = resource
        for (i, operation) in request.operations.enumerated() {
            do {
                try apply(operation, to: &working)
            } catch {
                var e = error
                if request.operations.count > 1 { e.detail = "Operations[\(i)]: \(e.detail)" }
                throw e
            }
        }
        return working
    }

    func apply(_ op: PatchRequest.Operation, to resource: inout JSONObject) throws(SCIMError) {
        guard let path = op.path else {
            try applyWithoutPath(op, to: &resource)
            return
        }
        if let ext = definition.wholeExtension(path.attribute), path.filter == nil {
            try applyToExtension(op, ext, to: &resource)
            return
        }
        guard let resolved = definition.resolve(AttributePath(schema: path.attribute.schema, name: path.attribute.name)) else {
            throw .invalidPath("'\(op.pathText ?? path.description)' is not an attribute of \(definition.resourceType.name) resources")
        }
        var sub: SchemaAttribute?
        if let subName = path.subAttribute {
            guard resolved.attribute.type == .complex, let s = resolved.attribute.subAttribute(named: subName) else {
                throw .invalidPath("'\(subName)' is not a sub-attribute of '\(resolved.canonicalPath)'")
            }
            sub = s
        }
        let target = Target(resolved: resolved, sub: sub, pathText: op.pathText ?? path.description)
        if let filter = path.filter {
            guard resolved.attribute.type == .complex, resolved.attribute.multiValued else {
                throw .invalidPath("'\(resolved.canonicalPath)' is not a multi-valued complex attribute, so it cannot take a value filter")
            }
            let compiled = try compiler.compileValueFilter(filter, parent: resolved)
            try applyFiltered(op, target, compiled, to: &resource)
        } else {
            try applyDirect(op, target, to: &resource)
        }
    }

    /// Where an operation lands: an attribute and maybe one of its sub-attributes.
    struct Target {
        let resolved: ResolvedAttribute
        let sub: SchemaAttribute?
        let pathText: String
        var attribute: SchemaAttribute { resolved.attribute }
        var canonical: String { sub.map { "\(resolved.canonicalPath).\($0.name)" } ?? resolved.canonicalPath }
    }

    // MARK: - Path-less add/replace

    func applyWithoutPath(_ op: PatchRequest.Operation, to resource: inout JSONObject) throws(SCIMError) {
        guard case .object(let object) = op.value ?? .null else {
            throw .invalidValue("A \(op.kind.rawValue) without \"path\" needs an object of attributes as its value")
        }
        for member in object {
            let key = member.key
            if CaseFolding.equal(key, "schemas") {
                guard profile.allows(.schemasInPatchValue) else { throw .invalidPath("'schemas' cannot be changed with PATCH") }
                continue
            }
            if CaseFolding.equal(key, "id"), profile.allows(.ownIDInPatchValue),
                let ownID = resource.value(forKeyIgnoringCase: "id"), ownID == member.value
            {
                continue
            }
            if let ext = definition.extensionSchema(id: key) {
                let sub = PatchRequest.Operation(kind: op.kind, value: member.value, pathText: key)
                try applyToExtension(sub, ext, to: &resource)
                continue
            }
            guard let attrPath = AttributePath.parse(key) else { throw .invalidPath("'\(key)' is not an attribute name") }
            if attrPath.schema != nil || attrPath.subAttribute != nil {
                guard profile.allows(.pathKeysInPatchValue) else {
                    throw .invalidPath("'\(key)' is a path; a value without \"path\" holds attribute names only")
                }
            }
            let path = PatchPath(attribute: attrPath)
            try apply(PatchRequest.Operation(kind: op.kind, path: path, value: member.value, pathText: key), to: &resource)
        }
    }

    /// An operation whose path is a whole extension URN.
    func applyToExtension(_ op: PatchRequest.Operation, _ ext: Schema, to resource: inout JSONObject) throws(SCIMError) {
        switch op.kind {
        case .remove:
            let current = resource.value(forKeyIgnoringCase: ext.id)?.objectValue ?? JSONObject()
            for member in current {
                if let attribute = ext.attribute(named: member.key), attribute.mutability == .readOnly || attribute.required {
                    throw .mutability(
                        "'\(ext.id):\(attribute.name)' is \(attribute.required ? "required" : "read-only") and cannot be removed")
                }
            }
            resource.setExtension(nil, schemaID: ext.id)
        case .add, .replace:
            guard case .object(let object) = op.value ?? .null else {
                throw .invalidValue("The value for '\(ext.id)' must be an object of its attributes")
            }
            for member in object {
                if CaseFolding.equal(member.key, "schemas") {
                    // scim2-models serialises an extension object with its own `schemas`.
                    guard profile.allows(.schemasInPatchValue) else { throw .invalidPath("'schemas' cannot be changed with PATCH") }
                    continue
                }
                guard let attrPath = AttributePath.parse(member.key) else { throw .invalidPath("'\(member.key)' is not an attribute name") }
                let path = PatchPath(attribute: AttributePath(schema: ext.id, name: attrPath.name, subAttribute: attrPath.subAttribute))
                try apply(
                    PatchRequest.Operation(kind: op.kind, path: path, value: member.value, pathText: "\(ext.id):\(member.key)"),
                    to: &resource)
            }
        }
    }

    // MARK: - Mutability

    func checkWritable(_ target: Target, kind: PatchRequest.Kind) throws(SCIMError) {
        for attribute in [target.attribute] + (target.sub.map { [$0] } ?? []) where attribute.mutability == .readOnly {
            throw .mutability("'\(target.pathText)' is read-only")
        }
    }

    /// `immutable` attributes may be set once; afterwards only to the same value.
    func checkImmutable(_ attribute: SchemaAttribute, old: JSONValue?, new: JSONValue?, path: String) throws(SCIMError) {
        guard attribute.mutability == .immutable, let old, !old.isUnassigned else { return }
        if new != old { throw .mutability("'\(path)' is immutable and already set") }
    }

    // MARK: - Paths without a value filter

    func applyDirect(_ op: PatchRequest.Operation, _ target: Target, to resource: inout JSONObject) throws(SCIMError) {
        try checkWritable(target, kind: op.kind)
        let attribute = target.attribute
        let current = resource.attributeValue(target.resolved)

        if let sub = target.sub {
            // `name.givenName`: a sub-attribute of a complex attribute.
            if attribute.multiValued {
                guard op.kind == .remove else {
                    throw .invalidPath(
                        "'\(target.pathText)': '\(attribute.name)' is multi-valued; select values with a filter, e.g. \(attribute.name)[type eq \"work\"].\(sub.name)"
                    )
                }
                var elements = current?.arrayValue ?? []
                for i in elements.indices {
                    guard case .object(var o) = elements[i] else { continue }
                    if sub.required, o.value(forKeyIgnoringCase: sub.name) != nil {
                        throw .mutability("'\(target.canonical)' is required and cannot be removed")
                    }
                    try checkImmutable(sub, old: o.value(forKeyIgnoringCase: sub.name), new: nil, path: target.canonical)
                    o.removeValue(forKeyIgnoringCase: sub.name)
                    elements[i] = .object(o)
                }
                elements.removeAll { $0.objectValue?.isEmpty ?? false }
                resource.setAttributeValue(.array(elements), for: target.resolved)
                return
            }
            var object = current?.objectValue ?? JSONObject()
            let old = object.value(forKeyIgnoringCase: sub.name)
            switch op.kind {
            case .remove:
                if sub.required, old != nil { throw .mutability("'\(target.canonical)' is required and cannot be removed") }
                try checkImmutable(sub, old: old, new: nil, path: target.canonical)
                object.removeValue(forKeyIgnoringCase: sub.name)
            case .add, .replace:
                let new = try coercer.coerceSimple(op.value ?? .null, for: sub, path: target.canonical)
                try checkImmutable(sub, old: old, new: new, path: target.canonical)
                if new == nil, sub.required, old != nil { throw .mutability("'\(target.canonical)' is required and cannot be removed") }
                object.set(new, forKeyIgnoringCase: sub.name)
            }
            resource.setAttributeValue(.object(object), for: target.resolved)
            return
        }

        switch op.kind {
        case .remove:
            if let listed = op.value, !listed.isNull, attribute.multiValued {
                try removeListed(listed, target, current: current, from: &resource)
            } else {
                try removeWhole(target, current: current, from: &resource)
            }
        case .add, .replace:
            guard let new = try coercer.coerce(op.value ?? .null, for: attribute, path: target.canonical) else {
                // A null value unassigns (RFC 7643 §2.5).
                try removeWhole(target, current: current, from: &resource)
                return
            }
            if attribute.multiValued {
                let given = new.arrayValue ?? []
                if op.kind == .replace {
                    if given.isEmpty, attribute.required { throw .mutability("'\(target.canonical)' is required and cannot be emptied") }
                    try checkImmutable(attribute, old: current, new: new, path: target.canonical)
                    resource.setAttributeValue(.array(given), for: target.resolved)
                } else {
                    var elements = current?.arrayValue ?? []
                    var present = DuplicateIndex(elements, attribute: attribute)
                    for value in given where !present.contains(value) {
                        if isPrimary(value) {
                            clearPrimary(&elements)
                            // Demoted values changed; the coercer allows one primary per value
                            // list, so this re-index happens at most once.
                            present = DuplicateIndex(elements, attribute: attribute)
                        }
                        elements.append(value)
                        present.insert(value)
                    }
                    try checkImmutable(attribute, old: current, new: .array(elements), path: target.canonical)
                    resource.setAttributeValue(.array(elements), for: target.resolved)
                }
            } else if attribute.type == .complex, case .object(let given) = new {
                // §3.5.2.3: given sub-attributes replace, the others stay.
                var object = current?.objectValue ?? JSONObject()
                for member in given {
                    let sub = attribute.subAttribute(named: member.key)!
                    let old = object.value(forKeyIgnoringCase: sub.name)
                    try checkImmutable(sub, old: old, new: member.value, path: "\(target.canonical).\(sub.name)")
                    object.set(member.value, forKeyIgnoringCase: sub.name)
                }
                resource.setAttributeValue(.object(object), for: target.resolved)
            } else {
                try checkImmutable(attribute, old: current, new: new, path: target.canonical)
                resource.setAttributeValue(new, for: target.resolved)
            }
        }
    }

    /// Entra, JumpCloud and ssosync remove members with `{"op":"remove","path":"members","value":[...]}`,
    /// meaning "remove these", never "remove all" (which a strict reading would do).
    func removeListed(_ listed: JSONValue, _ target: Target, current: JSONValue?, from resource: inout JSONObject) throws(SCIMError) {
        let given = try valuesToRemove(listed, attribute: target.attribute, path: target.pathText)
        var elements = current?.arrayValue ?? []
        let listed = DuplicateIndex(given, attribute: target.attribute)
        elements.removeAll { listed.contains($0) }
        if elements.isEmpty, target.attribute.required, !(current?.isUnassigned ?? true) {
            throw .mutability("'\(target.canonical)' is required and cannot be emptied")
        }
        resource.setAttributeValue(.array(elements), for: target.resolved)
    }

    /// The values a `remove` with a value list names (the Entra/JumpCloud/ssosync quirk),
    /// checked and coerced; refused without the quirk, and when the list is empty (none or all?).
    /// The service uses it too when it turns member removals into store deltas.
    public func valuesToRemove(_ listed: JSONValue, attribute: SchemaAttribute, path: String) throws(SCIMError) -> [JSONValue] {
        guard profile.allows(.removeMembersByValueList) else {
            throw .invalidSyntax(
                "'\(path)': a remove operation takes no \"value\"; select values with a filter, e.g. members[value eq \"id\"]")
        }
        guard let given = try coercer.coerce(listed, for: attribute, path: path)?.arrayValue, !given.isEmpty else {
            throw .invalidValue("'\(path)': an empty value list on remove is ambiguous (none or all?); send no \"value\" to remove all")
        }
        return given
    }

    func removeWhole(_ target: Target, current: JSONValue?, from resource: inout JSONObject) throws(SCIMError) {
        guard let current, !current.isUnassigned else { return }
        if target.attribute.required { throw .mutability("'\(target.canonical)' is required and cannot be removed") }
        try checkImmutable(target.attribute, old: current, new: nil, path: target.canonical)
        resource.setAttributeValue(nil, for: target.resolved)
    }

    // MARK: - Paths with a value filter

    func applyFiltered(_ op: PatchRequest.Operation, _ target: Target, _ filter: CompiledValueFilter, to resource: inout JSONObject)
        throws(SCIMError)
    {
        try checkWritable(target, kind: op.kind)
        let attribute = target.attribute
        var elements = resource.attributeValue(target.resolved)?.arrayValue ?? []
        let matched = elements.indices.filter { filter.matches(elements[$0]) }

        switch op.kind {
        case .remove:
            guard !matched.isEmpty else { return }
            if let sub = target.sub {
                for i in matched {
                    guard case .object(var o) = elements[i] else { continue }
                    let old = o.value(forKeyIgnoringCase: sub.name)
                    if sub.required, old != nil { throw .mutability("'\(target.canonical)' is required and cannot be removed") }
                    try checkImmutable(sub, old: old, new: nil, path: target.canonical)
                    o.removeValue(forKeyIgnoringCase: sub.name)
                    elements[i] = .object(o)
                }
                elements.removeAll { $0.objectValue?.isEmpty ?? false }
            } else {
                let drop = Set(matched)
                elements = elements.indices.filter { !drop.contains($0) }.map { elements[$0] }
            }
            if elements.isEmpty, attribute.required { throw .mutability("'\(target.canonical)' is required and cannot be emptied") }
            resource.setAttributeValue(.array(elements), for: target.resolved)

        case .add, .replace:
            if matched.isEmpty {
                guard let created = try createFilteredValue(op, target, filter) else {
                    throw .noTarget("No value of '\(target.resolved.canonicalPath)' matches the filter in '\(target.pathText)'")
                }
                if isPrimary(created) { clearPrimary(&elements) }
                elements.append(created)
                resource.setAttributeValue(.array(elements), for: target.resolved)
                return
            }
            if let sub = target.sub {
                let new = try coercer.coerceSimple(op.value ?? .null, for: sub, path: target.canonical)
                for i in matched {
                    guard case .object(var o) = elements[i] else { continue }
                    try checkImmutable(sub, old: o.value(forKeyIgnoringCase: sub.name), new: new, path: target.canonical)
                    o.set(new, forKeyIgnoringCase: sub.name)
                    elements[i] = .object(o)
                }
                if new == .bool(true), CaseFolding.equal(sub.name, "primary") { clearPrimary(&elements, except: Set(matched)) }
            } else {
                guard let new = try coercer.coerceElement(op.value ?? .null, for: attribute, path: target.canonical),
                    case .object(let given) = new
                else { throw .invalidValue("'\(target.pathText)' needs an object value") }
                for i in matched {
                    let old = elements[i].objectValue ?? JSONObject()
                    var updated: JSONObject
                    if op.kind == .replace {
                        updated = given
                    } else {
                        updated = old
                        for member in given { updated.set(member.value, forKeyIgnoringCase: member.key) }
                    }
                    for sub in attribute.subAttributes where sub.mutability == .immutable {
                        try checkImmutable(
                            sub, old: old.value(forKeyIgnoringCase: sub.name), new: updated.value(forKeyIgnoringCase: sub.name),
                            path: "\(target.resolved.canonicalPath).\(sub.name)")
                    }
                    elements[i] = .object(updated)
                }
                if isPrimary(new) { clearPrimary(&elements, except: Set(matched)) }
            }
            resource.setAttributeValue(.array(elements), for: target.resolved)
        }
    }

    /// Entra's `add emails[type eq "work"].value` when the user has no work email: the value is
    /// built from the filter's `eq` conditions plus the given sub-attribute. Only for filters made
    /// of `eq` and `and`, where the new value is unambiguous.
    func createFilteredValue(_ op: PatchRequest.Operation, _ target: Target, _ filter: CompiledValueFilter) throws(SCIMError) -> JSONValue?
    {
        guard profile.allows(.createMissingFilteredValue), let sub = target.sub else { return nil }
        var conditions: [(String, FilterLiteral)] = []
        func collect(_ f: Filter) -> Bool {
            switch f {
            case .and(let l, let r): return collect(l) && collect(r)
            case .comparison(let p, .eq, let literal) where p.schema == nil && p.subAttribute == nil:
                conditions.append((p.name, literal))
                return true
            default: return false
            }
        }
        guard collect(filter.filter) else { return nil }
        var object = JSONObject()
        for (name, literal) in conditions {
            guard let s = target.attribute.subAttribute(named: name) else { return nil }
            let value: JSONValue
            switch literal {
            case .string(let t): value = .string(t)
            case .number(let n): value = .number(n)
            case .bool(let b): value = .bool(b)
            case .null: return nil
            }
            guard let coerced = try coercer.coerceSimple(value, for: s, path: "\(target.resolved.canonicalPath).\(s.name)") else {
                return nil
            }
            object.set(coerced, forKeyIgnoringCase: s.name)
        }
        guard let new = try coercer.coerceSimple(op.value ?? .null, for: sub, path: target.canonical) else { return nil }
        object.set(new, forKeyIgnoringCase: sub.name)
        guard filter.matches(.object(object)) else { return nil }
        return .object(object)
    }

    // MARK: - Multi-valued helpers

    func isPrimary(_ value: JSONValue) -> Bool {
        value.objectValue?["primary"] == .bool(true)
    }

    /// RFC 7644 §3.5.2: a new primary value demotes the others.
    func clearPrimary(_ elements: inout [JSONValue], except keep: Set<Int> = []) {
        for i in elements.indices where !keep.contains(i) {
            if case .object(var o) = elements[i], o["primary"] == .bool(true) {
                o["primary"] = .bool(false)
                elements[i] = .object(o)
            }
        }
    }
}
