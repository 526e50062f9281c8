import AsyncHTTPClient
import Logging
import NIOHTTP1

/// One ZPA IdP's SCIM server (reference §9.2): `/Users` and `/Groups`, authenticated with the IdP's
/// static SCIM token.
///
/// ZPA's quirks are ZPA's and stay visible: `active = false` deletes the user; group information on a
/// user is ignored (membership changes only through group PATCH); lists page with `count` ≤ 100 and
/// group lists omit members.
///
/// POST and PATCH are not idempotent, so after a timeout, a broken connection or a 5xx they are not
/// resent: the error has ``ZscalerAPIError/mayHaveBeenApplied`` set, and the caller looks (a user by
/// `userName`, a group by `displayName`) before writing again. A create of something that exists fails
/// with ``ZscalerAPIError/isDuplicate`` (SCIM `uniqueness`).
public struct ZPASCIMClient: Sendable {
    public let configuration: ZPASCIMConfiguration
    public let limiter: any RateLimiting
    let pipeline: RequestPipeline
    let authorizer: StaticBearer

    /// ZPA's maximum `count` (§9.2).
    public static let maximumPageSize = 100
    static let contentType = "application/scim+json"

    /// - Parameter httpClient: must not follow redirects (the default, ``ZscalerHTTPClient/shared``,
    ///   does not; build others from ``ZscalerHTTPClient/configuration``).
    public init(configuration: ZPASCIMConfiguration, httpClient: HTTPClient = ZscalerHTTPClient.shared, logger: Logger)
        throws(ZscalerAPIError)
    {
        try configuration.options.validate()
        guard !configuration.token.isEmpty else { throw .invalidConfiguration("the ZPA SCIM token is empty") }
        let scrubber = SecretScrubber()
        scrubber.register(configuration.token)
        let (pipeline, limiter) = configuration.options.pipeline(
            baseURL: configuration.baseURL, httpClient: httpClient, logger: logger, scrubber: scrubber,
            accept: "\(Self.contentType), application/json")
        self.configuration = configuration
        self.pipeline = pipeline
        self.limiter = limiter
        self.authorizer = StaticBearer(token: configuration.token)
    }

    // MARK: Users

    public func createUser(_ user: ZPASCIMUser) async throws(ZscalerAPIError) -> ZPASCIMUser {
        guard user.id == nil else { throw .invalidArgument("a new SCIM user must not carry an id") }
        try Self.checkUserName(user.userName)
        return try await send(.POST, "/Users", body: user, as: ZPASCIMUser.self, methodClass: .write)
    }

    public func user(id: String) async throws(ZscalerAPIError) -> ZPASCIMUser {
        try await send(.GET, "/Users/\(try PathSegment.check(id, "SCIM user id"))", as: ZPASCIMUser.self, methodClass: .read)
    }

    /// `PUT /Users/{id}`: replaces the user.
    public func replaceUser(_ user: ZPASCIMUser) async throws(ZscalerAPIError) -> ZPASCIMUser {
        guard let id = user.id else { throw .invalidArgument("a replaced SCIM user needs its id") }
        try Self.checkUserName(user.userName)
        return try await send(
            .PUT, "/Users/\(try PathSegment.check(id, "SCIM user id"))", body: user, as: ZPASCIMUser.self, methodClass: .write)
    }

    /// `PATCH /Users/{id}` (204). Note `active = false` deletes the user in ZPA.
    public func patchUser(id: String, _ patch: ZPASCIMPatch) async throws(ZscalerAPIError) {
        try await sendExpectingNoContent(.PATCH, "/Users/\(try PathSegment.check(id, "SCIM user id"))", body: patch)
    }

    public func deleteUser(id: String) async throws(ZscalerAPIError) {
        try await sendExpectingNoContent(.DELETE, "/Users/\(try PathSegment.check(id, "SCIM user id"))", body: nil)
    }

    /// Users matching an RFC 7644 filter (e.g. `userName eq "a@b.c"`), `count` per page.
    public func users(filter: String? = nil, count: Int = maximumPageSize) throws(ZscalerAPIError) -> PagedSequence<ZPASCIMUser> {
        try list("/Users", filter: filter, count: count)
    }

    // MARK: Groups

