import Foundation

/// Reads SAML 2.0 metadata (an `EntityDescriptor` or an `EntitiesDescriptor`) safely.
///
/// Hostile or unreadable input throws ``SAMLMetadataError`` with the line; problems inside a
/// readable document become ``MetadataDiagnostic``s on the result. Parsing is synchronous and
/// self-contained (its own libxml2 context and error collector, tree freed before returning), so
/// any number of parses may run at once from different tasks.
public struct SAMLMetadataParser: Sendable {
    /// Bounds that keep a hostile file from costing more than a small one.
    public struct Limits: Sendable, Hashable {
        /// Largest document accepted, in bytes. Zscaler SP metadata is about 2 KiB and a large IdP
        /// file with several certificates about 10 KiB; 1 MiB leaves room for a small federation
        /// aggregate.
        public var maxBytes: Int
        /// Deepest element nesting accepted. SAML metadata nests about 8 deep
        /// (`EntityDescriptor/IDPSSODescriptor/KeyDescriptor/KeyInfo/X509Data/X509Certificate`).
        public var maxDepth: Int

        public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64) {
            self.maxBytes = max(0, min(maxBytes, Int(Int32.max)))
            self.maxDepth = max(1, maxDepth)
        }
    }

    public var limits: Limits
    /// Days before `notAfter` from which a certificate is reported as expiring soon.
    public var expiryWarningDays: Int

    public init(limits: Limits = Limits(), expiryWarningDays: Int = 30) {
        self.limits = limits
        self.expiryWarningDays = expiryWarningDays
    }

    /// Parses a document held in memory. `now` dates the certificate-expiry diagnostics.
    public func parse(_ bytes: [UInt8], now: Date = Date()) throws(SAMLMetadataError) -> SAMLMetadata {
        let parser = HardenedXMLParser(maxBytes: limits.maxBytes, maxDepth: limits.maxDepth)
        let document = try parser.parse(bytes, namespaces: MetadataReader.namespaces)
        var reader = MetadataReader(now: now, expiryWarningDays: expiryWarningDays)
        return try reader.read(document)
    }

    public func parse(_ text: String, now: Date = Date()) throws(SAMLMetadataError) -> SAMLMetadata {
        try parse(Array(text.utf8), now: now)
    }

    /// Reads and parses a file, reading no more than ``Limits/maxBytes`` + 1 bytes of it, so a
    /// huge file is refused without being loaded. Messages do not repeat the path: the caller
    /// knows it and prefixes it (see ``MetadataInspection/errorLine(source:_:)``).
    public func parse(contentsOf url: URL, now: Date = Date()) throws(SAMLMetadataError) -> SAMLMetadata {
        try parse(Self.readBounded(url, maxBytes: limits.maxBytes), now: now)
    }

    static func readBounded(_ url: URL, maxBytes: Int) throws(SAMLMetadataError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw SAMLMetadataError(code: .unreadable, message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw SAMLMetadataError(code: .unreadable, message: "it is a directory, not a file")
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw SAMLMetadataError(code: .unreadable, message: "cannot be opened (permission denied?)")
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        // Read in chunks until one byte past the limit, which is proof enough that it is too big.
        while bytes.count <= maxBytes {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: min(64 * 1024, maxBytes + 1 - bytes.count))
            } catch {
                throw SAMLMetadataError(code: .unreadable, message: "read failed: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            bytes += chunk
        }
        guard bytes.count <= maxBytes else {
            throw SAMLMetadataError(
                code: .tooLarge, message: "file is larger than the limit of \(maxBytes) bytes (metadata for one tenant is a few KiB)")
        }
        return bytes
    }
}
