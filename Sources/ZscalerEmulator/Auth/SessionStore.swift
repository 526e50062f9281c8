import Synchronization

/// ZIA `JSESSIONID` sessions (reference §2.3): an idle timeout refreshed on every use and, by
/// default, an absolute one from login (see ``SessionPolicy``). Bounded: past `maxSessions` the
/// least recently used session is dropped.
final class SessionStore: Sendable {
    struct Session: Sendable {
        var username: String
        var created: ContinuousClock.Instant
        var lastUsed: ContinuousClock.Instant
    }

    enum Check: Equatable {
        case valid(username: String)
        /// It existed but timed out just now (so expiry-triggered activation can run once).
        case expired
        case unknown
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let maxSessions: Int

    init(maxSessions: Int) { self.maxSessions = maxSessions }

    func create(username: String, now: ContinuousClock.Instant) -> String {
        let id = Secrets.sessionId()
        sessions.withLock { sessions in
            if sessions.count >= maxSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                sessions[oldest] = nil
            }
            sessions[id] = Session(username: username, created: now, lastUsed: now)
        }
        return id
    }

    /// Checks a session and, if it is alive, marks it used.
    func check(_ id: String?, now: ContinuousClock.Instant, idle: Duration, absolute: Duration?) -> Check {
        guard let id else { return .unknown }
        return sessions.withLock { sessions in
            guard var session = sessions[id] else { return .unknown }
            let idleExpired = now - session.lastUsed >= idle
            let absoluteExpired = absolute.map { now - session.created >= $0 } ?? false
            if idleExpired || absoluteExpired {
                sessions[id] = nil
                return .expired
            }
            session.lastUsed = now
            sessions[id] = session
            return .valid(username: session.username)
        }
    }

    /// Sessions held (some may have timed out without being touched since), for the state view.
    var count: Int { sessions.withLock { $0.count } }

    @discardableResult
    func remove(_ id: String) -> Bool { sessions.withLock { $0.removeValue(forKey: id) != nil } }

    func removeAll() { sessions.withLock { $0.removeAll() } }
}

/// Bearer tokens of one issuer (OneAPI / ZIdentity or ZPA `/signin`), each with an expiry.
final class TokenStore: Sendable {
    private struct Token: Sendable {
        var subject: String
        var expires: ContinuousClock.Instant
    }

    private let tokens = Mutex<[String: Token]>([:])
    private let maxTokens: Int

    init(maxTokens: Int) { self.maxTokens = maxTokens }

    func store(_ token: String, subject: String, expires: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        tokens.withLock { tokens in
            if tokens.count >= maxTokens {
                tokens = tokens.filter { $0.value.expires > now }
                if tokens.count >= maxTokens, let soonest = tokens.min(by: { $0.value.expires < $1.value.expires })?.key {
                    tokens[soonest] = nil
                }
            }
            tokens[token] = Token(subject: subject, expires: expires)
        }
    }

    /// The token's subject if it is known and not expired.
    func subject(of token: String?, now: ContinuousClock.Instant) -> String? {
        guard let token else { return nil }
        return tokens.withLock { tokens in
            guard let entry = tokens[token] else { return nil }
            guard entry.expires > now else {
                tokens[token] = nil
                return nil
            }
            return entry.subject
        }
    }

    @discardableResult
    func revoke(_ token: String) -> Bool { tokens.withLock { $0.removeValue(forKey: token) != nil } }

    func revokeAll() { tokens.withLock { $0.removeAll() } }

    var count: Int { tokens.withLock { $0.count } }
}
