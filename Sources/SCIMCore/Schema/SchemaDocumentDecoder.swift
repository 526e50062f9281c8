/// Turns schema, resource-type and service-provider-config JSON documents into the typed model,
/// reporting each problem with its file and attribute path.
struct SchemaDocumentDecoder {
    let file: String
    var diagnostics: [SchemaDiagnostic] = []

    init(file: String) { self.file = file }

    mutating func error(_ path: String, _ message: String) {
        diagnostics.append(SchemaDiagnostic(severity: .error, file: file, path: path, message: message))
    }

    mutating func warning(_ path: String, _ message: String) {
        diagnostics.append(SchemaDiagnostic(severity: .warning, file: file, path: path, message: message))
    }

    static let knownAttributeKeys: Set<String> = [
        "name", "type", "multivalued", "description", "required", "caseexact", "mutability", "returned",
        "uniqueness", "canonicalvalues", "referencetypes", "subattributes",
    ]

    mutating func decodeSchema(_ object: JSONObject) -> Schema? {
        guard let id = object["id"]?.stringValue, !id.isEmpty else {
            error("id", "a schema needs a string \"id\" (its URN)")
            return nil
        }
        if !id.lowercased().hasPrefix("urn:") { error("id", "schema id \"\(id)\" is not a URN") }
        let name = object["name"]?.stringValue ?? ""
        if name.isEmpty { warning(id, "schema has no \"name\"") }
        guard let attributes = object["attributes"]?.arrayValue else {
            error(id, "a schema needs an \"attributes\" array")
            return nil
        }
        var decoded: [SchemaAttribute] = []
        for (i, raw) in attributes.enumerated() {
            guard let attrObject = raw.objectValue else {
                error("\(id):attributes[\(i)]", "an attribute must be an object")
                continue
            }
            if let attribute = decodeAttribute(attrObject, parentPath: id, separator: ":", depth: 0) {
                if decoded.contains(where: { CaseFolding.equal($0.name, attribute.name) }) {
                    error("\(id):\(attribute.name)", "attribute is defined twice (names are case-insensitive)")
                } else {
                    decoded.append(attribute)
                }
            }
        }
        return Schema(id: id, name: name, description: object["description"]?.stringValue ?? "", attributes: decoded, source: file)
    }

