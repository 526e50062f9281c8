import Foundation

/// A ZIA error exactly as it goes on the wire (reference §5.1): usually `{"code","message"}`,
/// sometimes code-only or message-only, some 404s with no body, and a plain-text body for
/// OneAPI-only endpoints on the legacy host.
struct ZIAError: WireError, Equatable {
    enum Body: Sendable, Equatable {
        case json(code: String?, message: String?)
        case empty
        case text(String)
    }

    var status: Int
    var body: Body
    var extraHeaders: [String: String] = [:]

    init(status: Int, body: Body, extraHeaders: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.extraHeaders = extraHeaders
    }

    init(_ status: Int, code: String?, message: String?) {
        self.init(status: status, body: .json(code: code, message: message))
    }

    var wireResponse: WireResponse {
        var response: WireResponse
        switch body {
        case .json(let code, let message):
            var members: [(String, WireResponse.OrderedValue)] = []
            if let code { members.append(("code", .string(code))) }
            if let message { members.append(("message", .string(message))) }
            response = .orderedJSON(status, members)
        case .empty:
            response = WireResponse(status: status)
        case .text(let text):
            response = WireResponse(status: status, headers: [("Content-Type", "text/plain;charset=UTF-8")], body: Data(text.utf8))
        }
        for (name, value) in extraHeaders.sorted(by: { $0.key < $1.key }) { response.headers.append((name, value)) }
        return response
    }

    // MARK: The errors the emulator sends (codes as seen on the wire, §5.1)

    static func invalidInput(_ message: String) -> ZIAError { .init(400, code: "INVALID_INPUT_ARGUMENT", message: message) }
    /// Malformed or wrongly typed JSON body: message only [C1].
    static let invalidBody = ZIAError(400, code: nil, message: "Request body is invalid.")
    static func notFound(_ message: String, empty: Bool) -> ZIAError {
        empty ? .init(status: 404, body: .empty) : .init(404, code: "RESOURCE_NOT_FOUND", message: message)
    }
    /// Expired or missing JSESSIONID. The message text is a guess (the GO SDK's mock) [INF].
    static let sessionNotValid = ZIAError(401, code: "SESSION_NOT_VALID", message: "Session is not valid")
    static func duplicate(status: Int, _ message: String) -> ZIAError { .init(status, code: "DUPLICATE_ITEM", message: message) }
    static func invalidOperation(_ message: String) -> ZIAError { .init(403, code: "INVALID_OPERATION", message: message) }
    static func resourceInUse(_ message: String) -> ZIAError { .init(400, code: "RESOURCE_IN_USE", message: message) }
    /// Code-only, as recorded.
    static let editLock = ZIAError(409, code: "EDIT_LOCK_NOT_AVAILABLE", message: nil)
    static let readOnly = ZIAError(
        status: 403,
        body: .json(code: "STATE_READONLY", message: "The API service is undergoing a scheduled upgrade and is in read-only mode."),
        extraHeaders: ["x-zscaler-mode": "read-only"])
    static let unexpected = ZIAError(
        500, code: "UNEXPECTED_ERROR", message: "An unexpected error has occurred, please contact Zscaler's support")
    static let unsupportedMediaType = ZIAError(415, code: nil, message: "Content-Type must be application/json")
    static let payloadTooLarge = ZIAError(413, code: nil, message: "Request body is too large.")
    /// Throttling variant the SDKs retry (§5.3). Its exact body is unknown; the SDKs key on the
    /// message, and `UNEXPECTED_ERROR` is the code they pair it with in their retry rules.
    static let resourceAccessBlocked = ZIAError(401, code: "UNEXPECTED_ERROR", message: "Resource Access Blocked")
    static let oneIdentityTenant = ZIAError.invalidOperation("Not allowed for one identity enabled tenants")
    /// Login failures (§2.4): which one applies to what is a guess [INF].
    static let authenticationFailed = ZIAError(400, code: "AUTHENTICATION_FAILED", message: "AUTHENTICATION_FAILED")
    static let invalidCredentials = ZIAError(400, code: "INVALID_USERNAME_OR_PASSWORD", message: "Invalid email or password")
    static func oneAPIOnly(status: Int) -> ZIAError {
        .init(status: status, body: .text("This API is accessible only through Zscaler OneAPI."))
    }
}

/// ZIA's 429 (§5.2): `retry-after` header in seconds and the body
/// `{"message":"Rate Limit (1/SECOND) exceeded","Retry-After":"1 seconds"}`.
struct ZIARateLimited: WireError {
    var window: String
    var retryAfter: String

    var wireResponse: WireResponse {
        WireResponse.orderedJSON(
            429, [("message", .string("Rate Limit (\(window)) exceeded")), ("Retry-After", .string("\(retryAfter) seconds"))]
        ).adding(header: "Retry-After", retryAfter)
    }
}
