import Foundation
import SCIMBridgeZscaler
import Testing

@Suite("ZscalerConnection: settings, masking, validation, secret sources, metadata")
struct ConnectionSettingsTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("encoding a connection never writes its secrets; decoding gives empty secrets")
    func codableHasNoSecrets() throws {
        let connection = ConnectionStoreTests.legacy()
        let json = connection.settingsJSON()
        let encoded = String(decoding: try JSONEncoder().encode(connection), as: UTF8.self)
        for text in [json, encoded, "\(connection)", String(reflecting: connection)] {
            #expect(!text.contains(ConnectionStoreTests.password) && !text.contains(ConnectionStoreTests.apiKey), "\(text)")
        }
        var dumped = ""
        dump(connection, to: &dumped)
        #expect(!dumped.contains(ConnectionStoreTests.apiKey))
        let decoded = try ZscalerConnection.decodeSettings(json)
        #expect(decoded.secrets == ConnectionSecrets())
        var expected = connection
        expected.secrets = ConnectionSecrets()
        #expect(decoded == expected)
        #expect(json.contains(#""baseURL":"https://zsapi.zscalertwo.net/api/v1""#))
    }

    @Test("masking: password ********, a key at most its last 3 characters, a short secret nothing")
    func masking() {
        let rows = Dictionary(uniqueKeysWithValues: ConnectionStoreTests.legacy().maskedDescription())
        #expect(rows["password"] == "********")
        #expect(rows["apiKey"] == "****…bQz")
        #expect(rows["orgID"] == "45193562")
        #expect(ZscalerConnection.mask("short") == "****")
        #expect(ZscalerConnection.mask(nil) == "(not set)")
        let oneAPI = ZscalerConnection.oneAPI(vanityDomain: "acme", clientID: "client-1", clientSecret: "generated-client-secret")
        let oneRows = Dictionary(uniqueKeysWithValues: oneAPI.maskedDescription())
        #expect(oneRows["clientSecret"] == "****…ret")
        #expect(oneRows["tokenURL"] == "https://acme.zslogin.net/oauth2/v1/token (derived)")
        for (_, value) in oneAPI.maskedDescription() { #expect(!value.contains("generated-client-secret")) }
    }

    @Test("validation: unlisted hosts, rate scale, missing fields")
    func validation() throws {
        var c = ConnectionStoreTests.legacy()
        try c.validate()
        c.baseURL = "http://127.0.0.1:9443/api/v1"
        #expect(throws: ConnectionError.self) { try c.validate() }
        #expect(kind { try c.validate() } == .unlistedHost)
        c.allowUnlistedHost = true
        try c.validate()
        c.rateScale = 0.01
        try c.validate()
        c.allowUnlistedHost = false
        c.baseURL = "https://zsapi.zscalertwo.net/api/v1"
        #expect(kind { try c.validate() } == .invalidSettings, "a rate scale against Zscaler")
        c.rateScale = 1
        c.baseURL = "not a url"
        #expect(kind { try c.validate() } == .invalidSettings)
        c = ConnectionStoreTests.legacy()
        c.secrets.apiKey = "short"
        #expect(kind { try c.validate() } == .invalidSettings)
        c.username = nil
        #expect(kind { try c.validate() } == .invalidSettings)

        var one = ZscalerConnection.oneAPI(vanityDomain: nil, clientID: "c", clientSecret: "s")
        #expect(kind { try one.validate() } == .invalidSettings, "no vanity domain, no token URL")
        one.vanityDomain = "two.labels"
        #expect(kind { try one.validate() } == .invalidSettings)
        one.vanityDomain = "acme"
        try one.validate()
        one.tokenURL = "https://evil.example.com/oauth2/v1/token"
        #expect(kind { try one.validate() } == .unlistedHost)
        one.secrets.clientSecret = nil
        one.tokenURL = nil
        #expect(kind { try one.validate() } == .missingSecret)
    }

    @Test("secret sources: a file with its trailing newline trimmed, an environment variable; missing ones named")
    func secretSources() throws {
        let dir = try ConnectionTestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("password")
        try Data("s3cret-value\n".utf8).write(to: file)
        #expect(try SecretSource.file(file.path).read(environment: [:], what: "password") == "s3cret-value")
        #expect(try SecretSource.environment("ZIA_PW").read(environment: ["ZIA_PW": "x y "], what: "password") == "x y ")
        let missing = try #require(throws: ConnectionError.self) {
            try SecretSource.file(dir.appendingPathComponent("nope").path).read(environment: [:], what: "password")
        }
        #expect(missing.kind == .missingSecret && missing.message.contains("nope"))
        let unset = try #require(throws: ConnectionError.self) {
            try SecretSource.environment("ZIA_PW").read(environment: [:], what: "password")
        }
        #expect(unset.kind == .missingSecret && unset.message.contains("ZIA_PW"))
        try Data("\n".utf8).write(to: file)
        #expect(throws: ConnectionError.self) { try SecretSource.file(file.path).read(environment: [:], what: "password") }
    }

    @Test("ZIA SP metadata gives the cloud, org id and legacy API base, with evidence")
    func metadata() throws {
        let hints = try MetadataConnectionHints.read(file: Self.repoRoot.appendingPathComponent("schemas/saml/zia-sp-metadata.xml").path)
        #expect(hints.cloud == "zscalertwo")
        #expect(hints.orgID == 45_193_562)
        #expect(hints.legacyBaseURL == "https://zsapi.zscalertwo.net/api/v1")
        #expect(hints.oneAPIBaseURL == "https://api.zsapi.net/zia/api/v1")
        #expect(hints.evidence.contains { $0.contains("sfc_sso") })
        let idp = try #require(throws: ConnectionError.self) {
            try MetadataConnectionHints.read(file: Self.repoRoot.appendingPathComponent("schemas/saml/okta-idp-metadata.xml").path)
        }
        #expect(idp.kind == .metadata)
    }

    private func kind(_ body: () throws -> Void) -> ConnectionError.Kind? {
        do {
            try body()
            return nil
        } catch {
            return (error as? ConnectionError)?.kind
        }
    }
}
