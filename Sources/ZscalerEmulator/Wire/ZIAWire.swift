/// The emulator's own Codable shapes of ZIA bodies (reference §2, §3.3, §4.2, §6). Written from
/// the reference, not shared with `ZscalerAPI`, so a misreading cannot hide in both.
enum ZIAWire {
    /// `POST /authenticatedSession` body. `timestamp` is a string in the docs and a number in
    /// pyzscaler; both are accepted.
    struct AuthCredentials: Decodable {
        var apiKey: String
        var username: String
        var password: String
        var timestamp: String

        private enum CodingKeys: String, CodingKey { case apiKey, username, password, timestamp }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            apiKey = try container.decode(String.self, forKey: .apiKey)
            username = try container.decode(String.self, forKey: .username)
            password = try container.decode(String.self, forKey: .password)
            if let text = try? container.decode(String.self, forKey: .timestamp) {
                timestamp = text
            } else {
                timestamp = String(try container.decode(Int64.self, forKey: .timestamp))
            }
        }
    }

    /// `SessionInfo`; `authType` must be present on success (the docs' odd rule).
    struct SessionInfo: Encodable {
        var authType = "ADMIN_LOGIN"
        var obfuscateApiKey = true
        var passwordExpiryTime: Int64 = 0
        var passwordExpiryDays: Int32 = 0
    }

    /// `GET /authenticatedSession` when no valid session: 200 without `authType` (an empty object:
    /// nothing else about that body is documented).
    struct NoSession: Encodable {}

    struct ActivationStatus: Codable {
        var status: String
    }

    /// `{id, name}` inside a user; name optional on input.
    struct Reference: Codable {
        var id: Int
        var name: String?
    }

    /// A user on input (create / full replace). Every field is optional here; the directory's
    /// rules decide what is required, so a missing field gets ZIA's `… cannot be null` message
    /// rather than a generic decoding error.
    struct UserInput: Decodable {
        var id: Int?
        var name: String?
        var email: String?
        var groups: [Reference]?
        var department: Reference?
        var comments: String?
        var tempAuthEmail: String?
        var password: String?
        var adminUser: Bool?
        var type: String?
        var disabled: Bool?
        var authMethods: [String]?
    }

    /// A user as ZIA returns it (§3.3, checklist 4): `department`, `comments`, `tempAuthEmail`
    /// and `type` omitted when empty; `disabled` only when true; `adminUser`, `deleted`,
    /// `isNonEditable`, `pwdLastModifiedTime`, `pilotUser` and `groups` always.
    struct UserOutput: Encodable {
        var id: Int
        var name: String
        var email: String
        var groups: [Reference]
        var department: Reference?
        var comments: String?
        var tempAuthEmail: String?
        var adminUser: Bool
        var type: String?
        var disabled: Bool
        var authMethods: [String]?

        private enum CodingKeys: String, CodingKey {
            case id, name, email, groups, department, comments, tempAuthEmail, adminUser, type, isNonEditable, deleted, disabled,
                pwdLastModifiedTime, pilotUser, authMethods
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(email, forKey: .email)
            try container.encode(groups, forKey: .groups)
            try container.encodeIfPresent(department, forKey: .department)
            if let comments, !comments.isEmpty { try container.encode(comments, forKey: .comments) }
            if let tempAuthEmail, !tempAuthEmail.isEmpty { try container.encode(tempAuthEmail, forKey: .tempAuthEmail) }
            try container.encode(adminUser, forKey: .adminUser)
            try container.encodeIfPresent(type, forKey: .type)
            try container.encode(false, forKey: .isNonEditable)
            try container.encode(false, forKey: .deleted)
            if disabled { try container.encode(true, forKey: .disabled) }
            try container.encode(0, forKey: .pwdLastModifiedTime)
            try container.encode(false, forKey: .pilotUser)
            try container.encodeIfPresent(authMethods, forKey: .authMethods)
        }
    }

    struct BulkDelete: Codable {
        var ids: [Int]
    }

    /// Group or department on input (OneAPI writes).
    struct NamedInput: Decodable {
        var id: Int?
        var name: String?
        var comments: String?
    }

    /// A group as listed: `comments` when non-empty, `idpId`/`isSystemDefined` when not default.
    struct GroupOutput: Encodable {
        var id: Int
        var name: String
        var comments: String?
        var idpId: Int?
        var isSystemDefined: Bool?

        private enum CodingKeys: String, CodingKey { case id, name, idpId, comments, isSystemDefined }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            if let idpId, idpId != 0 { try container.encode(idpId, forKey: .idpId) }
            if let comments, !comments.isEmpty { try container.encode(comments, forKey: .comments) }
            if isSystemDefined == true { try container.encode(true, forKey: .isSystemDefined) }
        }
    }

    /// A department as listed (`deleted` omitted when false, as recorded).
    struct DepartmentOutput: Encodable {
        var id: Int
        var name: String
        var comments: String?
        var idpId: Int?

        private enum CodingKeys: String, CodingKey { case id, name, idpId, comments }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            if let idpId, idpId != 0 { try container.encode(idpId, forKey: .idpId) }
            if let comments, !comments.isEmpty { try container.encode(comments, forKey: .comments) }
        }
    }
}

extension ZIAWire.UserOutput {
    init(_ user: ZIAUser, in directory: ZIADirectory) {
        self.init(
            id: user.id, name: user.name, email: user.email,
            groups: user.groupIds.compactMap { id in directory.groups[id].map { ZIAWire.Reference(id: $0.id, name: $0.name) } },
            department: user.departmentId.flatMap { id in directory.departments[id].map { ZIAWire.Reference(id: $0.id, name: $0.name) } },
            comments: user.comments, tempAuthEmail: user.tempAuthEmail, adminUser: user.adminUser, type: user.type,
            disabled: user.disabled, authMethods: user.authMethods)
    }
}

extension ZIAWire.GroupOutput {
    init(_ group: ZIAGroup, lite: Bool = false) {
        self.init(
            id: group.id, name: group.name, comments: group.comments, idpId: lite ? nil : group.idpId,
            isSystemDefined: lite ? nil : group.isSystemDefined)
    }
}

extension ZIAWire.DepartmentOutput {
    init(_ department: ZIADepartment, lite: Bool = false) {
        self.init(
            id: department.id, name: department.name, comments: lite ? nil : department.comments, idpId: lite ? nil : department.idpId)
    }
}
