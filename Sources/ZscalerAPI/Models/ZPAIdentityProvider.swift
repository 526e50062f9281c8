/// A ZPA IdP configuration from the IdP controller (reference §8.2). The bridge needs it for the
/// IdP's SCIM endpoint (`scimServiceProviderEndpoint`) and whether SCIM is on; the rest is kept so a
/// listing can be shown and compared. Read-only: the client never writes IdPs.
public struct ZPAIdentityProvider: Codable, Sendable, Hashable {
    public var id: ZPAID
    public var name: String
    public var description: String?
    public var creationTime: FlexibleInt?
    public var modifiedTime: FlexibleInt?
    public var modifiedBy: ZPAID?
    public var enabled: Bool?
    /// The IdP's SSO URL.
    public var loginUrl: String?
    public var idpEntityId: String?
    public var certificates: [Certificate]?
    /// `["USER"]` or `["ADMIN"]`.
    public var ssoType: [String]?
    public var domainList: [String]?
    public var signSamlRequest: FlexibleBool?
    public var autoProvision: FlexibleBool?
    public var redirectBinding: Bool?
    public var forceAuth: Bool?
    public var loginHint: Bool?
    public var loginNameAttribute: String?
    public var useCustomSPMetadata: Bool?
    public var scimEnabled: Bool?
    public var enableScimBasedPolicy: Bool?
    public var disableSamlBasedPolicy: Bool?
    public var reauthOnUserUpdate: Bool?
    public var enableArbitraryAuthDomains: FlexibleBool?
    /// `https://scim1.<cloud>/scim/1/<idpId>/v2`.
    public var scimServiceProviderEndpoint: String?
    public var scimSharedSecretExists: Bool?
    public var userSpSigningCertId: ZPAID?
    public var adminSpSigningCertId: ZPAID?
    public var oneIdentityEnabled: Bool?
    public var userMetadata: ServiceProviderMetadata?
    public var adminMetadata: ServiceProviderMetadata?

    public init(id: ZPAID, name: String) {
        self.id = id
        self.name = name
    }

    public struct Certificate: Codable, Sendable, Hashable {
        public var cName: String?
        public var serialNo: String?
        /// PEM.
        public var certificate: String?
        public var validFromInSec: FlexibleInt?
        public var validToInSec: FlexibleInt?
    }

    /// Where ZPA's own SAML SP lives for this IdP.
    public struct ServiceProviderMetadata: Codable, Sendable, Hashable {
        public var spEntityId: String?
        public var spPostUrl: String?
        public var spMetadataUrl: String?
        public var certificateUrl: String?
        public var spBaseUrl: String?
    }

    /// True for IdPs that sign in end users (SCIM exists only for those, §9.2).
    public var isUserIdP: Bool { ssoType?.contains("USER") ?? false }
}
