/// `ActivationStatus` (reference §6): what `GET /status`, `POST /status/activate` and the legacy logout
/// return.
public struct ZIAActivationStatus: Codable, Sendable, Hashable {
    public var status: State

    public init(status: State) { self.status = status }

    /// Open-ended: only `ACTIVE` was ever observed; the others come from one captured page.
    public struct State: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }
        public var description: String { rawValue }

        public static let active = State(rawValue: "ACTIVE")
        public static let pending = State(rawValue: "PENDING")
        public static let inProgress = State(rawValue: "INPROGRESS")
    }
}

/// `SessionInfo` from `POST /authenticatedSession` (reference §2.1). ZIdentity-enabled tenants omit the
/// password-expiry fields, so everything but `authType` is optional, and `authType` itself is optional
/// because an expired session's `GET` answers 200 without it.
public struct ZIASessionInfo: Codable, Sendable, Hashable {
    public var authType: String?
    public var obfuscateApiKey: Bool?
    public var passwordExpiryTime: Int64?
    public var passwordExpiryDays: Int?

    public init(authType: String?, obfuscateApiKey: Bool? = nil, passwordExpiryTime: Int64? = nil, passwordExpiryDays: Int? = nil) {
        self.authType = authType
        self.obfuscateApiKey = obfuscateApiKey
        self.passwordExpiryTime = passwordExpiryTime
        self.passwordExpiryDays = passwordExpiryDays
    }
}

/// The legacy login body (reference §2.1): the API key goes out obfuscated, with the timestamp used.
struct ZIALoginRequest: Codable, Sendable {
    var username: String
    var password: String
    var apiKey: String
    var timestamp: String
}
