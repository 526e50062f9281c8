/// One attribute definition of a SCIM schema (RFC 7643 §2.2, §7), with every characteristic the
/// engine acts on. Nothing in the core hard-codes an attribute: filters, PATCH, projection,
/// sorting and validation all read these.
public struct SchemaAttribute: Sendable, Hashable {
    public enum DataType: String, Sendable, Hashable, CaseIterable {
        case string, boolean, decimal, integer, dateTime, binary, reference, complex
    }

    public enum Mutability: String, Sendable, Hashable, CaseIterable {
        case readOnly, readWrite, immutable, writeOnly
    }

    public enum Returned: String, Sendable, Hashable, CaseIterable {
        case always, never, `default`, request
    }

    public enum Uniqueness: String, Sendable, Hashable, CaseIterable {
        case none, server, global
    }

    public var name: String
    public var type: DataType
    public var multiValued: Bool
    public var description: String
    public var required: Bool
    public var caseExact: Bool
    public var mutability: Mutability
    public var returned: Returned
    public var uniqueness: Uniqueness
    public var canonicalValues: [String]
    public var referenceTypes: [String]
    public var subAttributes: [SchemaAttribute]
    /// A common attribute (`id`, `externalId`, `meta`, RFC 7643 §3.1) listed in a core schema
    /// document so the engine can find its characteristics; `/Schemas` may leave it out.
    public var isCommon: Bool

    public init(
        name: String, type: DataType, multiValued: Bool = false, description: String = "", required: Bool = false,
        caseExact: Bool = false, mutability: Mutability = .readWrite, returned: Returned = .default,
        uniqueness: Uniqueness = .none, canonicalValues: [String] = [], referenceTypes: [String] = [],
        subAttributes: [SchemaAttribute] = [], isCommon: Bool = false
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.description = description
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.referenceTypes = referenceTypes
        self.subAttributes = subAttributes
        self.isCommon = isCommon
    }

    /// Sub-attribute by case-insensitive name.
    public func subAttribute(named name: String) -> SchemaAttribute? {
        subAttributes.first { $0.name == name } ?? subAttributes.first { CaseFolding.equal($0.name, name) }
    }

    /// A multi-valued complex attribute whose values are references to other resources
    /// (`members`, `groups`): its values are identified by `value` alone.
    public var isReferenceList: Bool {
        multiValued && type == .complex && subAttribute(named: "$ref") != nil && subAttribute(named: "value") != nil
    }

    /// Whether strings of this attribute compare case-sensitively. References (`$ref`) and
    /// binaries are always exact.
    public var comparesCaseExact: Bool {
        caseExact || type == .reference || type == .binary
    }

    /// The RFC 7643 §8.7.1 representation of this attribute, for `/Schemas`.
    public var jsonValue: JSONValue {
        var o = JSONObject()
        o["name"] = .string(name)
        o["type"] = .string(type.rawValue)
        o["multiValued"] = .bool(multiValued)
        o["description"] = .string(description)
        o["required"] = .bool(required)
        if type != .complex && type != .boolean { o["caseExact"] = .bool(caseExact) }
        if !canonicalValues.isEmpty { o["canonicalValues"] = .array(canonicalValues.map { .string($0) }) }
        if !referenceTypes.isEmpty { o["referenceTypes"] = .array(referenceTypes.map { .string($0) }) }
        o["mutability"] = .string(mutability.rawValue)
        o["returned"] = .string(returned.rawValue)
        o["uniqueness"] = .string(uniqueness.rawValue)
        if type == .complex { o["subAttributes"] = .array(subAttributes.map(\.jsonValue)) }
        return .object(o)
    }
}

/// A schema document (RFC 7643 §7): a URN id and its attributes.
public struct Schema: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var attributes: [SchemaAttribute]
    /// The file it came from, for diagnostics.
    public var source: String

    public init(id: String, name: String, description: String = "", attributes: [SchemaAttribute], source: String = "") {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
        self.source = source
    }

    /// Attribute by case-insensitive name.
    public func attribute(named name: String) -> SchemaAttribute? {
        attributes.first { $0.name == name } ?? attributes.first { CaseFolding.equal($0.name, name) }
    }

    /// The RFC 7643 §8.7.1 representation, for `/Schemas`; common attributes are left out as
    /// RFC 7643 §7 describes them separately.
    public func jsonValue(location: String? = nil) -> JSONValue {
        var o = JSONObject()
        o["schemas"] = .array([.string(SchemaURN.schema)])
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["description"] = .string(description)
        o["attributes"] = .array(attributes.filter { !$0.isCommon }.map(\.jsonValue))
        var meta = JSONObject()
        meta["resourceType"] = "Schema"
        if let location { meta["location"] = .string(location) }
        o["meta"] = .object(meta)
        return .object(o)
    }
}

/// A resource type (RFC 7643 §6): an endpoint, its core schema and its extensions.
public struct ResourceType: Sendable, Hashable {
    public struct Extension: Sendable, Hashable {
        public var schema: String
        public var required: Bool
        public init(schema: String, required: Bool) {
            self.schema = schema
            self.required = required
        }
    }

    public var id: String
    public var name: String
    public var endpoint: String
    public var description: String
    public var schema: String
    public var schemaExtensions: [Extension]
    public var source: String

    public init(
        id: String, name: String, endpoint: String, description: String = "", schema: String,
        schemaExtensions: [Extension] = [], source: String = ""
    ) {
        self.id = id
        self.name = name
        self.endpoint = endpoint
        self.description = description
        self.schema = schema
        self.schemaExtensions = schemaExtensions
        self.source = source
    }

    public func jsonValue(location: String? = nil) -> JSONValue {
        var o = JSONObject()
        o["schemas"] = .array([.string(SchemaURN.resourceType)])
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["endpoint"] = .string(endpoint)
        o["description"] = .string(description)
        o["schema"] = .string(schema)
        o["schemaExtensions"] = .array(
            schemaExtensions.map { .object(JSONObject([("schema", .string($0.schema)), ("required", .bool($0.required))])) })
        var meta = JSONObject()
        meta["resourceType"] = "ResourceType"
        if let location { meta["location"] = .string(location) }
        o["meta"] = .object(meta)
        return .object(o)
    }
}

/// The URNs the core itself needs to know.
public enum SchemaURN {
    public static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Schema"
    public static let resourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
    public static let serviceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    public static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let searchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
    public static let bulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
    public static let bulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
    public static let error = "urn:ietf:params:scim:api:messages:2.0:Error"
}
