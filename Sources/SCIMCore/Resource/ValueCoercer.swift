/// Checks a client-supplied value against an attribute definition and brings it into canonical
/// form: schema-cased sub-attribute names, `null` and read-only input dropped, and the profile's
/// value quirks (boolean strings, bare strings for complex values, type-only values) applied.
/// POST/PUT validation and PATCH share it, so a value is judged the same way whichever verb
/// carries it.
public struct ValueCoercer: Sendable {
    public let profile: CompatibilityProfile
    /// Longest value accepted for one string, reference or binary attribute, in UTF-8 bytes.
    /// Longer values are 400 `invalidValue` naming the attribute.
    public let maxStringBytes: Int

    /// 64 KiB. Directory attributes are far shorter (Active Directory caps `description` at
    /// 1,024 characters, Zscaler's longest user fields take a few hundred) and the longest
    /// legitimate SCIM strings, base64 `x509Certificates` with a chain, take a few KiB; yet every
    /// accepted byte is stored, rendered on every read and scanned by every `co` filter. Bytes
    /// rather than characters: the count is free for a native string, and one character (a
    /// grapheme with combining marks) has no upper bound in bytes.
    public static let defaultMaxStringBytes = 65_536

    public init(profile: CompatibilityProfile, maxStringBytes: Int = ValueCoercer.defaultMaxStringBytes) {
        self.profile = profile
        self.maxStringBytes = maxStringBytes
    }

    /// Refuses a string longer than `maxStringBytes`, or one holding U+0000: no directory value
    /// carries a NUL, stores and C APIs end text at one (a `userName` of `"alice\u0000x"` would
    /// be keyed as `"alice"`), and Zscaler refuses control characters.
    func checkString(_ s: String, path: String) throws(SCIMError) {
        let count = s.utf8.count
        guard count <= maxStringBytes else {
            throw .invalidValue("'\(path)' is \(count) bytes long; the limit for one value is \(maxStringBytes) bytes")
        }
        guard !s.utf8.contains(0) else { throw .invalidValue("'\(path)' contains U+0000 (NUL); remove it") }
    }

    /// Coerces the whole value of `attribute` (an array for multi-valued attributes). Returns
    /// `nil` when the value leaves the attribute unassigned.
    public func coerce(_ value: JSONValue, for attribute: SchemaAttribute, path: String) throws(SCIMError) -> JSONValue? {
        if value.isNull { return nil }
        guard attribute.multiValued else { return try coerceElement(value, for: attribute, path: path) }
        let elements: [JSONValue]
        if case .array(let list) = value {
            elements = list
        } else if profile.allows(.singleValueForMultiValued) {
            elements = [value]
        } else {
            throw .invalidValue("'\(path)' is multi-valued; its value must be an array, not \(value.kindName)")
        }
        var result: [JSONValue] = []
        result.reserveCapacity(elements.count)
        var primaries = 0
        for element in elements {
            guard let coerced = try coerceElement(element, for: attribute, path: path) else { continue }
            if attribute.type == .complex, profile.allows(.typeOnlyValues), case .object(let o) = coerced,
                o.keys.allSatisfy({ $0 == "type" || $0 == "primary" })
            {
                continue
            }
            if case .object(let o) = coerced, o["primary"] == .bool(true) { primaries += 1 }
            result.append(coerced)
        }
        if primaries > 1 { throw .invalidValue("'\(path)' has more than one value with \"primary\": true") }
        return .array(result)
    }

    /// Coerces one value of `attribute` (one element of a multi-valued attribute).
    public func coerceElement(_ value: JSONValue, for attribute: SchemaAttribute, path: String) throws(SCIMError) -> JSONValue? {
        if value.isNull { return nil }
        guard attribute.type == .complex else { return try coerceSimple(value, for: attribute, path: path) }
        switch value {
        case .object(let object):
            var result = JSONObject()
            for member in object {
                guard let sub = attribute.subAttribute(named: member.key) else {
                    if profile.allows(.unknownAttributes) { continue }
                    throw .invalidValue("'\(member.key)' is not a sub-attribute of '\(path)'")
                }
                if sub.mutability == .readOnly { continue }
                if let v = try coerceSimple(member.value, for: sub, path: "\(path).\(sub.name)") {
                    if result.index(forKeyIgnoringCase: sub.name) != nil {
                        throw .invalidValue("'\(path).\(sub.name)' is given twice")
                    }
                    result[sub.name] = v
                }
            }
            if attribute.isReferenceList, result["value"] == nil {
                throw .invalidValue("Each value of '\(path)' needs a \"value\" (the id it refers to)")
            }
            return result.isEmpty ? nil : .object(result)
        case .string, .number, .bool:
            // Entra sends `manager` as a bare id: wrap a primitive into the `value` sub-attribute.
            if profile.allows(.managerAsString), !attribute.multiValued, let valueSub = attribute.subAttribute(named: "value") {
                guard let v = try coerceSimple(value, for: valueSub, path: "\(path).value") else { return nil }
                return .object(JSONObject([(valueSub.name, v)]))
            }
            throw .invalidValue("'\(path)' is complex; its value must be an object, not \(value.kindName)")
        default:
            throw .invalidValue("'\(path)' expects an object, not \(value.kindName)")
        }
    }

    /// Coerces a value of a non-complex attribute or sub-attribute.
    public func coerceSimple(_ value: JSONValue, for attribute: SchemaAttribute, path: String) throws(SCIMError) -> JSONValue? {
        if value.isNull { return nil }
        func wrong() -> SCIMError {
            .invalidValue("'\(path)' is of type \(attribute.type.rawValue); \(value) does not fit")
        }
        if case .array = value { throw .invalidValue("'\(path)' is single-valued; an array does not fit") }
        switch attribute.type {
        case .string, .reference:
            guard case .string(let s) = value else { throw wrong() }
            try checkString(s, path: path)
            return value
        case .binary:
            guard case .string(let s) = value else { throw .invalidValue("'\(path)' is binary and needs base64 text") }
            try checkString(s, path: path)
            guard ValueCoercer.isBase64(s) else { throw .invalidValue("'\(path)' is binary and needs base64 text") }
            return value
        case .boolean:
            switch value {
            case .bool: return value
            case .string(let s) where profile.allows(.booleanStrings):
                if CaseFolding.equal(s, "true") { return .bool(true) }
                if CaseFolding.equal(s, "false") { return .bool(false) }
                throw wrong()
            default: throw wrong()
            }
        case .integer:
            guard case .number(let n) = value, n.isIntegerLiteral, n.integer != nil else { throw wrong() }
            return value
        case .decimal:
            guard case .number = value else { throw wrong() }
            return value
        case .dateTime:
            guard case .string(let s) = value, SCIMDateTime(s) != nil else {
                throw .invalidValue("'\(path)' is a dateTime; \(value) is not one (expected e.g. 2011-05-13T04:42:34Z)")
            }
            return value
        case .complex:
            throw .invalidValue("'\(path)' cannot hold a nested complex value")
        }
    }

    /// Base64 (RFC 4648, standard or URL-safe alphabet, optional padding, whitespace allowed).
    static func isBase64(_ s: String) -> Bool {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "="), 0x20, 0x0A, 0x0D, 0x09:
                continue
            default: return false
            }
        }
        return true
    }
}
