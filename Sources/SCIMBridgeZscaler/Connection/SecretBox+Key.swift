import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the sealing key comes from: `ZSCIM_SECRET_KEY` (containers, secret managers) or a key
/// file next to the database, made on first use so a fresh install encrypts from the start.
extension SecretBox {
    /// The environment variable holding the key: base64 of 32 bytes (`openssl rand -base64 32`).
    public static let environmentVariable = "ZSCIM_SECRET_KEY"

    /// `ZSCIM_SECRET_KEY` (base64 of 32 bytes) when set, else the key file at `keyFile`, created
    /// with mode 0600 (a random key) if missing. A key file that group or others can read (or
    /// write) is refused, as ssh refuses such a private key: whoever reads it reads every tenant's
    /// Zscaler credentials.
    public static func load(environment: [String: String], keyFile: String) throws(ConnectionError) -> SecretBox {
        if let text = environment[environmentVariable], !text.isEmpty {
            return SecretBox(key: try key(fromBase64: text, source: environmentVariable))
        }
        if let existing = try readKeyFile(keyFile) { return SecretBox(key: existing) }
        return SecretBox(key: try createKeyFile(keyFile))
    }

    /// A fresh key as the text a key file or `ZSCIM_SECRET_KEY` holds.
    public static func generateKeyText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    static func key(fromBase64 text: String, source: String) throws(ConnectionError) -> SymmetricKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed), data.count == 32 else {
            throw ConnectionError(
                .secretKey, "\(source) must hold the base64 of exactly 32 random bytes (make one with `openssl rand -base64 32`)")
        }
        return SymmetricKey(data: data)
    }

    /// nil when there is no file at `path`.
    static func readKeyFile(_ path: String) throws(ConnectionError) -> SymmetricKey? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw ConnectionError(.secretKey, "cannot read the key file \(path): \(String(cString: strerror(code)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ConnectionError(.secretKey, "the key file \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw ConnectionError(
                .keyFilePermissions,
                "the key file \(path) has mode \(String(mode, radix: 8)): group or others can use it, and it unlocks every tenant's "
                    + "Zscaler credentials. Restrict it with `chmod 600 \(path)`")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConnectionError(.secretKey, "cannot read the key file \(path)")
        }
        return try key(fromBase64: String(decoding: data, as: UTF8.self), source: "the key file \(path)")
    }

    /// Creates the file with `O_EXCL` and mode 0600 from the start (no window in which it is
    /// readable by others); when another process created it first, reads theirs.
    static func createKeyFile(_ path: String) throws(ConnectionError) -> SymmetricKey {
        let fd = createExclusively(path)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST, let raced = try readKeyFile(path) { return raced }
            throw ConnectionError(.secretKey, "cannot create the key file \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        let text = generateKeyText()
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard fchmod(fd, 0o600) == 0, written == bytes.count, fsync(fd) == 0 else {
            let code = errno
            unlink(path)
            throw ConnectionError(.secretKey, "cannot write the key file \(path): \(String(cString: strerror(code)))")
        }
        return try key(fromBase64: text, source: "the new key file \(path)")
    }
}

/// `open(2)` with `O_EXCL` and mode 0600 (outside the extension: `SecretBox.open(_:)` would
/// shadow the C function).
private func createExclusively(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
}
