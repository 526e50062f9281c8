import Logging
import Testing
import ZscalerAPI
import ZscalerEmulator

/// A real emulator on 127.0.0.1 (ephemeral port) for one test, and clients pointed at it with the
/// matching time scale. The emulator's wire types are its own; the only thing shared is the socket.
struct EmulatorHarness: Sendable {
    let emulator: ZscalerEmulator
    let port: Int
    let timeScale: Double
    var credentials: SeedFixture.TestCredentials { SeedFixture.testCredentials }
    var seed: SeedFixture { emulator.seed }

    /// Runs `body` against a fresh emulator and always stops it afterwards. Whatever the test does, the
    /// client must not have broken a single rate limit.
    static func with<T: Sendable>(
        timeScale: Double = 0.01, seed: SeedFixture = .generated(userCount: 40),
        configure: (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: (EmulatorHarness) async throws -> T
    ) async throws -> T {
        var configuration = EmulatorConfiguration()
        configuration.timeScale = timeScale
        configuration.randomSeed = 7
        configure(&configuration)
        let emulator = try ZscalerEmulator(configuration: configuration, seed: seed)
        let port = try await emulator.start()
        let harness = EmulatorHarness(emulator: emulator, port: port, timeScale: timeScale)
        do {
            let result = try await body(harness)
            #expect(
                emulator.counters.totals.limitViolations == 0,
                "the client broke a rate limit: \(emulator.counters.routes.filter { $0.value.limitViolations > 0 })")
            await emulator.stop()
            return result
        } catch {
            await emulator.stop()
            throw error
        }
    }

    /// The same emulator reached through another port (an ``EmulatorRelay`` in front of it): clients
    /// built from the copy talk to the relay, counters and state are the emulator's.
    func relayed(through port: Int) -> EmulatorHarness { EmulatorHarness(emulator: emulator, port: port, timeScale: timeScale) }

    func url(_ path: String) throws -> BaseURL { try BaseURL("http://127.0.0.1:\(port)\(path)", allowUnlisted: true) }

    func options(_ policy: RateLimitPolicy, retry: RetryPolicy = .default, limiter: (any RateLimiting)? = nil) -> ClientOptions {
        ClientOptions(rateLimits: policy, limiter: limiter, retry: retry, timeScale: timeScale, requestTimeout: .seconds(10))
    }

    func legacyCredentials() -> ZIALegacyCredentials {
        ZIALegacyCredentials(
            username: credentials.adminUsername, password: Secret(credentials.adminPassword), apiKey: Secret(credentials.apiKey))
    }

    func ziaLegacy(
        retry: RetryPolicy = .default, policy: RateLimitPolicy = .zia, limiter: (any RateLimiting)? = nil,
        logger: Logger = Logger.silent, adjust: (inout ZIAConfiguration) -> Void = { _ in }
    ) throws -> ZIAClient {
        var configuration = ZIAConfiguration(
            baseURL: try url("/api/v1"), authentication: .legacy(legacyCredentials()),
            options: options(policy, retry: retry, limiter: limiter))
        adjust(&configuration)
        return try ZIAClient(configuration: configuration, logger: logger)
    }

    func ziaOneAPI(
        retry: RetryPolicy = .default, limiter: (any RateLimiting)? = nil, logger: Logger = Logger.silent,
        adjust: (inout ZIAConfiguration) -> Void = { _ in }
    ) throws -> ZIAClient {
        let credentials = OneAPICredentials(
            clientID: self.credentials.oneAPIClientId, clientSecret: Secret(self.credentials.oneAPIClientSecret),
            tokenURL: try url("/oauth2/v1/token"))
        var configuration = ZIAConfiguration(
            baseURL: try url("/zia/api/v1"), authentication: .oneAPI(credentials), options: options(.zia, retry: retry, limiter: limiter))
        adjust(&configuration)
        return try ZIAClient(configuration: configuration, logger: logger)
    }

    func zpa(logger: Logger = Logger.silent) throws -> ZPAClient {
        try ZPAClient(
            configuration: ZPAConfiguration(
                baseURL: try url(""), customerID: credentials.zpaCustomerId,
                credentials: ZPACredentials(clientID: credentials.zpaClientId, clientSecret: Secret(credentials.zpaClientSecret)),
                options: options(.zpa)),
            logger: logger)
    }

    func zpaSCIM(logger: Logger = Logger.silent) throws -> ZPASCIMClient {
        try ZPASCIMClient(
            configuration: ZPASCIMConfiguration(
                baseURL: try url("/scim/1/\(credentials.zpaIdpId)/v2"), token: Secret(credentials.zpaSCIMToken), options: options(.zpaSCIM)),
            logger: logger)
    }

    /// Calls the emulator saw for one route (`"GET /api/v1/users"`).
    func calls(_ route: String) -> Int { emulator.counters.routes[route]?.calls ?? 0 }

    func statusCount(_ route: String, _ status: Int) -> Int { emulator.counters.routes[route]?.statuses[String(status)] ?? 0 }
}

extension Logger {
    /// A logger that drops everything.
    static var silent: Logger {
        var logger = Logger(label: "zscaler-test-silent") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }
}
