import HTTPTypes
import Hummingbird
import SCIMBridge
import SCIMCore

extension SCIMResponder {
    /// `/Users…` and `/Groups…`.
    /// Each service call runs under the request's deadline (`RequestDeadline.run`); bodies are
    /// read before, in the request's own task.
    func resources(_ request: Request, kind: ResourceKind, rest: [String], scim: SCIMRequest, deadline: RequestDeadline)
        async throws(SCIMError) -> Response
    {
        let query = HTTPMessages.queryItems(request.uri.query)
        let parameters = try ListParameters(query: query)
        let service = self.service
        switch rest.count {
        case 0:
            switch request.method {
            case .get:
                return HTTPMessages.json(
                    .object(
                        try await deadline.run { () async throws(SCIMError) in
                            try await service.list(scim, kind: kind, parameters: parameters)
                        }))
            case .post:
                let body = try await readJSON(request, deadline: deadline)
                let created = try await deadline.run { () async throws(SCIMError) in
                    try await service.create(
                        scim, kind: kind, body: body, attributes: parameters.attributes, excludedAttributes: parameters.excludedAttributes)
                }
                return resourceResponse(created, status: .created)
            default:
                throw .methodNotAllowed("GET, POST")
            }
        case 1 where rest[0] == ".search":
            guard request.method == .post else { throw .methodNotAllowed("POST") }
            let body = try await readJSON(request, deadline: deadline)
            let search = try ListParameters(searchBody: body)
            return HTTPMessages.json(
                .object(
                    try await deadline.run { () async throws(SCIMError) in try await service.list(scim, kind: kind, parameters: search) }))
        case 1:
            let id = rest[0]
            let ifMatch = request.headers[.ifMatch]
            switch request.method {
            case .get:
                let ifNoneMatch = request.headers[.ifNoneMatch]
                guard
                    let found = try await deadline.run({ () async throws(SCIMError) in
                        try await service.get(
                            scim, kind: kind, id: id, attributes: parameters.attributes, excludedAttributes: parameters.excludedAttributes,
                            ifNoneMatch: ifNoneMatch)
                    })
                else {
                    return HTTPMessages.empty(.notModified)
                }
                return resourceResponse(found, status: .ok)
            case .put:
                let body = try await readJSON(request, deadline: deadline)
                let replaced = try await deadline.run { () async throws(SCIMError) in
                    try await service.replace(
                        scim, kind: kind, id: id, body: body, ifMatch: ifMatch, attributes: parameters.attributes,
                        excludedAttributes: parameters.excludedAttributes)
                }
                return resourceResponse(replaced, status: .ok)
            case .patch:
                let body = try await readJSON(request, deadline: deadline)
                let patched = try await deadline.run { () async throws(SCIMError) in
                    try await service.patch(
                        scim, kind: kind, id: id, body: body, ifMatch: ifMatch, attributes: parameters.attributes,
                        excludedAttributes: parameters.excludedAttributes)
                }
                return resourceResponse(patched, status: .ok)
            case .delete:
                try await deadline.run { () async throws(SCIMError) in try await service.delete(scim, kind: kind, id: id, ifMatch: ifMatch)
                }
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
