import AsyncHTTPClient
import Logging

/// ZPA's management API (reference §8): sign-in, the IdP controller, and the read-only SCIM group and
/// attribute views. Users and groups themselves are written through each IdP's SCIM server
/// (``ZPASCIMClient``).
public struct ZPAClient: Sendable {
    public let configuration: ZPAConfiguration
    public let limiter: any RateLimiting
    let pipeline: RequestPipeline
    let tokens: BearerTokenCache
    let customer: String

    /// The largest `pagesize` of ZPA's management lists (§8.1).
    public static let maximumPageSize = 500

    /// - Parameter httpClient: must not follow redirects (the default, ``ZscalerHTTPClient/shared``,
    ///   does not; build others from ``ZscalerHTTPClient/configuration``).
    public init(configuration: ZPAConfiguration, httpClient: HTTPClient = ZscalerHTTPClient.shared, logger: Logger)
        throws(ZscalerAPIError)
    {
        try configuration.options.validate()
        guard !configuration.customerID.isEmpty, configuration.customerID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidConfiguration("the ZPA customer id must be digits")
        }
        let options = configuration.options
        let scrubber = SecretScrubber()
        scrubber.register(configuration.credentials.clientSecret)
        let (pipeline, limiter) = options.pipeline(
            baseURL: configuration.baseURL, httpClient: httpClient, logger: logger, scrubber: scrubber, accept: "application/json")
        let credentials = configuration.credentials
        self.configuration = configuration
        self.pipeline = pipeline
        self.limiter = limiter
        self.customer = configuration.customerID
        self.tokens = BearerTokenCache(
            clock: options.clock, scrubber: scrubber,
            refreshBeforeExpiry: configuration.tokenRefreshBeforeExpiry.scaled(by: options.timeScale)
        ) { () async throws(ZscalerAPIError) -> BearerTokenCache.Grant in
            try await TokenRequests.zpaSignIn(credentials, pipeline: pipeline)
        }
    }

    /// Signs in now (otherwise the first call does).
    public func signIn() async throws(ZscalerAPIError) {
        _ = try await tokens.authorization()
    }

    /// `POST /signout` with the current token, then forgets it.
    public func signOut() async throws(ZscalerAPIError) {
        _ = try await pipeline.perform(
            RequestSpec(method: .POST, target: .path("/signout"), methodClass: .session, idempotent: true), authorizer: tokens)
        await tokens.invalidate()
    }

    /// Sign-ins performed so far.
    public func signInCount() async -> Int { await tokens.fetchCount }

    // MARK: IdP controller (§8.2)

    public func identityProviders(pageSize: Int = maximumPageSize) throws(ZscalerAPIError) -> PagedSequence<ZPAIdentityProvider> {
        try pages("/mgmtconfig/v2/admin/customers/\(customer)/idp", pageSize: pageSize)
    }

    public func identityProvider(id: String) async throws(ZscalerAPIError) -> ZPAIdentityProvider {
        let id = try PathSegment.check(id, "IdP id")
        return try await get("/mgmtconfig/v1/admin/customers/\(customer)/idp/\(id)", as: ZPAIdentityProvider.self)
    }

    // MARK: SCIM groups and attributes, read-only (§8.3)

    public func scimGroups(idpID: String, search: String? = nil, pageSize: Int = maximumPageSize) throws(ZscalerAPIError)
        -> PagedSequence<ZPASCIMGroupRecord>
    {
        let idpID = try PathSegment.check(idpID, "IdP id")
        return try pages(
            "/userconfig/v1/customers/\(customer)/scimgroup/idpId/\(idpID)", pageSize: pageSize,
            extra: search.map { [("search", $0)] } ?? [])
    }

    public func scimGroup(id: String) async throws(ZscalerAPIError) -> ZPASCIMGroupRecord {
        let id = try PathSegment.check(id, "SCIM group id")
        return try await get("/userconfig/v1/customers/\(customer)/scimgroup/\(id)", as: ZPASCIMGroupRecord.self)
    }

    public func scimAttributes(idpID: String, pageSize: Int = maximumPageSize) throws(ZscalerAPIError) -> PagedSequence<ZPASCIMAttribute> {
        let idpID = try PathSegment.check(idpID, "IdP id")
        return try pages("/mgmtconfig/v1/admin/customers/\(customer)/idp/\(idpID)/scimattribute", pageSize: pageSize)
    }

    public func scimAttribute(idpID: String, id: String) async throws(ZscalerAPIError) -> ZPASCIMAttribute {
        let idpID = try PathSegment.check(idpID, "IdP id")
        let id = try PathSegment.check(id, "SCIM attribute id")
        return try await get("/mgmtconfig/v1/admin/customers/\(customer)/idp/\(idpID)/scimattribute/\(id)", as: ZPASCIMAttribute.self)
    }

    /// The values users have for one SCIM attribute (§8.3).
    public func scimAttributeValues(idpID: String, attributeID: String, pageSize: Int = maximumPageSize) throws(ZscalerAPIError)
        -> PagedSequence<String>
    {
        let idpID = try PathSegment.check(idpID, "IdP id")
        let attributeID = try PathSegment.check(attributeID, "SCIM attribute id")
        return try pages("/userconfig/v1/customers/\(customer)/scimattribute/idpId/\(idpID)/attributeId/\(attributeID)", pageSize: pageSize)
    }

    // MARK: Plumbing

    func get<Response: Decodable>(_ path: String, query: [(String, String)] = [], as type: Response.Type, methodClass: MethodClass = .read)
        async throws(ZscalerAPIError) -> Response
    {
        try await pipeline.json(.GET, path, query: query, as: type, methodClass: methodClass, authorizer: tokens)
    }

    /// A ZPA envelope listing: `page` (1-based) and `pagesize`, ending at `totalPages` (or, when a server
    /// leaves it out, at the first short page).
    private func pages<Item: Codable & Sendable>(_ path: String, pageSize: Int, extra: [(String, String)] = [])
        throws(ZscalerAPIError) -> PagedSequence<Item>
    {
        guard (1...Self.maximumPageSize).contains(pageSize) else { throw .invalidArgument("pagesize must be 1...\(Self.maximumPageSize)") }
        let client = self
        return PagedSequence { page throws(ZscalerAPIError) in
            let envelope = try await client.get(
                path, query: extra + [("page", String(page)), ("pagesize", String(pageSize))], as: ZPAPage<Item>.self,
                methodClass: .list)
            let hasMore = envelope.totalPages.map { Int64(page) < $0.value } ?? (envelope.items.count >= pageSize)
            return .init(items: envelope.items, hasMore: hasMore)
        }
    }
}
