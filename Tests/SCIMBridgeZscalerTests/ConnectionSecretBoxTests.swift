import Crypto
import Foundation
import SCIMBridgeZscaler
import Testing

@Suite("SecretBox: sealing tenant credentials")
struct ConnectionSecretBoxTests {
    let plaintext = Array(#"{"apiKey":"Xk3p9TqL2vRb","password":"Emul@tor-Passw0rd!"}"#.utf8)

    @Test("seal then open gives the plaintext back; sealing twice gives different bytes")
    func roundTrip() throws {
        let box = SecretBox(key: SymmetricKey(size: .bits256))
        let sealed = try box.seal(plaintext)
        #expect(try box.open(sealed) == plaintext)
        #expect(try box.seal(plaintext) != sealed, "a fresh nonce per seal")
        #expect(!ConnectionTestFiles.contains(sealed, Array("Xk3p9TqL2vRb".utf8)))
        #expect(SecretBox.keyID(ofSealed: sealed) == box.keyID)
    }

    @Test("a value sealed under another key is refused as wrongKey, naming both keys")
    func wrongKey() throws {
        let sealed = try SecretBox(key: SymmetricKey(size: .bits256)).seal(plaintext)
        let other = SecretBox(key: SymmetricKey(size: .bits256))
        let error = try #require(throws: ConnectionError.self) { try other.open(sealed) }
        #expect(error.kind == .wrongKey)
        #expect(error.message.contains(other.keyID))
    }

    @Test("a flipped bit anywhere, a truncation or another context is refused as corrupted")
    func tampered() throws {
        let box = SecretBox(key: SymmetricKey(size: .bits256))
        let sealed = try box.seal(plaintext, context: Array("tenant a".utf8))
        for index in [0, 9, 15, sealed.count / 2, sealed.count - 1] {
            var altered = sealed
            altered[index] ^= 0x01
            let error = try #require(throws: ConnectionError.self) { try box.open(altered, context: Array("tenant a".utf8)) }
            // Byte 1...8 is the key id: altering it reads as another key, which is also a refusal.
            #expect(error.kind == .corrupted || (1...8).contains(index) && error.kind == .wrongKey, "byte \(index): \(error)")
        }
        #expect(throws: ConnectionError.self) { try box.open(Array(sealed.prefix(20)), context: Array("tenant a".utf8)) }
        let swapped = try #require(throws: ConnectionError.self) { try box.open(sealed, context: Array("tenant b".utf8)) }
        #expect(swapped.kind == .corrupted)
    }

    @Test("ZSCIM_SECRET_KEY wins over the key file; a malformed one is refused")
    func environmentKey() throws {
        let dir = try ConnectionTestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyFile = dir.appendingPathComponent("zscim.sqlite.key").path
        let text = SecretBox.generateKeyText()
        let box = try SecretBox.load(environment: ["ZSCIM_SECRET_KEY": text], keyFile: keyFile)
        #expect(!FileManager.default.fileExists(atPath: keyFile), "no key file when the environment has the key")
        let again = try SecretBox.load(environment: ["ZSCIM_SECRET_KEY": text + "\n"], keyFile: keyFile)
        #expect(box.keyID == again.keyID)
        let short = try #require(throws: ConnectionError.self) {
            try SecretBox.load(environment: ["ZSCIM_SECRET_KEY": Data(repeating: 1, count: 16).base64EncodedString()], keyFile: keyFile)
        }
        #expect(short.kind == .secretKey)
    }

    @Test("the key file is created with mode 0600 and reused; a 0644 key file is refused")
    func keyFile() throws {
        let dir = try ConnectionTestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyFile = dir.appendingPathComponent("zscim.sqlite.key").path
        let first = try SecretBox.load(environment: [:], keyFile: keyFile)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        let second = try SecretBox.load(environment: [:], keyFile: keyFile)
        #expect(first.keyID == second.keyID)
        #expect(try second.open(first.seal(plaintext)) == plaintext)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        let error = try #require(throws: ConnectionError.self) { try SecretBox.load(environment: [:], keyFile: keyFile) }
        #expect(error.kind == .keyFilePermissions)
        #expect(error.message.contains("chmod 600"))

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: keyFile))
        #expect(throws: ConnectionError.self) { try SecretBox.load(environment: [:], keyFile: keyFile) }

        let missingDirectory = dir.appendingPathComponent("absent/zscim.key").path
        let cannot = try #require(throws: ConnectionError.self) { try SecretBox.load(environment: [:], keyFile: missingDirectory) }
        #expect(cannot.kind == .secretKey)
    }
}

/// Files and bytes for the connection tests.
enum ConnectionTestFiles {
    static func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-connection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
