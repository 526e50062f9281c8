import HTTPTypes
import Hummingbird
import SCIMBridge
import SCIMCore

extension SCIMResponder {
    /// `/Users…` and `/Groups…`.
    func resources(_ request: Request, kind: ResourceKind, rest: [String], scim: SCIMRequest) async throws(SCIMError) -> Response {
        let query = HTTPMessages.queryItems(request.uri.query)
        let parameters = try ListParameters(query: query)
        switch rest.count {
        case 0:
            switch request.method {
            case .get:
                return HTTPMessages.json(.object(try await service.list(scim, kind: kind, parameters: parameters)))
            case .post:
                let body = try await readJSON(request)
                let created = try await service.create(
                    scim, kind: kind, body: body, attributes: parameters.attributes, excludedAttributes: parameters.excludedAttributes)
                return resourceResponse(created, status: .created)
            default:
                throw .methodNotAllowed("GET, POST")
            }
        case 1 where rest[0] == ".search":
            guard request.method == .post else { throw .methodNotAllowed("POST") }
            let body = try await readJSON(request)
            return HTTPMessages.json(.object(try await service.list(scim, kind: kind, parameters: try ListParameters(searchBody: body))))
        case 1:
            let id = rest[0]
            let ifMatch = request.headers[.ifMatch]
            switch request.method {
            case .get:
                guard
                    let found = try await service.get(
                        scim, kind: kind, id: id, attributes: parameters.attributes, excludedAttributes: parameters.excludedAttributes,
                        ifNoneMatch: request.headers[.ifNoneMatch])
                else {
                    return HTTPMessages.empty(.notModified)
                }
                return resourceResponse(found, status: .ok)
            case .put:
                let body = try await readJSON(request)
                return resourceResponse(
                    try await service.replace(
                        scim, kind: kind, id: id, body: body, ifMatch: ifMatch, attributes: parameters.attributes,
                        excludedAttributes: parameters.excludedAttributes), status: .ok)
            case .patch:
                let body = try await readJSON(request)
                return resourceResponse(
                    try await service.patch(
                        scim, kind: kind, id: id, body: body, ifMatch: ifMatch, attributes: parameters.attributes,
                        excludedAttributes: parameters.excludedAttributes), status: .ok)
            case .delete:
                try await service.delete(scim, kind: kind, id: id, ifMatch: ifMatch)
                return HTTPMessages.empty(.noContent)
            default:
                throw .methodNotAllowed("GET, PUT, PATCH, DELETE")
            }
        default:
            throw .notFound("No such endpoint: \(request.uri.path)")
        }
    }

    func resourceResponse(_ response: SCIMResponse, status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [:]
        if let etag = response.etag { headers[.eTag] = etag }
        if let location = response.location, status == .created || response.noContent { headers[.location] = location }
        if response.noContent { return HTTPMessages.empty(.noContent, headers: headers) }
        return HTTPMessages.json(.object(response.body), status: status, headers: headers)
    }
}
