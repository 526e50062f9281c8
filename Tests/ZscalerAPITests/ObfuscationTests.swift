import Testing

@testable import ZscalerAPI

@Suite("API key obfuscation (reference §2.2)")
struct ObfuscationTests {
    /// The worked vectors of the reference, computed there by two independent implementations.
    static let vectors: [(key: String, timestamp: String, obfuscated: String)] = [
        ("0123456789ab", "1389681124480", "124480284462"),
        ("AbCdEfGhIjKl", "1700000000123", "AAAbCdCCCCId"),
        ("zY9xW8vU7tS6", "1718035200000", "9zzzzzx99999"),
        ("Qw3rTy7uIo9P", "1735689599999", "yoooooTPPPPP"),
    ]

    @Test("worked vectors", arguments: 0..<4)
    func vector(_ index: Int) throws {
        let v = Self.vectors[index]
        #expect(try APIKeyObfuscation.obfuscate(apiKey: v.key, timestamp: v.timestamp) == v.obfuscated)
    }

    @Test("only the first 12 characters of the key matter")
    func longKey() throws {
        #expect(try APIKeyObfuscation.obfuscate(apiKey: "0123456789abXYZ-extra", timestamp: "1389681124480") == "124480284462")
    }

    @Test("short keys, non-digit and short timestamps are refused with a clear error")
    func badInput() {
        #expect(throws: ZscalerAPIError.self) { try APIKeyObfuscation.obfuscate(apiKey: "0123456789a", timestamp: "1389681124480") }
        #expect(throws: ZscalerAPIError.self) { try APIKeyObfuscation.obfuscate(apiKey: "0123456789ab", timestamp: "12345") }
        #expect(throws: ZscalerAPIError.self) { try APIKeyObfuscation.obfuscate(apiKey: "0123456789ab", timestamp: "1389681x24480") }
        #expect(throws: ZscalerAPIError.self) { try APIKeyObfuscation.obfuscate(apiKey: "0123456789a\u{00e9}", timestamp: "1389681124480") }
        do {
            _ = try APIKeyObfuscation.obfuscate(apiKey: "short", timestamp: "1389681124480")
            Issue.record("a 5-character key was accepted")
        } catch {
            #expect(error.kind == .invalidConfiguration)
            #expect(!error.description.contains("short"), "the error must not echo the key")
        }
    }

    @Test("the golden login body is vector 2, byte for byte in meaning")
    func goldenLoginBody() throws {
        let body = ZIALoginRequest(
            username: "admin@example.com", password: "Adm1n!Passw0rd",
            apiKey: try APIKeyObfuscation.obfuscate(apiKey: "AbCdEfGhIjKl", timestamp: "1700000000123"), timestamp: "1700000000123")
        let encoded = try RequestPipeline.encoder.encode(body)
        #expect(WireFiles.canonical(encoded) == WireFiles.canonical(try WireFiles.data("zia-auth-session-request.json")))
    }
}
