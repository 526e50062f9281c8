import Foundation
import SCIMBridge
import Testing

@Suite("Bearer tokens")
struct BearerTokenTests {
    @Test("the fingerprint is the hash's first four bytes in lowercase hex, leading zeros kept")
    func fingerprint() {
        #expect(BearerToken.fingerprint([0xAB, 0x01, 0xFF, 0x00, 0x99]) == "ab01ff00")
        #expect(BearerToken.fingerprint([0x0A]) == "0a")
        #expect(BearerToken.fingerprint(BearerToken.hash("token")).count == 8)
    }

    @Test("a token's hash is its SHA-256, compared in constant time")
    func hash() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        let expected: [UInt8] = [
            0xBA, 0x78, 0x16, 0xBF, 0x8F, 0x01, 0xCF, 0xEA, 0x41, 0x41, 0x40, 0xDE, 0x5D, 0xAE, 0x22, 0x23,
            0xB0, 0x03, 0x61, 0xA3, 0x96, 0x17, 0x7A, 0x9C, 0xB4, 0x10, 0xFF, 0x61, 0xF2, 0x00, 0x15, 0xAD,
        ]
        #expect(BearerToken.hash("abc") == expected)
        #expect(BearerToken.equal(BearerToken.hash("abc"), expected))
        #expect(!BearerToken.equal(BearerToken.hash("abd"), expected))
    }
}
