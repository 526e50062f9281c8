import Foundation
import SCIMCore

/// What the service needs to know about one request besides its body: whose it is and where it
/// was addressed (for `meta.location`).
public struct SCIMRequest: Sendable {
    public var tenant: Tenant
    /// The SCIM base URL the client used, without a trailing slash, e.g.
    /// `https://bridge.example.com/scim/v2`.
    public var baseURL: String

    /// Who is asking (the token's fingerprint), for the audit trail.
    public var actor: AuditActor

    /// When the server stops waiting for this request. Long reads (scans) check it between store
    /// rounds and give up with a 503 + `Retry-After` instead of holding a connection and memory.
    public var deadline: ContinuousClock.Instant?

    public init(tenant: Tenant, baseURL: String, actor: AuditActor = AuditActor(), deadline: ContinuousClock.Instant? = nil) {
        self.tenant = tenant
        self.actor = actor
        self.deadline = deadline
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public var profile: CompatibilityProfile { tenant.profile }
}

/// A rendered resource and its entity tag.
public struct SCIMResponse: Sendable {
    public var body: JSONObject
    public var etag: String?
    public var location: String?
    /// Answer 204 No Content (RFC 7644 §3.5.2 allows it for PATCH) instead of the body.
    public var noContent: Bool

    public init(body: JSONObject, etag: String? = nil, location: String? = nil, noContent: Bool = false) {
        self.body = body
        self.etag = etag
        self.location = location
        self.noContent = noContent
    }
}

/// The query parameters (or `.search` body members) of a list request.
public struct ListParameters: Sendable {
    public var filter: String?
    public var startIndex: Int?
    public var count: Int?
    public var sortBy: String?
    public var sortOrder: String?
    public var attributes: [String] = []
    public var excludedAttributes: [String] = []
    /// RFC 9865: present (possibly empty) asks for cursor paging.
    public var cursor: String?

    public init() {}

    /// From URL query items; unknown parameters are ignored (RFC 7644 §3.4.2).
    public init(query: [(String, String)]) throws(SCIMError) {
        for (name, value) in query {
            switch name.lowercased() {
            case "filter": filter = value
            case "startindex": startIndex = try Self.integer(value, "startIndex")
            case "count": count = try Self.integer(value, "count")
            case "sortby": sortBy = value
            case "sortorder": sortOrder = value
            case "attributes": attributes = Projection.split(value)
            case "excludedattributes": excludedAttributes = Projection.split(value)
            case "cursor": cursor = value
            default: continue
            }
        }
    }

    /// From a SearchRequest body (RFC 7644 §3.4.3).
    public init(searchBody body: JSONValue) throws(SCIMError) {
        guard case .object(let o) = body else { throw .invalidSyntax("A search request must be a JSON object") }
        if let schemas = o.value(forKeyIgnoringCase: "schemas") {
            guard
                schemas.arrayValue?.contains(where: { $0.stringValue.map { CaseFolding.equal($0, SchemaURN.searchRequest) } ?? false })
                    == true
            else {
                throw .invalidSyntax("\"schemas\" must contain \"\(SchemaURN.searchRequest)\"")
            }
        }
        func string(_ key: String) throws(SCIMError) -> String? {
            guard let v = o.value(forKeyIgnoringCase: key), !v.isNull else { return nil }
            guard let s = v.stringValue else { throw .invalidValue("\"\(key)\" must be a string") }
            return s
        }
        func list(_ key: String) throws(SCIMError) -> [String] {
            guard let v = o.value(forKeyIgnoringCase: key), !v.isNull else { return [] }
            if let s = v.stringValue { return Projection.split(s) }
            guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
                throw .invalidValue("\"\(key)\" must be an array of attribute paths")
            }
            return a.compactMap(\.stringValue)
        }
        func int(_ key: String) throws(SCIMError) -> Int? {
            guard let v = o.value(forKeyIgnoringCase: key), !v.isNull else { return nil }
            guard let n = v.numberValue?.integer, n.magnitude < Int64(Int32.max) else {
                throw .invalidValue("\"\(key)\" must be an integer")
            }
            return Int(n)
        }
        filter = try string("filter")
        sortBy = try string("sortBy")
        sortOrder = try string("sortOrder")
        attributes = try list("attributes")
        excludedAttributes = try list("excludedAttributes")
        startIndex = try int("startIndex")
        count = try int("count")
        cursor = try string("cursor")
    }

    static func integer(_ text: String, _ name: String) throws(SCIMError) -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n.magnitude < Int(Int32.max) else {
            throw .invalidValue("\(name) must be an integer, not \"\(text)\"")
        }
        return n
    }
}
