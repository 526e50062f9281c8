import Testing
import ZscalerAPI

extension ZscalerAPIIntegration {
    /// A 3xx is refused, never followed: the clients' default `HTTPClient` does not follow redirects,
    /// and the pipeline turns the 3xx into ``ZscalerAPIError/Kind/redirectRefused``. A second loopback
    /// server stands for the host the redirect points to and must see nothing: no login body, no client
    /// secret, no token.
    @Suite("Redirects are refused")
    struct RedirectIntegrationTests {
        static let options = ClientOptions(rateLimits: RateLimitPolicy(windows: [:]), retry: .default, requestTimeout: .seconds(5))

        /// Runs `call` against a server that redirects every request (`status`) to another loopback port,
        /// and checks the refusal and that the other port received nothing.
        func expectRefused(
            status: Int, _ call: @Sendable (_ base: String) async throws(ZscalerAPIError) -> Void
        ) async throws {
            let elsewhere = try LoopbackHTTPServer { _ in .respond(.json(200, "{}")) }
            defer { elsewhere.stop() }
            let redirector = try LoopbackHTTPServer { request in
                .respond(.init(status: status, headers: [("Location", "http://127.0.0.1:\(elsewhere.port)\(request.path)?leak=please")]))
            }
            defer { redirector.stop() }
            do throws(ZscalerAPIError) {
                try await call("http://127.0.0.1:\(redirector.port)")
                Issue.record("the call succeeded through a redirect")
            } catch {
                #expect(error.kind == .redirectRefused && error.status == status && error.attempts == 1, "\(error)")
                #expect(error.message.contains("host 127.0.0.1"), "\(error.message)")
                #expect(!error.message.contains("leak") && !error.message.contains("/"), "names the host only: \(error.message)")
            }
            #expect(redirector.requests.count == 1, "refused, not retried")
            #expect(elsewhere.connections == 0 && elsewhere.requests.isEmpty, "the other host received nothing")
        }

        @Test("a 307 on the legacy login: the password and API key go nowhere else")
        func legacyLogin() async throws {
            try await expectRefused(status: 307) { base throws(ZscalerAPIError) in
                let credentials = ZIALegacyCredentials(username: "admin@example.com", password: "Passw0rd!", apiKey: "Xk3p9TqL2vRb")
                let client = try ZIAClient(
                    configuration: ZIAConfiguration(
                        baseURL: try BaseURL("\(base)/api/v1", allowUnlisted: true), authentication: .legacy(credentials),
                        options: Self.options),
                    logger: .silent)
                try await client.authenticate()
            }
        }

        @Test("a 308 on the OneAPI token request: the client secret goes nowhere else")
        func oneAPIToken() async throws {
            try await expectRefused(status: 308) { base throws(ZscalerAPIError) in
                let credentials = OneAPICredentials(
                    clientID: "client", clientSecret: "oneapi-secret-0123456789",
                    tokenURL: try BaseURL("\(base)/oauth2/v1/token", allowUnlisted: true))
                let client = try ZIAClient(
                    configuration: ZIAConfiguration(
                        baseURL: try BaseURL("\(base)/zia/api/v1", allowUnlisted: true), authentication: .oneAPI(credentials),
                        options: Self.options),
                    logger: .silent)
                try await client.authenticate()
            }
        }

        @Test("a 302 on a ZPA SCIM read: the bearer token goes nowhere else")
        func scimRead() async throws {
            try await expectRefused(status: 302) { base throws(ZscalerAPIError) in
                let client = try ZPASCIMClient(
                    configuration: ZPASCIMConfiguration(
                        baseURL: try BaseURL("\(base)/scim/1/7/v2", allowUnlisted: true), token: "scim-token-0123456789",
                        options: Self.options),
                    logger: .silent)
                _ = try await client.user(id: "u-1")
            }
        }
    }
}
