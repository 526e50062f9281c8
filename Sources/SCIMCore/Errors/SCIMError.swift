/// The one error type of SCIM: an HTTP status, an optional `scimType` keyword and a detail for a
/// person. Everything the core rejects becomes one of these, so the server renders every failure
/// the same way (RFC 7644 §3.12) and never leaks a Swift error description.
public struct SCIMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `scimType` keywords of RFC 7644 Table 9, plus RFC 9865's cursor errors.
    public struct ErrorType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidFilter = ErrorType(rawValue: "invalidFilter")
        public static let tooMany = ErrorType(rawValue: "tooMany")
        public static let uniqueness = ErrorType(rawValue: "uniqueness")
        public static let mutability = ErrorType(rawValue: "mutability")
        public static let invalidSyntax = ErrorType(rawValue: "invalidSyntax")
        public static let invalidPath = ErrorType(rawValue: "invalidPath")
        public static let noTarget = ErrorType(rawValue: "noTarget")
        public static let invalidValue = ErrorType(rawValue: "invalidValue")
        public static let invalidVersion = ErrorType(rawValue: "invalidVers")
        public static let sensitive = ErrorType(rawValue: "sensitive")
        public static let invalidCursor = ErrorType(rawValue: "invalidCursor")
        public static let expiredCursor = ErrorType(rawValue: "expiredCursor")
    }

    public static let errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"

    public var status: Int
    public var scimType: ErrorType?
    public var detail: String
    /// Seconds after which the client may try again (`Retry-After`), for 503s raised when a
    /// request ran past its deadline or a tenant's scan slots were all taken.
    public var retryAfter: Int?

    public init(status: Int, scimType: ErrorType? = nil, detail: String, retryAfter: Int? = nil) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
        self.retryAfter = retryAfter
    }

    public var description: String {
        "\(status)\(scimType.map { " \($0)" } ?? ""): \(detail)"
    }

    /// The RFC 7644 §3.12 body; `status` is a string there.
    public var jsonValue: JSONValue {
        var body = JSONObject()
        body["schemas"] = .array([.string(SCIMError.errorSchema)])
        if let scimType { body["scimType"] = .string(scimType.rawValue) }
        body["detail"] = .string(detail)
        body["status"] = .string(String(status))
        return .object(body)
    }

    // Shorthands for the 400s the core raises.
    public static func invalidFilter(_ detail: String) -> SCIMError { .init(status: 400, scimType: .invalidFilter, detail: detail) }
    public static func invalidSyntax(_ detail: String) -> SCIMError { .init(status: 400, scimType: .invalidSyntax, detail: detail) }
    public static func invalidPath(_ detail: String) -> SCIMError { .init(status: 400, scimType: .invalidPath, detail: detail) }
    public static func invalidValue(_ detail: String) -> SCIMError { .init(status: 400, scimType: .invalidValue, detail: detail) }
    public static func noTarget(_ detail: String) -> SCIMError { .init(status: 400, scimType: .noTarget, detail: detail) }
    public static func mutability(_ detail: String) -> SCIMError { .init(status: 400, scimType: .mutability, detail: detail) }
    public static func tooMany(_ detail: String) -> SCIMError { .init(status: 400, scimType: .tooMany, detail: detail) }
    public static func uniqueness(_ detail: String) -> SCIMError { .init(status: 409, scimType: .uniqueness, detail: detail) }
    public static func notFound(_ detail: String) -> SCIMError { .init(status: 404, detail: detail) }
    /// 503 with `Retry-After`: the service is busy (deadline passed, scan slots taken), not broken.
    public static func unavailable(_ detail: String, retryAfter: Int) -> SCIMError {
        .init(status: 503, detail: detail, retryAfter: retryAfter)
    }
}

extension SCIMError {
    /// Wraps a JSON syntax error of a request body.
    public init(_ error: JSONParser.Error) {
        self = .invalidSyntax("Request body is not valid JSON: \(error.message) (line \(error.line), column \(error.column))")
    }
}
