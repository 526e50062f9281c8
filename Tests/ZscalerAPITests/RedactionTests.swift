import NIOHTTP1
import Testing

@testable import ZscalerAPI

@Suite("Redaction")
struct RedactionTests {
    @Test("login bodies lose the password and the API key, keep the rest")
    func loginBody() throws {
        let rendered = Redaction.body(Array(try WireFiles.data("zia-auth-session-request.json")), contentType: "application/json")
        #expect(!rendered.contains("Adm1n!Passw0rd") && !rendered.contains("AAAbCdCCCCId"))
        #expect(rendered.contains("admin@example.com") && rendered.contains("1700000000123"))
        #expect(rendered.contains("\"password\":\"<redacted>\""))
    }

    @Test("token answers lose the token, nested secrets are found, arrays are walked")
    func tokens() throws {
        let rendered = Redaction.body(Array(try WireFiles.data("oneapi-token-response.json")), contentType: "application/json")
        #expect(!rendered.contains("eyJhbGci") && rendered.contains("3600"))
        let nested = Redaction.body(Array(#"[{"a":{"Client_Secret":"xyz123456","keep":"ok"}}]"#.utf8), contentType: nil)
        #expect(!nested.contains("xyz123456") && nested.contains("ok"))
    }

    @Test("form bodies lose client_secret")
    func form() throws {
        let rendered = Redaction.body(
            Array(try WireFiles.data("oneapi-token-request.form")), contentType: "application/x-www-form-urlencoded")
        #expect(
            !rendered.contains("s3cr3t") && rendered.contains("client_id=zs-bridge-7f3a") && rendered.contains("client_secret=<redacted>"))
    }

    @Test("bodies of unknown type and broken JSON are shown by size only")
    func opaque() {
        #expect(Redaction.body(Array("password=hunter2hunter2".utf8), contentType: "text/plain") == "<23 bytes of text/plain>")
        #expect(
            Redaction.body(Array(#"{"password":"hunter2hunter2""#.utf8), contentType: "application/json") == "<28 bytes, not valid JSON>")
        #expect(Redaction.body([], contentType: "application/json") == "")
    }

    @Test("credential headers are redacted, others kept")
    func headers() {
        let headers = HTTPHeaders([
            ("Cookie", "JSESSIONID=ABCDEF0123456789"), ("Authorization", "Bearer eyJ.x.y"),
            ("Set-Cookie", "JSESSIONID=ABCDEF0123456789; Path=/"), ("Content-Type", "application/json"),
        ])
        let rendered = Redaction.headers(headers)
        #expect(!rendered.contains("ABCDEF0123456789") && !rendered.contains("eyJ"))
        #expect(rendered.contains("Content-Type: application/json"))
    }

    @Test("live secrets are scrubbed from any text, longest first")
    func scrubber() {
        let scrubber = SecretScrubber()
        scrubber.register("ABCDEF0123456789")
        scrubber.register("ABCDEF0123")
        scrubber.register("abc")  // too short to scrub
        #expect(scrubber.scrub("error: session ABCDEF0123456789 and ABCDEF0123 abc") == "error: session <redacted> and <redacted> abc")
    }

    @Test("session ids and tokens are remembered for scrubbing, but only the recent ones")
    func boundedScrubber() {
        let scrubber = SecretScrubber()
        scrubber.register("permanent-password")
        for index in 0..<(SecretScrubber.ephemeralCapacity + 5) { scrubber.register("session-\(index)-ABCDEF", ephemeral: true) }
        #expect(scrubber.scrub("permanent-password") == "<redacted>")
        #expect(scrubber.scrub("session-\(SecretScrubber.ephemeralCapacity + 4)-ABCDEF") == "<redacted>")
        #expect(scrubber.scrub("session-0-ABCDEF") == "session-0-ABCDEF", "the oldest ephemeral secret was dropped")
    }

    @Test("a Secret never prints")
    func secretValue() {
        let secret = Secret("hunter2hunter2")
        #expect("\(secret)" == "<redacted>" && String(reflecting: secret) == "<redacted>")
        let credentials = ZIALegacyCredentials(username: "a@b.c", password: "hunter2hunter2", apiKey: "0123456789ab")
        #expect(!"\(credentials)".contains("hunter2") && !"\(credentials)".contains("0123456789ab"))
        #expect(Secret("abc") == Secret("abc") && Secret("abc") != Secret("abd") && Secret("abc") != Secret("abcd"))
    }
}

@Suite("Clouds and base URLs")
struct CloudTests {
    @Test("every known ZIA cloud gives its documented legacy base URL")
    func ziaClouds() throws {
        #expect(try ZIACloud("zscalertwo").legacyBaseURL.string == "https://zsapi.zscalertwo.net/api/v1")
        #expect(try ZIACloud("admin.zscalerbeta.net").legacyBaseURL.string == "https://zsapi.zscalerbeta.net/api/v1")
        #expect(try ZIACloud("ZSCALER.NET").legacyBaseURL.string == "https://zsapi.zscaler.net/api/v1")
        #expect(try ZIACloud("zspreview").legacyBaseURL.string == "https://admin.zspreview.net/api/v1")
        #expect(ZIACloud.known.count == 9)
        #expect(throws: ZscalerAPIError.self) { try ZIACloud("zscalerfour") }
        #expect(throws: ZscalerAPIError.self) { try ZIACloud("example.net") }
    }

    @Test("ZPA and OneAPI hosts")
    func otherClouds() throws {
        #expect(try ZPACloud("production").apiBaseURL.string == "https://config.private.zscaler.com")
        #expect(try ZPACloud("admin.zpatwo.net").apiBaseURL.string == "https://config.zpatwo.net")
        #expect(
            try ZPACloud("beta").scimBaseURL(idpId: "216196257331285825").string == "https://scim1.zpabeta.net/scim/1/216196257331285825/v2"
        )
        #expect(throws: ZscalerAPIError.self) { try ZPACloud("beta").scimBaseURL(idpId: "../x") }
        #expect(throws: ZscalerAPIError.self) { try ZPACloud("zpathree") }
        #expect(OneAPICloud.production.ziaBaseURL.string == "https://api.zsapi.net/zia/api/v1")
        #expect(OneAPICloud.beta.ziaBaseURL.string == "https://api.beta.zsapi.net/zia/api/v1")
        #expect(try OneAPICloud.production.tokenURL(vanityDomain: "acme").string == "https://acme.zslogin.net/oauth2/v1/token")
        #expect(try OneAPICloud.govus.tokenURL(vanityDomain: "acme").string == "https://acme.zidentitygov.us/oauth2/v1/token")
        #expect(throws: ZscalerAPIError.self) { try OneAPICloud.production.tokenURL(vanityDomain: "evil.com/x") }
    }

    @Test("a base URL outside the known clouds needs explicit permission; http only then")
    func baseURLs() throws {
        #expect(try BaseURL("https://zsapi.zscalerthree.net/api/v1/").string == "https://zsapi.zscalerthree.net/api/v1")
        #expect(try BaseURL("https://admin.zscloud.net/api/v1").host == "admin.zscloud.net")
        #expect(try BaseURL("https://acme.zslogin.net/oauth2/v1/token").host == "acme.zslogin.net")
        #expect(try BaseURL("https://config.private.zscaler.com").host == "config.private.zscaler.com")
        for refused in [
            "https://zsapi.zscaler.net.evil.com/api/v1", "http://zsapi.zscaler.net/api/v1", "https://127.0.0.1:8080/api/v1",
            "https://a.b.zslogin.net/oauth2", "ftp://zsapi.zscaler.net", "not a url", "https://zsapi.zscaler.net/api/v1?x=1",
            "https://user:pw@zsapi.zscaler.net/api/v1",
        ] {
            #expect(throws: ZscalerAPIError.self, "\(refused)") { try BaseURL(refused) }
        }
        #expect(try BaseURL("http://127.0.0.1:8080/api/v1", allowUnlisted: true).string == "http://127.0.0.1:8080/api/v1")
        #expect(throws: ZscalerAPIError.self) { try BaseURL("ftp://127.0.0.1", allowUnlisted: true) }
    }

    @Test("query strings are percent-encoded, + included")
    func queries() throws {
        let base = try BaseURL("http://127.0.0.1:1/api/v1", allowUnlisted: true)
        #expect(
            base.url(path: "/users", query: [("name", "Ada L+ove"), ("page", "1")])
                == "http://127.0.0.1:1/api/v1/users?name=Ada%20L%2Bove&page=1")
        #expect(FormEncoding.escape("é/?&=") == "%C3%A9%2F%3F%26%3D")
    }
}
