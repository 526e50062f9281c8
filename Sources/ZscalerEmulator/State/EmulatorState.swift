import Foundation

/// Everything the emulator remembers about its one tenant: the organisation, the credentials
/// clients must present, the ZIA directory (working and activated) and the ZPA customer. This is
/// what the state file holds; sessions and tokens are not kept (a restart logs everyone out, as a
/// real server restart may).
struct EmulatorState: Sendable, Codable, Equatable {
    static let formatVersion = 1

    var formatVersion = EmulatorState.formatVersion
    var organization: SeedFixture.Organization
    var ziaAPIKey: String
    var ziaAdmins: [SeedFixture.Admin]
    var oneAPI: SeedFixture.OneAPI
    var zpaClientId: String
    var zpaClientSecret: String
    var zia: ZIAState
    var zpa: ZPAState

    init(seed: SeedFixture, now: Date = Date()) {
        organization = seed.organization
        ziaAPIKey = seed.zia.apiKey
        ziaAdmins = seed.zia.admins
        oneAPI = seed.oneAPI
        zpaClientId = seed.zpa.clientId
        zpaClientSecret = seed.zpa.clientSecret

        var directory = ZIADirectory()
        for department in seed.zia.departments {
            directory.upsert(
                ZIADepartment(
                    id: department.id, name: department.name, comments: department.comments, idpId: department.idpId,
                    isSystemDefined: department.isSystemDefined ?? false))
        }
        for group in seed.zia.groups {
            directory.upsert(
                ZIAGroup(
                    id: group.id, name: group.name, comments: group.comments, idpId: group.idpId,
                    isSystemDefined: group.isSystemDefined ?? false))
        }
        for user in seed.zia.users {
            directory.upsert(
                ZIAUser(
                    id: user.id, name: user.name, email: user.email, groupIds: user.groups, departmentId: user.department,
                    comments: user.comments, tempAuthEmail: user.tempAuthEmail, adminUser: user.adminUser ?? false, type: user.type,
                    disabled: user.disabled ?? false, source: user.source ?? .hostedDB, authMethods: nil))
        }
        zia = ZIAState(directory: directory)

        let epoch = Int(now.timeIntervalSince1970)
        var directories: [String: ZPASCIMDirectory] = [:]
        var idps: [ZPAIdP] = []
        for idp in seed.zpa.idps {
            idps.append(
                ZPAIdP(
                    id: idp.id, name: idp.name, description: idp.description, loginUrl: idp.loginUrl, idpEntityId: idp.idpEntityId,
                    ssoType: idp.ssoType, domainList: idp.domainList, scimEnabled: idp.scimEnabled, scimToken: idp.scimToken,
                    creationTime: epoch, modifiedTime: epoch))
            var scim = ZPASCIMDirectory()
            for document in idp.scimUsers ?? [] {
                guard case .object(let members) = document, let id = members["id"]?.stringValue,
                    let attributes = try? ZPASCIMDirectory.UserSchema.sanitize(members)
                else { continue }
                scim.users[id] = ZPASCIMUser(id: id, attributes: attributes, created: now, lastModified: now)
            }
            for group in idp.scimGroups ?? [] {
                scim.groups[group.id] = ZPASCIMGroup(
                    id: group.id, adminId: group.adminId, displayName: group.displayName, externalId: group.externalId,
                    members: group.members.filter { scim.users[$0] != nil }, created: now, lastModified: now)
            }
            directories[idp.id] = scim
        }
        zpa = ZPAState(customerId: seed.zpa.customerId, idps: idps, directories: directories)
    }
}
