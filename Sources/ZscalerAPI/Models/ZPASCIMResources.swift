import Foundation

/// A user on a ZPA IdP's SCIM server (reference §9.2): the attributes ZPA documents, nothing else
/// (ZPA takes no custom attributes). `active = false` *deletes* the user in ZPA.
public struct ZPASCIMUser: Codable, Sendable, Hashable {
    public static let coreSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    public var schemas: [String]
    /// UUID for newer users, a numeric string for older ones; nil on create.
    public var id: String?
    /// Required, unique, must equal the SAML NameID.
    public var userName: String
    public var externalId: String?
    public var displayName: String?
    public var name: Name?
    public var nickName: String?
    public var emails: [Email]?
    public var title: String?
    public var userType: String?
    public var active: Bool?
    public var enterprise: Enterprise?
    public var meta: Meta?

    public init(
        id: String? = nil, userName: String, externalId: String? = nil, displayName: String? = nil, name: Name? = nil,
        nickName: String? = nil, emails: [Email]? = nil, title: String? = nil, userType: String? = nil,
        active: Bool? = nil, enterprise: Enterprise? = nil
    ) {
        self.schemas = enterprise == nil ? [Self.coreSchema] : [Self.coreSchema, Self.enterpriseSchema]
        self.id = id
        self.userName = userName
        self.externalId = externalId
        self.displayName = displayName
        self.name = name
        self.nickName = nickName
        self.emails = emails
        self.title = title
        self.userType = userType
        self.active = active
        self.enterprise = enterprise
    }

    public struct Name: Codable, Sendable, Hashable {
        public var formatted: String?
        public var givenName: String?
        public var familyName: String?
        public init(formatted: String? = nil, givenName: String? = nil, familyName: String? = nil) {
            self.formatted = formatted
            self.givenName = givenName
            self.familyName = familyName
        }
    }

    public struct Email: Codable, Sendable, Hashable {
        public var value: String
        public var type: String?
        public var primary: Bool?
        public init(value: String, type: String? = nil, primary: Bool? = nil) {
            self.value = value
            self.type = type
            self.primary = primary
        }
    }

    /// The enterprise-extension attributes ZPA reads.
    public struct Enterprise: Codable, Sendable, Hashable {
        public var department: String?
        public var costCenter: String?
        public var division: String?
        public var organization: String?
        public init(department: String? = nil, costCenter: String? = nil, division: String? = nil, organization: String? = nil) {
            self.department = department
            self.costCenter = costCenter
            self.division = division
            self.organization = organization
        }
    }

    enum CodingKeys: String, CodingKey {
        case schemas, id, userName, externalId, displayName, name, nickName, emails, title, userType, active, meta
        case enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemas = try c.decodeIfPresent([String].self, forKey: .schemas) ?? [Self.coreSchema]
        id = try c.decodeIfPresent(String.self, forKey: .id)
        userName = try c.decode(String.self, forKey: .userName)
        externalId = try c.decodeIfPresent(String.self, forKey: .externalId)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        name = try c.decodeIfPresent(Name.self, forKey: .name)
        nickName = try c.decodeIfPresent(String.self, forKey: .nickName)
        emails = try c.decodeIfPresent([Email].self, forKey: .emails)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        userType = try c.decodeIfPresent(String.self, forKey: .userType)
        // ZPA's own examples send "active": "true" as a string (§9.2); accept it.
        active = try c.decodeIfPresent(FlexibleBool.self, forKey: .active)?.value
        enterprise = try c.decodeIfPresent(Enterprise.self, forKey: .enterprise)
        meta = try c.decodeIfPresent(Meta.self, forKey: .meta)
    }
}

/// A group on a ZPA IdP's SCIM server. Lists omit `members`; GET by id carries them.
public struct ZPASCIMGroup: Codable, Sendable, Hashable {
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Group"

    public var schemas: [String]
    public var id: String?
    public var displayName: String
    public var externalId: String?
    public var members: [Member]?
    public var meta: Meta?

    public init(id: String? = nil, displayName: String, externalId: String? = nil, members: [Member]? = nil) {
        self.schemas = [Self.schema]
        self.id = id
        self.displayName = displayName
        self.externalId = externalId
        self.members = members
    }

    public struct Member: Codable, Sendable, Hashable {
        public var value: String
        public var display: String?
        public var ref: String?

        public init(value: String, display: String? = nil) {
            self.value = value
            self.display = display
        }

        enum CodingKeys: String, CodingKey {
            case value, display
            case ref = "$ref"
        }
    }
}

/// SCIM `meta` as ZPA returns it.
public struct Meta: Codable, Sendable, Hashable {
    public var resourceType: String?
    public var created: String?
    public var lastModified: String?
    public var location: String?
    public var version: String?
}

/// RFC 7644 ListResponse, as ZPA's SCIM server pages (`startIndex`, `count` ≤ 100).
public struct ZPASCIMListResponse<Resource: Codable & Sendable>: Codable, Sendable {
    public var schemas: [String]?
    public var totalResults: Int
    public var startIndex: Int?
    public var itemsPerPage: Int?
    public var resources: [Resource]

    enum CodingKeys: String, CodingKey {
        case schemas, totalResults, startIndex, itemsPerPage
        case resources = "Resources"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemas = try c.decodeIfPresent([String].self, forKey: .schemas)
        totalResults = try c.decode(Int.self, forKey: .totalResults)
        startIndex = try c.decodeIfPresent(Int.self, forKey: .startIndex)
        itemsPerPage = try c.decodeIfPresent(Int.self, forKey: .itemsPerPage)
        // RFC 7644 lets an empty page leave Resources out.
        resources = try c.decodeIfPresent([Resource].self, forKey: .resources) ?? []
    }
}

/// An RFC 7644 PATCH body as ZPA takes it (membership changes go only through group PATCH).
public struct ZPASCIMPatch: Codable, Sendable, Hashable {
    public static let schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    public var schemas: [String]
    public var operations: [Operation]

    public init(_ operations: [Operation]) {
        self.schemas = [Self.schema]
        self.operations = operations
    }

    enum CodingKeys: String, CodingKey {
        case schemas
        case operations = "Operations"
    }

    public struct Operation: Codable, Sendable, Hashable {
        public var op: String
        public var path: String?
        public var value: WireJSON?

        public init(op: String, path: String? = nil, value: WireJSON? = nil) {
            self.op = op
            self.path = path
            self.value = value
        }

        /// `add` of members by id.
        public static func addMembers(_ ids: [String]) -> Operation {
            Operation(op: "add", path: "members", value: .array(ids.map { .object(["value": .string($0)]) }))
        }

        /// `remove` of one member, in the filtered-path form every SCIM server accepts.
        public static func removeMember(_ id: String) -> Operation {
            let escaped = id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return Operation(op: "remove", path: "members[value eq \"\(escaped)\"]")
        }
    }
}