    public func createGroup(_ group: ZPASCIMGroup) async throws(ZscalerAPIError) -> ZPASCIMGroup {
        guard group.id == nil else { throw .invalidArgument("a new SCIM group must not carry an id") }
        try Self.checkDisplayName(group.displayName)
        return try await send(.POST, "/Groups", body: group, as: ZPASCIMGroup.self, methodClass: .write)
    }

    /// One group with its members.
    public func group(id: String) async throws(ZscalerAPIError) -> ZPASCIMGroup {
        try await send(.GET, "/Groups/\(try PathSegment.check(id, "SCIM group id"))", as: ZPASCIMGroup.self, methodClass: .read)
    }

    public func replaceGroup(_ group: ZPASCIMGroup) async throws(ZscalerAPIError) -> ZPASCIMGroup {
        guard let id = group.id else { throw .invalidArgument("a replaced SCIM group needs its id") }
        try Self.checkDisplayName(group.displayName)
        return try await send(
            .PUT, "/Groups/\(try PathSegment.check(id, "SCIM group id"))", body: group, as: ZPASCIMGroup.self, methodClass: .write)
    }

    /// `PATCH /Groups/{id}` (204): the only way to change membership in ZPA.
    public func patchGroup(id: String, _ patch: ZPASCIMPatch) async throws(ZscalerAPIError) {
        try await sendExpectingNoContent(.PATCH, "/Groups/\(try PathSegment.check(id, "SCIM group id"))", body: patch)
    }

    public func deleteGroup(id: String) async throws(ZscalerAPIError) {
        try await sendExpectingNoContent(.DELETE, "/Groups/\(try PathSegment.check(id, "SCIM group id"))", body: nil)
    }

    /// Groups matching a filter; ZPA leaves members out of lists.
    public func groups(filter: String? = nil, count: Int = maximumPageSize) throws(ZscalerAPIError) -> PagedSequence<ZPASCIMGroup> {
        try list("/Groups", filter: filter, count: count)
    }

    // MARK: Plumbing

    private static func checkUserName(_ userName: String) throws(ZscalerAPIError) {
        guard !userName.isEmpty, userName.count <= 256 else { throw .invalidArgument("userName must be 1...256 characters") }
    }

    private static func checkDisplayName(_ name: String) throws(ZscalerAPIError) {
        guard !name.isEmpty, name.count <= 256 else { throw .invalidArgument("displayName must be 1...256 characters") }
    }

    private func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: (any Encodable & Sendable)? = nil,
        as type: Response.Type, methodClass: MethodClass
    ) async throws(ZscalerAPIError) -> Response {
        let bytes = try body.map { value throws(ZscalerAPIError) in try pipeline.encode(value) }
        let spec = RequestSpec(
            method: method, target: .path(path), query: query, body: bytes, contentType: bytes == nil ? nil : Self.contentType,
            methodClass: methodClass)
        let response = try await pipeline.perform(spec, authorizer: authorizer)
        return try pipeline.decode(type, from: response, request: "\(method.rawValue) \(path)")
    }

    private func sendExpectingNoContent(_ method: HTTPMethod, _ path: String, body: (any Encodable & Sendable)?)
        async throws(ZscalerAPIError)
    {
        let bytes = try body.map { value throws(ZscalerAPIError) in try pipeline.encode(value) }
        let spec = RequestSpec(
            method: method, target: .path(path), body: bytes, contentType: bytes == nil ? nil : Self.contentType,
            methodClass: method == .DELETE ? .delete : .write)
        _ = try await pipeline.perform(spec, authorizer: authorizer)
    }

    /// RFC 7644 paging: `startIndex` (1-based) and `count`, ending when `totalResults` is reached.
    private func list<Resource: Codable & Sendable>(_ path: String, filter: String?, count: Int) throws(ZscalerAPIError)
        -> PagedSequence<Resource>
    {
        guard (1...Self.maximumPageSize).contains(count) else { throw .invalidArgument("count must be 1...\(Self.maximumPageSize)") }
        let client = self
        let filterQuery = filter.map { [("filter", $0)] } ?? []
        return PagedSequence { page throws(ZscalerAPIError) in
            let startIndex = (page - 1) * count + 1
            let answer = try await client.send(
                .GET, path, query: filterQuery + [("startIndex", String(startIndex)), ("count", String(count))],
                as: ZPASCIMListResponse<Resource>.self, methodClass: .list)
            let seen = startIndex - 1 + answer.resources.count
            return .init(items: answer.resources, hasMore: seen < answer.totalResults)
        }
    }
}
