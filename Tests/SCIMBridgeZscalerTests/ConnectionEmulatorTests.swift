import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import SCIMBridge
import SCIMBridgeZscaler
import Testing
import ZscalerAPI
import ZscalerEmulator

/// `check` (what `tenant connect` runs) against the real emulator on 127.0.0.1: the emulator's
/// credentials log in over both APIs, wrong ones fail as bad credentials, and an unlisted host
/// is refused before anything is sent.
@Suite("Connecting to the emulator")
struct ConnectionEmulatorTests {
    static let timeScale = 0.01
    static var credentials: SeedFixture.TestCredentials { SeedFixture.testCredentials }

    static var logger: Logger {
        var logger = Logger(label: "connection-tests") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }

    /// A fresh emulator for `body`, always stopped; it must count no rate-limit violation.
    static func withEmulator<T: Sendable>(_ body: (ZscalerEmulator, Int) async throws -> T) async throws -> T {
        var configuration = EmulatorConfiguration()
        configuration.timeScale = timeScale
        configuration.randomSeed = 7
        let emulator = try ZscalerEmulator(configuration: configuration, seed: .generated(userCount: 5))
        let port = try await emulator.start()
        do {
            let result = try await body(emulator, port)
            #expect(emulator.counters.totals.limitViolations == 0)
            await emulator.stop()
            return result
        } catch {
            await emulator.stop()
            throw error
        }
    }

    static func legacy(port: Int, password: String = credentials.adminPassword) -> ZscalerConnection {
        .legacy(
            baseURL: "http://127.0.0.1:\(port)/api/v1", username: credentials.adminUsername, password: password,
            apiKey: credentials.apiKey, allowUnlistedHost: true, rateScale: timeScale)
    }

    static func oneAPI(port: Int, secret: String = credentials.oneAPIClientSecret) -> ZscalerConnection {
        .oneAPI(
            baseURL: "http://127.0.0.1:\(port)/zia/api/v1", vanityDomain: nil, clientID: credentials.oneAPIClientId,
            clientSecret: secret, tokenURL: "http://127.0.0.1:\(port)/oauth2/v1/token", allowUnlistedHost: true, rateScale: timeScale)
    }

    static func failure(_ connection: ZscalerConnection, policy: TenantPolicy? = nil) async -> ConnectionError? {
        do {
            _ = try await connection.check(logger: logger, policy: policy, requestTimeout: .seconds(3))
            return nil
        } catch {
            return error
        }
    }

    @Test("legacy: the emulator's admin and API key log in and read the activation status")
    func legacyLogin() async throws {
        try await Self.withEmulator { emulator, port in
            let report = try await Self.legacy(port: port).check(logger: Self.logger)
            #expect(report.baseURL == "http://127.0.0.1:\(port)/api/v1")
            #expect(!report.activationStatus.isEmpty)
            #expect(report.tokenURL == nil)
            #expect(emulator.counters.totals.sessionsCreated == 1)
        }
    }

    @Test("OneAPI: the emulator's client credentials get a token and read the activation status")
    func oneAPILogin() async throws {
        try await Self.withEmulator { emulator, port in
            let report = try await Self.oneAPI(port: port).check(logger: Self.logger)
            #expect(report.tokenURL == "http://127.0.0.1:\(port)/oauth2/v1/token")
            #expect(!report.activationStatus.isEmpty)
            #expect(emulator.counters.totals.tokensIssued == 1)
        }
    }

    @Test("a wrong password or client secret fails as authenticationFailed, saying what to check")
    func wrongCredentials() async throws {
        try await Self.withEmulator { _, port in
            let legacy = try #require(await Self.failure(Self.legacy(port: port, password: "Wrong-Passw0rd!")))
            #expect(legacy.kind == .authenticationFailed, "\(legacy)")
            #expect(legacy.message.contains("password") && !legacy.message.contains("Wrong-Passw0rd!"))
            let oneAPI = try #require(await Self.failure(Self.oneAPI(port: port, secret: "not-the-secret")))
            #expect(oneAPI.kind == .authenticationFailed, "\(oneAPI)")
            #expect(!oneAPI.message.contains("not-the-secret"))
        }
    }

    @Test("a plain emulator URL without allowUnlistedHost is refused before any call")
    func unlistedHostRefused() async throws {
        try await Self.withEmulator { emulator, port in
            var connection = Self.legacy(port: port)
            connection.allowUnlistedHost = false
            connection.rateScale = 1
            let error = try #require(await Self.failure(connection))
            #expect(error.kind == .unlistedHost, "\(error)")
            #expect(emulator.counters.totals.calls == 0)
        }
    }

    @Test("nothing listening fails as unreachable")
    func unreachable() async throws {
        // A port the emulator just released: nothing listens there any more.
        let port = try await Self.withEmulator { _, port in port }
        let error = try #require(await Self.failure(Self.legacy(port: port)))
        #expect(error.kind == .unreachable, "\(error)")
    }

    @Test("a policy naming a missing department or group warns; existing ones do not")
    func policyLookups() async throws {
        try await Self.withEmulator { _, port in
            var policy = TenantPolicy()
            policy.defaultDepartment = "Department 1"
            policy.quarantineGroup = "No Such Group"
            let report = try await Self.legacy(port: port).check(logger: Self.logger, policy: policy)
            #expect(report.warnings.count == 1)
            #expect(report.warnings.first?.contains("No Such Group") == true)
        }
    }

    @Test("a stored connection loads into a client that logs in")
    func storedConnectionMakesAClient() async throws {
        try await Self.withEmulator { _, port in
            try await ConnectionStoreTests.withStore { store, tenantID, _ in
                let box = SecretBox(key: SymmetricKey(size: .bits256))
                try await TenantConnections.save(
                    Self.oneAPI(port: port), policy: TenantPolicy(), tenantID: tenantID, store: store, box: box, at: .now())
                let loaded = try #require(try await TenantConnections.load(tenantID: tenantID, store: store, box: box))
                let client = try loaded.connection.makeClient(httpClient: ZscalerHTTPClient.shared, logger: Self.logger)
                try await client.authenticate()
                #expect(client.configuration.isOneAPI)
                #expect(client.configuration.options.timeScale == Self.timeScale)
            }
        }
    }
}
