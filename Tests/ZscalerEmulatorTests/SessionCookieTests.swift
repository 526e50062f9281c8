import Foundation
import Testing
import ZscalerEmulator

/// The `JSESSIONID` cookie's `Secure` attribute follows the scheme clients use: a client never
/// returns a `Secure` cookie over plain http, so there it must be absent, or every legacy session
/// would end right after login.
@Suite struct SessionCookieTests {
    /// The attributes of the `Set-Cookie` a login answers with, lower-cased.
    func cookieAttributes(_ h: Harness) async throws -> [String] {
        let reply = try await h.send(.POST, "/api/v1/authenticatedSession", json: h.loginBody())
        try #require(reply.status == 200, "login failed: \(reply.text)")
        let cookie = try #require(reply.header("Set-Cookie"))
        return cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    @Test func plainHTTPCookieIsNotSecure() async throws {
        try await withEmulator { h in
            let attributes = try await cookieAttributes(h)
            #expect(!attributes.contains("secure"))
            #expect(attributes.contains("httponly") && attributes.contains("path=/"))
            // The cookie as an http client would store and return it keeps the session alive.
            let cookie = try await h.login()
            #expect(try await h.send(.GET, "/api/v1/status", headers: [("Cookie", cookie)]).status == 200)
        }
    }

    @Test func httpsPublicSchemeKeepsSecure() async throws {
        try await withEmulator({ $0.publicScheme = .https }) { h in
            let attributes = try await cookieAttributes(h)
            #expect(attributes.contains("secure"))
            #expect(attributes.contains("httponly"))
        }
    }

    @Test func httpsPublicSchemeIsTheSchemeOfWrittenURLs() async throws {
        try await withEmulator({ $0.publicScheme = .https }) { h in
            let bearer = [("Authorization", try await h.zpaToken())]
            let list = try await h.send(.GET, "/mgmtconfig/v2/admin/customers/\(h.credentials.zpaCustomerId)/idp", headers: bearer)
            let idp = try #require((list.object["list"] as? [[String: Any]])?.first)
            #expect(idp["scimServiceProviderEndpoint"] as? String == "https://127.0.0.1:\(h.port)/scim/1/\(h.credentials.zpaIdpId)/v2")
        }
    }
}
