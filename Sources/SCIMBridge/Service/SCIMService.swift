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
    }

    public func definition(_ kind: ResourceKind) -> ResourceDefinition {
        kind == .user ? userDefinition : groupDefinition
    }

    /// Runs a store call, turning its failures into SCIM errors. Store outages are logged here
    /// with their cause and reach the client only as a generic 503.
    func storeCall<T>(_ body: () async throws(StoreError) -> T) async throws(SCIMError) -> T {
        do {
            return try await body()
        } catch {
            throw mapStoreError(error)
        }
    }

    func mapStoreError(_ error: StoreError) -> SCIMError {
        switch error {
        case .uniqueness(let attribute):
            return .uniqueness("Another resource already has this \(attribute)")
        case .notFound:
            return .notFound("Resource not found")
        case .versionConflict:
            return SCIMError(status: 412, detail: "The resource changed since it was read; read it again and retry")
        case .tenantExists(let name):
            return SCIMError(status: 409, scimType: .uniqueness, detail: "Tenant \(name) already exists")
        case .unavailable(let message):
            logger.error("store unavailable", metadata: ["error": "\(message)"])
            return SCIMError(status: 503, detail: "The directory store is unavailable; retry later")
        }
    }

    /// Loads a resource or fails with 404 naming it.
    func existing(_ request: SCIMRequest, _ kind: ResourceKind, _ id: String) async throws(SCIMError) -> StoredResource {
        guard
            let resource = try await storeCall({ () async throws(StoreError) in
                try await store.resource(tenantID: request.tenant.id, kind: kind, id: id)
            })
        else {
            throw .notFound("\(kind.rawValue) \(id) not found")
        }
        return resource
    }

    /// RFC 7644 §3.14: `If-Match` must name the current version.
    func checkIfMatch(_ ifMatch: String?, _ resource: StoredResource) throws(SCIMError) {
        guard let ifMatch else { return }
        let current = ResourceRenderer.etag(resource.version)
        let tags = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if tags.contains("*") { return }
        let weakCurrent = current.hasPrefix("W/") ? String(current.dropFirst(2)) : current
        guard tags.contains(where: { $0 == current || $0 == weakCurrent || ($0.hasPrefix("W/") && String($0.dropFirst(2)) == weakCurrent) })
        else {
            throw SCIMError(status: 412, detail: "If-Match \(ifMatch) does not match the current version \(current)")
        }
    }

    /// Renders a resource with what the projection wants of its membership attributes.
    func render(_ request: SCIMRequest, _ resource: StoredResource, projection: Projection?) async throws(SCIMError) -> JSONObject {
        let renderer = ResourceRenderer(baseURL: request.baseURL)
        var members: [MemberRecord]?
        var groups: [GroupReference]?
        if resource.kind == .group, projection?.returns("members") ?? true {
            members = try await storeCall({ () async throws(StoreError) in
                try await store.members(tenantID: request.tenant.id, groupID: resource.id)
            })
        }
        if resource.kind == .user, projection?.returns("groups") ?? true {
            groups = try await storeCall({ () async throws(StoreError) in
                try await store.groups(tenantID: request.tenant.id, memberIDs: [resource.id])
            })[resource.id]
        }
        let full = renderer.render(resource, members: members, groups: groups)
        if let projection { return projection.apply(to: full) }
        return try Projection(definition: definition(resource.kind)).apply(to: full)
    }

    func response(_ request: SCIMRequest, _ resource: StoredResource, projection: Projection? = nil) async throws(SCIMError) -> SCIMResponse
    {
        let body = try await render(request, resource, projection: projection)
        let renderer = ResourceRenderer(baseURL: request.baseURL)
        return SCIMResponse(
            body: body, etag: ResourceRenderer.etag(resource.version), location: renderer.location(resource.kind, resource.id))
    }

    /// The tenant a presented bearer token belongs to (by its hash; see `BearerToken`).
    public func tenant(forToken token: String) async throws(SCIMError) -> Tenant? {
        try await storeCall({ () async throws(StoreError) in try await store.tenant(forTokenHash: BearerToken.hash(token)) })
    }

    // MARK: - Read one

    /// `GET /{Users|Groups}/{id}`. Returns `nil` when `If-None-Match` names the current version
    /// (the server answers 304).
    public func get(
        _ request: SCIMRequest, kind: ResourceKind, id: String, attributes: [String] = [], excludedAttributes: [String] = [],
        ifNoneMatch: String? = nil
    ) async throws(SCIMError) -> SCIMResponse? {
        let resource = try await existing(request, kind, id)
        if let ifNoneMatch {
            let current = ResourceRenderer.etag(resource.version)
            let tags = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if tags.contains("*") || tags.contains(current) || tags.contains(String(current.dropFirst(2))) { return nil }
        }
        let projection = try Projection(definition: definition(kind), attributes: attributes, excludedAttributes: excludedAttributes)
        return try await response(request, resource, projection: projection)
    }

    // MARK: - Delete

    /// `DELETE /{Users|Groups}/{id}`: the resource, and its memberships both ways.
    public func delete(_ request: SCIMRequest, kind: ResourceKind, id: String, ifMatch: String? = nil) async throws(SCIMError) {
        let resource = try await existing(request, kind, id)
        try checkIfMatch(ifMatch, resource)
        let deleted = try await storeCall({ () async throws(StoreError) in
            try await store.delete(
                tenantID: request.tenant.id, kind: kind, id: id, expectedVersion: ifMatch == nil ? nil : resource.version)
        })
        guard deleted else { throw .notFound("\(kind.rawValue) \(id) not found") }
    }
}
