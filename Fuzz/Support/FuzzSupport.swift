import Foundation
import FuzzDriver
import SCIMCore

/// What every fuzz target shares: the input as bytes, the repository's schemas and fixtures, and
/// the one way a target reports a finding.
///
/// A finding must be a crash for libFuzzer to keep the input, so a broken invariant traps with a
/// message (printed before libFuzzer's own report) rather than being logged and ignored.
public enum Fuzz {
    /// The checkout the fuzzers were built from: they read `schemas/` and `conformance/fixtures/`
    /// at start-up, so they run from that checkout (as `Fuzz/run-fuzzers.sh` does).
    public static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let registry: SchemaRegistry = {
        do {
            return try SchemaRegistry.load(directory: repoRoot.appendingPathComponent("schemas").path)
        } catch {
            fatalError("fuzz set-up: schemas/ does not load: \(error)")
        }
    }()

    public static let user = registry.definition(for: "User")!
    public static let group = registry.definition(for: "Group")!

    /// The fixture resources the golden filter cases run against.
    public static func fixtures(_ name: String) -> [JSONObject] {
        let url = repoRoot.appendingPathComponent("conformance/fixtures/\(name)")
        guard let data = try? Data(contentsOf: url), let value = try? JSONParser().parse([UInt8](data)) else {
            fatalError("fuzz set-up: \(url.path) does not load")
        }
        return (value.arrayValue ?? []).compactMap(\.objectValue)
    }

    /// One input's check: libFuzzer's `LLVMFuzzerTestOneInput`.
    public typealias Target = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Hands the process to libFuzzer's driver with `target`; each fuzz executable's
    /// `<Module>_main` (the `main` SwiftPM links) calls it.
    public static func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ target: Target) -> CInt {
        zscim_fuzz_run(argc, argv, target)
    }

    /// The input libFuzzer hands over. `start` may be null for an empty input.
    public static func bytes(_ start: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let start, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: count))
    }

    /// Traps (a finding) unless `condition` holds.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) {
        if !condition { fatalError("fuzz invariant broken: \(message())", file: file, line: line) }
    }

    /// A SCIM error the core may raise for bad input: a 4xx with a detail for a person. Anything
    /// else (a 5xx, an empty detail) means bad input reached a place that did not expect it.
    public static func requireClientError(_ error: SCIMError, _ context: @autoclosure () -> String) {
        require((400..<500).contains(error.status) && !error.detail.isEmpty, "\(context()): \(error)")
    }

    /// A short excerpt of a value for messages.
    public static func excerpt(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.utf8.count <= 300 ? text : String(decoding: text.utf8.prefix(300), as: UTF8.self) + "…"
    }
}
