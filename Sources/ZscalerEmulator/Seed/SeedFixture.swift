import Foundation

/// The fixture an emulator starts from: one organisation with its ZIA directory, API credentials,
/// OneAPI clients and ZPA customer. Loaded from JSON (`conformance/zscaler/seed/default.json`) or
/// generated (``SeedFixture/generated(userCount:groupCount:departmentCount:)``) for load tests.
///
/// Secrets appear here in clear because this file *is* the fake tenant: the emulator checks what
/// clients send against them. They are never logged.
public struct SeedFixture: Sendable, Codable, Equatable {
    public var organization: Organization
    public var zia: ZIA
    public var oneAPI: OneAPI
    public var zpa: ZPA

    public init(organization: Organization, zia: ZIA, oneAPI: OneAPI, zpa: ZPA) {
        self.organization = organization
        self.zia = zia
        self.oneAPI = oneAPI
        self.zpa = zpa
    }

    public struct Organization: Sendable, Codable, Equatable {
        /// ZIA org id (Company ID), 7–8 digits in the docs.
        public var id: Int
        public var name: String
        /// ZIA cloud, e.g. `zscalerbeta.net` (only echoed in the banner and state view).
        public var cloud: String
        /// Email domains the org owns; a user's email must be in one of them.
        public var domains: [String]

        public init(id: Int, name: String, cloud: String, domains: [String]) {
            self.id = id
            self.name = name
            self.cloud = cloud
            self.domains = domains
        }
    }

    public struct ZIA: Sendable, Codable, Equatable {
        /// The raw API key (≥ 12 characters; only the first 12 matter to the obfuscation).
        public var apiKey: String
        /// Admins who may log in through `/authenticatedSession`.
        public var admins: [Admin]
        public var departments: [Department]
        public var groups: [Group]
        public var users: [User]

        public init(apiKey: String, admins: [Admin], departments: [Department], groups: [Group], users: [User]) {
            self.apiKey = apiKey
            self.admins = admins
            self.departments = departments
            self.groups = groups
            self.users = users
        }
    }

    public struct Admin: Sendable, Codable, Equatable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// A department or a group: ZIA models both as id, name, comments, an optional IdP and a
    /// system-defined flag (`Service Admin` and the like cannot be changed or deleted).
    public struct NamedUnit: Sendable, Codable, Equatable {
        public var id: Int
        public var name: String
        public var comments: String?
        public var idpId: Int?
        public var isSystemDefined: Bool?

        public init(id: Int, name: String, comments: String? = nil, idpId: Int? = nil, isSystemDefined: Bool? = nil) {
            self.id = id
            self.name = name
            self.comments = comments
            self.idpId = idpId
            self.isSystemDefined = isSystemDefined
        }
    }

    public typealias Department = NamedUnit
    public typealias Group = NamedUnit

    public struct User: Sendable, Codable, Equatable {
        public var id: Int
        public var name: String
        public var email: String
        public var groups: [Int]
        public var department: Int?
        public var comments: String?
        public var tempAuthEmail: String?
        public var adminUser: Bool?
        /// `SUPERADMIN`, `ADMIN`, `AUDITOR`, … for non-end-users.
        public var type: String?
        public var disabled: Bool?
        /// `hostedDB` (writable through the API) or `directorySync` (AD/LDAP/SCIM: read-only).
        public var source: ZIAUserSource?

        public init(
            id: Int, name: String, email: String, groups: [Int], department: Int? = nil, comments: String? = nil,
            tempAuthEmail: String? = nil, adminUser: Bool? = nil, type: String? = nil, disabled: Bool? = nil, source: ZIAUserSource? = nil
        ) {
            self.id = id
            self.name = name
            self.email = email
            self.groups = groups
            self.department = department
            self.comments = comments
            self.tempAuthEmail = tempAuthEmail
            self.adminUser = adminUser
            self.type = type
            self.disabled = disabled
            self.source = source
        }
    }

    public struct OneAPI: Sendable, Codable, Equatable {
        /// The ZIdentity vanity domain (`<vanity>.zslogin.net`), for the banner.
        public var vanityDomain: String
        public var clients: [Client]

        public init(vanityDomain: String, clients: [Client]) {
            self.vanityDomain = vanityDomain
            self.clients = clients
        }
    }

    public struct Client: Sendable, Codable, Equatable {
        public var clientId: String
        public var clientSecret: String
        /// Token lifetime set on the API client in ZIdentity: 60 s to 24 h, 3,600 s typical.
        public var tokenLifetimeSeconds: Int

        public init(clientId: String, clientSecret: String, tokenLifetimeSeconds: Int) {
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.tokenLifetimeSeconds = tokenLifetimeSeconds
        }
    }

    public struct ZPA: Sendable, Codable, Equatable {
        /// 18-digit ZPA tenant id.
        public var customerId: String
        public var clientId: String
        public var clientSecret: String
        public var idps: [IdP]

