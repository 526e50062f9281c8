/// `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) applied with each attribute's
/// `returned` characteristic: `always` survives any exclusion, `never` (password) never leaves,
/// `request` only when named, `default` unless excluded.
public struct Projection: Sendable {
    let definition: ResourceDefinition
    /// Named attribute → nil for the whole attribute, or the named sub-attributes.
    let included: [String: Set<String>?]
    let excluded: [String: Set<String>?]
    let hasIncluded: Bool

    /// Builds a projection from the query parameter lists (comma-separated paths). Names that no
    /// schema defines are ignored, as clients such as SailPoint ask for every attribute they know.
    public init(definition: ResourceDefinition, attributes: [String] = [], excludedAttributes: [String] = []) throws(SCIMError) {
        self.definition = definition
        self.included = try Projection.resolve(attributes, definition)
        self.excluded = try Projection.resolve(excludedAttributes, definition)
        self.hasIncluded = !attributes.isEmpty
    }

    /// Splits a comma-separated query parameter value into paths.
    public static func split(_ parameter: String?) -> [String] {
        guard let parameter else { return [] }
        return parameter.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// Key: the attribute's qualified lower-case name (`urn:…:user:manager` or `name`).
    static func key(_ schema: Schema, isExtension: Bool, _ attribute: SchemaAttribute) -> String {
        (isExtension ? schema.id.lowercased() + ":" : "") + attribute.name.lowercased()
    }

    static func resolve(_ paths: [String], _ definition: ResourceDefinition) throws(SCIMError) -> [String: Set<String>?] {
        var result: [String: Set<String>?] = [:]
        for text in paths {
            if let ext = definition.extensionSchema(id: text) {
                for attribute in ext.attributes { result[key(ext, isExtension: true, attribute)] = .some(nil) }
                continue
            }
            guard let path = AttributePath.parse(text) else { throw .invalidPath("'\(text)' is not a valid attribute path") }
            guard let resolved = definition.resolve(path) else { continue }
            let k = key(resolved.schema, isExtension: resolved.isExtension, resolved.attribute)
            if let sub = resolved.subAttribute {
                if case .some(.some(var subs)) = result[k] {
                    subs.insert(sub.name.lowercased())
                    result[k] = .some(subs)
                } else if result[k] == nil {
                    result[k] = .some([sub.name.lowercased()])
                }
            } else {
                result[k] = .some(nil)
            }
        }
        return result
    }

    /// The resource as the client may see it.
    public func apply(to resource: JSONObject) -> JSONObject {
        var out = JSONObject()
        for member in resource {
            if CaseFolding.equal(member.key, "schemas") {
                out[member.key] = member.value
                continue
            }
            if let ext = definition.extensionSchema(id: member.key) {
                guard case .object(let inner) = member.value else { continue }
                let projected = project(inner, schema: ext, isExtension: true)
                if !projected.isEmpty { out[ext.id] = .object(projected) }
                continue
            }
            if let attribute = definition.core.attribute(named: member.key) {
                if let v = project(member.value, attribute, key: Projection.key(definition.core, isExtension: false, attribute)) {
                    out[attribute.name] = v
                }
            }
            // Keys no schema defines are not returned.
        }
        return out
    }

    func project(_ object: JSONObject, schema: Schema, isExtension: Bool) -> JSONObject {
        var out = JSONObject()
        for member in object {
            guard let attribute = schema.attribute(named: member.key) else { continue }
            if let v = project(member.value, attribute, key: Projection.key(schema, isExtension: isExtension, attribute)) {
                out[attribute.name] = v
            }
        }
        return out
    }

    func project(_ value: JSONValue, _ attribute: SchemaAttribute, key: String) -> JSONValue? {
        let named: Set<String>??
        switch attribute.returned {
        case .never: return nil
        case .always: return filterSubs(value, attribute, named: nil)
        case .default, .request:
            if hasIncluded {
                guard let entry = included[key] else { return nil }
                named = .some(entry)
            } else {
                if attribute.returned == .request { return nil }
                if let entry = excluded[key] {
                    guard let subs = entry else { return nil }
                    return filterSubs(value, attribute, named: nil, excludedSubs: subs)
                }
                named = .some(nil)
            }
        }
        return filterSubs(value, attribute, named: named ?? nil)
    }

    /// Applies sub-attribute selection and `returned` to a complex value (or each element).
    func filterSubs(_ value: JSONValue, _ attribute: SchemaAttribute, named: Set<String>?, excludedSubs: Set<String> = []) -> JSONValue? {
        guard attribute.type == .complex else { return value }
        func element(_ v: JSONValue) -> JSONValue? {
            guard case .object(let o) = v else { return v }
            var out = JSONObject()
            for member in o {
                guard let sub = attribute.subAttribute(named: member.key) else { continue }
                let lower = sub.name.lowercased()
                switch sub.returned {
                case .never: continue
                case .always: break
                case .default, .request:
                    if let named {
                        guard named.contains(lower) else { continue }
                    } else if sub.returned == .request || excludedSubs.contains(lower) {
                        continue
                    }
                }
                out[sub.name] = member.value
            }
            return out.isEmpty ? nil : .object(out)
        }
        if case .array(let elements) = value {
            let kept = elements.compactMap(element)
            return kept.isEmpty ? nil : .array(kept)
        }
        return element(value)
    }
}

extension Projection {
    /// Whether a core attribute would be in the output at all: lets the service skip loading a
    /// 50,000-member list that `excludedAttributes=members` would drop anyway.
    public func returns(_ attributeName: String) -> Bool {
        guard let attribute = definition.core.attribute(named: attributeName) else { return false }
        let probe: JSONValue =
            attribute.type == .complex
            ? .array([.object(JSONObject(attribute.subAttributes.map { ($0.name, JSONValue.string("x")) }))])
            : .string("x")
        var resource = JSONObject()
        resource[attribute.name] = probe
        return apply(to: resource)[attribute.name] != nil
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
