import Foundation
import SCIMCore

/// Paths and shared fixtures for the core tests.
enum TestSupport {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var schemasDirectory: String { repoRoot.appendingPathComponent("schemas").path }
    static var conformanceDirectory: URL { repoRoot.appendingPathComponent("conformance") }

    /// The registry built from the repository's `schemas/`, loaded once.
    static let registry: SchemaRegistry = {
        do {
            return try SchemaRegistry.load(directory: schemasDirectory)
        } catch {
            fatalError("schemas/ does not load: \(error)")
        }
    }()

    static var user: ResourceDefinition { registry.definition(for: "User")! }
    static var group: ResourceDefinition { registry.definition(for: "Group")! }

    static func json(_ text: String) -> JSONValue {
        do { return try JSONParser.parse(text) } catch { fatalError("bad test JSON: \(error)\n\(text)") }
    }

    static func object(_ text: String) -> JSONObject {
        guard case .object(let o) = json(text) else { fatalError("not an object: \(text)") }
        return o
    }

    static func readJSON(_ url: URL) throws -> JSONValue {
        let data = try Data(contentsOf: url)
        return try JSONParser().parse([UInt8](data))
    }

    static func files(in folder: String) -> [URL] {
        let dir = conformanceDirectory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0) }
    }
}
