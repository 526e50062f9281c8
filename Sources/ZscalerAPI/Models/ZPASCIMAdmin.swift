/// A SCIM group as ZPA's admin API lists it (userconfig `scimgroup`, reference §8.3). Read-only:
/// groups are created through the IdP's SCIM server. userconfig sends ids and times as numbers.
public struct ZPASCIMGroupRecord: Codable, Sendable, Hashable {
    public var id: ZPAID
    public var name: String
    public var idpId: ZPAID?
    public var idpGroupId: String?
    /// UUID for newer groups: the id the SCIM server uses.
    public var internalId: String?
    public var creationTime: FlexibleInt?
    public var modifiedTime: FlexibleInt?

    public init(id: ZPAID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A SCIM attribute header of one IdP (mgmtconfig `scimattribute`, reference §8.3). Unlike RFC 7643,
/// `uniqueness` is a boolean here (as in the official Go SDK's `ScimAttributeHeader`).
public struct ZPASCIMAttribute: Codable, Sendable, Hashable {
    public var id: ZPAID
    public var name: String
    public var description: String?
    public var idpId: ZPAID?
    public var dataType: String?
    public var schemaURI: String?
    public var multivalued: Bool?
    public var required: Bool?
    public var caseSensitive: Bool?
    public var mutability: String?
    public var returned: String?
    public var uniqueness: Bool?
    public var canonicalValues: [String]?
    public var creationTime: FlexibleInt?
    public var modifiedTime: FlexibleInt?
    public var modifiedBy: ZPAID?

    public init(id: ZPAID, name: String) {
        self.id = id
        self.name = name
    }
}
