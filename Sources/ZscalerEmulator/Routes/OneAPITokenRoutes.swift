import Foundation
import Hummingbird

/// ZIdentity's client-credentials token endpoint (reference §7.1): form-encoded `grant_type`,
/// `client_id`, `client_secret` (or HTTP Basic) and the required `audience`.
struct OneAPITokenRoutes {
    static let audience = "https://api.zscaler.com"

    let core: EmulatorCore

    func register(on group: RouterGroup<EmulatorContext>) {
        group.post("oauth2/v1/token") { request, _ in try await token(request) }
    }

    private func token(_ request: Request) async throws -> Response {
        guard request.contentType?.hasPrefix("application/x-www-form-urlencoded") == true else {
            throw OAuthError(error: "invalid_request", description: "Content-Type must be application/x-www-form-urlencoded")
        }
        guard let form = await request.formFields(limit: core.configuration.maxBodyBytes) else {
            throw OAuthError(error: "invalid_request", description: "The form body could not be read")
        }
        guard form["grant_type"] == "client_credentials" else {
            throw OAuthError(error: "unsupported_grant_type", description: "grant_type must be client_credentials")
        }
        if form["client_assertion"] != nil {
            throw OAuthError(
                error: "invalid_client", description: "Private-key JWT client authentication is not configured for this client")
        }
        guard let audience = form["audience"] else { throw OAuthError(error: "invalid_request", description: "audience is required") }
        guard audience == Self.audience else {
            throw OAuthError(error: "invalid_request", description: "audience must be \(Self.audience)")
        }
        let (clientId, secret) = basicCredentials(request) ?? (form["client_id"], form["client_secret"])
        let clients = core.snapshot.oneAPI.clients
        let client = clients.first { $0.clientId == clientId }
        let secretMatches = Secrets.constantTimeEquals(secret ?? "", client?.clientSecret ?? UUID().uuidString)
        guard let client, secretMatches else { throw OAuthError(error: "invalid_client", description: "Client authentication failed") }

        let lifetime = TokenLifetime(zscalerSeconds: Double(client.tokenLifetimeSeconds), timeScale: core.configuration.timeScale)
        let now = Date()
        let token = jwtShapedToken(clientId: client.clientId, issued: now, expiresIn: lifetime.reportedSeconds)
        core.oneAPITokens.store(token, subject: client.clientId, expires: .now + lifetime.real, now: .now)
        core.counters.update { $0.tokensIssued += 1 }
        return WireResponse.orderedJSON(
            200, [("access_token", .string(token)), ("token_type", .string("Bearer")), ("expires_in", .int(lifetime.reportedSeconds))]
        ).adding(header: "Cache-Control", "no-store").response
    }

    private func basicCredentials(_ request: Request) -> (String?, String?)? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(value.dropFirst(6))).flatMap({ String(data: $0, encoding: .utf8) }),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...]))
    }

    /// A token shaped like ZIdentity's JWT (header.claims.signature) with a random signature: a
    /// client must treat it as opaque, but one that peeks sees plausible claims.
    private func jwtShapedToken(clientId: String, issued: Date, expiresIn: Int) -> String {
        let header = #"{"alg":"RS256","kid":"zscaler-emulator","typ":"JWT"}"#
        let iat = Int(issued.timeIntervalSince1970)
        let vanity = core.snapshot.oneAPI.vanityDomain
        let claims = WireResponse.OrderedValue.object([
            ("iss", .string("https://\(vanity).zslogin.net")), ("sub", .string(clientId)), ("aud", .string(Self.audience)),
            ("iat", .int(iat)), ("exp", .int(iat + expiresIn)), ("jti", .string(UUID().uuidString.lowercased())),
        ]).text
        return [Data(header.utf8), Data(claims.utf8), Data(Secrets.randomBytes(32))].map(Secrets.base64URL).joined(separator: ".")
    }
}

/// A token lifetime under the time scale: the whole seconds reported in `expires_in` (at least 1)
/// and the same span as the token's real expiry, so what a client is told is what happens.
struct TokenLifetime {
    var reportedSeconds: Int
    var real: Duration { .seconds(reportedSeconds) }

    init(zscalerSeconds: Double, timeScale: Double) {
        reportedSeconds = max(1, Int((zscalerSeconds * timeScale).rounded(.down)))
    }
}
