/// The `code` string of a Zscaler error body (`{"code":"EDIT_LOCK_NOT_AVAILABLE", ...}`), or the `id` of a
/// ZPA one (`{"id":"invalid.toomanyrequests", ...}`).
///
/// Open-ended on purpose: Zscaler adds codes without notice, so an unknown code is kept verbatim rather
/// than collapsed into "unknown". The static values are the ones the client itself reacts to or that
/// the reference saw on the wire (§5.1, §8.4).
public struct ZscalerErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // ZIA (§2.3, §2.4, §2.5, §3.5, §5.1, §5.3)
    public static let sessionNotValid = ZscalerErrorCode("SESSION_NOT_VALID")
    public static let editLockNotAvailable = ZscalerErrorCode("EDIT_LOCK_NOT_AVAILABLE")
    public static let authenticationFailed = ZscalerErrorCode("AUTHENTICATION_FAILED")
    public static let invalidUsernameOrPassword = ZscalerErrorCode("INVALID_USERNAME_OR_PASSWORD")
    public static let invalidInputArgument = ZscalerErrorCode("INVALID_INPUT_ARGUMENT")
    public static let duplicateItem = ZscalerErrorCode("DUPLICATE_ITEM")
    public static let resourceNotFound = ZscalerErrorCode("RESOURCE_NOT_FOUND")
    public static let resourceInUse = ZscalerErrorCode("RESOURCE_IN_USE")
    public static let stateReadOnly = ZscalerErrorCode("STATE_READONLY")
    public static let notSubscribed = ZscalerErrorCode("NOT_SUBSCRIBED")
    public static let scopeLimited = ZscalerErrorCode("SCOPE_LIMITED")
    public static let invalidOperation = ZscalerErrorCode("INVALID_OPERATION")
    public static let unexpectedError = ZscalerErrorCode("UNEXPECTED_ERROR")

    // ZPA (§8.4)
    public static let zpaTooManyRequests = ZscalerErrorCode("invalid.toomanyrequests")
    public static let zpaResourceNotFound = ZscalerErrorCode("resource.not.found")
    public static let zpaAccessDenied = ZscalerErrorCode("access.denied")
    public static let zpaConcurrentAccess = ZscalerErrorCode("api.concurrent.access.error")
    public static let zpaRetryableServerError = ZscalerErrorCode("retryable.server.error")

    // SCIM (RFC 7644 §3.12; ZPA's per-IdP server, §9.2): the `scimType` of a 409 for an existing userName
    // or displayName.
    public static let scimUniqueness = ZscalerErrorCode("uniqueness")
}
