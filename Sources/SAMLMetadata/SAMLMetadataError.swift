/// Why a metadata document was refused as a whole.
///
/// Thrown only for input that cannot or must not be read (not XML, hostile, too big, not SAML
/// metadata). Problems inside an otherwise readable document — an unknown binding, a certificate
/// that does not decode, an expired certificate — are ``MetadataDiagnostic``s on the result, so
/// one bad endpoint does not hide the rest of the file from the person setting a tenant up.
///
/// Shaped like the team's other public errors: a struct around a code with `static let` values,
/// so new codes do not break anyone's `switch`.
public struct SAMLMetadataError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be read (missing, a directory, no permission).
        public static let unreadable = Code(rawValue: "unreadable")
        /// The input is empty or only whitespace.
        public static let empty = Code(rawValue: "empty")
        /// The input is larger than ``SAMLMetadataParser/Limits/maxBytes``.
        public static let tooLarge = Code(rawValue: "tooLarge")
        /// Elements nest deeper than ``SAMLMetadataParser/Limits/maxDepth``.
        public static let tooDeep = Code(rawValue: "tooDeep")
        /// The document has a `<!DOCTYPE …>`: DTDs, and with them every entity declaration, are
        /// refused outright (XXE, billion laughs, external DTD fetches).
        public static let doctypeRefused = Code(rawValue: "doctypeRefused")
        /// Not well-formed XML (libxml2's own message and position are kept).
        public static let malformedXML = Code(rawValue: "malformedXML")
        /// Well-formed XML whose root is not a SAML 2.0 `EntityDescriptor`/`EntitiesDescriptor`.
        public static let notSAMLMetadata = Code(rawValue: "notSAMLMetadata")
        /// The root element has a SAML metadata name but another namespace.
        public static let wrongNamespace = Code(rawValue: "wrongNamespace")
        /// The root `EntityDescriptor` lacks its required `entityID`.
        public static let missingEntityID = Code(rawValue: "missingEntityID")
        /// libxml2 failed in a way that is not the document's fault (out of memory, a bad XPath).
        public static let `internal` = Code(rawValue: "internal")
    }

    public let code: Code
    /// What is wrong, for a person: names the construct and, where it helps, what to do.
    public let message: String
    /// 1-based line of the problem, when the problem has a place in the document.
    public let line: Int?
    /// 1-based column, when libxml2 reports one.
    public let column: Int?

    public init(code: Code, message: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
    }

    /// `line 3, column 9: <message>` — the position first, so a one-line CLI error reads like a
    /// compiler's.
    public var description: String {
        switch (line, column) {
        case (let line?, let column?): "line \(line), column \(column): \(message)"
        case (let line?, nil): "line \(line): \(message)"
        default: message
        }
    }
}
