import Foundation
import Hummingbird

/// `/authenticatedSession` (reference §2): login with the obfuscated API key, session check and
/// logout. Only on the legacy API; OneAPI callers use bearer tokens.
struct ZIAAuthRoutes {
    let core: EmulatorCore

    func register(on group: RouterGroup<EmulatorContext>) {
        group.post("authenticatedSession") { request, _ in try await login(request) }
        group.get("authenticatedSession") { request, _ in status(request) }
        group.delete("authenticatedSession") { request, _ in try logout(request) }
    }

    /// Checks the timestamp window, the obfuscated key (recomputed from the stored key), then the
    /// admin's credentials. Which failure code real ZIA uses for which mistake is not documented
    /// (§2.4): a bad key or timestamp gets `AUTHENTICATION_FAILED`, a bad username or password
    /// `INVALID_USERNAME_OR_PASSWORD`.
    private func login(_ request: Request) async throws -> Response {
        let data = try await request.bodyData(limit: core.configuration.maxBodyBytes, tooLarge: ZIAError.payloadTooLarge)
        let credentials = try decodeJSON(ZIAWire.AuthCredentials.self, from: data, invalid: ZIAError.invalidBody)
        let state = core.snapshot
        guard let sentMillis = Int64(credentials.timestamp) else { throw ZIAError.authenticationFailed }
        let nowMillis = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let tolerance = Int64(core.configuration.sessions.timestampToleranceSeconds * 1000)
        guard abs(nowMillis - sentMillis) <= tolerance,
            let expected = EmulatorKeyObfuscation.obfuscate(apiKey: state.ziaAPIKey, timestamp: credentials.timestamp),
            Secrets.constantTimeEquals(credentials.apiKey, expected)
        else { throw ZIAError.authenticationFailed }
        let admin = state.ziaAdmins.first { $0.username.caseInsensitiveCompare(credentials.username) == .orderedSame }
        // Compare against something even for an unknown user, so timing does not tell them apart.
        let passwordMatches = Secrets.constantTimeEquals(credentials.password, admin?.password ?? UUID().uuidString)
        guard let admin, passwordMatches else { throw ZIAError.invalidCredentials }
        let session = core.sessions.create(username: admin.username, now: .now)
        core.counters.update { $0.sessionsCreated += 1 }
        return WireResponse.json(200, ZIAWire.SessionInfo())
            .adding(header: "Set-Cookie", sessionCookie(session))
            .response
    }

    /// The documented cookie (`JSESSIONID=…; Path=/; Secure; HttpOnly`, §2.3), without `Secure`
    /// when clients reach the emulator over plain http: they would never send it back.
    private func sessionCookie(_ session: String) -> String {
        let secure = core.configuration.publicScheme == .https ? "; Secure" : ""
        return "JSESSIONID=\(session); Path=/\(secure); HttpOnly"
    }

    /// 200 with `authType` while the session lives, 200 without it otherwise (§2.3).
    private func status(_ request: Request) -> Response {
        let policy = core.configuration.sessions
        let check = core.sessions.check(
            request.cookie("JSESSIONID"), now: .now, idle: core.scaled(policy.idleTimeoutSeconds),
            absolute: policy.absoluteTimeoutSeconds.map(core.scaled))
        if case .valid = check { return WireResponse.json(200, ZIAWire.SessionInfo()).response }
        return WireResponse.json(200, ZIAWire.NoSession()).response
    }

    /// Ends the session and, by default, activates pending changes (§2.3, §6).
    private func logout(_ request: Request) throws -> Response {
        guard let id = request.cookie("JSESSIONID"), core.sessions.remove(id) else { throw ZIAError.sessionNotValid }
        if core.configuration.sessions.activateOnLogout, core.snapshot.zia.status == "PENDING" {
            core.mutate { $0.zia.activate() }
            core.counters.update { $0.activations += 1 }
        }
        return WireResponse.json(200, ZIAWire.ActivationStatus(status: core.snapshot.zia.status)).response
    }
}