    mutating func decodeAttribute(_ o: JSONObject, parentPath: String, separator: String, depth: Int) -> SchemaAttribute? {
        guard let name = o["name"]?.stringValue, !name.isEmpty else {
            error(parentPath, "an attribute has no \"name\"")
            return nil
        }
        let path = parentPath + separator + name
        if !AttributePath.isValidAttributeName(name) {
            error(path, "\"\(name)\" is not a valid attribute name (ALPHA *(ALPHA / DIGIT / \"-\" / \"_\"), or \"$ref\")")
        }
        for key in o.keys where !Self.knownAttributeKeys.contains(key.lowercased()) && !key.hasPrefix("x-") {
            warning(path, "unknown characteristic \"\(key)\" is ignored")
        }
        func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ fallback: E) -> E where E.RawValue == String {
            guard let raw = o[key] else {
                warning(path, "\"\(key)\" is not stated; using \"\(fallback.rawValue)\"")
                return fallback
            }
            guard let s = raw.stringValue, let value = E.allCases.first(where: { $0.rawValue == s }) else {
                let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
                error(path, "\"\(key)\" is \(raw), expected one of: \(allowed)")
                return fallback
            }
            return value
        }
        func boolValue(_ key: String, _ fallback: Bool, quiet: Bool = false) -> Bool {
            guard let raw = o[key] else {
                if !quiet { warning(path, "\"\(key)\" is not stated; using \(fallback)") }
                return fallback
            }
            guard let b = raw.boolValue else {
                error(path, "\"\(key)\" must be true or false, not \(raw)")
                return fallback
            }
            return b
        }
        func stringList(_ key: String) -> [String] {
            guard let raw = o[key] else { return [] }
            guard let list = raw.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                error(path, "\"\(key)\" must be an array of strings")
                return []
            }
            return list.compactMap(\.stringValue)
        }
        guard o["type"] != nil else {
            error(path, "\"type\" is required")
            return nil
        }
        let type: SchemaAttribute.DataType = enumValue("type", .string)
        let isComplex = type == .complex
        var attribute = SchemaAttribute(
            name: name,
            type: type,
            multiValued: boolValue("multiValued", false),
            description: o["description"]?.stringValue ?? "",
            required: boolValue("required", false),
            caseExact: boolValue("caseExact", false, quiet: isComplex || type == .boolean),
            mutability: enumValue("mutability", .readWrite),
            returned: enumValue("returned", .default),
            uniqueness: enumValue("uniqueness", .none),
            canonicalValues: stringList("canonicalValues"),
            referenceTypes: stringList("referenceTypes"),
            isCommon: o["x-zscimCommon"]?.boolValue ?? false
        )
        if type == .reference && attribute.referenceTypes.isEmpty {
            warning(path, "a reference attribute should list its \"referenceTypes\"")
        }
        if type != .reference && !attribute.referenceTypes.isEmpty {
            warning(path, "\"referenceTypes\" only applies to reference attributes")
        }
        if let subs = o["subAttributes"] {
            if !isComplex {
                error(path, "only complex attributes may have \"subAttributes\"")
            } else if depth > 1 {
                error(path, "sub-attributes nest at most two levels deep")
            } else if let list = subs.arrayValue {
                for (i, raw) in list.enumerated() {
                    guard let subObject = raw.objectValue else {
                        error("\(path).subAttributes[\(i)]", "a sub-attribute must be an object")
                        continue
                    }
                    guard let sub = decodeAttribute(subObject, parentPath: path, separator: ".", depth: depth + 1) else { continue }
                    if sub.type == .complex, !path.hasPrefix(SchemaURN.schema + ":") {
                        // RFC 7643 §8.7.2's own Schema meta-schema nests `subAttributes` (allowed
                        // there); anywhere else it is outside §2.3.8 and paths cannot reach inside.
                        warning(
                            "\(path).\(sub.name)",
                            "a complex sub-attribute is outside RFC 7643 §2.3.8; filters and PATCH paths cannot reach inside it")
                    }
                    if attribute.subAttributes.contains(where: { CaseFolding.equal($0.name, sub.name) }) {
                        error("\(path).\(sub.name)", "sub-attribute is defined twice")
                    } else {
                        attribute.subAttributes.append(sub)
                    }
                }
            } else {
                error(path, "\"subAttributes\" must be an array")
            }
        }
        if isComplex && attribute.subAttributes.isEmpty {
            error(path, "a complex attribute needs \"subAttributes\"")
        }
        return attribute
    }

    mutating func decodeResourceType(_ o: JSONObject) -> ResourceType? {
        let label = o["id"]?.stringValue ?? o["name"]?.stringValue ?? "ResourceType"
        guard let name = o["name"]?.stringValue, !name.isEmpty else {
            error(label, "a resource type needs a \"name\"")
            return nil
        }
        guard let endpoint = o["endpoint"]?.stringValue, endpoint.hasPrefix("/") else {
            error(label, "a resource type needs an \"endpoint\" starting with \"/\"")
            return nil
        }
        guard let schema = o["schema"]?.stringValue, !schema.isEmpty else {
            error(label, "a resource type needs its core \"schema\" URN")
            return nil
        }
        var extensions: [ResourceType.Extension] = []
        if let raw = o["schemaExtensions"] {
            guard let list = raw.arrayValue else {
                error(label, "\"schemaExtensions\" must be an array")
                return nil
            }
            for (i, item) in list.enumerated() {
                guard let ext = item.objectValue, let urn = ext["schema"]?.stringValue else {
                    error("\(label).schemaExtensions[\(i)]", "needs a \"schema\" URN")
                    continue
                }
                extensions.append(.init(schema: urn, required: ext["required"]?.boolValue ?? false))
            }
        }
        return ResourceType(
            id: o["id"]?.stringValue ?? name, name: name, endpoint: endpoint,
            description: o["description"]?.stringValue ?? "", schema: schema, schemaExtensions: extensions, source: file)
    }
}
