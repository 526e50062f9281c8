/// A recoverable problem in an otherwise readable document: reported, not thrown.
public struct MetadataDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// Worth a look; the value read is still usable (an expiring certificate, an `http` URL).
        case warning
        /// Part of the document was skipped or is unusable (an undecodable certificate, an
        /// endpoint without a `Location`).
        case error
    }

    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public static let unknownBinding = Code(rawValue: "unknownBinding")
        public static let endpointIncomplete = Code(rawValue: "endpointIncomplete")
        public static let invalidIndex = Code(rawValue: "invalidIndex")
        public static let duplicateIndex = Code(rawValue: "duplicateIndex")
        public static let insecureLocation = Code(rawValue: "insecureLocation")
        public static let invalidBoolean = Code(rawValue: "invalidBoolean")
        public static let invalidDate = Code(rawValue: "invalidDate")
        public static let certificateUndecodable = Code(rawValue: "certificateUndecodable")
        public static let certificatePEMArmour = Code(rawValue: "certificatePEMArmour")
        public static let certificateExpired = Code(rawValue: "certificateExpired")
        public static let certificateExpiresSoon = Code(rawValue: "certificateExpiresSoon")
        public static let certificateNotYetValid = Code(rawValue: "certificateNotYetValid")
        public static let keyWithoutCertificate = Code(rawValue: "keyWithoutCertificate")
        public static let unknownKeyUse = Code(rawValue: "unknownKeyUse")
        public static let missingAssertionConsumerService = Code(rawValue: "missingAssertionConsumerService")
        public static let missingSingleSignOnService = Code(rawValue: "missingSingleSignOnService")
        public static let noSAML2Protocol = Code(rawValue: "noSAML2Protocol")
        public static let noRoles = Code(rawValue: "noRoles")
        public static let metadataExpired = Code(rawValue: "metadataExpired")
        public static let entityWithoutEntityID = Code(rawValue: "entityWithoutEntityID")
        public static let duplicateEntityID = Code(rawValue: "duplicateEntityID")
        public static let attributeWithoutName = Code(rawValue: "attributeWithoutName")
    }

    public var severity: Severity
    public var code: Code
    public var message: String
    public var line: Int?
    /// The entity the problem belongs to, when it belongs to one.
    public var entityID: String?

    public init(_ severity: Severity, _ code: Code, _ message: String, line: Int?, entityID: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.line = line
        self.entityID = entityID
    }

    /// `warning line 12 [unknownBinding]: …`
    public var description: String {
        "\(severity.rawValue)\(line.map { " line \($0)" } ?? "") [\(code)]: \(message)"
    }
}
