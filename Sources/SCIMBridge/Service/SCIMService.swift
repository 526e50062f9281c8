import Foundation
import Logging
import SCIMCore

/// The SCIM service provider behind every HTTP route: it validates what clients send, applies it
/// to the stored desired state, and renders what they read. It knows nothing of HTTP; the server
/// layer hands it parsed bodies and query parameters and renders its `SCIMError`s.
public struct SCIMService: Sendable {
    public let store: any DirectoryStore
    public let registry: SchemaRegistry
    public let configuration: ServiceConfiguration
    let logger: Logger
    let userDefinition: ResourceDefinition
    let groupDefinition: ResourceDefinition
    let tokenCache: TokenCache
    let policies: PolicyCache
    let scanSlots: ScanSlots

    public init(store: any DirectoryStore, registry: SchemaRegistry, configuration: ServiceConfiguration, logger: Logger) throws(SCIMError)
    {
        guard let user = registry.definition(for: "User"), let group = registry.definition(for: "Group") else {
            throw SCIMError(status: 500, detail: "The schema registry has no User or Group resource type")
        }
        self.store = store
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.userDefinition = user
        self.groupDefinition = group
        self.tokenCache = TokenCache(lifetime: configuration.tokenCacheSeconds)
        self.policies = PolicyCache(lifetimeSeconds: configuration.tokenCacheSeconds)
        self.scanSlots = ScanSlots(limit: max(configuration.maxConcurrentScansPerTenant, 1))
    }

    public func definition(_ kind: ResourceKind) -> ResourceDefinition {
        kind == .user ? userDefinition : groupDefinition
    }

    /// A store failure as the SCIM error the client gets. Store outages are logged here with
    /// their cause and reach the client only as a generic 503.
    func mapStoreError(_ error: StoreError) -> SCIMError {
        switch error {
        case .uniqueness(let attribute):
            return .uniqueness("Another resource already has this \(attribute.rawValue)")
        case .notFound:
            return .notFound("Resource not found")
        case .versionConflict(let current):
            return SCIMError(
                status: 412, detail: "The resource changed since it was read (now version \(current)); read it again and retry")
        case .missingMember(let id):
            return .invalidValue("Member \(id) does not exist")
        case .cancelled:
            return .unavailable("The request was stopped before the directory store answered; retry later", retryAfter: 5)
        case .tenantExists(let name):
            return SCIMError(status: 409, scimType: .uniqueness, detail: "Tenant \(name) already exists")
        case .unavailable(let message):
            logger.error("store unavailable", metadata: ["error": "\(message)"])
            return SCIMError(status: 503, detail: "The directory store is unavailable; retry later")
        }
    }

    /// A commit that lost an optimistic-lock race (typed, so the retry below never reads text).
    struct ConcurrentChange: Error {
        var error: SCIMError
    }

    /// Commits one change. A version conflict comes back as `ConcurrentChange` for
    /// `retryingConcurrentWrites` to decide on; every other store failure as its SCIM error.
    func commit(_ request: SCIMRequest, _ change: Change) async throws -> CommitResult {
        do {
            let result = try await store.commit(tenantID: request.tenant.id, change)
            configuration.onCommit?(request.tenant.id, change.marksPriority ? .priority : .bulk)
            return result
        } catch .versionConflict(let current) {
            throw ConcurrentChange(error: mapStoreError(.versionConflict(current: current)))
        } catch {
            throw mapStoreError(error)
        }
    }

    /// A commit that is not retried: a conflict is the client's error.
    func commitOnce(_ request: SCIMRequest, _ change: Change) async throws(SCIMError) -> CommitResult {
        do {
            return try await commit(request, change)
        } catch let conflict as ConcurrentChange {
            throw conflict.error
        } catch let error as SCIMError {
            throw error
        } catch {
            throw SCIMError(status: 500, detail: "The write failed unexpectedly; retry later")
        }
    }

