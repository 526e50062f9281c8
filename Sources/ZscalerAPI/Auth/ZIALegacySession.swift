import Foundation
import NIOHTTP1

/// The ZIA legacy session (reference §2): log in with the obfuscated API key, carry `JSESSIONID`,
/// renew it when it has been idle too long or a call answers 401, log out on request.
///
/// Concurrent callers share one session and one login: if ten calls find the session expired at once,
/// the first logs in and the others wait for it.
actor ZIALegacySession: RequestAuthorizer {
    private let credentials: ZIALegacyCredentials
    private let pipeline: RequestPipeline
    private let scrubber: SecretScrubber
    private let clock: ClientClock
    /// Zscaler drops a session after 5 idle minutes (§2.3); we renew a little before.
    private let idleTimeout: Duration
    /// Whether the 5 minutes are idle or counted from login is unknown (§12); when set, a session is
    /// also renewed before this age.
    private let maximumLifetime: Duration?
    private let renewMargin: Duration
    private let wallClockMilliseconds: @Sendable () -> Int64

    struct Session {
        var id: Secret
        var stamp: UInt64
        var loggedInAt: Duration
        var lastUsed: Duration

        func isFresh(at now: Duration, idleTimeout: Duration, maximumLifetime: Duration?, margin: Duration) -> Bool {
            if now - lastUsed >= idleTimeout - margin { return false }
            if let maximumLifetime, now - loggedInAt >= maximumLifetime - margin { return false }
            return true
        }
    }
    private var session: Session?
    private var pendingLogin: Task<Session, any Error>?
    private var stamps: UInt64 = 0
    /// Logins performed, for tests and metrics.
    private(set) var loginCount = 0

    init(
        credentials: ZIALegacyCredentials, pipeline: RequestPipeline, scrubber: SecretScrubber, clock: ClientClock,
        idleTimeout: Duration, maximumLifetime: Duration?, renewMargin: Duration, wallClockMilliseconds: @escaping @Sendable () -> Int64
    ) {
        self.credentials = credentials
        self.pipeline = pipeline
        self.scrubber = scrubber
        self.clock = clock
        self.idleTimeout = idleTimeout
        self.maximumLifetime = maximumLifetime
        self.renewMargin = renewMargin
        self.wallClockMilliseconds = wallClockMilliseconds
        scrubber.register(credentials.password)
        scrubber.register(credentials.apiKey)
    }

    func authorization() async throws(ZscalerAPIError) -> Authorization {
        let now = clock.now()
        let current: Session
        if let session, session.isFresh(at: now, idleTimeout: idleTimeout, maximumLifetime: maximumLifetime, margin: renewMargin) {
            current = session
        } else {
            current = try await login(replacing: session?.stamp)
        }
        // Read first, then write: `session?.lastUsed = f(session)` would read inside its own write access.
        if var touched = session {
            touched.lastUsed = max(touched.lastUsed, now)
            session = touched
        }
        return Authorization(headerName: "Cookie", headerValue: "JSESSIONID=\(current.id.revealed)", stamp: current.stamp)
    }

    nonisolated func isExpired(status: Int, body: ErrorBody) -> Bool {
        // SESSION_NOT_VALID, "Session already invalidated", or a 401 without a body: all mean log in again.
        status == 401
    }

    func renew(after stamp: UInt64) async throws(ZscalerAPIError) {
        _ = try await login(replacing: stamp)
    }

    /// Logs in unless a session newer than `replacing` exists (or a login is already under way).
    @discardableResult
    func login(replacing stale: UInt64? = nil) async throws(ZscalerAPIError) -> Session {
        if let session, session.stamp != stale { return session }
        if let pendingLogin { return try await Self.value(of: pendingLogin) }
        session = nil
        let task = Task { try await self.performLogin() }
        pendingLogin = task
        defer { pendingLogin = nil }
        let fresh = try await Self.value(of: task)
        session = fresh
        return fresh
    }

    /// `DELETE /authenticatedSession`: ends the session (which also activates this admin's pending
    /// changes, §2.3). Returns nil when there was no live session.
    func logout() async throws(ZscalerAPIError) -> ZIAActivationStatus? {
        guard let current = session else { return nil }
        session = nil
        let spec = RequestSpec(method: .DELETE, target: .path("/authenticatedSession"), methodClass: .session)
        let response: IncomingResponse
        do {
            response = try await pipeline.perform(spec, authorizer: FixedCookie(id: current.id))
        } catch  where error.status == 401 {
            return nil
        }
        guard !response.body.isEmpty else { return nil }
        return try pipeline.decode(ZIAActivationStatus.self, from: response, request: "DELETE /authenticatedSession")
    }

    /// `GET /authenticatedSession`: whether Zscaler still knows our session (200 with `authType`).
    func check() async throws(ZscalerAPIError) -> Bool {
        guard let current = session else { return false }
        let spec = RequestSpec(method: .GET, target: .path("/authenticatedSession"), methodClass: .session)
        let response: IncomingResponse
        do {
            response = try await pipeline.perform(spec, authorizer: FixedCookie(id: current.id))
        } catch  where error.status == 401 {
            return false
        }
        let info = try? pipeline.decode(ZIASessionInfo.self, from: response, request: "GET /authenticatedSession")
        return info?.authType != nil
    }

    private func performLogin() async throws(ZscalerAPIError) -> Session {
        let timestamp = String(wallClockMilliseconds())
        let obfuscated = try APIKeyObfuscation.obfuscate(apiKey: credentials.apiKey.revealed, timestamp: timestamp)
        scrubber.register(obfuscated, ephemeral: true)
        let body = ZIALoginRequest(
            username: credentials.username, password: credentials.password.revealed, apiKey: obfuscated, timestamp: timestamp)
        // A second login only makes a second session, so the request is resent like a GET.
        let spec = RequestSpec(
            method: .POST, target: .path("/authenticatedSession"), body: try pipeline.encode(body),
            contentType: "application/json", methodClass: .session, idempotent: true)
        let response: IncomingResponse
        do {
            response = try await pipeline.perform(spec, authorizer: nil)
        } catch  where error.kind == .http {
            throw ZscalerAPIError(
                .authenticationFailed, status: error.status, zscalerCode: error.zscalerCode, message: error.message,
                request: error.request)
        }
        // §2.1: the login succeeded only if the body carries authType, whatever the status.
        let info = try pipeline.decode(ZIASessionInfo.self, from: response, request: "POST /authenticatedSession")
        guard info.authType != nil else {
            throw ZscalerAPIError(.authenticationFailed, status: response.status, message: "login answer has no authType")
        }
        guard let id = Self.sessionID(in: response.headers) else {
            throw ZscalerAPIError(.authenticationFailed, status: response.status, message: "login answer set no JSESSIONID cookie")
        }
        scrubber.register(id, ephemeral: true)
        stamps += 1
        loginCount += 1
        let now = clock.now()
        return Session(id: Secret(id), stamp: stamps, loggedInAt: now, lastUsed: now)
    }

    /// The `JSESSIONID` value from `Set-Cookie` headers.
    static func sessionID(in headers: HTTPHeaders) -> String? {
        for header in headers[canonicalForm: "set-cookie"] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("JSESSIONID") == .orderedSame {
                    let value = pair[1].trimmingCharacters(in: .whitespaces)
                    if !value.isEmpty { return value }
                }
            }
        }
        return nil
    }

    private static func value(of task: Task<Session, any Error>) async throws(ZscalerAPIError) -> Session {
        do { return try await task.value } catch let error as ZscalerAPIError { throw error } catch {
            throw .cancelled
        }
    }
}

/// A one-off authorizer that sends one particular session cookie and never renews it (logout, check).
private struct FixedCookie: RequestAuthorizer {
    let id: Secret
    func authorization() async throws(ZscalerAPIError) -> Authorization {
        Authorization(headerName: "Cookie", headerValue: "JSESSIONID=\(id.revealed)", stamp: 0)
    }
    func isExpired(status: Int, body: ErrorBody) -> Bool { false }
    func renew(after stamp: UInt64) async throws(ZscalerAPIError) {}
}
