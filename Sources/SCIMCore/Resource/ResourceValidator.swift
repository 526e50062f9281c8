/// Checks a POST or PUT body against the resource type's schemas (RFC 7643 §2, RFC 7644 §3.3,
/// §3.5.1) and returns it in canonical form: schema-cased names, extension URNs listed in
/// `schemas`, read-only input dropped, values type-checked. Server-managed attributes (`id`,
/// `meta`, `groups`) are the service's to add afterwards.
public struct ResourceValidator: Sendable {
    public enum Mode: Sendable {
        case create
        /// PUT over `existing`: immutable attributes must not change, and write-only ones the
        /// client cannot read back (`password`) are kept when omitted.
        case replace(existing: JSONObject)
    }

    public let definition: ResourceDefinition
    public let profile: CompatibilityProfile
    let coercer: ValueCoercer

    public init(
        definition: ResourceDefinition, profile: CompatibilityProfile = .lenient, maxStringBytes: Int = ValueCoercer.defaultMaxStringBytes
    ) {
        self.definition = definition
        self.profile = profile
        self.coercer = ValueCoercer(profile: profile, maxStringBytes: maxStringBytes)
    }

    /// SCIM 1.x and vendor URNs that mean an RFC schema (OneLogin templates).
    static let aliases: [String: String] = [
        "urn:scim:schemas:core:1.0": "core",
        "urn:scim:schemas:core:2.0": "core",
        "urn:scim:schemas:extension:enterprise:1.0": SchemaURN.enterpriseUser,
        "urn:scim:schemas:extension:enterprise:2.0": SchemaURN.enterpriseUser,
    ]

    public func validate(_ body: JSONValue, mode: Mode = .create) throws(SCIMError) -> JSONObject {
        guard case .object(let object) = body else {
            throw .invalidSyntax("A \(definition.resourceType.name) must be a JSON object")
        }
        let listed = try listedSchemas(object)
        var out = JSONObject()
        out["schemas"] = .array([.string(definition.core.id)])
        var seen = Set<String>()
        for member in object {
            let lower = member.key.lowercased()
            guard seen.insert(lower).inserted else {
                throw .invalidSyntax("'\(member.key)' appears twice (attribute names are case-insensitive)")
            }
            if lower == "schemas" { continue }
            if let ext = definition.extensionSchema(id: member.key) {
                guard listed.contains(ext.id.lowercased()) || profile.allows(.missingResourceSchemas) else {
                    throw .invalidSyntax("'\(ext.id)' holds data but is not listed in \"schemas\"")
                }
                if member.value.isNull { continue }
                guard case .object(let inner) = member.value else {
                    throw .invalidSyntax("'\(ext.id)' must be an object of its attributes")
                }
                var extOut = JSONObject()
                for attr in inner {
                    guard let attribute = ext.attribute(named: attr.key) else {
                        if profile.allows(.unknownAttributes) { continue }
                        throw .invalidSyntax("'\(attr.key)' is not an attribute of \(ext.id)")
                    }
                    guard extOut.index(forKeyIgnoringCase: attribute.name) == nil else {
                        throw .invalidSyntax("'\(ext.id):\(attribute.name)' appears twice")
                    }
                    if let v = try accept(attr.value, attribute, path: "\(ext.id):\(attribute.name)") {
                        extOut[attribute.name] = v
                    }
                }
                if !extOut.isEmpty { out.setExtension(extOut, schemaID: ext.id) }
                continue
            }
            if let attribute = definition.core.attribute(named: member.key) {
                if let v = try accept(member.value, attribute, path: attribute.name) { out[attribute.name] = v }
                continue
            }
            if lower.hasPrefix("urn:") {
                if profile.allows(.foreignSchemaURNs), member.value.isUnassigned { continue }
                throw .invalidSyntax("'\(member.key)' is not a schema extension of \(definition.resourceType.name) resources")
            }
            if profile.allows(.unknownAttributes) { continue }
            throw .invalidSyntax("'\(member.key)' is not an attribute of \(definition.resourceType.name) resources")
        }
        if case .replace(let existing) = mode { try carryOver(from: existing, into: &out) }
        try checkRequired(out)
        return out
    }

