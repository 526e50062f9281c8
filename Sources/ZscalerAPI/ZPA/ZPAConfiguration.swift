/// Everything a ``ZPAClient`` needs.
public struct ZPAConfiguration: Sendable {
    /// `https://config.<cloud>`.
    public var baseURL: BaseURL
    /// The ZPA tenant id (18 digits), part of every path (§8.1).
    public var customerID: String
    public var credentials: ZPACredentials
    public var options: ClientOptions
    /// A token is replaced this long before it expires (at most half its lifetime). Server time.
    public var tokenRefreshBeforeExpiry: Duration

    public init(
        baseURL: BaseURL, customerID: String, credentials: ZPACredentials, options: ClientOptions = ClientOptions(rateLimits: .zpa),
        tokenRefreshBeforeExpiry: Duration = .seconds(60)
    ) {
        self.baseURL = baseURL
        self.customerID = customerID
        self.credentials = credentials
        self.options = options
        self.tokenRefreshBeforeExpiry = tokenRefreshBeforeExpiry
    }

    public static func cloud(
        _ cloud: ZPACloud, customerID: String, credentials: ZPACredentials, options: ClientOptions = ClientOptions(rateLimits: .zpa)
    )
        -> ZPAConfiguration
    {
        ZPAConfiguration(baseURL: cloud.apiBaseURL, customerID: customerID, credentials: credentials, options: options)
    }
}

/// Everything a ``ZPASCIMClient`` needs: one IdP's SCIM server and its shared secret.
public struct ZPASCIMConfiguration: Sendable {
    /// `https://scim1.<cloud>/scim/1/<idpId>/v2` (the IdP's `scimServiceProviderEndpoint`).
    public var baseURL: BaseURL
    /// The SCIM bearer token generated in the ZPA portal (shown once; cannot be renewed by API).
    public var token: Secret
    public var options: ClientOptions

    public init(baseURL: BaseURL, token: Secret, options: ClientOptions = ClientOptions(rateLimits: .zpaSCIM)) {
        self.baseURL = baseURL
        self.token = token
        self.options = options
    }
}
