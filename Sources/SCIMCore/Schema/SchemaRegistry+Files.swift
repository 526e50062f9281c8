import Foundation

extension SchemaRegistry {
    /// Loads every `*.json` file below `directory` (sorted, so diagnostics are stable), then checks
    /// cross-references. Throws `SchemaLoadError` when any file has an error; warnings stay in
    /// `diagnostics`.
    public static func load(directory: String, parserLimits: JSONParser.Limits = .init()) throws(SchemaLoadError) -> SchemaRegistry {
        var registry = SchemaRegistry()
        let root = URL(fileURLWithPath: directory)
        // Foundation's enumerator on Linux enumerates nothing for a missing directory rather than
        // failing, which ended as "no User or Group resource type" far from the cause.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SchemaLoadError(diagnostics: [.init(severity: .error, file: directory, path: "", message: "no such directory")])
        }
        var files: [URL] = []
        if let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in enumerator where url.pathExtension.lowercased() == "json" {
                files.append(url)
            }
        } else {
            throw SchemaLoadError(diagnostics: [
                .init(severity: .error, file: directory, path: "", message: "schema directory cannot be read")
            ])
        }
        guard !files.isEmpty else {
            throw SchemaLoadError(diagnostics: [
                .init(severity: .error, file: directory, path: "", message: "no schema documents (*.json) in this directory")
            ])
        }
        for url in files.sorted(by: { $0.path < $1.path }) {
            let name = url.path.hasPrefix(root.path) ? String(url.path.dropFirst(root.path.count + 1)) : url.path
            registry.addFile(at: url.path, displayName: name, parserLimits: parserLimits)
        }
        registry.finish()
        if registry.hasErrors { throw SchemaLoadError(diagnostics: registry.diagnostics) }
        return registry
    }

    /// Reads and adds one file; an unreadable or non-JSON file becomes an error diagnostic.
    @discardableResult
    public mutating func addFile(at path: String, displayName: String? = nil, parserLimits: JSONParser.Limits = .init())
        -> [SchemaDiagnostic]
    {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            let d = SchemaDiagnostic(severity: .error, file: name, path: "", message: "file cannot be read")
            appendDiagnostic(d)
            return [d]
        }
        do {
            let value = try JSONParser(limits: parserLimits).parse([UInt8](data))
            return add(document: value, source: name)
        } catch {
            let d = SchemaDiagnostic(
                severity: .error, file: name, path: "line \(error.line), column \(error.column)",
                message: "not valid JSON: \(error.message)")
            appendDiagnostic(d)
            return [d]
        }
    }
}
