import Foundation

/// Everything `zscim metadata inspect` shows about one document: the parsed metadata and, per
/// entity, the Zscaler inference. The command only reads the file and prints; this type does the
/// work, so tests call it directly.
public struct MetadataInspection: Sendable, Encodable {
    public struct EntityReport: Sendable, Encodable {
        public var entity: EntityDescriptor
        public var zscaler: ZscalerTenantHints
    }

    /// Where the document came from (a path), for messages.
    public var source: String
    public var inspectedAt: Date
    public var libxml2Version: String
    public var metadata: SAMLMetadata
    public var entities: [EntityReport]

    public init(source: String, metadata: SAMLMetadata, inference: ZscalerInference = ZscalerInference(), inspectedAt: Date = Date()) {
        self.source = source
        self.inspectedAt = inspectedAt
        self.libxml2Version = LibXML2.runtimeVersion
        self.metadata = metadata
        self.entities = metadata.entities.map { EntityReport(entity: $0, zscaler: inference.hints(for: $0)) }
    }

    /// Reads, parses and infers; throws only what the parser throws. `source` names the file in
    /// the report (default: its path).
    public static func inspect(
        file url: URL, source: String? = nil, parser: SAMLMetadataParser = SAMLMetadataParser(),
        inference: ZscalerInference = ZscalerInference(), now: Date = Date()
    ) throws(SAMLMetadataError) -> MetadataInspection {
        let metadata = try parser.parse(contentsOf: url, now: now)
        return MetadataInspection(source: source ?? url.path, metadata: metadata, inference: inference, inspectedAt: now)
    }

    /// The one-line message for a document that could not be read: `<source>: line 3, column 9: …`.
    public static func errorLine(source: String, _ error: SAMLMetadataError) -> String {
        "\(source): \(error.code): \(error)"
    }

    /// Pretty-printed JSON with sorted keys; dates in ISO 8601; every certificate also carries
    /// `daysLeft` counted from ``inspectedAt``.
    public func renderJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.userInfo[X509CertificateInfo.daysLeftReferenceDate] = inspectedAt
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            // Every value here is a string, number, bool, date or array of them; encoding cannot
            // fail, but a message beats a trap if it ever does.
            return #"{"error":"could not encode the inspection as JSON"}"#
        }
    }
}
