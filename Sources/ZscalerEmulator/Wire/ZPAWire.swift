/// The emulator's own shapes of ZPA admin API bodies (reference §8). mgmtconfig uses strings for
/// ids, times and counts; userconfig's SCIM group API uses numbers (as recorded).
enum ZPAWire {
    static func mgmtPage(_ items: [EmulatorJSON], total: Int, pageSize: Int) -> EmulatorJSON {
        .object([
            "totalPages": .string(String(pages(total, pageSize))), "totalCount": .string(String(total)), "list": .array(items),
        ])
    }

    static func userconfigPage(_ items: [EmulatorJSON], total: Int, pageSize: Int) -> EmulatorJSON {
        .object([
            "totalPages": .integer(Int64(pages(total, pageSize))), "totalCount": .integer(Int64(total)), "list": .array(items),
        ])
    }

    private static func pages(_ total: Int, _ size: Int) -> Int { total == 0 ? 0 : (total + size - 1) / size }

    /// An IdP as the idp-controller returns it (§8.2), with the SP URLs derived from `base` the
    /// way the recordings show them.
    static func idp(_ idp: ZPAIdP, base: String) -> EmulatorJSON {
        let flag: (Bool) -> EmulatorJSON = { .string($0 ? "1" : "0") }
        return .object([
            "id": .string(idp.id), "name": .string(idp.name), "description": idp.description.map(EmulatorJSON.string) ?? .null,
            "creationTime": .string(String(idp.creationTime)), "modifiedTime": .string(String(idp.modifiedTime)),
            "modifiedBy": .string("72057594037928115"), "enabled": .bool(true), "loginUrl": .string(idp.loginUrl),
            "idpEntityId": .string(idp.idpEntityId), "certificates": .array([]), "ssoType": .array(idp.ssoType.map(EmulatorJSON.string)),
            "domainList": .array(idp.domainList.map(EmulatorJSON.string)), "signSamlRequest": flag(false), "autoProvision": flag(false),
            "redirectBinding": .bool(false), "forceAuth": .bool(false), "loginHint": .bool(false), "loginNameAttribute": .string("NameID"),
            "useCustomSPMetadata": .bool(false), "scimEnabled": .bool(idp.scimEnabled), "enableScimBasedPolicy": .bool(false),
            "disableSamlBasedPolicy": .bool(false), "reauthOnUserUpdate": .bool(false), "enableArbitraryAuthDomains": flag(false),
            "scimServiceProviderEndpoint": .string("\(base)/scim/1/\(idp.id)/v2"), "scimSharedSecretExists": .bool(idp.scimToken != nil),
            "oneIdentityEnabled": .bool(false),
            "userMetadata": .object([
                "spEntityId": .string("\(base)/auth/metadata/\(idp.id)"), "spPostUrl": .string("\(base)/auth/\(idp.id)/sso"),
                "spMetadataUrl": .string("\(base)/auth/\(idp.id)/metadata"), "certificateUrl": .string("\(base)/auth/certificate"),
                "spBaseUrl": .string(base),
            ]),
        ])
    }

    static func scimGroup(_ group: ZPASCIMGroup, idpId: String) -> EmulatorJSON {
        .object([
            "id": .integer(Int64(group.adminId)), "name": .string(group.displayName),
            "idpId": Int64(idpId).map(EmulatorJSON.integer) ?? .string(idpId),
            "idpGroupId": group.externalId.map(EmulatorJSON.string) ?? .null,
            "internalId": .string(group.id), "creationTime": .integer(Int64(group.created.timeIntervalSince1970.rounded(.down))),
            "modifiedTime": .integer(Int64(group.lastModified.timeIntervalSince1970.rounded(.down))),
        ])
    }

    static func scimAttribute(_ definition: ZPASCIMAttributeDefinition, id: String, idp: ZPAIdP) -> EmulatorJSON {
        .object([
            "id": .string(id), "name": .string(definition.name), "idpId": .string(idp.id), "dataType": .string(definition.dataType),
            "schemaURI": .string(definition.schemaURI), "multivalued": .bool(definition.multivalued),
            "required": .bool(definition.required),
            "caseSensitive": .bool(definition.caseSensitive), "mutability": .string(definition.mutability), "returned": .string("default"),
            "uniqueness": .string(definition.uniqueness), "creationTime": .string(String(idp.creationTime)),
            "modifiedBy": .string("72057594037928115"),
        ])
    }
}