    /// Runs a read-modify-write. With `If-Match` a concurrent change is the client's 412; without
    /// it the client asked for no locking, so the write is simply redone on the fresh state (a
    /// burst of PATCHes adding members to one group must all land, not mostly fail).
    func retryingConcurrentWrites<T>(ifMatch: String?, _ body: () async throws -> T) async throws(SCIMError) -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let conflict as ConcurrentChange {
                guard ifMatch == nil, attempt < configuration.concurrentWriteRetries else { throw conflict.error }
                attempt += 1
                try? await Task.sleep(for: .milliseconds(Int.random(in: 0...(2 * attempt))))
            } catch let error as SCIMError {
                throw error
            } catch {
                logger.error("unexpected write failure", metadata: ["error": "\(error)"])
                throw SCIMError(status: 500, detail: "The write failed unexpectedly; retry later")
            }
        }
    }

    /// Loads a resource or fails with 404 naming it.
    func existing(_ request: SCIMRequest, _ kind: ResourceKind, _ id: String) async throws(SCIMError) -> StoredResource {
        guard
            let resource = try await store(request).resource(kind: kind, id: id)
        else {
            throw .notFound("\(kind.rawValue) \(id) not found")
        }
        return resource
    }

    /// RFC 7644 §3.14: `If-Match` must name the current version.
    func checkIfMatch(_ ifMatch: String?, _ resource: StoredResource) throws(SCIMError) {
        guard let ifMatch, !EntityTag.matches(ifMatch, version: resource.version) else { return }
        throw SCIMError(
            status: 412, detail: "If-Match \(ifMatch) does not match the current version \(EntityTag.of(version: resource.version))")
    }

    /// Renders a resource with what the projection wants of its membership attributes.
    func render(_ request: SCIMRequest, _ resource: StoredResource, projection: Projection?, knownGroups: [GroupReference]? = nil)
        async throws(SCIMError) -> JSONObject
    {
        let renderer = ResourceRenderer(baseURL: request.baseURL, showSync: try await policy(request) != nil)
        var members: [MemberRecord]?
        var groups = knownGroups
        if resource.kind == .group, projection?.returns("members") ?? true {
            members = try await store(request).members(groupID: resource.id)
        }
        if resource.kind == .user, groups == nil, projection?.returns("groups") ?? true {
            groups = try await store(request).groups(memberIDs: [resource.id])[resource.id]
        }
        let full = renderer.render(resource, members: members, groups: groups)
        if let projection { return projection.apply(to: full) }
        return try Projection(definition: definition(resource.kind)).apply(to: full)
    }

    func response(
        _ request: SCIMRequest, _ resource: StoredResource, projection: Projection? = nil, knownGroups: [GroupReference]? = nil
    ) async throws(SCIMError) -> SCIMResponse {
        let body = try await render(request, resource, projection: projection, knownGroups: knownGroups)
        let renderer = ResourceRenderer(baseURL: request.baseURL)
        return SCIMResponse(
            body: body, etag: EntityTag.of(version: resource.version), location: renderer.location(resource.kind, resource.id))
    }

    /// The tenant a presented bearer token belongs to (by its hash; see `BearerToken`).
    public func tenant(forToken token: String) async throws(SCIMError) -> Tenant? {
        try await tenant(forTokenHash: BearerToken.hash(token))
    }

    /// The tenant a token hash was found to belong to in the last few seconds, without a store
    /// call: the server answers most requests' authentication from here, in the request's own
    /// task (no deadline race needed for work that cannot wait).
    public func cachedTenant(forTokenHash hash: [UInt8]) -> Tenant? {
        tokenCache.tenant(for: hash)
    }

    /// The tenant of a token given by its SHA-256 (`BearerToken.hash`).
    public func tenant(forTokenHash hash: [UInt8]) async throws(SCIMError) -> Tenant? {
        if let cached = tokenCache.tenant(for: hash) { return cached }
        let tenant: Tenant?
        do { tenant = try await store.tenant(forTokenHash: hash) } catch { throw mapStoreError(error) }
        if let tenant { tokenCache.remember(tenant, for: hash) }
        return tenant
    }

    // MARK: - Read one

    /// `GET /{Users|Groups}/{id}`. Returns `nil` when `If-None-Match` names the current version
    /// (the server answers 304).
    public func get(
        _ request: SCIMRequest, kind: ResourceKind, id: String, attributes: [String] = [], excludedAttributes: [String] = [],
        ifNoneMatch: String? = nil
    ) async throws(SCIMError) -> SCIMResponse? {
        let projection = try Projection(definition: definition(kind), attributes: attributes, excludedAttributes: excludedAttributes)
        let resource: StoredResource
        var groups: [GroupReference]?
        if kind == .user, projection.returns("groups") {
            // The user and its groups in one store round trip.
            var query = StoreQuery(kind: .user, conditions: [.idEquals(id)], limit: 1)
            query.countTotal = false
            query.includeGroups = true
            let result = try await store(request).list(query: query)
            guard let found = result.resources.first?.resource else { throw .notFound("User \(id) not found") }
            resource = found
            groups = result.groups[id] ?? []
        } else {
            resource = try await existing(request, kind, id)
        }
        if let ifNoneMatch, EntityTag.matches(ifNoneMatch, version: resource.version) { return nil }
        return try await response(request, resource, projection: projection, knownGroups: groups)
    }

    // MARK: - Delete

    /// `DELETE /{Users|Groups}/{id}`: the resource, and its memberships both ways. The Zscaler
    /// side follows through the priority lane.
    public func delete(_ request: SCIMRequest, kind: ResourceKind, id: String, ifMatch: String? = nil) async throws(SCIMError) {
        let resource = try await existing(request, kind, id)
        try checkIfMatch(ifMatch, resource)
        let change = Change(
            .delete(kind: kind, id: id, expectedVersion: ifMatch == nil ? nil : resource.version), at: configuration.clock(),
            lane: .priority,
            action: "delete", actor: request.actor)
        let result = try await commitOnce(request, change)
        guard result.deleted else { throw .notFound("\(kind.rawValue) \(id) not found") }
    }
}
