import NIOHTTP1

/// A request before the pipeline turns it into bytes.
struct RequestSpec: Sendable {
    enum Target: Sendable {
        /// Appended to the API's base URL.
        case path(String)
        /// A different host (the ZIdentity token endpoint).
        case absolute(BaseURL)
    }

    var method: HTTPMethod
    var target: Target
    var query: [(String, String)]
    var body: [UInt8]?
    var contentType: String?
    var methodClass: MethodClass
    /// Whether sending the request twice has the effect of sending it once, which decides what the
    /// pipeline may resend after a failure that leaves the outcome unknown (a timeout or a broken
    /// connection after sending, a 5xx). A create sent twice can make two objects, or come back
    /// `DUPLICATE_ITEM` for the one the first attempt made, so it is not resent; its caller looks first
    /// (``RequestPipeline/createOnce(_:send:lookUp:)``).
    var idempotent: Bool

    /// - Parameter idempotent: nil takes the method's meaning (RFC 9110 §9.2.2: GET, HEAD, PUT, DELETE
    ///   and OPTIONS are idempotent; POST and PATCH are not). Pass true for a POST that is idempotent
    ///   by what it does (`/users/bulkDelete`, `/status/activate`, a login or token request).
    init(
        method: HTTPMethod, target: Target, query: [(String, String)] = [], body: [UInt8]? = nil, contentType: String? = nil,
        methodClass: MethodClass, idempotent: Bool? = nil
    ) {
        self.method = method
        self.target = target
        self.query = query
        self.body = body
        self.contentType = contentType
        self.methodClass = methodClass
        self.idempotent = idempotent ?? Self.isIdempotent(method)
    }

    static func isIdempotent(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .PUT, .DELETE, .OPTIONS: true
        default: false
        }
    }
}
