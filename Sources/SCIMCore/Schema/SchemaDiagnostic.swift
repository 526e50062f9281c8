/// A problem found while loading schema documents. Collected rather than thrown so an operator
/// sees every problem of a file at once; errors stop the load, warnings do not.
public struct SchemaDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    /// The file (or other source name) the problem is in.
    public var file: String
    /// Where in the document: a schema id and attribute path such as
    /// `urn:ietf:params:scim:schemas:core:2.0:User:emails.type`, or a JSON member name.
    public var path: String
    public var message: String

    public init(severity: Severity, file: String, path: String, message: String) {
        self.severity = severity
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        "\(file): \(severity.rawValue): \(path.isEmpty ? "" : "\(path): ")\(message)"
    }
}

/// Thrown by `SchemaRegistry.load` when any document has an error diagnostic.
public struct SchemaLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [SchemaDiagnostic]
    public var description: String {
        diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
    }
}
