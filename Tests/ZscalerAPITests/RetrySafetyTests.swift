import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import ZscalerAPI

/// Which requests are sent again after which failures, against a scripted loopback server: a create
/// (POST) is not resent after a 5xx or a broken connection, since the server may have made the object;
/// PUT, GET and the POSTs that are idempotent by what they do are; throttling and the edit lock, which
/// mean "not applied", are retried for everything. And no wait exceeds the policy's ceilings.
@Suite("Retry safety: what is resent, and for how long")
struct RetrySafetyTests {
    static let fast = RetryPolicy(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(4), editLockBaseDelay: .milliseconds(1))
    static let scimUsers = "/scim/1/7/v2/Users"
    static let userJSON = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-1","userName":"ada@example.com"}"#

    func scim(_ server: LoopbackHTTPServer, retry: RetryPolicy = fast) throws -> ZPASCIMClient {
        try ZPASCIMClient(
            configuration: ZPASCIMConfiguration(
                baseURL: try BaseURL("http://127.0.0.1:\(server.port)/scim/1/7/v2", allowUnlisted: true), token: "scim-token-0123456789",
                options: ClientOptions(rateLimits: RateLimitPolicy(windows: [:]), retry: retry, requestTimeout: .seconds(5))),
            logger: .silent)
    }

    static let newUser = ZPASCIMUser(userName: "ada@example.com")
    static let knownUser = ZPASCIMUser(id: "u-1", userName: "ada@example.com")

    @Test("a 5xx: POST is not resent, PUT is, up to the bound")
    func serverErrorByMethod() async throws {
        let server = try LoopbackHTTPServer { _ in EmulatorRelay.unexpectedError }
        defer { server.stop() }
        let client = try scim(server)
        do throws(ZscalerAPIError) {
            _ = try await client.createUser(Self.newUser)
            Issue.record("created against a failing server")
        } catch {
            #expect(error.kind == .serverError && error.status == 500 && error.attempts == 1, "\(error)")
            #expect(error.mayHaveBeenApplied)
        }
        #expect(server.requests("POST \(Self.scimUsers)") == 1, "a create is sent once")

        do throws(ZscalerAPIError) {
            _ = try await client.replaceUser(Self.knownUser)
            Issue.record("replaced against a failing server")
        } catch {
            #expect(error.kind == .serverError && error.attempts == Self.fast.serverErrorRetries + 1, "\(error)")
            #expect(error.mayHaveBeenApplied)
        }
        #expect(server.requests("PUT \(Self.scimUsers)/u-1") == Self.fast.serverErrorRetries + 1)
    }

    @Test("a connection dropped after sending: POST is not resent, PUT is")
    func droppedConnectionByMethod() async throws {
        let server = try LoopbackHTTPServer { _ in .drop }
        defer { server.stop() }
        let client = try scim(server)
        do throws(ZscalerAPIError) {
            _ = try await client.createUser(Self.newUser)
            Issue.record("created against a server that drops every connection")
        } catch {
            #expect(error.kind == .transport && error.attempts == 1 && error.mayHaveBeenApplied, "\(error)")
        }
        #expect(server.requests("POST \(Self.scimUsers)") == 1)

        do throws(ZscalerAPIError) {
            _ = try await client.replaceUser(Self.knownUser)
            Issue.record("replaced against a server that drops every connection")
        } catch {
            #expect(error.kind == .transport && error.attempts == Self.fast.transportRetries + 1, "\(error)")
        }
        #expect(server.requests("PUT \(Self.scimUsers)/u-1") == Self.fast.transportRetries + 1)
    }

