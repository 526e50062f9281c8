import Foundation
import SAMLMetadata
import Testing

/// Paths and fixed values the SAML tests share.
enum TestFiles {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample(_ name: String) -> URL { repoRoot.appendingPathComponent("schemas/saml/\(name)") }
    static func fixture(_ name: String) -> URL { repoRoot.appendingPathComponent("Tests/SAMLMetadataTests/Fixtures/\(name)") }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// The instant every certificate-expiry expectation is computed from.
    static let now = date("2026-11-29T00:00:00Z")

    static func date(_ text: String) -> Date {
        guard let date = try? Date.ISO8601FormatStyle().parse(text) else { fatalError("bad test date \(text)") }
        return date
    }

    /// 1-based line of the first line of `text` containing `marker`, so expectations follow the
    /// fixture when it is edited.
    static func line(of marker: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(marker) }.map { $0 + 1 }
    }

    static func parse(_ text: String, limits: SAMLMetadataParser.Limits = .init()) throws(SAMLMetadataError) -> SAMLMetadata {
        try SAMLMetadataParser(limits: limits).parse(text, now: now)
    }

    /// Parses and expects a refusal; records an issue and returns nil if the document was accepted.
    static func refusal(_ text: String, limits: SAMLMetadataParser.Limits = .init(), sourceLocation: SourceLocation = #_sourceLocation)
        -> SAMLMetadataError?
    {
        do {
            _ = try parse(text, limits: limits)
            Issue.record("document was accepted", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}
