/// A bearer token that is fetched once, reused until shortly before it expires, and refetched when a
/// call answers 401. Used for OneAPI (ZIdentity client credentials, reference §7.1) and ZPA
/// (`/signin`, §8.1), which differ only in how the token is fetched.
actor BearerTokenCache: RequestAuthorizer {
    /// A fetched token and how long it lives (already in client time).
    struct Grant: Sendable {
        var token: String
        var lifetime: Duration
    }

    private let fetch: @Sendable () async throws(ZscalerAPIError) -> Grant
    private let clock: ClientClock
    private let scrubber: SecretScrubber
    private let refreshBeforeExpiry: Duration

    private struct Token {
        var value: Secret
        var refreshAt: Duration
        var stamp: UInt64
    }
    private var token: Token?
    private var pendingFetch: Task<Token, any Error>?
    private var stamps: UInt64 = 0
    /// Tokens fetched so far, for tests and metrics.
    private(set) var fetchCount = 0

    /// - Parameter refreshBeforeExpiry: how long before expiry a token is replaced; capped at half the
    ///   token's lifetime so a short-lived token is not refetched on every call.
    init(
        clock: ClientClock, scrubber: SecretScrubber, refreshBeforeExpiry: Duration,
        fetch: @escaping @Sendable () async throws(ZscalerAPIError) -> Grant
    ) {
        self.clock = clock
        self.scrubber = scrubber
        self.refreshBeforeExpiry = refreshBeforeExpiry
        self.fetch = fetch
    }

    func authorization() async throws(ZscalerAPIError) -> Authorization {
        let current: Token
        if let token, clock.now() < token.refreshAt {
            current = token
        } else {
            current = try await refresh(replacing: token?.stamp)
        }
        return Authorization(headerName: "Authorization", headerValue: "Bearer \(current.value.revealed)", stamp: current.stamp)
    }

    nonisolated func isExpired(status: Int, body: ErrorBody) -> Bool { status == 401 }

    func renew(after stamp: UInt64) async throws(ZscalerAPIError) {
        _ = try await refresh(replacing: stamp)
    }

    /// Forgets the token (after a sign-out).
    func invalidate() { token = nil }

    private func refresh(replacing stale: UInt64?) async throws(ZscalerAPIError) -> Token {
        if let token, token.stamp != stale, clock.now() < token.refreshAt { return token }
        if let pendingFetch { return try await Self.value(of: pendingFetch) }
        let task = Task { () throws -> Token in
            let started = self.clock.now()
            let grant = try await self.fetch()
            return self.store(grant, fetchedAt: started)
        }
        pendingFetch = task
        defer { pendingFetch = nil }
        return try await Self.value(of: task)
    }

    private func store(_ grant: Grant, fetchedAt: Duration) -> Token {
        scrubber.register(grant.token, ephemeral: true)
        stamps += 1
        fetchCount += 1
        let margin = min(refreshBeforeExpiry, grant.lifetime / 2)
        // Expiry counts from when we asked, not when the answer arrived: the server's clock started first.
        let fresh = Token(value: Secret(grant.token), refreshAt: fetchedAt + grant.lifetime - margin, stamp: stamps)
        token = fresh
        return fresh
    }

    private static func value(of task: Task<Token, any Error>) async throws(ZscalerAPIError) -> Token {
        do { return try await task.value } catch let error as ZscalerAPIError { throw error } catch {
            throw .cancelled
        }
    }
}

/// A static bearer token that cannot be renewed: the shared secret of a ZPA IdP's SCIM server (§9.2).
struct StaticBearer: RequestAuthorizer {
    let token: Secret
    func authorization() async throws(ZscalerAPIError) -> Authorization {
        Authorization(headerName: "Authorization", headerValue: "Bearer \(token.revealed)", stamp: 0)
    }
    func isExpired(status: Int, body: ErrorBody) -> Bool { false }
    func renew(after stamp: UInt64) async throws(ZscalerAPIError) {}
}
