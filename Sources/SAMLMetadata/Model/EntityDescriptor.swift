import Foundation

/// An `md:EntityDescriptor`: one SAML system (an SP such as ZIA or ZPA, or an IdP such as Entra ID
/// or Okta) and the roles it plays.
public struct EntityDescriptor: Sendable, Hashable, Codable {
    public var entityID: String
    public var id: String?
    public var validUntil: Date?
    /// `cacheDuration` as written (an `xs:duration`, e.g. `PT1H`); shown, not interpreted.
    public var cacheDuration: String?
    /// True when the entity carries an enveloped `ds:Signature`. The signature is **not verified**
    /// here; trust in the file comes from where the admin downloaded it.
    public var hasSignature: Bool
    public var line: Int
    public var roles: [RoleDescriptor]
    public var organization: Organization?
    public var contacts: [ContactPerson]

    public init(
        entityID: String, id: String? = nil, validUntil: Date? = nil, cacheDuration: String? = nil, hasSignature: Bool = false, line: Int,
        roles: [RoleDescriptor] = [], organization: Organization? = nil, contacts: [ContactPerson] = []
    ) {
        self.entityID = entityID
        self.id = id
        self.validUntil = validUntil
        self.cacheDuration = cacheDuration
        self.hasSignature = hasSignature
        self.line = line
        self.roles = roles
        self.organization = organization
        self.contacts = contacts
    }

    /// The first `SPSSODescriptor` (an SP has one in practice).
    public var serviceProvider: RoleDescriptor? { roles.first { $0.kind == .serviceProvider } }
    /// The first `IDPSSODescriptor`.
    public var identityProvider: RoleDescriptor? { roles.first { $0.kind == .identityProvider } }

    /// Every endpoint of every role, in document order, with the element it came from — what the
    /// Zscaler inference looks through.
    public var allEndpoints: [(element: String, endpoint: Endpoint)] {
        roles.flatMap { role in
            role.singleSignOnServices.map { ("SingleSignOnService", $0) }
                + role.assertionConsumerServices.map { ("AssertionConsumerService", $0) }
                + role.singleLogoutServices.map { ("SingleLogoutService", $0) }
                + role.artifactResolutionServices.map { ("ArtifactResolutionService", $0) }
        }
    }
}

/// `md:Organization`: who runs the entity. Only the first value of each localised element is
/// kept (preferring `xml:lang="en"`), which is all a setup screen shows.
public struct Organization: Sendable, Hashable, Codable {
    public var name: String?
    public var displayName: String?
    public var url: String?

    public init(name: String?, displayName: String?, url: String?) {
        self.name = name
        self.displayName = displayName
        self.url = url
    }
}

/// `md:ContactPerson`.
public struct ContactPerson: Sendable, Hashable, Codable {
    /// `contactType`: technical, support, administrative, billing or other.
    public var type: String?
    public var company: String?
    public var givenName: String?
    public var surName: String?
    public var emailAddresses: [String]
    public var telephoneNumbers: [String]

    public init(
        type: String?, company: String? = nil, givenName: String? = nil, surName: String? = nil, emailAddresses: [String] = [],
        telephoneNumbers: [String] = []
    ) {
        self.type = type
        self.company = company
        self.givenName = givenName
        self.surName = surName
        self.emailAddresses = emailAddresses
        self.telephoneNumbers = telephoneNumbers
    }
}
