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

    /// Paths (`a.b.c`) of the non-null members of `self` that `other` does not have.
    func memberPaths(missingFrom other: EmulatorJSON, prefix: String = "") -> [String] {
        guard case .object(let members) = self else { return [] }
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
    }
}

extension Decodable {
    /// Decodes `patch` laid over the encoded `defaults`, refusing keys that the type does not have:
    /// configuration files and the faults control endpoint only need to name what they change, and
    /// a misspelt key is an error rather than silently ignored.
    static func decode<T: Codable>(patch: Data, over defaults: T) throws(EmulatorConfigurationError) -> T {
        guard let patchJSON = EmulatorJSON.parse(patch), case .object = patchJSON else {
            throw .init("expected a JSON object")
        }
        do {
            let base = try JSONDecoder().decode(EmulatorJSON.self, from: JSONEncoder().encode(defaults))
            let merged = base.merged(with: patchJSON)
            let value = try JSONDecoder().decode(T.self, from: JSONEncoder().encode(merged))
            let roundTrip = try JSONDecoder().decode(EmulatorJSON.self, from: JSONEncoder().encode(value))
            let unknown = patchJSON.memberPaths(missingFrom: roundTrip)
            guard unknown.isEmpty else { throw EmulatorConfigurationError("unknown key(s): \(unknown.joined(separator: ", "))") }
            return value
        } catch let error as EmulatorConfigurationError {
            throw error
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .init("\(path.isEmpty ? "value" : path): expected \(type)")
        } catch {
            throw .init("invalid value: \(error)")
        }
    }
}
