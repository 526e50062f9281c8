import Crypto
import Foundation
import SCIMCore

/// Tenant bearer tokens. A token is 32 random bytes shown to the operator once; the store keeps
/// only its SHA-256 (a fast hash is right here: the secret has 256 bits of entropy, so there is
/// nothing to brute-force, unlike a password). Presented tokens are hashed and the hashes compared
/// in constant time.
public enum BearerToken {
    /// Every token starts with this, so it is recognisable in secret scanners and logs.
    public static let prefix = "zscim_"

    /// A new random token.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Data(bytes).base64URLEncoded()
    }

    /// The stored form of a token.
    public static func hash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }

    /// Constant-time equality of two digests.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// A short, non-secret label for a token in listings: its hash's first bytes.
    public static func fingerprint(_ hash: [UInt8]) -> String {
        // Per request: hex by table, not String(format:).
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(8)
        for byte in hash.prefix(4) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// A stored token: only its hash and when it was made.
public struct TokenRecord: Sendable, Hashable {
    public var tenantID: String
    public var hash: [UInt8]
    public var created: SCIMDateTime

    public init(tenantID: String, hash: [UInt8], created: SCIMDateTime) {
        self.tenantID = tenantID
        self.hash = hash
        self.created = created
    }

    public var fingerprint: String { BearerToken.fingerprint(hash) }
}
