import Foundation

/// SCIM protocol shapes of the ZPA SCIM server (RFC 7644), written for the emulator alone.
enum SCIMWire {
    static let errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"
    static let listSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
    static let enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let contentType = "application/scim+json"

    static func document(_ status: Int, _ value: EmulatorJSON) -> WireResponse {
        .json(status, value, contentType: contentType)
    }

    static func list(_ resources: [EmulatorJSON], total: Int, startIndex: Int) -> WireResponse {
        document(
            200,
            .object([
                "schemas": .array([.string(listSchema)]), "totalResults": .integer(Int64(total)),
                "itemsPerPage": .integer(Int64(resources.count)), "startIndex": .integer(Int64(startIndex)),
                "Resources": .array(resources),
            ]))
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A SCIM error response (RFC 7644 §3.12): `status` is a string there.
struct SCIMWireError: WireError, Equatable {
    var status: Int
    var scimType: String?
    var detail: String

    var wireResponse: WireResponse {
        var members: [String: EmulatorJSON] = [
            "schemas": .array([.string(SCIMWire.errorSchema)]), "detail": .string(detail), "status": .string(String(status)),
        ]
        if let scimType { members["scimType"] = .string(scimType) }
        return SCIMWire.document(status, .object(members))
    }

    static func invalidValue(_ detail: String) -> Self { .init(status: 400, scimType: "invalidValue", detail: detail) }
    static func invalidSyntax(_ detail: String) -> Self { .init(status: 400, scimType: "invalidSyntax", detail: detail) }
    static func invalidFilter(_ detail: String) -> Self { .init(status: 400, scimType: "invalidFilter", detail: detail) }
    static func invalidPath(_ detail: String) -> Self { .init(status: 400, scimType: "invalidPath", detail: detail) }
    static func noTarget(_ detail: String) -> Self { .init(status: 400, scimType: "noTarget", detail: detail) }
    static func mutability(_ detail: String) -> Self { .init(status: 400, scimType: "mutability", detail: detail) }
    static func uniqueness(_ detail: String) -> Self { .init(status: 409, scimType: "uniqueness", detail: detail) }
    static func tooMany(_ detail: String) -> Self { .init(status: 400, scimType: "tooMany", detail: detail) }
    static func notFound(_ detail: String) -> Self { .init(status: 404, detail: detail) }
    static let unauthorized = SCIMWireError(status: 401, detail: "Authorization failure. The authorization header is invalid or missing.")
}

/// ZPA admin API errors (reference §8.4): `{"id","reason","params"}`, and the 429 body with
/// `retry-after: Ns`.
struct ZPAError: WireError, Equatable {
    var status: Int
    var id: String
    var reason: String
    var retryAfter: String?
    /// Values the reason refers to (the id that was not found, say), as ZPA lists them.
    var params: [String] = []

    var wireResponse: WireResponse {
        if status == 429 {
            return WireResponse.orderedJSON(
                429,
                [
                    ("exception", .string("invalid.toomanyrequests")), ("id", .string("invalid.toomanyrequests")),
                    ("reason", .string("Exceeded the number of requests allowed.")),
                ]
            ).adding(header: "retry-after", "\(retryAfter ?? "1")s")
        }
        var response = WireResponse.orderedJSON(
            status, [("id", .string(id)), ("reason", .string(reason)), ("params", .array(params.map(WireResponse.OrderedValue.string)))])
        if let retryAfter { response.headers.append(("Retry-After", "\(retryAfter)s")) }
        return response
    }

    static func notFound(_ reason: String, params: [String] = []) -> Self {
        .init(status: 400, id: "resource.not.found", reason: reason, params: params)
    }
    static func accessDenied(_ reason: String) -> Self { .init(status: 401, id: "access.denied", reason: reason) }
    static func invalid(_ reason: String) -> Self { .init(status: 400, id: "invalid.input", reason: reason) }
    static func tooMany(retryAfter: String) -> Self {
        .init(status: 429, id: "invalid.toomanyrequests", reason: "Exceeded the number of requests allowed.", retryAfter: retryAfter)
    }
    static let serverError = ZPAError(
        status: 503, id: "retryable.server.error", reason: "Service unavailable, retry later.", retryAfter: "10")
}

/// OneAPI gateway 401 for a missing, bad or expired bearer token [C1 CASSETTES].
struct OneAPIUnauthorized: WireError {
    var wireResponse: WireResponse {
        WireResponse.orderedJSON(
            401, [("detail", .string("unauthorized")), ("type", .string("")), ("title", .string("")), ("status", .string(""))]
        )
        .adding(header: "x-oneapi-api-category", "public")
    }
}

/// OAuth 2.0 token endpoint errors (RFC 6749 §5.2). ZIdentity answers 400 without a documented
/// body; the RFC shape is the guess.
struct OAuthError: WireError {
    var error: String
    var description: String
    var status = 400

    var wireResponse: WireResponse {
        .orderedJSON(status, [("error", .string(error)), ("error_description", .string(description))])
            .adding(header: "Cache-Control", "no-store")
    }
}
