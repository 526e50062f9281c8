import Foundation
import Testing
import ZscalerAPI
import ZscalerEmulator

extension ZscalerAPIIntegration {
    /// Sessions and tokens against the real emulator over loopback.
    @Suite("ZIA authentication against the emulator")
    struct ZIAAuthIntegrationTests {
        @Test("legacy login, a call, session check, logout (which activates)")
        func loginAndLogout() async throws {
            try await EmulatorHarness.with { harness in
                let client = try harness.ziaLegacy()
                try await client.authenticate()
                #expect(try await client.isSessionAlive())
                #expect(try await client.activationStatus().status == .active)
                let created = try await client.createUser(
                    ZIAUser(
                        name: "Pending Change", email: "pending@example.com", groups: [], department: ZIAReference(id: 25_000_001),
                        password: "Str0ng!Passw0rd"))
                #expect(created.id != nil)
                #expect(try await client.activationStatus().status == .pending)
                let status = try await client.logout()
                #expect(status?.status == .active)
                #expect(harness.emulator.activationStatus == "ACTIVE")
                #expect(await client.authenticationCount() == 1)
                #expect(harness.emulator.counters.totals.sessionsCreated == 1)
                #expect(try await client.logout() == nil, "a second logout has no session to end")
            }
        }

        @Test("wrong password and wrong API key fail once, with Zscaler's code, and are not retried")
        func badCredentials() async throws {
            try await EmulatorHarness.with { harness in
                for credentials in [
                    ZIALegacyCredentials(
                        username: harness.credentials.adminUsername, password: "Wrong-Passw0rd!", apiKey: Secret(harness.credentials.apiKey)
                    ),
                    ZIALegacyCredentials(
                        username: harness.credentials.adminUsername, password: Secret(harness.credentials.adminPassword),
                        apiKey: "ZZZZZZZZZZZZZZ"),
                ] {
                    let client = try ZIAClient(
                        configuration: ZIAConfiguration(
                            baseURL: try harness.url("/api/v1"), authentication: .legacy(credentials), options: harness.options(.zia)),
                        logger: .silent)
                    do throws(ZscalerAPIError) {
                        _ = try await client.activationStatus()
                        Issue.record("bad credentials were accepted")
                    } catch {
                        #expect(error.kind == .authenticationFailed)
                        #expect(error.status == 400)
                        #expect(error.zscalerCode == .authenticationFailed || error.zscalerCode == .invalidUsernameOrPassword)
                    }
                }
                #expect(harness.calls("POST /api/v1/authenticatedSession") == 2)
                #expect(harness.calls("GET /api/v1/status") == 0)
            }
        }

        @Test("an expired session answers 401; the client logs in again and retries once")
        func renewalAfterExpiry() async throws {
            try await EmulatorHarness.with { harness in
                // Proactive renewal off, so the expiry is only discovered through the 401.
                let client = try harness.ziaLegacy {
                    $0.sessionIdleTimeout = .seconds(86_400); $0.sessionMaximumLifetime = nil
                }
                _ = try await client.activationStatus()
                harness.emulator.expireAllSessions()
                _ = try await client.activationStatus()
                #expect(await client.authenticationCount() == 2)
                #expect(harness.statusCount("GET /api/v1/status", 401) == 1)
                #expect(harness.statusCount("GET /api/v1/status", 200) == 2)
            }
        }

        @Test("a session near its lifetime is renewed before use, without spending a call on a 401")
        func proactiveRenewal() async throws {
            // At time scale 0.002 the 5-minute session lasts 0.6 s; the client renews from 0.57 s.
            try await EmulatorHarness.with(timeScale: 0.002) { harness in
                let client = try harness.ziaLegacy()
                _ = try await client.activationStatus()
                try await Task.sleep(for: .milliseconds(650))
                _ = try await client.activationStatus()
                #expect(await client.authenticationCount() == 2)
                #expect(harness.statusCount("GET /api/v1/status", 401) == 0)
            }
        }

        @Test("OneAPI: the token is cached and refreshed before it expires")
        func oneAPITokens() async throws {
            var seed = SeedFixture.generated(userCount: 10)
            seed.oneAPI.clients[0].tokenLifetimeSeconds = 60  // 60 × 0.02 = 1.2 → expires_in 1 (real second)
            try await EmulatorHarness.with(timeScale: 0.02, seed: seed) { harness in
                let client = try harness.ziaOneAPI()
                let start = ContinuousClock.now
                var calls = 0
                while ContinuousClock.now - start < .milliseconds(2600) {
                    _ = try await client.activationStatus()
                    calls += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
                let fetches = await client.authenticationCount()
                #expect(fetches >= 3, "a 1-second token must be refreshed during 2.6 s of calls")
                #expect(fetches < calls, "tokens must be reused between calls")
                #expect(harness.statusCount("GET /zia/api/v1/status", 401) == 0, "refreshed before expiry, never after")
            }
        }

        @Test("OneAPI: a token revoked early answers 401; the client fetches a new one and retries once")
        func oneAPIRenewal() async throws {
            // The seed's tokens live 3,600 Zscaler seconds (36 real seconds here): only revocation ends them.
            try await EmulatorHarness.with { harness in
                let client = try harness.ziaOneAPI()
                _ = try await client.activationStatus()
                harness.emulator.expireAllSessions()
                _ = try await client.activationStatus()
                #expect(harness.statusCount("GET /zia/api/v1/status", 401) == 1)
                #expect(harness.statusCount("GET /zia/api/v1/status", 200) == 2)
                #expect(await client.authenticationCount() == 2)
            }
        }

        @Test("OneAPI: a wrong client secret is an authentication failure")
        func oneAPIBadSecret() async throws {
            try await EmulatorHarness.with { harness in
                let credentials = OneAPICredentials(
                    clientID: harness.credentials.oneAPIClientId, clientSecret: "not-the-secret",
                    tokenURL: try harness.url("/oauth2/v1/token"))
                let client = try ZIAClient(
                    configuration: ZIAConfiguration(
                        baseURL: try harness.url("/zia/api/v1"), authentication: .oneAPI(credentials), options: harness.options(.zia)),
                    logger: .silent)
                await #expect(throws: ZscalerAPIError.self) { try await client.activationStatus() }
                do throws(ZscalerAPIError) { _ = try await client.activationStatus() } catch {
                    #expect(error.kind == .authenticationFailed)
                }
            }
        }
    }
}