    /// The lower-cased schema URNs a body lists, aliases mapped; unknown URNs refused unless the
    /// profile tolerates them.
    func listedSchemas(_ object: JSONObject) throws(SCIMError) -> Set<String> {
        guard let raw = object.value(forKeyIgnoringCase: "schemas") else {
            if !profile.allows(.missingResourceSchemas) {
                throw .invalidSyntax("\"schemas\" is missing; it must list \"\(definition.core.id)\"")
            }
            return [definition.core.id.lowercased()]
        }
        guard case .array(let list) = raw, list.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalidSyntax("\"schemas\" must be an array of schema URNs")
        }
        var known = Set(definition.schemaIDs.map { $0.lowercased() })
        known.insert(definition.core.id.lowercased())
        var result = Set<String>()
        for urn in list.compactMap(\.stringValue) {
            var lower = urn.lowercased()
            if profile.allows(.foreignSchemaURNs), let alias = ResourceValidator.aliases[lower] {
                lower = alias == "core" ? definition.core.id.lowercased() : alias.lowercased()
            }
            if known.contains(lower) {
                result.insert(lower)
            } else if !profile.allows(.foreignSchemaURNs) {
                throw .invalidSyntax("\"schemas\" lists '\(urn)', which is not a schema of \(definition.resourceType.name) resources")
            }
        }
        guard result.contains(definition.core.id.lowercased()) else {
            throw .invalidSyntax("\"schemas\" must list \"\(definition.core.id)\"")
        }
        return result
    }

    /// One attribute's value: read-only input is ignored (RFC 7643 §2.2), the rest coerced.
    func accept(_ value: JSONValue, _ attribute: SchemaAttribute, path: String) throws(SCIMError) -> JSONValue? {
        if attribute.mutability == .readOnly { return nil }
        guard let v = try coercer.coerce(value, for: attribute, path: path), !v.isUnassigned else { return nil }
        return v
    }

    func carryOver(from existing: JSONObject, into out: inout JSONObject) throws(SCIMError) {
        func visit(_ schema: Schema, isExtension: Bool) throws(SCIMError) {
            for attribute in schema.attributes where attribute.mutability == .immutable || attribute.mutability == .writeOnly {
                let resolved = ResolvedAttribute(schema: schema, isExtension: isExtension, attribute: attribute, subAttribute: nil)
                guard let old = existing.attributeValue(resolved), !old.isUnassigned else { continue }
                let new = out.attributeValue(resolved)
                if attribute.mutability == .immutable, let new, new != old {
                    throw .mutability("'\(resolved.canonicalPath)' is immutable and cannot be changed")
                }
                if new == nil { out.setAttributeValue(old, for: resolved) }
            }
        }
        try visit(definition.core, isExtension: false)
        for ext in definition.extensions { try visit(ext.schema, isExtension: true) }
    }

    /// Missing, null, empty, or a string of only whitespace: a required `userName: " "` would
    /// otherwise be stored with no uniqueness key (it trims to nothing) and accepted twice.
    static func lacksValue(_ value: JSONValue?) -> Bool {
        guard let value, !value.isUnassigned else { return true }
        if case .string(let text) = value { return text.allSatisfy(\.isWhitespace) }
        return false
    }

    /// Also run on a PATCH result: an operation must not blank or remove a required value.
    public func checkRequired(_ out: JSONObject) throws(SCIMError) {
        for attribute in definition.core.attributes where attribute.required && attribute.mutability != .readOnly {
            guard !Self.lacksValue(out[attribute.name]) else {
                throw .invalidValue("'\(attribute.name)' is required and must not be empty or blank")
            }
        }
        for ext in definition.extensions where ext.required {
            guard out.value(forKeyIgnoringCase: ext.schema.id) != nil else {
                throw .invalidValue("The extension '\(ext.schema.id)' is required")
            }
        }
        for ext in definition.extensions {
            guard let inner = out.value(forKeyIgnoringCase: ext.schema.id)?.objectValue else { continue }
            for attribute in ext.schema.attributes where attribute.required && attribute.mutability != .readOnly {
                guard !Self.lacksValue(inner[attribute.name]) else {
                    throw .invalidValue("'\(ext.schema.id):\(attribute.name)' is required and must not be empty or blank")
                }
            }
        }
    }
}