    @Test("throttling and the edit lock mean 'not applied': a POST is retried through them")
    func postRetriedWhenNotApplied() async throws {
        let seen = Occurrences()
        let server = try LoopbackHTTPServer { request in
            switch seen.next(request.route) {
            case 1: .respond(.json(429, #"{"detail":"Too many requests","status":"429"}"#, headers: [("Retry-After", "0")]))
            case 2: .respond(.json(409, #"{"id":"api.concurrent.access.error","reason":"busy"}"#))
            default: .respond(.json(201, Self.userJSON))
            }
        }
        defer { server.stop() }
        let created = try await scim(server).createUser(Self.newUser)
        #expect(created.id == "u-1")
        #expect(server.requests("POST \(Self.scimUsers)") == 3)
    }

    @Test("POST /status/activate and POST /users/bulkDelete are idempotent: resent after a 5xx")
    func idempotentPosts() async throws {
        let seen = Occurrences()
        let server = try LoopbackHTTPServer { request in
            switch (request.route, seen.next(request.route)) {
            case ("POST /oauth2/v1/token", _):
                .respond(.json(200, #"{"access_token":"token-0123456789abcdef","token_type":"Bearer","expires_in":3600}"#))
            case (_, 1): .respond(.json(503, #"{"code":"UNEXPECTED_ERROR"}"#))
            case ("POST /zia/api/v1/status/activate", _): .respond(.json(200, #"{"status":"ACTIVE"}"#))
            case ("POST /zia/api/v1/users/bulkDelete", _): .respond(.json(200, #"{"ids":[1,2]}"#))
            default: .respond(.json(404, "{}"))
            }
        }
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let client = try ZIAClient(
            configuration: ZIAConfiguration(
                baseURL: try BaseURL("\(base)/zia/api/v1", allowUnlisted: true),
                authentication: .oneAPI(
                    OneAPICredentials(
                        clientID: "client", clientSecret: "secret-0123456789",
                        tokenURL: try BaseURL("\(base)/oauth2/v1/token", allowUnlisted: true))),
                options: ClientOptions(rateLimits: RateLimitPolicy(windows: [:]), retry: Self.fast, requestTimeout: .seconds(5))),
            logger: .silent)
        #expect(try await client.activate().status == .active)
        #expect(try await client.bulkDeleteUsers(ids: [1, 2]) == [1, 2])
        #expect(server.requests("POST /zia/api/v1/status/activate") == 2)
        #expect(server.requests("POST /zia/api/v1/users/bulkDelete") == 2)
    }

    @Test("a Retry-After beyond the ceiling fails at once, for the edit lock and for a 5xx alike")
    func retryAfterCeiling() async throws {
        let server = try LoopbackHTTPServer { request in
            request.method == "PUT"
                ? .respond(.json(409, #"{"code":"EDIT_LOCK_NOT_AVAILABLE"}"#, headers: [("Retry-After", "30")]))
                : .respond(.json(503, #"{"detail":"unavailable"}"#, headers: [("Retry-After", "30")]))
        }
        defer { server.stop() }
        var patient = Self.fast
        patient.maximumRetryAfter = .seconds(1)
        patient.editLockRetries = 50
        patient.serverErrorRetries = 50
        let client = try scim(server, retry: patient)
        let start = ContinuousClock.now
        do throws(ZscalerAPIError) {
            _ = try await client.replaceUser(Self.knownUser)
            Issue.record("replaced while the lock was held")
        } catch {
            #expect(error.kind == .editLocked && error.retryAfter == .seconds(30) && error.attempts == 1, "\(error)")
        }
        do throws(ZscalerAPIError) {
            _ = try await client.user(id: "u-1")
            Issue.record("read from an unavailable server")
        } catch {
            #expect(error.kind == .serverError && error.retryAfter == .seconds(30) && error.attempts == 1, "\(error)")
        }
        // attempts == 1 above is the proof; the clock only shows no 30 s Retry-After was waited
        // (a loaded machine may take seconds, never 30).
        #expect(ContinuousClock.now - start < .seconds(25), "failed fast, not after waiting")
        #expect(server.requests.count == 2)
    }

    // MARK: Pure pieces

    @Test("idempotency follows the method unless the caller says otherwise")
    func idempotencyDefaults() {
        func spec(_ method: HTTPMethod, _ override: Bool? = nil) -> RequestSpec {
            RequestSpec(method: method, target: .path("/x"), methodClass: .write, idempotent: override)
        }
        #expect(spec(.GET).idempotent && spec(.PUT).idempotent && spec(.DELETE).idempotent && spec(.HEAD).idempotent)
        #expect(!spec(.POST).idempotent && !spec(.PATCH).idempotent)
        #expect(spec(.POST, true).idempotent && !spec(.PUT, false).idempotent)
    }

    @Test("3xx classifies as a redirect, whatever the body")
    func redirectClassification() {
        for status in [301, 302, 303, 307, 308] {
            #expect(RequestPipeline.classify(status: status, body: ErrorBody()) == .redirect)
        }
        #expect(RequestPipeline.classify(status: 307, body: ErrorBody(code: .editLockNotAvailable)) == .redirect)
    }

    @Test("the refusal names the Location's host only: no user, password, port, path or query")
    func redirectDestination() {
        #expect(RedirectRefusal.destination("https://evil.example/api/v1/authenticatedSession?apiKey=x") == "host evil.example")
        #expect(RedirectRefusal.destination("https://user:pw@evil.example:8443/p?q=1#f") == "host evil.example")
        #expect(RedirectRefusal.destination("/elsewhere?token=x") == "another path of the same host")
        #expect(RedirectRefusal.destination(nil) == "nowhere (no Location)")
        let error = RedirectRefusal.error(status: 307, location: "https://evil.example/x?secret=1", request: "POST /x", attempts: 1)
        #expect(error.kind == .redirectRefused && error.status == 307 && !error.message.contains("secret"))
    }

    @Test("a duplicate is known by its code, never by its message")
    func duplicates() {
        #expect(ZscalerAPIError(.http, status: 409, zscalerCode: .duplicateItem, message: "exists").isDuplicate)
        #expect(ZscalerAPIError(.http, status: 400, zscalerCode: .duplicateItem, message: "exists").isDuplicate)
        #expect(ZscalerAPIError(.http, status: 409, zscalerCode: .scimUniqueness, message: "exists").isDuplicate)
        #expect(!ZscalerAPIError(.http, status: 409, zscalerCode: .editLockNotAvailable, message: "DUPLICATE_ITEM").isDuplicate)
        #expect(!ZscalerAPIError(.http, status: 400, message: "DUPLICATE_ITEM: already exists").isDuplicate)
    }

    @Test("every wait is bounded: backoff by maximumDelay, Retry-After by maximumRetryAfter")
    func delays() {
        let policy = RetryPolicy(
            baseDelay: .seconds(1), maximumDelay: .seconds(4), editLockBaseDelay: .seconds(10), maximumRetryAfter: .seconds(60),
            random: { 1 })
        #expect(policy.delay(retry: 1, base: policy.editLockBaseDelay, retryAfter: nil) == .seconds(4), "base above the cap")
        #expect(policy.delay(retry: 30, retryAfter: nil) == .seconds(4))
        #expect(policy.delay(retry: 1, retryAfter: .seconds(20)) == .seconds(20), "Retry-After is a floor")
        #expect(policy.delay(retry: 1, retryAfter: .seconds(60)) == .seconds(60))
        #expect(policy.delay(retry: 1, retryAfter: .seconds(61)) == nil, "longer than the ceiling: fail instead")
    }

    @Test("only connection set-up failures count as never sent")
    func unsentErrors() {
        #expect(TransportFailure.neverSent(HTTPClientError.connectTimeout))
        #expect(TransportFailure.neverSent(HTTPClientError.getConnectionFromPoolTimeout))
        #expect(TransportFailure.neverSent(ChannelError.connectTimeout(.seconds(1))))
        #expect(TransportFailure.neverSent(IOError(errnoCode: ECONNREFUSED, reason: "connect")))
        #expect(!TransportFailure.neverSent(IOError(errnoCode: ECONNRESET, reason: "read")))
        #expect(!TransportFailure.neverSent(HTTPClientError.remoteConnectionClosed))
        #expect(!TransportFailure.neverSent(HTTPClientError.readTimeout))
        #expect(!TransportFailure.neverSent(HTTPClientError.deadlineExceeded))
        #expect(!TransportFailure.neverSent(CancellationError()))
    }
}
