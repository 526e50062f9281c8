/// A SCIM group as ZPA's admin API lists it (userconfig `scimgroup`, reference §8.3). Read-only:
/// groups are created through the IdP's SCIM server. userconfig sends ids and times as numbers.
public struct ZPASCIMGroupRecord: Codable, Sendable, Hashable {
    public var id: ZPAID
    public var name: String
    public var idpId: ZPAID?
    public var idpGroupId: String?
    /// UUID for newer groups: the id the SCIM server uses.
    public var internalId: String?
    public var creationTime: FlexibleInt?
    public var modifiedTime: FlexibleInt?

    public init(id: ZPAID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A SCIM attribute header of one IdP (mgmtconfig `scimattribute`, reference §8.3).
public struct ZPASCIMAttribute: Codable, Sendable, Hashable {
    public var id: ZPAID
    public var name: String
    public var description: String?
    public var idpId: ZPAID?
    public var dataType: String?
    public var schemaURI: String?
    public var multivalued: Bool?
    public var required: Bool?
    public var caseSensitive: Bool?
    public var mutability: String?
    public var returned: String?
    public var uniqueness: Uniqueness?
    public var canonicalValues: [String]?
    public var creationTime: FlexibleInt?
    public var modifiedTime: FlexibleInt?
    public var modifiedBy: ZPAID?

    public init(id: ZPAID, name: String) {
        self.id = id
        self.name = name
    }
}

extension ZPASCIMAttribute {
    /// `uniqueness` of a SCIM attribute header. The reference gives no type; the official Go SDK models it
    /// as a boolean, RFC 7643 (and the emulator) as `none`/`server`/`global`. Both are accepted and
    /// re-encoded as they came.
    public enum Uniqueness: Codable, Sendable, Hashable {
        case flag(Bool)
        case text(String)

        /// Whether values must be unique (`true`, `server`, `global`).
        public var isUnique: Bool {
            switch self {
            case .flag(let flag): flag
            case .text(let text): text.lowercased() != "none" && !text.isEmpty
            }
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let flag = try? c.decode(Bool.self) { self = .flag(flag) } else { self = .text(try c.decode(String.self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .flag(let flag): try c.encode(flag)
            case .text(let text): try c.encode(text)
            }
        }
    }
}
