import Logging
import TestSupport
import Testing
import ZscalerAPI
import ZscalerEmulator

extension ZscalerAPIIntegration {
    /// Every request and response logged at trace level, with bodies, and not one secret in the text.
    @Suite("Redacted logging against the emulator")
    struct LoggingIntegrationTests {
        @Test("no password, API key, session id, token or client secret reaches the log")
        func noSecretsInLogs() async throws {
            let (logger, store) = CapturingLogHandler.logger(level: .trace)
            try await EmulatorHarness.with { harness in
                let legacy = try harness.ziaLegacy(logger: logger)
                _ = try await legacy.users(name: "User 1").collect()
                harness.emulator.expireAllSessions()  // forces a second login and a 401 in the log
                _ = try await legacy.activationStatus()
                _ = try await legacy.logout()
                let oneAPI = try harness.ziaOneAPI(limiter: legacy.limiter, logger: logger)
                _ = try await oneAPI.groups().collect()
                let zpa = try harness.zpa(logger: logger)
                _ = try await zpa.identityProviders().collect()
                let scim = try harness.zpaSCIM(logger: logger)
                _ = try await scim.users().collect()
            }
            let text = store.text
            let credentials = SeedFixture.testCredentials
            #expect(store.all.count > 20, "the client logs requests and responses at trace level")
            #expect(text.contains("POST /authenticatedSession") || text.contains("authenticatedSession"))
            #expect(text.contains("<redacted>"))
            for secret in [
                credentials.adminPassword, credentials.apiKey, String(credentials.apiKey.prefix(12)), credentials.oneAPIClientSecret,
                credentials.zpaClientSecret, credentials.zpaSCIMToken,
            ] {
                #expect(!text.contains(secret), "a secret reached the log")
            }
            // Session ids (32 upper-case hex) and bearer tokens must only ever appear redacted.
            #expect(text.firstMatch(of: /JSESSIONID=[0-9A-F]{16,}/) == nil)
            #expect(text.firstMatch(of: /Bearer [A-Za-z0-9\-_.]{8,}/) == nil)
            #expect(text.firstMatch(of: /"access_token":"[^<]/) == nil)
            #expect(text.firstMatch(of: /"apiKey":"[^<]/) == nil)
        }
    }
}
