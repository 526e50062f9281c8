import Crypto
import Foundation
import SCIMBridge

/// Seals tenant credentials for the store (DESIGN §6: Zscaler credentials are encrypted at rest).
///
/// AES-256-GCM from swift-crypto. A sealed value is `version (1) ‖ key id (8) ‖ nonce (12) ‖
/// ciphertext ‖ tag (16)`; the version and key id are authenticated with the ciphertext. The key
/// id (a truncated HMAC of a fixed label under the key, which says nothing about the key) lets
/// ``open(_:)`` tell "sealed under another key" (an operator mistake: wrong `ZSCIM_SECRET_KEY` or
/// key file) from "altered" (damage or tampering), which GCM alone cannot.
public struct SecretBox: Sendable {
    private let storage: KeyStorage
    private var key: SymmetricKey { storage.key }
    /// The first 8 bytes of HMAC-SHA256(key, "zscim secret box key id v1").
    private let keyIDBytes: [UInt8]

    static let version: UInt8 = 1
    static let headerSize = 1 + 8
    static let overhead = headerSize + 12 + 16

    /// - Precondition: a 256-bit key (``load(environment:keyFile:)`` checks this for keys it reads).
    public init(key: SymmetricKey) {
        precondition(key.bitCount == 256, "SecretBox needs a 256-bit key")
        self.storage = KeyStorage(key: key)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("zscim secret box key id v1".utf8), using: key)
        self.keyIDBytes = Array(Array(mac).prefix(8))
    }

    /// A short public name of the key (hex), to tell keys apart in messages and `tenant show`.
    public var keyID: String { keyIDBytes.map { String(format: "%02x", $0) }.joined() }

    /// The id of the key a sealed value was sealed with (it is stored in the clear), or nil when
    /// the bytes are not a sealed value: lets `tenant show` name the key it needs.
    public static func keyID(ofSealed sealed: [UInt8]) -> String? {
        guard sealed.count >= overhead, sealed[0] == version else { return nil }
        return sealed[1..<headerSize].map { String(format: "%02x", $0) }.joined()
    }

    public func seal(_ plaintext: [UInt8]) throws(ConnectionError) -> [UInt8] {
        try seal(plaintext, context: [])
    }

    /// - Throws: ``ConnectionError/Kind/wrongKey`` when sealed under another key,
    ///   ``ConnectionError/Kind/corrupted`` when altered or damaged.
    public func open(_ sealed: [UInt8]) throws(ConnectionError) -> [UInt8] {
        try open(sealed, context: [])
    }

    /// Seals `plaintext`, binding it to `context` (e.g. the tenant id): opening it under another
    /// context fails as ``ConnectionError/Kind/corrupted``, so sealed secrets copied from one
    /// tenant's row to another's are useless there.
    public func seal(_ plaintext: [UInt8], context: [UInt8]) throws(ConnectionError) -> [UInt8] {
        let header = [Self.version] + keyIDBytes
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(plaintext, using: key, authenticating: header + context)
        } catch {
            throw ConnectionError(.secretKey, "sealing failed: \(error)")
        }
        // Always present with the default 12-byte nonce.
        guard let combined = box.combined else { throw ConnectionError(.secretKey, "AES-GCM produced no combined output") }
        return header + Array(combined)
    }

    public func open(_ sealed: [UInt8], context: [UInt8]) throws(ConnectionError) -> [UInt8] {
        guard sealed.count >= Self.overhead, sealed[0] == Self.version else {
            throw ConnectionError(
                .corrupted, "the sealed secrets are damaged (not a zscim sealed value, version 1); connect the tenant again")
        }
        let header = Array(sealed[0..<Self.headerSize])
        guard Array(header[1...]) == keyIDBytes else {
            let other = header[1...].map { String(format: "%02x", $0) }.joined()
            throw ConnectionError(
                .wrongKey,
                "the secrets were sealed with key \(other), but the key loaded is \(keyID): set ZSCIM_SECRET_KEY or the key file to the "
                    + "key used at connect time, or connect the tenant again")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed[Self.headerSize...])
            return Array(try AES.GCM.open(box, using: key, authenticating: header + context))
        } catch {
            throw ConnectionError(
                .corrupted,
                "the sealed secrets fail authentication: they were altered, damaged or belong to another tenant; connect the tenant again")
        }
    }
}

/// swift-crypto does not mark `SymmetricKey` `Sendable` on every platform, though it is an
/// immutable value whose storage is never changed after it is made; sharing it across tasks is
/// as safe as sharing a `let` array.
private struct KeyStorage: @unchecked Sendable {
    let key: SymmetricKey
}

/// The service seals users' write-only passwords with the same box (and key) as credentials.
extension SecretBox: SecretSealing {}
