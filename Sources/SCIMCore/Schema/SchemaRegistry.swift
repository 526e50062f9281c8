/// All schemas and resource types the service knows, loaded from schema documents.
///
/// The RFC 7643 documents in `schemas/` and any extension an operator adds are read at start; a
/// broken document stops the load with diagnostics that name the file and attribute, so a typo
/// never turns into silently wrong filtering.
public struct SchemaRegistry: Sendable {
    public private(set) var schemas: [Schema] = []
    public private(set) var resourceTypes: [ResourceType] = []
    /// The ServiceProviderConfig template, when one was loaded.
    public private(set) var serviceProviderConfig: JSONObject?
    public private(set) var diagnostics: [SchemaDiagnostic] = []
    private var definitions: [String: ResourceDefinition] = [:]

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public func schema(id: String) -> Schema? {
        schemas.first { CaseFolding.equal($0.id, id) }
    }

    public func resourceType(named name: String) -> ResourceType? {
        resourceTypes.first { CaseFolding.equal($0.name, name) || CaseFolding.equal($0.id, name) }
    }

    /// The engine's view of a resource type: its core schema and extensions, resolved.
    public func definition(for resourceTypeName: String) -> ResourceDefinition? {
        if let d = definitions[resourceTypeName] { return d }
        return definitions.values.first { CaseFolding.equal($0.resourceType.name, resourceTypeName) }
    }

    /// Adds one decoded JSON document (a schema, resource type, ServiceProviderConfig, or an
    /// array or ListResponse of them). Returns the diagnostics it produced; they are also kept.
    @discardableResult
    public mutating func add(document: JSONValue, source: String) -> [SchemaDiagnostic] {
        var decoder = SchemaDocumentDecoder(file: source)
        var items: [JSONObject] = []
        switch document {
        case .array(let list):
            for (i, item) in list.enumerated() {
                if let o = item.objectValue { items.append(o) } else { decoder.error("[\(i)]", "expected an object") }
            }
        case .object(let o):
            if let resources = o["Resources"]?.arrayValue {
                items = resources.compactMap(\.objectValue)
            } else {
                items = [o]
            }
        default:
            decoder.error("", "a schema document must be a JSON object or an array of objects")
        }
        for item in items {
            let kinds = (item["schemas"]?.arrayValue ?? []).compactMap(\.stringValue)
            if kinds.contains(where: { CaseFolding.equal($0, SchemaURN.schema) }) || (kinds.isEmpty && item["attributes"] != nil) {
                if let schema = decoder.decodeSchema(item) {
                    if self.schema(id: schema.id) != nil {
                        decoder.error(schema.id, "schema is defined twice (also in \(self.schema(id: schema.id)!.source))")
                    } else {
                        schemas.append(schema)
                    }
                }
            } else if kinds.contains(where: { CaseFolding.equal($0, SchemaURN.resourceType) }) {
                if let type = decoder.decodeResourceType(item) {
                    if resourceType(named: type.name) != nil {
                        decoder.error(type.name, "resource type is defined twice")
                    } else {
                        resourceTypes.append(type)
                    }
                }
            } else if kinds.contains(where: { CaseFolding.equal($0, SchemaURN.serviceProviderConfig) }) {
                serviceProviderConfig = item
            } else {
                decoder.error("schemas", "not a Schema, ResourceType or ServiceProviderConfig document (its \"schemas\" is \(kinds))")
            }
        }
        diagnostics.append(contentsOf: decoder.diagnostics)
        return decoder.diagnostics
    }

    mutating func appendDiagnostic(_ diagnostic: SchemaDiagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Checks the cross-document references (each resource type's schemas exist) and builds the
    /// resolved definitions. Call once after all documents are added.
    @discardableResult
    public mutating func finish() -> [SchemaDiagnostic] {
        var found: [SchemaDiagnostic] = []
        definitions = [:]
        for type in resourceTypes {
            guard let core = schema(id: type.schema) else {
                found.append(
                    .init(severity: .error, file: type.source, path: type.name, message: "core schema \"\(type.schema)\" is not loaded"))
                continue
            }
            var extensions: [ResourceDefinition.Extension] = []
            for ext in type.schemaExtensions {
                if let s = schema(id: ext.schema) {
                    extensions.append(.init(schema: s, required: ext.required))
                } else {
                    found.append(
                        .init(
                            severity: .error, file: type.source, path: type.name,
                            message: "extension schema \"\(ext.schema)\" is not loaded"))
                }
            }
            definitions[type.name] = ResourceDefinition(resourceType: type, core: core, extensions: extensions)
        }
        diagnostics.append(contentsOf: found)
        return found
    }
}
