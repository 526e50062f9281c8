import Foundation

/// A JSON value for the parts of the emulator that handle documents generically (the ZPA SCIM
/// server's resources and PATCH, partial configuration files). Separate from SCIMCore's JSON type and
/// ZscalerAPI's `WireJSON` on purpose: the emulator must not share code — and so mistakes — with the
/// bridge it tests. Named apart from them so a file importing both modules reads unambiguously.
public enum EmulatorJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    /// Integers stay exact (ZPA's 18-digit ids do not fit a Double).
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([EmulatorJSON])
    case object([String: EmulatorJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([EmulatorJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: EmulatorJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public var objectValue: [String: EmulatorJSON]? { if case .object(let value) = self { value } else { nil } }
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var arrayValue: [EmulatorJSON]? { if case .array(let value) = self { value } else { nil } }

    /// Member lookup by name, ignoring case as SCIM attribute names do (RFC 7643 §2.1).
    public subscript(caseInsensitive key: String) -> EmulatorJSON? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[key] { return exact }
        return members.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }

    /// Decodes a body; `nil` when it is not JSON.
    static func parse(_ data: Data) -> EmulatorJSON? { try? JSONDecoder().decode(EmulatorJSON.self, from: data) }

    /// `self` with every member of `patch` laid over it, recursively for objects (a JSON merge
    /// patch without deletions: `null` in the patch sets the member to `null`).
    func merged(with patch: EmulatorJSON) -> EmulatorJSON {
        guard case .object(var base) = self, case .object(let changes) = patch else { return patch }
        for (key, value) in changes { base[key] = base[key].map { $0.merged(with: value) } ?? value }
        return .object(base)
    }

    /// Paths (`a.b.c`, `list[0].name`) of the non-null members of `self` that `other` does not
    /// have, looking into objects and, element by element, arrays.
    func memberPaths(missingFrom other: EmulatorJSON, prefix: String = "") -> [String] {
        switch self {
        case .object(let members):
            let otherMembers = other.objectValue ?? [:]
            var missing: [String] = []
            for (key, value) in members.sorted(by: { $0.key < $1.key }) where value != .null {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let counterpart = otherMembers[key] {
                    missing += value.memberPaths(missingFrom: counterpart, prefix: path)
                } else {
                    missing.append(path)
                }
            }
            return missing
        case .array(let elements):
            let otherElements = other.arrayValue ?? []
            return elements.indices.flatMap { index in
                elements[index].memberPaths(
                    missingFrom: index < otherElements.count ? otherElements[index] : .null, prefix: "\(prefix)[\(index)]")
            }
        default:
            return []
        }
    }

    /// Compact JSON text with sorted keys (for messages and the printed configuration).
    var text: String { Self.text(of: self) }

    /// The JSON type's name, for a message that must not echo the value itself.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// `value` as compact JSON text with sorted keys.
    static func text(of value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The emulator's own configuration and wire types always encode.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}

extension Decodable where Self: Encodable {
    /// Decodes `patch` laid over the encoded `defaults` (objects merge member by member; arrays and
    /// scalars replace), refusing members the type does not have: configuration and the faults
    /// control endpoint only need to name what they change, and a misspelt key is an error rather
    /// than silently ignored.
    static func decode(patch: EmulatorJSON, over defaults: Self?) throws(EmulatorConfigurationError) -> Self {
        do {
            let base = try defaults.map { try JSONDecoder().decode(EmulatorJSON.self, from: JSONEncoder().encode($0)) } ?? .null
            let merged = base.merged(with: patch)
            let value = try JSONDecoder().decode(Self.self, from: JSONEncoder().encode(merged))
            let roundTrip = try JSONDecoder().decode(EmulatorJSON.self, from: JSONEncoder().encode(value))
            let unknown = patch.memberPaths(missingFrom: roundTrip)
            guard unknown.isEmpty else { throw EmulatorConfigurationError("unknown key(s): \(unknown.joined(separator: ", "))") }
            return value
        } catch let error as EmulatorConfigurationError {
            throw error
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            throw .init("\(Self.describe(context.codingPath)): expected \(type)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .init("\(Self.describe(context.codingPath)): missing \(key.stringValue)")
        } catch {
            throw .init("invalid value: \(error)")
        }
    }

    /// The same for a body that must be a JSON object (`PUT /__emulator/faults`).
    static func decode(patch: Data, over defaults: Self) throws(EmulatorConfigurationError) -> Self {
        guard let json = EmulatorJSON.parse(patch), case .object = json else { throw .init("expected a JSON object") }
        return try decode(patch: json, over: defaults)
    }

    private static func describe(_ codingPath: [any CodingKey]) -> String {
        let path = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "value" : path.hasPrefix(".") ? String(path.dropFirst()) : path
    }
}
