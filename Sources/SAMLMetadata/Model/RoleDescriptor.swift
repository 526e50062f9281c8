/// One role an entity plays: an SP SSO descriptor, an IdP SSO descriptor, or another role kept by
/// name only.
///
/// One type for every role rather than one per kind: the two SSO roles share most of their
/// content (keys, NameID formats, logout endpoints), and fields that do not apply to a kind are
/// simply empty, which keeps the reader and the printer to one code path.
public struct RoleDescriptor: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case serviceProvider = "SPSSODescriptor"
        case identityProvider = "IDPSSODescriptor"
        case attributeAuthority = "AttributeAuthorityDescriptor"
        case authnAuthority = "AuthnAuthorityDescriptor"
        case policyDecisionPoint = "PDPDescriptor"
        /// `md:RoleDescriptor` with an `xsi:type` (e.g. Entra's WS-Federation
        /// `fed:SecurityTokenServiceType`); see ``RoleDescriptor/extensionType``.
        case other = "RoleDescriptor"
    }

    public var kind: Kind
    /// The `xsi:type` of a generic `md:RoleDescriptor`, as written.
    public var extensionType: String?
    public var line: Int
    /// `protocolSupportEnumeration`, split on whitespace.
    public var protocolSupport: [String]
    public var keys: [KeyDescriptor]
    public var nameIDFormats: [String]
    public var singleLogoutServices: [Endpoint]
    public var artifactResolutionServices: [Endpoint]

    // SPSSODescriptor
    public var authnRequestsSigned: Bool?
    public var wantAssertionsSigned: Bool?
    public var assertionConsumerServices: [Endpoint]
    public var attributeConsumingServices: [AttributeConsumingService]

    // IDPSSODescriptor
    public var wantAuthnRequestsSigned: Bool?
    public var singleSignOnServices: [Endpoint]
    /// `saml:Attribute` elements an IdP says it can release.
    public var attributes: [MetadataAttribute]

    public init(
        kind: Kind, extensionType: String? = nil, line: Int, protocolSupport: [String] = [], keys: [KeyDescriptor] = [],
        nameIDFormats: [String] = [], singleLogoutServices: [Endpoint] = [], artifactResolutionServices: [Endpoint] = [],
        authnRequestsSigned: Bool? = nil, wantAssertionsSigned: Bool? = nil, assertionConsumerServices: [Endpoint] = [],
        attributeConsumingServices: [AttributeConsumingService] = [], wantAuthnRequestsSigned: Bool? = nil,
        singleSignOnServices: [Endpoint] = [], attributes: [MetadataAttribute] = []
    ) {
        self.kind = kind
        self.extensionType = extensionType
        self.line = line
        self.protocolSupport = protocolSupport
        self.keys = keys
        self.nameIDFormats = nameIDFormats
        self.singleLogoutServices = singleLogoutServices
        self.artifactResolutionServices = artifactResolutionServices
        self.authnRequestsSigned = authnRequestsSigned
        self.wantAssertionsSigned = wantAssertionsSigned
        self.assertionConsumerServices = assertionConsumerServices
        self.attributeConsumingServices = attributeConsumingServices
        self.wantAuthnRequestsSigned = wantAuthnRequestsSigned
        self.singleSignOnServices = singleSignOnServices
        self.attributes = attributes
    }

    /// The ACS an IdP posts to when the request names none: the one marked `isDefault="true"`,
    /// else the first without `isDefault="false"`, else the first (SAML metadata §2.2.3).
    public var defaultAssertionConsumerService: Endpoint? {
        assertionConsumerServices.first { $0.isDefault == true }
            ?? assertionConsumerServices.first { $0.isDefault == nil }
            ?? assertionConsumerServices.first
    }

    /// Certificates usable for signing: `use="signing"` or no `use` (which means both).
    public var signingCertificates: [X509CertificateInfo] {
        keys.filter { $0.use != .encryption }.flatMap(\.certificates)
    }
}

/// `md:AttributeConsumingService`: the attributes an SP asks the IdP for.
public struct AttributeConsumingService: Sendable, Hashable, Codable {
    public var index: Int?
    public var isDefault: Bool?
    public var serviceNames: [String]
    public var requestedAttributes: [MetadataAttribute]
    public var line: Int

    public init(index: Int?, isDefault: Bool?, serviceNames: [String], requestedAttributes: [MetadataAttribute], line: Int) {
        self.index = index
        self.isDefault = isDefault
        self.serviceNames = serviceNames
        self.requestedAttributes = requestedAttributes
        self.line = line
    }
}

/// An `md:RequestedAttribute` (SP side) or a `saml:Attribute` an IdP offers.
public struct MetadataAttribute: Sendable, Hashable, Codable {
    public var name: String
    public var nameFormat: String?
    public var friendlyName: String?
    /// `isRequired` of a requested attribute; nil for an IdP's offered attribute.
    public var isRequired: Bool?
    public var line: Int

    public init(name: String, nameFormat: String? = nil, friendlyName: String? = nil, isRequired: Bool? = nil, line: Int) {
        self.name = name
        self.nameFormat = nameFormat
        self.friendlyName = friendlyName
        self.isRequired = isRequired
        self.line = line
    }
}
