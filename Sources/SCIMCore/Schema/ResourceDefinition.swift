/// A resource type with its schemas resolved: what the filter, PATCH, projection and validation
/// code consult to learn what an attribute path names.
public struct ResourceDefinition: Sendable {
    public struct Extension: Sendable {
        public var schema: Schema
        public var required: Bool
    }

    public let resourceType: ResourceType
    public let core: Schema
    public let extensions: [Extension]

    public init(resourceType: ResourceType, core: Schema, extensions: [Extension]) {
        self.resourceType = resourceType
        self.core = core
        self.extensions = extensions
    }

    /// The core schema id followed by the extension ids.
    public var schemaIDs: [String] { [core.id] + extensions.map(\.schema.id) }

    public func extensionSchema(id: String) -> Schema? {
        extensions.first { CaseFolding.equal($0.schema.id, id) }?.schema
    }

    /// Resolves a parsed path to the attribute definitions it names, or `nil` when it names
    /// nothing. Unqualified names belong to the core schema (RFC 7644 §3.10).
    public func resolve(_ path: AttributePath) -> ResolvedAttribute? {
        if let urn = path.schema {
            if CaseFolding.equal(urn, core.id) {
                return resolve(name: path.name, sub: path.subAttribute, in: core, isExtension: false)
            }
            if let ext = extensionSchema(id: urn) {
                return resolve(name: path.name, sub: path.subAttribute, in: ext, isExtension: true)
            }
            return nil
        }
        return resolve(name: path.name, sub: path.subAttribute, in: core, isExtension: false)
    }

    /// When the whole path text is an extension URN (`urn:...:enterprise:2.0:User`), that
    /// extension's schema: PATCH may target an extension as a whole.
    public func wholeExtension(_ path: AttributePath) -> Schema? {
        guard path.subAttribute == nil, let urn = path.schema else { return nil }
        return extensionSchema(id: urn + ":" + path.name)
    }

    private func resolve(name: String, sub: String?, in schema: Schema, isExtension: Bool) -> ResolvedAttribute? {
        guard let attribute = schema.attribute(named: name) else { return nil }
        var subAttribute: SchemaAttribute?
        if let sub {
            guard attribute.type == .complex, let s = attribute.subAttribute(named: sub) else { return nil }
            subAttribute = s
        }
        return ResolvedAttribute(schema: schema, isExtension: isExtension, attribute: attribute, subAttribute: subAttribute)
    }
}

/// What a path names: an attribute of a schema and possibly one of its sub-attributes.
public struct ResolvedAttribute: Sendable {
    public let schema: Schema
    /// Extension attributes live inside an object keyed by the extension URN.
    public let isExtension: Bool
    public let attribute: SchemaAttribute
    public let subAttribute: SchemaAttribute?

    /// The attribute the path ends on.
    public var target: SchemaAttribute { subAttribute ?? attribute }

    /// The canonical, fully qualified path text, e.g. `name.givenName` or
    /// `urn:...:enterprise:2.0:User:manager.value`.
    public var canonicalPath: String {
        let base = isExtension ? "\(schema.id):\(attribute.name)" : attribute.name
        return subAttribute.map { "\(base).\($0.name)" } ?? base
    }

    /// The keys to follow from the resource root to reach the attribute's value(s).
    public var keys: [String] {
        var k: [String] = isExtension ? [schema.id, attribute.name] : [attribute.name]
        if let subAttribute { k.append(subAttribute.name) }
        return k
    }
}