        public init(customerId: String, clientId: String, clientSecret: String, idps: [IdP]) {
            self.customerId = customerId
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.idps = idps
        }
    }

    public struct IdP: Sendable, Codable, Equatable {
        /// 18-digit id, a string as everywhere in mgmtconfig.
        public var id: String
        public var name: String
        public var description: String?
        public var loginUrl: String
        public var idpEntityId: String
        /// `["USER"]` or `["ADMIN"]`.
        public var ssoType: [String]
        public var domainList: [String]
        public var scimEnabled: Bool
        /// The static SCIM bearer token ("Generate New Token"); required when `scimEnabled`.
        public var scimToken: String?
        /// SCIM users as an IdP would have pushed them (RFC 7643 User documents with an `id`).
        public var scimUsers: [EmulatorJSON]?
        public var scimGroups: [SCIMGroup]?

        public init(
            id: String, name: String, description: String? = nil, loginUrl: String, idpEntityId: String, ssoType: [String],
            domainList: [String], scimEnabled: Bool, scimToken: String? = nil, scimUsers: [EmulatorJSON]? = nil,
            scimGroups: [SCIMGroup]? = nil
        ) {
            self.id = id
            self.name = name
            self.description = description
            self.loginUrl = loginUrl
            self.idpEntityId = idpEntityId
            self.ssoType = ssoType
            self.domainList = domainList
            self.scimEnabled = scimEnabled
            self.scimToken = scimToken
            self.scimUsers = scimUsers
            self.scimGroups = scimGroups
        }
    }

    public struct SCIMGroup: Sendable, Codable, Equatable {
        /// The SCIM id (UUID for newer groups, numeric string for older ones).
        public var id: String
        /// The numeric id the userconfig admin API shows for the same group.
        public var adminId: Int
        public var displayName: String
        public var externalId: String?
        /// SCIM ids of member users.
        public var members: [String]

        public init(id: String, adminId: Int, displayName: String, externalId: String? = nil, members: [String]) {
            self.id = id
            self.adminId = adminId
            self.displayName = displayName
            self.externalId = externalId
            self.members = members
        }
    }
}

extension SeedFixture {
    /// Reads and checks a fixture file.
    public static func load(from path: String) throws(EmulatorConfigurationError) -> SeedFixture {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .init("cannot read seed file \(path): \(error.localizedDescription)")
        }
        return try decode(data, source: path)
    }

    /// Decodes and checks fixture JSON; `source` names it in errors.
    public static func decode(_ data: Data, source: String = "seed") throws(EmulatorConfigurationError) -> SeedFixture {
        let fixture: SeedFixture
        do { fixture = try JSONDecoder().decode(SeedFixture.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw .init("\(source): missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))")
        } catch let DecodingError.typeMismatch(type, context) {
            throw .init("\(source): \(context.codingPath.map(\.stringValue).joined(separator: ".")) should be \(type)")
        } catch {
            throw .init("\(source): not a valid seed fixture (\(error))")
        }
        try fixture.validate()
        return fixture
    }

    /// Referential checks, so a broken fixture fails at start and not on the first request.
    public func validate() throws(EmulatorConfigurationError) {
        guard zia.apiKey.count >= 12 else { throw .init("zia.apiKey must have at least 12 characters") }
        guard !organization.domains.isEmpty else { throw .init("organization.domains must not be empty") }
        guard !zia.admins.isEmpty else { throw .init("zia.admins must name at least one admin") }
        let groupIds = Set(zia.groups.map(\.id))
        let departmentIds = Set(zia.departments.map(\.id))
        guard groupIds.count == zia.groups.count else { throw .init("zia.groups: duplicate id") }
        guard departmentIds.count == zia.departments.count else { throw .init("zia.departments: duplicate id") }
        var userIds = Set<Int>()
        var emails = Set<String>()
        for user in zia.users {
            guard userIds.insert(user.id).inserted else { throw .init("zia.users: duplicate id \(user.id)") }
            guard emails.insert(user.email.lowercased()).inserted else { throw .init("zia.users: duplicate email \(user.email)") }
            for group in user.groups where !groupIds.contains(group) {
                throw .init("zia.users[\(user.id)]: unknown group \(group)")
            }
            if let department = user.department, !departmentIds.contains(department) {
                throw .init("zia.users[\(user.id)]: unknown department \(department)")
            }
        }
        for client in oneAPI.clients where !(60...86_400).contains(client.tokenLifetimeSeconds) {
            throw .init("oneAPI client \(client.clientId): tokenLifetimeSeconds must be 60...86400 (ZIdentity's range)")
        }
        for idp in zpa.idps where idp.scimEnabled && (idp.scimToken ?? "").isEmpty {
            throw .init("zpa idp \(idp.id): scimEnabled needs a scimToken")
        }
        guard Set(zpa.idps.map(\.id)).count == zpa.idps.count else { throw .init("zpa.idps: duplicate id") }
    }
}
