/// Every failure of the Zscaler client: what kind of failure it was, and, when Zscaler answered, the
/// HTTP status and Zscaler's own error code and message.
///
/// Shaped like async-http-client's `HTTPClientError`: a public struct around a private enum, compared by
/// its ``Kind`` (`error.kind == .rateLimited`), so new kinds can be added without breaking callers'
/// exhaustive switches. It never carries a secret: the request is summarised as method and path only.
public struct ZscalerAPIError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, independent of the details.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration, invalidArgument, authenticationFailed, sessionExpired, http, notFound,
                rateLimited, hourlyBudgetExhausted, editLocked, serverError, transport, decoding, responseTooLarge,
                notSupported, cancelled, redirectRefused
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// A cloud name, base URL, credential or limit the client was built with is not usable.
        public static let invalidConfiguration = Kind(.invalidConfiguration)
        /// The caller passed something the API cannot take (checked before anything is sent).
        public static let invalidArgument = Kind(.invalidArgument)
        /// Zscaler refused the credentials (login, token or sign-in request).
        public static let authenticationFailed = Kind(.authenticationFailed)
        /// A call still answered 401 after the session or token was renewed once.
        public static let sessionExpired = Kind(.sessionExpired)
        /// Zscaler answered with a 4xx that is not retried (see ``status`` and ``zscalerCode``).
        public static let http = Kind(.http)
        /// 404, or ZPA's 400 `resource.not.found`.
        public static let notFound = Kind(.notFound)
        /// 429s (or "Resource Access Blocked") kept coming after the configured number of retries.
        public static let rateLimited = Kind(.rateLimited)
        /// Waiting for the client-side hourly budget would take longer than the caller allows.
        public static let hourlyBudgetExhausted = Kind(.hourlyBudgetExhausted)
        /// 409 `EDIT_LOCK_NOT_AVAILABLE` kept coming after the configured number of retries.
        public static let editLocked = Kind(.editLocked)
        /// 5xx kept coming after the configured number of retries.
        public static let serverError = Kind(.serverError)
        /// The connection failed (refused, reset, timed out) after the configured number of retries.
        public static let transport = Kind(.transport)
        /// The response body was not what the API documents.
        public static let decoding = Kind(.decoding)
        /// The response body was larger than the configured maximum.
        public static let responseTooLarge = Kind(.responseTooLarge)
        /// The operation exists only on another API flavour (e.g. group writes are OneAPI-only).
        public static let notSupported = Kind(.notSupported)
        /// The calling task was cancelled.
        public static let cancelled = Kind(.cancelled)
        /// Zscaler (or whatever answered in its place) sent a 3xx. Zscaler's APIs do not redirect, and
        /// following one would resend the request's credentials to another host, so it is refused and
        /// never retried. The message names the status and the `Location` host, nothing more.
        public static let redirectRefused = Kind(.redirectRefused)
    }

    public var kind: Kind
    /// HTTP status of the last response, when there was one.
    public var status: Int?
    /// Zscaler's `code` (ZIA) or `id` (ZPA) from the error body, when present.
    public var zscalerCode: ZscalerErrorCode?
    /// Zscaler's `message`/`reason`, or the client's own explanation.
    public var message: String
    /// `METHOD /path` of the request (no query, no body, no headers: nothing secret).
    public var request: String?
    /// How many attempts were made (1 when nothing was retried).
    public var attempts: Int
    /// The server's `Retry-After`, when the last response had one.
    public var retryAfter: Duration?
    /// The last attempt failed in a way that leaves its outcome unknown: a timeout or a broken
    /// connection after the request was sent, or a 5xx. For a write this means it may have been applied
    /// although it reported failure; a non-idempotent one (a create) was therefore not resent, and the
    /// caller should look before writing again. Reads have no effect, so for them it means nothing.
    public var mayHaveBeenApplied: Bool

    public init(
        _ kind: Kind, status: Int? = nil, zscalerCode: ZscalerErrorCode? = nil, message: String, request: String? = nil,
        attempts: Int = 1, retryAfter: Duration? = nil, mayHaveBeenApplied: Bool = false
    ) {
        self.kind = kind
        self.status = status
        self.zscalerCode = zscalerCode
        self.message = message
        self.request = request
        self.attempts = attempts
        self.retryAfter = retryAfter
        self.mayHaveBeenApplied = mayHaveBeenApplied
    }

    /// Zscaler refused a create because the object already exists: ZIA's `DUPLICATE_ITEM` (sent with 409
    /// or 400 depending on the endpoint) or a SCIM server's `uniqueness`. Decided by the code alone,
    /// never by the message, whose wording Zscaler changes freely. A reconciler adopts the existing
    /// object (``ZIAClient/findUser(email:name:)``) instead of failing.
    public var isDuplicate: Bool { zscalerCode == .duplicateItem || zscalerCode == .scimUniqueness }

    public var description: String {
        var parts = ["ZscalerAPIError.\(kind)"]
        if let request { parts.append(request) }
        if let status { parts.append("HTTP \(status)") }
        if let zscalerCode { parts.append(zscalerCode.rawValue) }
        if attempts > 1 { parts.append("after \(attempts) attempts") }
        if mayHaveBeenApplied { parts.append("(outcome unknown)") }
        return parts.joined(separator: " ") + ": " + message
    }

    static func invalidConfiguration(_ message: String) -> ZscalerAPIError { .init(.invalidConfiguration, message: message) }
    static func invalidArgument(_ message: String) -> ZscalerAPIError { .init(.invalidArgument, message: message) }
    static func notSupported(_ message: String) -> ZscalerAPIError { .init(.notSupported, message: message) }
    static let cancelled = ZscalerAPIError(.cancelled, message: "the task was cancelled")
}
