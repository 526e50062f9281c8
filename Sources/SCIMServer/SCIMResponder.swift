import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SCIMBridge
import SCIMCore

/// The whole HTTP surface of zscim as one responder: it routes by path segments itself, so that
/// every unknown path is a SCIM 404, every wrong method a SCIM 405, and doubled slashes do not
/// matter, which a generic router does not give.
public struct SCIMResponder: HTTPResponder {
    public typealias Context = SCIMRequestContext

    let service: SCIMService
    let configuration: ServerConfiguration
    let logger: Logger
    let readiness: ReadinessProbe

    public init(service: SCIMService, configuration: ServerConfiguration, logger: Logger) {
        self.service = service
        self.configuration = configuration
        self.logger = logger
        self.readiness = ReadinessProbe(store: service.store)
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let deadline = RequestDeadline(timeout: configuration.requestTimeout, retryAfter: configuration.requestRetryAfter)
        let origin = RequestOrigin(configuration: configuration).origin(
            headers: request.headers, authority: request.head.authority, peer: context.remoteAddress, local: context.localAddress)
        do {
            return try await route(request, origin: origin, deadline: deadline)
        } catch {
            // Everything a request can go wrong with is a SCIMError by type; it renders itself.
            var headers: HTTPFields = [:]
            if error.status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"zscim\"" }
            if error.status == 405 { headers[.allow] = error.allow }
            if error.status >= 500 {
                logger.error("request failed", metadata: ["status": "\(error.status)", "path": "\(request.uri.path)"])
            }
            return HTTPMessages.error(error, headers: headers)
        }
    }

    func route(_ request: Request, origin: String, deadline: RequestDeadline) async throws(SCIMError) -> Response {
        let segments = HTTPMessages.segments(request.uri.path)
        switch segments.first {
        case "healthz" where segments.count == 1:
            guard request.method == .get || request.method == .head else { throw .methodNotAllowed("GET") }
            return HTTPMessages.json(["status": "ok"])
        case "readyz" where segments.count == 1:
            guard request.method == .get || request.method == .head else { throw .methodNotAllowed("GET") }
            guard await readiness.isReady(within: configuration.readinessTimeout) else {
                return HTTPMessages.json(["status": "store unavailable"], status: .serviceUnavailable)
            }
            return HTTPMessages.json(["status": "ready"])
        case "scim" where segments.count >= 2 && segments[1].lowercased() == "v2":
            return try await scim(
                request, rest: Array(segments.dropFirst(2)), tenantName: nil, baseURL: origin + "/scim/v2", deadline: deadline)
        case "status" where segments.count == 1:
            return try await status(request, tenantName: nil, deadline: deadline)
        case "tenants" where segments.count == 3 && segments[2] == "status":
            return try await status(request, tenantName: segments[1], deadline: deadline)
        case "tenants" where segments.count >= 4 && segments[2] == "scim" && segments[3].lowercased() == "v2":
            let name = segments[1]
            return try await scim(
                request, rest: Array(segments.dropFirst(4)), tenantName: name, baseURL: origin + "/tenants/\(name)/scim/v2",
                deadline: deadline)
        default:
            throw .notFound("No such endpoint: \(request.uri.path)")
        }
    }

    /// The tenant's sync status (the admin view of `zscim tenant status --json`); the tenant's own
    /// token is required.
    func status(_ request: Request, tenantName: String?, deadline: RequestDeadline) async throws(SCIMError) -> Response {
        guard request.method == .get || request.method == .head else { throw .methodNotAllowed("GET") }
        let (tenant, _) = try await authenticate(request, tenantName: tenantName, deadline: deadline)
        guard let syncStatus = configuration.syncStatus else {
            throw .notFound("This server runs without the Zscaler side; no sync status")
        }
        let logger = self.logger
        let body = try await deadline.run { () async throws(SCIMError) -> String in
            do {
                return try await syncStatus(tenant)
            } catch {
                logger.error("status failed", metadata: ["tenant": "\(tenant.name)", "error": "\(error)"])
                throw SCIMError(status: 503, detail: "The sync status cannot be read now; retry later")
            }
        }
        var response = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: body)))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The tenant a request's bearer token belongs to; 401 otherwise. With a tenant in the path,
    /// the token must be that tenant's (the answer does not say whether the tenant exists).
    func authenticate(_ request: Request, tenantName: String?, deadline: RequestDeadline) async throws(SCIMError) -> (
        tenant: Tenant, actor: AuditActor
    ) {
        guard let header = request.headers[.authorization] else {
            throw SCIMError(status: 401, detail: "Authorization: Bearer <token> is required")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw SCIMError(status: 401, detail: "Use the Bearer authentication scheme")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard token.utf8.count <= 512 else { throw SCIMError(status: 401, detail: "The bearer token is not valid here") }
        let service = self.service
        let hash = BearerToken.hash(token)
        // A token seen in the last few seconds needs no store call, so no deadline race either.
        let found: Tenant?
        if let cached = service.cachedTenant(forTokenHash: hash) {
            found = cached
        } else {
            found = try await deadline.run { () async throws(SCIMError) in try await service.tenant(forTokenHash: hash) }
        }
        guard let tenant = found, tenantName == nil || tenant.name == tenantName else {
            throw SCIMError(status: 401, detail: "The bearer token is not valid here")
        }
        // The audit trail names the token by its fingerprint, never the token.
        return (tenant, AuditActor(tokenFingerprint: BearerToken.fingerprint(hash)))
    }

    func scim(_ request: Request, rest: [String], tenantName: String?, baseURL base: String, deadline: RequestDeadline)
        async throws(SCIMError) -> Response
    {
        try HTTPMessages.checkAccept(request.headers[.accept])
        let first = rest.first.map { $0.lowercased() }
        let isDiscovery = ["serviceproviderconfig", "resourcetypes", "schemas"].contains(first ?? "")
        if isDiscovery {
            if !configuration.anonymousDiscovery || request.headers[.authorization] != nil {
                _ = try await authenticate(request, tenantName: tenantName, deadline: deadline)
            }
            return try discovery(request, rest: rest, baseURL: base)
        }
        let (tenant, actor) = try await authenticate(request, tenantName: tenantName, deadline: deadline)
        let scimRequest = SCIMRequest(tenant: tenant, baseURL: base, actor: actor, deadline: deadline.instant)
        let service = self.service
        switch (first, rest.count) {
        case (nil, _):
            throw .notFound("No such endpoint: \(request.uri.path)")
        case ("users", _), ("groups", _):
            let kind: ResourceKind = first == "users" ? .user : .group
            return try await resources(request, kind: kind, rest: Array(rest.dropFirst()), scim: scimRequest, deadline: deadline)
        case (".search", 1):
            guard request.method == .post else { throw .methodNotAllowed("POST") }
            let body = try await readJSON(request, deadline: deadline)
            let parameters = try ListParameters(searchBody: body)
            return HTTPMessages.json(
                .object(
                    try await deadline.run { () async throws(SCIMError) in try await service.searchAll(scimRequest, parameters: parameters)
                    }))
        case ("bulk", 1):
            guard request.method == .post else { throw .methodNotAllowed("POST") }
            let body = try await readJSON(request, limit: service.configuration.bulkMaxPayloadSize, deadline: deadline)
            return HTTPMessages.json(
                .object(try await deadline.run { () async throws(SCIMError) in try await service.bulk(scimRequest, body: body) }))
        case ("me", _):
            throw SCIMError(status: 501, detail: "/Me is not offered: zscim's clients are provisioning services, not users")
        default:
            throw .notFound("No such endpoint: \(request.uri.path)")
        }
    }

    /// Reads and parses a JSON body within the size limit and the request's deadline (a body
    /// that trickles in past it is answered 503).
    func readJSON(_ request: Request, limit: Int? = nil, deadline: RequestDeadline) async throws(SCIMError) -> JSONValue {
        try HTTPMessages.checkContentType(request.headers[.contentType])
        let max = limit ?? service.configuration.maxBodySize
        var collected: [UInt8] = []
        do {
            for try await var chunk in request.body {
                try deadline.check()
                guard collected.count + chunk.readableBytes <= max else {
                    throw SCIMError(status: 413, detail: "The request body is larger than \(max) bytes")
                }
                collected += chunk.readBytes(length: chunk.readableBytes) ?? []
            }
        } catch let error as SCIMError {
            throw error
        } catch {
            throw .invalidSyntax("The request body could not be read")
        }
        guard !collected.isEmpty else { throw .invalidSyntax("The request needs a JSON body") }
        do {
            return try JSONParser().parse(collected)
        } catch {
            throw SCIMError(error)
        }
    }
}

extension SCIMError {
    static func methodNotAllowed(_ allow: String) -> SCIMError {
        SCIMError(status: 405, detail: "Method not allowed here; allowed: \(allow)")
    }

    /// The methods a 405 names, from its detail.
    var allow: String {
        guard let range = detail.range(of: "allowed: ") else { return "" }
        return String(detail[range.upperBound...])
    }
}
