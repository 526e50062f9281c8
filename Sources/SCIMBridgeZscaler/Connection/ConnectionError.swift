/// Every failure of storing, opening or checking a tenant's Zscaler connection, with a message an
/// operator can act on.
///
/// Shaped like ``ZscalerAPIError``: a struct around a private enum, compared by its ``Kind``
/// (`error.kind == .wrongKey`), so callers branch on the kind and never on the message, and new
/// kinds can be added without breaking anyone. The message never carries a secret.
public struct ConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidSettings, missingSecret, secretKey, keyFilePermissions, wrongKey, corrupted, unlistedHost,
                authenticationFailed, unreachable, zscalerRefused, metadata, policy, store
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The connection's settings are incomplete or contradict each other (checked before
        /// anything is sent or stored).
        public static let invalidSettings = Kind(.invalidSettings)
        /// A secret's file or environment variable is missing or empty.
        public static let missingSecret = Kind(.missingSecret)
        /// `ZSCIM_SECRET_KEY` or the key file is not a usable 256-bit key, or the key file cannot
        /// be created or read.
        public static let secretKey = Kind(.secretKey)
        /// The key file can be read by group or others: refused, as ssh refuses such a key.
        public static let keyFilePermissions = Kind(.keyFilePermissions)
        /// The secrets were sealed with another key than the one loaded.
        public static let wrongKey = Kind(.wrongKey)
        /// Sealed bytes or stored settings are damaged or were altered.
        public static let corrupted = Kind(.corrupted)
        /// The base or token URL is not a Zscaler cloud host (or is plain http) and
        /// `allowUnlistedHost` is off.
        public static let unlistedHost = Kind(.unlistedHost)
        /// Zscaler refused the credentials.
        public static let authenticationFailed = Kind(.authenticationFailed)
        /// Nothing usable answered at the URL (connection refused, timeout, a redirect, 5xx).
        public static let unreachable = Kind(.unreachable)
        /// Zscaler answered, but refused what the check asked for (permissions, rate limit, …).
        public static let zscalerRefused = Kind(.zscalerRefused)
        /// The SAML metadata file could not be read or says nothing about a ZIA cloud.
        public static let metadata = Kind(.metadata)
        /// The tenant policy is invalid.
        public static let policy = Kind(.policy)
        /// The store failed.
        public static let store = Kind(.store)
    }

    public var kind: Kind
    /// For a person: what is wrong and what to do about it.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
