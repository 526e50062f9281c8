import Foundation

/// An IdP of the ZPA customer (reference §8.2) with what the emulator needs to serve its SCIM
/// endpoint.
struct ZPAIdP: Sendable, Codable, Equatable {
    var id: String
    var name: String
    var description: String?
    var loginUrl: String
    var idpEntityId: String
    var ssoType: [String]
    var domainList: [String]
    var scimEnabled: Bool
    var scimToken: String?
    var creationTime: Int
    var modifiedTime: Int
}

/// A user pushed to an IdP's SCIM endpoint: the stored attributes (documented ones only) plus
/// server-kept metadata.
struct ZPASCIMUser: Sendable, Codable, Equatable {
    var id: String
    var attributes: [String: EmulatorJSON]
    var created: Date
    var lastModified: Date
}

/// A SCIM group of one IdP. `adminId` is the numeric id the userconfig admin API shows.
struct ZPASCIMGroup: Sendable, Codable, Equatable {
    var id: String
    var adminId: Int
    var displayName: String
    var externalId: String?
    var members: [String]
    var created: Date
    var lastModified: Date
}

/// The SCIM data of one IdP.
struct ZPASCIMDirectory: Sendable, Codable, Equatable {
    var users: [String: ZPASCIMUser] = [:]
    var groups: [String: ZPASCIMGroup] = [:]
}

/// The ZPA customer: IdPs and their SCIM directories.
struct ZPAState: Sendable, Codable, Equatable {
    var customerId: String
    var idps: [ZPAIdP]
    var directories: [String: ZPASCIMDirectory]
    private(set) var nextAdminGroupId: Int

    init(customerId: String, idps: [ZPAIdP], directories: [String: ZPASCIMDirectory]) {
        self.customerId = customerId
        self.idps = idps
        self.directories = directories
        let maxAdminId = directories.values.flatMap { $0.groups.values.map(\.adminId) }.max() ?? 0
        nextAdminGroupId = max(maxAdminId + 1, 3_000_000)
    }

    func idp(_ id: String) -> ZPAIdP? { idps.first { $0.id == id } }

    mutating func allocateAdminGroupId() -> Int {
        defer { nextAdminGroupId += 1 }
        return nextAdminGroupId
    }
}

/// The SCIM attribute headers the read-only admin API lists per IdP (reference §8.3): the
/// documented user attributes of ZPA's SCIM server (§9.2).
struct ZPASCIMAttributeDefinition: Sendable {
    var name: String
    var dataType: String
    var schemaURI: String
    var multivalued: Bool = false
    var required: Bool = false
    var caseSensitive: Bool = false
    var mutability: String = "readWrite"
    var uniqueness: String = "none"

    static let core = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    static let all: [ZPASCIMAttributeDefinition] = [
        .init(name: "userName", dataType: "String", schemaURI: core, required: true, uniqueness: "server"),
        .init(name: "displayName", dataType: "String", schemaURI: core),
        .init(name: "name.formatted", dataType: "String", schemaURI: core),
        .init(name: "name.givenName", dataType: "String", schemaURI: core),
        .init(name: "name.familyName", dataType: "String", schemaURI: core),
        .init(name: "nickName", dataType: "String", schemaURI: core),
        .init(name: "emails.value", dataType: "String", schemaURI: core, multivalued: true),
        .init(name: "userType", dataType: "String", schemaURI: core),
        .init(name: "title", dataType: "String", schemaURI: core),
        .init(name: "active", dataType: "Boolean", schemaURI: core),
        .init(name: "externalId", dataType: "String", schemaURI: core, caseSensitive: true),
        .init(name: "department", dataType: "String", schemaURI: enterprise),
        .init(name: "costCenter", dataType: "String", schemaURI: enterprise),
        .init(name: "division", dataType: "String", schemaURI: enterprise),
        .init(name: "organization", dataType: "String", schemaURI: enterprise),
    ]

    /// Stable id of the `index`-th attribute of an IdP (18-digit like real ids when the IdP's is).
    static func id(idp: String, index: Int) -> String {
        if let base = Int64(idp), base < Int64.max - 10_000 { return String(base + 1_000 + Int64(index)) }
        return String(index + 1)
    }

    /// The attribute's values in one stored user (for the attribute-values admin API).
    func values(in user: ZPASCIMUser) -> [String] {
        var node: EmulatorJSON? = .object(user.attributes)
        if schemaURI == Self.enterprise { node = node?[caseInsensitive: Self.enterprise] }
        for part in name.split(separator: ".") {
            if case .array(let items) = node {
                return items.compactMap { $0[caseInsensitive: String(part)].flatMap(Self.text) }
            }
            node = node?[caseInsensitive: String(part)]
        }
        return node.flatMap(Self.text).map { [$0] } ?? []
    }

    private static func text(_ value: EmulatorJSON) -> String? {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): number.formatted(maxFractionDigits: 6)
        default: nil
        }
    }
}
