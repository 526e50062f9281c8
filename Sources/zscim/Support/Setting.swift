/// Every setting zscim reads, in one table: its key in the JSON config file (the raw value), its
/// environment variable, its flag and its type. The loader, the config file check, the messages
/// and `serve --print-config` all read this table, so a setting cannot exist in one place and be
/// missing from another.
enum Setting: String, CaseIterable, Sendable {
    case database
    case schemas
    case secretKeyFile
    case secretKey
    case host
    case port
    case publicBaseURL
    case anonymousDiscovery
    case groupPatchNoContent
    case logLevel
    case allowedHosts
    case trustedProxies
    case idleTimeout
    case maxConnections
    case requestTimeout
    case readinessTimeout

    enum Kind: Sendable {
        case string
        case integer
        case boolean
        /// A number of seconds (fractions allowed), greater than zero.
        case seconds
        /// A list of strings: a JSON array, a comma-separated environment variable, a repeated flag.
        case strings

        var expectation: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .boolean: return "true or false"
            case .seconds: return "a number of seconds"
            case .strings: return "a list of strings"
            }
        }
    }

    var kind: Kind {
        switch self {
        case .database, .schemas, .secretKeyFile, .secretKey, .host, .publicBaseURL, .logLevel: return .string
        case .port, .maxConnections: return .integer
        case .anonymousDiscovery, .groupPatchNoContent: return .boolean
        case .idleTimeout, .requestTimeout, .readinessTimeout: return .seconds
        case .allowedHosts, .trustedProxies: return .strings
        }
    }

    var environmentVariable: String {
        switch self {
        case .database: return "ZSCIM_DATABASE"
        case .schemas: return "ZSCIM_SCHEMAS"
        case .secretKeyFile: return "ZSCIM_SECRET_KEY_FILE"
        case .secretKey: return "ZSCIM_SECRET_KEY"
        case .host: return "ZSCIM_HOST"
        case .port: return "ZSCIM_PORT"
        case .publicBaseURL: return "ZSCIM_PUBLIC_BASE_URL"
        case .anonymousDiscovery: return "ZSCIM_ANONYMOUS_DISCOVERY"
        case .groupPatchNoContent: return "ZSCIM_GROUP_PATCH_NO_CONTENT"
        case .logLevel: return "ZSCIM_LOG_LEVEL"
        case .allowedHosts: return "ZSCIM_ALLOWED_HOSTS"
        case .trustedProxies: return "ZSCIM_TRUSTED_PROXIES"
        case .idleTimeout: return "ZSCIM_IDLE_TIMEOUT"
        case .maxConnections: return "ZSCIM_MAX_CONNECTIONS"
        case .requestTimeout: return "ZSCIM_REQUEST_TIMEOUT"
        case .readinessTimeout: return "ZSCIM_READINESS_TIMEOUT"
        }
    }

    /// The flag that sets it (`serve`'s flags for the server settings); nil when none does.
    var flag: String? {
        switch self {
        case .database: return "--database"
        case .schemas: return "--schemas"
        case .secretKeyFile: return "--secret-key-file"
        case .secretKey: return nil
        case .host: return "--host"
        case .port: return "--port"
        case .publicBaseURL: return "--public-base-url"
        case .anonymousDiscovery: return "--require-token-for-discovery"
        case .groupPatchNoContent: return "--group-patch-no-content"
        case .logLevel: return "--log-level"
        case .allowedHosts: return "--allowed-host"
        case .trustedProxies: return "--trusted-proxy"
        case .idleTimeout: return "--idle-timeout"
        case .maxConnections: return "--max-connections"
        case .requestTimeout: return "--request-timeout"
        case .readinessTimeout: return "--readiness-timeout"
        }
    }

    /// Redacted wherever settings are printed or logged.
    var isSecret: Bool { self == .secretKey }

    /// The key that encrypts Zscaler credentials stays out of the config file, which is copied
    /// around and checked in far more often than the environment of a secret manager.
    var allowedInFile: Bool { !isSecret }

    static var fileKeys: [String] { allCases.filter(\.allowedInFile).map(\.rawValue).sorted() }
}
