import Foundation

/// Where the package's built executables (`zscim`, `zscaler-emulator`) are, for tests that run
/// them as an operator would. One place for every test target that starts a binary.
public enum BuiltExecutable {
    /// The repository root (this file is `Tests/SCIMStoreContract/BuiltExecutable.swift`).
    public static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The built executable `name`: beside the test bundle, else in `.build/debug`.
    public static func url(_ name: String) throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name),
            repoRoot.appendingPathComponent(".build/debug/\(name)"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(name) is not built; run `swift build --build-tests` first"])
        }
        return found
    }
}
