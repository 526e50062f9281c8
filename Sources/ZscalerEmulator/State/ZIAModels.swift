/// Where a ZIA user came from, which decides whether the API may change it (reference §3.5).
public enum ZIAUserSource: String, Sendable, Codable, Equatable {
    /// Created in the hosted user database (portal or `POST /users`): writable.
    case hostedDB
    /// Synced from AD/LDAP or provisioned by SCIM/SAML: listed, but read-only to the API.
    case directorySync
}

/// A ZIA user as the emulator stores it. Passwords are not kept: the API never returns them.
struct ZIAUser: Sendable, Codable, Equatable {
    var id: Int
    var name: String
    var email: String
    var groupIds: [Int]
    var departmentId: Int?
    var comments: String?
    var tempAuthEmail: String?
    var adminUser: Bool
    var type: String?
    var disabled: Bool
    var source: ZIAUserSource
    var authMethods: [String]?

    /// What the API refuses to change: admin-linked entries and directory-synced users.
    var isProtected: Bool { adminUser || source == .directorySync }
}

/// A ZIA group (reference §4.2).
struct ZIAGroup: Sendable, Codable, Equatable {
    var id: Int
    var name: String
    var comments: String?
    var idpId: Int?
    var isSystemDefined: Bool
}

/// A ZIA department (reference §4.2). `isSystemDefined` marks `Service Admin`, which the API may
/// not change (the real model has no such field; it is the emulator's own bookkeeping).
struct ZIADepartment: Sendable, Codable, Equatable {
    var id: Int
    var name: String
    var comments: String?
    var idpId: Int?
    var isSystemDefined: Bool
}
