import SCIMCore

/// One customer directory: its own users and groups, its own tokens, its own client profile.
public struct Tenant: Sendable, Hashable, Codable {
    /// Stable internal id (a UUID string).
    public var id: String
    /// The operator's short name, used in `/tenants/{name}/scim/v2` URLs and CLI commands.
    public var name: String
    /// The compatibility profile name (`lenient`, `strict`, `entra`, …).
    public var profileName: String
    public var created: SCIMDateTime

    public init(id: String, name: String, profileName: String = "lenient", created: SCIMDateTime) {
        self.id = id
        self.name = name
        self.profileName = profileName
        self.created = created
    }

    public var profile: CompatibilityProfile { CompatibilityProfile.named(profileName) ?? .lenient }

    /// Tenant names appear in URLs and shell commands: a conservative alphabet.
    public static func isValidName(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count), let first = name.utf8.first, first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
        }
    }
}

extension SCIMDateTime: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = SCIMDateTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date-time: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
