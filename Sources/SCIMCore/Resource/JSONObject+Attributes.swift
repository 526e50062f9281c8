/// Reading and writing an attribute of a resource wherever it lives: at the top level for core
/// attributes, inside the object keyed by the extension URN for extension attributes. Writing
/// keeps `schemas` in step with which extensions hold data.
extension JSONObject {
    /// The attribute's whole value (not a sub-attribute's).
    public func attributeValue(_ resolved: ResolvedAttribute) -> JSONValue? {
        if resolved.isExtension {
            guard let ext = value(forKeyIgnoringCase: resolved.schema.id)?.objectValue else { return nil }
            return ext.value(forKeyIgnoringCase: resolved.attribute.name)
        }
        return value(forKeyIgnoringCase: resolved.attribute.name)
    }

    /// Sets the attribute's whole value under its canonical name; `nil` or an unassigned value
    /// removes it (RFC 7643 §2.5).
    public mutating func setAttributeValue(_ newValue: JSONValue?, for resolved: ResolvedAttribute) {
        let stored = newValue.flatMap { $0.isUnassigned ? nil : $0 }
        guard resolved.isExtension else {
            set(stored, forKeyIgnoringCase: resolved.attribute.name)
            return
        }
        var ext = value(forKeyIgnoringCase: resolved.schema.id)?.objectValue ?? JSONObject()
        ext.set(stored, forKeyIgnoringCase: resolved.attribute.name)
        setExtension(ext.isEmpty ? nil : ext, schemaID: resolved.schema.id)
    }

    /// Sets or removes a whole extension object and lists or unlists its URN in `schemas`.
    public mutating func setExtension(_ ext: JSONObject?, schemaID: String) {
        set(ext.map { .object($0) }, forKeyIgnoringCase: schemaID)
        var schemas = value(forKeyIgnoringCase: "schemas")?.arrayValue ?? []
        let listed = schemas.contains { $0.stringValue.map { CaseFolding.equal($0, schemaID) } ?? false }
        if ext != nil, !listed {
            schemas.append(.string(schemaID))
            set(.array(schemas), forKeyIgnoringCase: "schemas")
        } else if ext == nil, listed {
            schemas.removeAll { $0.stringValue.map { CaseFolding.equal($0, schemaID) } ?? false }
            set(.array(schemas), forKeyIgnoringCase: "schemas")
        }
    }
}
