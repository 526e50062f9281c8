import Foundation

/// A ZIA user (reference §3.3): the hosted-database user the legacy and OneAPI `/users` endpoints
/// return and accept.
///
/// Fields Zscaler omits when empty are optional here and are encoded only when set, so a decoded user
/// re-encodes to what came over the wire. `disabled` is optional for the same reason: Zscaler only
/// sends it when true, but a PUT that re-enables a user must send `false` explicitly.
public struct ZIAUser: Codable, Sendable, Hashable {
    /// Assigned by Zscaler (8–9 digits); nil on create.
    public var id: Int?
    /// Display name, required, at most 127 characters.
    public var name: String
    /// Login id; required, unique, immutable after create, domain must belong to the org.
    public var email: String
    /// Replaced wholesale by a PUT; always present in responses (maybe empty).
    public var groups: [ZIAReference]
    /// Exactly one per user; absent in some responses.
    public var department: ZIAReference?
    public var comments: String?
    public var tempAuthEmail: String?
    /// Write-only; hosted-database authentication only.
    public var password: String?
    public var adminUser: Bool?
    /// Only for non-end-users (`SUPERADMIN`, `ADMIN`, `AUDITOR`, ...).
    public var type: String?
    public var deleted: Bool?
    /// Present only when true in responses; send it explicitly on PUT.
    public var disabled: Bool?
    /// AD/LDAP-synced users cannot be changed through the API.
    public var isNonEditable: Bool?
    public var pwdLastModifiedTime: Int64?
    public var pilotUser: Bool?
    public var authMethods: [String]?

    public init(
        id: Int? = nil, name: String, email: String, groups: [ZIAReference] = [], department: ZIAReference? = nil,
        comments: String? = nil, tempAuthEmail: String? = nil, password: String? = nil, adminUser: Bool? = nil,
        type: String? = nil, deleted: Bool? = nil, disabled: Bool? = nil, isNonEditable: Bool? = nil,
        pwdLastModifiedTime: Int64? = nil, pilotUser: Bool? = nil, authMethods: [String]? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.groups = groups
        self.department = department
        self.comments = comments
        self.tempAuthEmail = tempAuthEmail
        self.password = password
        self.adminUser = adminUser
        self.type = type
        self.deleted = deleted
        self.disabled = disabled
        self.isNonEditable = isNonEditable
        self.pwdLastModifiedTime = pwdLastModifiedTime
        self.pilotUser = pilotUser
        self.authMethods = authMethods
    }

    /// `disabled` as Zscaler means it: absent is enabled.
    public var isDisabled: Bool { disabled ?? false }

    enum CodingKeys: String, CodingKey {
        case id, name, email, groups, department, comments, tempAuthEmail, password, adminUser, type, deleted, disabled,
            isNonEditable, pwdLastModifiedTime, pilotUser, authMethods
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        email = try c.decode(String.self, forKey: .email)
        groups = try c.decodeIfPresent([ZIAReference].self, forKey: .groups) ?? []
        department = try c.decodeIfPresent(ZIAReference.self, forKey: .department)
        comments = try c.decodeIfPresent(String.self, forKey: .comments)
        tempAuthEmail = try c.decodeIfPresent(String.self, forKey: .tempAuthEmail)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        adminUser = try c.decodeIfPresent(Bool.self, forKey: .adminUser)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        deleted = try c.decodeIfPresent(Bool.self, forKey: .deleted)
        disabled = try c.decodeIfPresent(Bool.self, forKey: .disabled)
        isNonEditable = try c.decodeIfPresent(Bool.self, forKey: .isNonEditable)
        pwdLastModifiedTime = try c.decodeIfPresent(Int64.self, forKey: .pwdLastModifiedTime)
        pilotUser = try c.decodeIfPresent(Bool.self, forKey: .pilotUser)
        authMethods = try c.decodeIfPresent([String].self, forKey: .authMethods)
    }

    /// The checks Zscaler documents for a user body (§3.3, §3.6), made before a call spends rate budget.
    func validate(forCreate: Bool) throws(ZscalerAPIError) {
        func fail(_ message: String) -> ZscalerAPIError { .invalidArgument("user \(email.debugDescription): \(message)") }
        if forCreate, id != nil { throw fail("a new user must not carry an id") }
        if !forCreate, id == nil { throw fail("an update needs the user's id") }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("name is required") }
        if name.count > 127 { throw fail("name is longer than 127 characters") }
        if email.count > 127 { throw fail("email is longer than 127 characters") }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty { throw fail("email must be local@domain") }
        if groups.count > 127 { throw fail("\(groups.count) groups; ZIA allows at most 127 per user") }
        if forCreate, department == nil { throw fail("department is required") }
        if let comments, comments.utf8.count > 10_240 { throw fail("comments exceed 10,240 bytes") }
        if let tempAuthEmail, tempAuthEmail.count > 254 { throw fail("tempAuthEmail is longer than 254 characters") }
        if let password, password.count > 255 { throw fail("password is longer than 255 characters") }
    }
}

/// A group or department as a user refers to it: `id`, and `name` in responses.
public struct ZIAReference: Codable, Sendable, Hashable {
    public var id: Int
    public var name: String?

    public init(id: Int, name: String? = nil) {
        self.id = id
        self.name = name
    }
}

/// Body and answer of `POST /users/bulkDelete`.
public struct ZIAIDList: Codable, Sendable, Hashable {
    public var ids: [Int]
    public init(ids: [Int]) { self.ids = ids }
}
