/// ZIA legacy API credentials (reference §2): an admin login and the tenant's API key.
public struct ZIALegacyCredentials: Sendable {
    public var username: String
    public var password: Secret
    /// The raw key from Administration > Cloud Service API Security; obfuscated per login.
    public var apiKey: Secret

    public init(username: String, password: Secret, apiKey: Secret) {
        self.username = username
        self.password = password
        self.apiKey = apiKey
    }
}

/// OneAPI (ZIdentity) client-credentials (reference §7.1).
public struct OneAPICredentials: Sendable {
    public var clientID: String
    public var clientSecret: Secret
    /// Absolute token endpoint, usually from ``OneAPICloud/tokenURL(vanityDomain:)``.
    public var tokenURL: BaseURL
    /// Required by ZIdentity; always `https://api.zscaler.com` today.
    public var audience: String

    public init(clientID: String, clientSecret: Secret, tokenURL: BaseURL, audience: String = "https://api.zscaler.com") {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenURL = tokenURL
        self.audience = audience
    }
}

/// ZPA API key (reference §8.1): `client_id` / `client_secret` for `/signin`.
public struct ZPACredentials: Sendable {
    public var clientID: String
    public var clientSecret: Secret

    public init(clientID: String, clientSecret: Secret) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}
