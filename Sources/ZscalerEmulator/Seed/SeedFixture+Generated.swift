/// Fixtures built in code: a large org for load tests (25,000 users is the figure) and a
/// tiny one for unit tests, so neither needs a committed multi-megabyte file. Deterministic: the
/// same arguments give the same fixture.
extension SeedFixture {
    /// An org with `userCount` hosted-DB users spread over `groupCount` groups and
    /// `departmentCount` departments, plus the `Service Admin` group/department, one super admin
    /// and two directory-synced users. Credentials are those of ``SeedFixture/testCredentials``.
    public static func generated(userCount: Int, groupCount: Int = 40, departmentCount: Int = 12, scimUserCount: Int = 0) -> SeedFixture {
        let credentials = testCredentials
        var departments = [Department(id: 25_000_000, name: "Service Admin", isSystemDefined: true)]
        for index in 0..<max(1, departmentCount) {
            departments.append(Department(id: 25_000_001 + index, name: "Department \(index + 1)"))
        }
        var groups = [Group(id: 24_000_000, name: "Service Admin", isSystemDefined: true)]
        for index in 0..<max(1, groupCount) {
            groups.append(
                Group(id: 24_000_001 + index, name: "Group \(index + 1)", comments: index % 5 == 0 ? "Generated group \(index + 1)" : nil))
        }
        var users = [
            User(
                id: 20_000_000, name: "API Admin", email: credentials.adminUsername, groups: [24_000_000], department: 25_000_000,
                adminUser: true, type: "SUPERADMIN"),
            User(
                id: 20_000_001, name: "Synced One", email: "synced.one@corp.example.com", groups: [24_000_001], department: 25_000_001,
                source: .directorySync),
            User(
                id: 20_000_002, name: "Synced Two", email: "synced.two@corp.example.com", groups: [24_000_002], department: 25_000_002,
                source: .directorySync),
        ]
        users.reserveCapacity(userCount + 3)
        for index in 0..<max(0, userCount) {
            let groupIds = [24_000_001 + index % groupCount, 24_000_001 + (index / groupCount + index) % groupCount]
            users.append(
                User(
                    id: 40_000_000 + index, name: "User \(index + 1)", email: "user\(index + 1)@example.com",
                    groups: Array(Set(groupIds)).sorted(), department: 25_000_001 + index % max(1, departmentCount)))
        }
        var scimUsers: [EmulatorJSON] = []
        for index in 0..<max(0, scimUserCount) {
            scimUsers.append(
                .object([
                    "id": .string("00000000-0000-4000-8000-\(String(index, radix: 16).leftPadded(to: 12))"),
                    "userName": .string("user\(index + 1)@example.com"), "displayName": .string("User \(index + 1)"), "active": .bool(true),
                ]))
        }
        return SeedFixture(
            organization: Organization(
                id: 24_326_813, name: "Generated Corp", cloud: "zscalerbeta.net", domains: ["example.com", "corp.example.com"]),
            zia: ZIA(
                apiKey: credentials.apiKey, admins: [Admin(username: credentials.adminUsername, password: credentials.adminPassword)],
                departments: departments, groups: groups, users: users),
            oneAPI: OneAPI(
                vanityDomain: "generated",
                clients: [
                    Client(clientId: credentials.oneAPIClientId, clientSecret: credentials.oneAPIClientSecret, tokenLifetimeSeconds: 3600)
                ]),
            zpa: ZPA(
                customerId: credentials.zpaCustomerId, clientId: credentials.zpaClientId, clientSecret: credentials.zpaClientSecret,
                idps: [
                    IdP(
                        id: credentials.zpaIdpId, name: "Generated IdP", loginUrl: "https://idp.example.com/sso/saml",
                        idpEntityId: "https://idp.example.com/", ssoType: ["USER"], domainList: ["example.com"], scimEnabled: true,
                        scimToken: credentials.zpaSCIMToken, scimUsers: scimUsers, scimGroups: [])
                ]))
    }

    /// The secrets of generated fixtures, for clients under test.
    public struct TestCredentials: Sendable {
        public let apiKey = "Gn7eRaTedK3y9q"
        public let adminUsername = "api-admin@example.com"
        public let adminPassword = "Generated-Passw0rd!"
        public let oneAPIClientId = "generated-client"
        public let oneAPIClientSecret = "generated-client-secret"
        public let zpaCustomerId = "216196257331281921"
        public let zpaClientId = "generated-zpa-client"
        public let zpaClientSecret = "generated-zpa-secret"
        public let zpaIdpId = "216196257331285900"
        public let zpaSCIMToken = "generated-zpa-scim-token"
    }

    public static let testCredentials = TestCredentials()
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
