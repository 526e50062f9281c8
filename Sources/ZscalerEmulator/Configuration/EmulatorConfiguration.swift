import Foundation

/// Everything that shapes the emulator's behaviour, in one value.
///
/// Durations that model *Zscaler's* clock (rate-limit windows, session and token lifetimes, the edit
/// lock's wait, a write's processing time) are given in Zscaler seconds and multiplied by
/// `timeScale`, so a test can run an hour of rate limiting in 36 s (`timeScale = 0.01`). Durations
/// that a test sets directly for a fault (added latency, a 429 storm, an edit-lock hold) are real
/// seconds and never scaled. Clock-skew checks (the login timestamp window) are not scaled either:
/// they compare wall clocks, not elapsed time.
///
/// Where the reference is unsure, the default is the stricter reading and a field here switches it;
/// each such field says so in its doc comment.
///
/// The executable reads it from flags, `ZSCALER_EMULATOR_…` environment variables and a JSON file
/// through swift-configuration (``load(_:over:accessLog:)``; every key is in ``keys``). Not `Codable`:
/// it may hold ``credentials``, and printing it (``description``) redacts them.
public struct EmulatorConfiguration: Sendable, Equatable {
    /// Address to bind. Loopback by default: the emulator is a test double, never a public service.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free ephemeral port (the bound one is reported after start).
    public var port: Int = 0
    /// How clients reach the emulator (see ``PublicScheme``): `http` unless a TLS proxy fronts it.
    public var publicScheme: PublicScheme = .http
    /// Multiplier for every Zscaler duration (see the type's doc). 1 = real time.
    public var timeScale: Double = 1
    /// Enables the `/__emulator/…` control routes (state view, counters, faults, reset). Off by
    /// default so nothing answers there that a real Zscaler would not.
    public var controlEnabled: Bool = false
    /// Where to load state from at start (if the file exists) and save it to after changes and at
    /// shutdown. `nil` keeps state in memory only.
    public var statePath: String?
    /// Real seconds to wait after a change before saving, so a burst of writes is one save.
    public var saveDebounceSeconds: Double = 0.5
    /// Largest request body accepted, in bytes (a bulkDelete of 500 ids is a few KiB).
    public var maxBodyBytes: Int = 1 << 20
    /// Seed for the fault injector's random choices; `nil` seeds from the system generator.
    public var randomSeed: UInt64?

    public var sessions = SessionPolicy()
    public var zia = ZIABehaviour()
    public var zpa = ZPABehaviour()
    public var rateLimits = EmulatedRateLimits()
    public var editLock = EditLockPolicy()
    public var faults = FaultSettings()
    /// The fake tenant's secrets, when given here instead of by the seed fixture.
    public var credentials = CredentialOverrides()

    public init() {}

    /// A Zscaler duration in seconds, scaled to real time.
    public func scaled(_ zscalerSeconds: Double) -> Duration {
        .nanoseconds(Int64((zscalerSeconds * timeScale * 1e9).rounded()))
    }

    /// Checks the values a person could get wrong in a config file.
    public func validate() throws(EmulatorConfigurationError) {
        guard timeScale > 0, timeScale.isFinite else {
            throw .init("timeScale must be a positive number, got \(timeScale)", key: "timeScale")
        }
        guard (0...65535).contains(port) else { throw .init("port must be 0...65535, got \(port)", key: "port") }
        guard maxBodyBytes > 0 else { throw .init("maxBodyBytes must be positive", key: "maxBodyBytes") }
        guard sessions.idleTimeoutSeconds > 0 else {
            throw .init("sessions.idleTimeoutSeconds must be positive", key: "sessions.idleTimeoutSeconds")
        }
        try rateLimits.validate()
        try faults.validate()
        try credentials.validate()
    }
}

/// A configuration value that makes no sense, with a message for a person.
public struct EmulatorConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The configuration key (`sessions.idleTimeoutSeconds`) or environment variable the problem is
    /// about, when it is about one.
    public var key: String?

    public init(_ description: String, key: String? = nil) {
        self.description = description
        self.key = key
    }
}

/// Sessions and tokens (reference §2.3, §7.1, §8.1).
public struct SessionPolicy: Sendable, Codable, Equatable {
    /// ZIA `JSESSIONID` idle lifetime: 5 minutes in current docs [C2].
    public var idleTimeoutSeconds: Double = 300
    /// Absolute lifetime from login. The docs say "expires in 5 minutes"; whether that is idle or
    /// absolute is unknown (§12), so the stricter reading — also 5 minutes from login — is the
    /// default. `nil` makes sessions idle-only, as the SDKs assume.
    public var absoluteTimeoutSeconds: Double? = 300
    /// How far the login `timestamp` may be from the emulator's clock. The docs say "within a
    /// two-hour window"; the stricter reading is ±1 h (a window two hours wide). Not scaled.
    public var timestampToleranceSeconds: Double = 3600
    /// Logging out (`DELETE /authenticatedSession`) activates pending changes [C2].
    public var activateOnLogout: Bool = true
    /// Whether a session that times out activates pending changes. The portal does so after its
    /// own 30-minute idle timeout; for API sessions nothing says so, so the stricter default is no.
    public var activateOnSessionExpiry: Bool = false
    /// Most live sessions kept; the oldest is dropped past this (bounded memory).
    public var maxSessions: Int = 10_000
    /// ZPA `/signin` token lifetime: 3,600 s [C1 HELP].
    public var zpaTokenLifetimeSeconds: Double = 3600
    /// Most live bearer tokens kept per issuer.
    public var maxTokens: Int = 10_000

    public init() {}
}

/// The edit lock (reference §5.3).
public struct EditLockPolicy: Sendable, Codable, Equatable {
    /// How long a write waits for the tenant-global lock before answering 409. Recordings show
    /// the real server waiting ~30 s [C1]; the stricter default answers at once, so a client that
    /// sends writes concurrently sees the conflict. Zscaler seconds.
    public var waitSeconds: Double = 0
    /// How long each write holds the lock (its processing time). Zscaler seconds.
    public var writeHoldSeconds: Double = 0.1

    public init() {}
}
