import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `zscim tenant …` and `zscim serve`, as an operator runs them: the built binary as a process.
@Suite("zscim tenant and serve (executable)")
struct CommandLineTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func binary() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zscim"),
            repoRoot.appendingPathComponent(".build/debug/zscim"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "zscim is not built; run `swift build --build-tests` first"])
        }
        return found
    }

    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static func tempDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("tenant create prints a token once; list shows fingerprints only; rotate keeps one old token; delete needs --yes")
    func tenantCommands() throws {
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let created = try Self.run(["tenant", "create", "acme", "--profile", "entra"], in: dir)
        #expect(created.status == 0, "\(created.err)")
        let token = try #require(created.out.split(separator: "\n").last.map(String.init))
        #expect(token.hasPrefix("zscim_") && token.count > 40)
        let list = try Self.run(["tenant", "list"], in: dir)
        #expect(list.out.contains("acme") && list.out.contains("profile=entra"))
        #expect(!list.out.contains(token))
        #expect(try Self.run(["tenant", "create", "acme"], in: dir).status != 0)
        let bad = try Self.run(["tenant", "create", "Bad Name!"], in: dir)
        #expect(bad.status != 0 && bad.err.contains("not a valid tenant name"))
        let rotated = try Self.run(["tenant", "rotate-token", "acme"], in: dir)
        #expect(rotated.status == 0 && rotated.out.contains("stays valid"))
        #expect(try Self.run(["tenant", "delete", "acme"], in: dir).status != 0)
        #expect(try Self.run(["tenant", "delete", "acme", "--yes"], in: dir).status == 0)
        #expect(try Self.run(["tenant", "list"], in: dir).out.contains("No tenants"))
    }

    @Test("serve answers SCIM with the token it printed, and stops on SIGTERM")
    func serve() async throws {
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = [
            "serve", "--create-tenant", "demo", "--port", "0", "--schemas", Self.repoRoot.appendingPathComponent("schemas").path,
        ]
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Read the output until the token and the listening port have been printed.
        var text = ""
        var port: Int?
        var token: String?
        let deadline = Date().addingTimeInterval(20)
        while (port == nil || token == nil) && Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { try await Task.sleep(for: .milliseconds(50)); continue }
            text += String(decoding: chunk, as: UTF8.self)
            token = text.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("zscim_") }.map(String.init)
            if let range = text.range(of: "listening on 127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        let p = try #require(port, "no port in: \(text)")
        let t = try #require(token, "no token in: \(text)")
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(p)/scim/v2/Users")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(t)", forHTTPHeaderField: "Authorization")
        request.setValue("application/scim+json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@example.com"}"#.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        process.terminate()
        process.waitUntilExit()
        #expect(!process.isRunning)
    }
}
