import Foundation
import SCIMStoreContract
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `zscim tenant …` and `zscim serve`, as an operator runs them: the built binary as a process.
@Suite("zscim tenant and serve (executable)")
struct CommandLineTests {
    static let repoRoot = BuiltExecutable.repoRoot

    static func binary() throws -> URL { try BuiltExecutable.url("zscim") }

    /// Runs `zscim` with `arguments` in `directory`; the test's own `ZSCIM_*` variables are
    /// dropped so the test sees only what it sets in `environment`.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (
        status: Int32, out: String, err: String
    ) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ZSCIM_") }
        env.merge(environment) { $1 }
        process.environment = env
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
    /// A running `zscim serve --create-tenant demo --port 0` (plus `extra` arguments) in
    /// `directory`, once it has printed its token and port; the test's own `ZSCIM_*` variables
    /// are dropped. The caller terminates the process.
    static func startServe(in directory: URL, extra: [String] = []) async throws -> (process: Process, port: Int, token: String) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments =
            ["serve", "--create-tenant", "demo", "--port", "0", "--schemas", repoRoot.appendingPathComponent("schemas").path] + extra
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ZSCIM_") }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        // Read the output until the token and the listening port have been printed.
        var text = ""
        var port: Int?
        var token: String?
        let deadline = Date().addingTimeInterval(20)
        while (port == nil || token == nil) && Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty {
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            text += String(decoding: chunk, as: UTF8.self)
            token = text.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("zscim_") }.map(String.init)
            if let range = text.range(of: "listening on 127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        guard let port, let token else {
            process.terminate()
            throw StartFailure(description: "zscim serve printed no port and token within 20 s: \(text)")
        }
        return (process, port, token)
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
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
        let (process, p, t) = try await Self.startServe(in: dir)
        defer { if process.isRunning { process.terminate() } }
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

/// `zscim tenant connect|show|policy|disconnect` against a `zscaler-emulator` process, as an
/// operator runs them: secrets from files and environment variables, the key file beside the
/// database, nothing stored when the login fails.
@Suite("zscim tenant connect (executable, against zscaler-emulator)")
struct CommandLineConnectTests {
    /// The generated seed's fake credentials (`SeedFixture.testCredentials` in ZscalerEmulator,
    /// which this test target does not link).
    static let adminUsername = "api-admin@example.com"
    static let adminPassword = "Generated-Passw0rd!"
    static let apiKey = "Gn7eRaTedK3y9q"
    static let clientID = "generated-client"
    static let clientSecret = "generated-client-secret"

    /// A running `zscaler-emulator` (generated seed, time scale 0.01) on a free loopback port.
    final class Emulator {
        let process = Process()
        var port = 0

        init() async throws {
            process.executableURL = try CommandLineTests.binary().deletingLastPathComponent().appendingPathComponent("zscaler-emulator")
            process.arguments = ["serve", "--port", "0", "--generate-users", "5", "--time-scale", "0.01"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(20)
            while port == 0 && Date() < deadline {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { try await Task.sleep(for: .milliseconds(50)); continue }
                text += String(decoding: chunk, as: UTF8.self)
                if let range = text.range(of: "on http://127.0.0.1:") { port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0 }
            }
            guard port != 0 else {
                stop()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the emulator printed no port: \(text)"])
            }
        }

        var base: String { "http://127.0.0.1:\(port)" }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (
        status: Int32, out: String, err: String
    ) {
        try CommandLineTests.run(arguments, in: directory, environment: environment)
    }
    /// A temporary directory with tenant `acme` and the secret files.
    static func setUp() throws -> URL {
        let dir = try CommandLineTests.tempDirectory()
        try Data((adminPassword + "\n").utf8).write(to: dir.appendingPathComponent("password"))
        try Data(apiKey.utf8).write(to: dir.appendingPathComponent("api-key"))
        try Data((clientSecret + "\n").utf8).write(to: dir.appendingPathComponent("client-secret"))
        try Data("Wrong-Passw0rd!\n".utf8).write(to: dir.appendingPathComponent("wrong-password"))
        let created = try run(["tenant", "create", "acme"], in: dir)
        #expect(created.status == 0, "\(created.err)")
        return dir
    }

    func legacyArguments(_ emulator: Emulator, password: String = "password") -> [String] {
        [
            "tenant", "connect", "acme", "--zia-base-url", emulator.base + "/api/v1", "--allow-unlisted-host", "--rate-scale", "0.01",
            "--zia-username", Self.adminUsername, "--zia-password-file", password, "--zia-api-key-env", "TEST_ZIA_API_KEY",
        ]
    }

    @Test("legacy connect logs in, seals the secrets (key file 0600), show masks them, policy changes, disconnect removes")
    func legacyLifecycle() async throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let emulator = try await Emulator()
        defer { emulator.stop() }
        let env = ["TEST_ZIA_API_KEY": Self.apiKey]

        let connected = try Self.run(legacyArguments(emulator) + ["--default-department", "Department 1"], in: dir, environment: env)
        #expect(connected.status == 0, "\(connected.out)\(connected.err)")
        #expect(connected.out.contains("Logged in to ZIA at \(emulator.base)/api/v1"))
        #expect(connected.out.contains("Connected tenant acme"))
        #expect(!connected.out.contains(Self.adminPassword) && !connected.out.contains(Self.apiKey))
        let keyFile = dir.appendingPathComponent("zscim.sqlite.key").path
        let mode = try #require(FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)

        let shown = try Self.run(["tenant", "show", "acme"], in: dir)
        #expect(shown.status == 0, "\(shown.err)")
        #expect(shown.out.contains("********") && shown.out.contains("****…" + Self.apiKey.suffix(3)))
        #expect(!shown.out.contains(Self.adminPassword) && !shown.out.contains(Self.apiKey))
        #expect(shown.out.contains(#""defaultDepartment" : "Department 1""#))
        let json = try Self.run(["tenant", "show", "acme", "--json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let connection = try #require(object["connection"] as? [String: Any])
        #expect(connection["apiKey"] as? String == "****…" + Self.apiKey.suffix(3))
        #expect(connection["password"] as? String == "********")
        #expect((object["tokens"] as? [Any])?.count == 1)

        let policy = try Self.run(
            ["tenant", "policy", "acme", "--deactivation", "quarantine", "--quarantine-group", "Quarantine"], in: dir)
        #expect(policy.status == 0, "\(policy.err)")
        #expect(policy.out.contains(#""deactivation" : "quarantine""#) && policy.out.contains(#""defaultDepartment" : "Department 1""#))
        let empty = dir.appendingPathComponent("empty-policy.json")
        try Data("{}".utf8).write(to: empty)
        let incomplete = try Self.run(["tenant", "policy", "acme", "--deactivation", "quarantine", "--policy-file", empty.path], in: dir)
        #expect(incomplete.status != 0 && incomplete.err.contains("--quarantine-group"), "\(incomplete.err)")
        let unknownKey = dir.appendingPathComponent("policy.json")
        try Data(#"{"deactivaton":"delete"}"#.utf8).write(to: unknownKey)
        let typo = try Self.run(["tenant", "policy", "acme", "--policy-file", unknownKey.path], in: dir)
        #expect(typo.status != 0 && typo.err.contains("deactivaton"))

        // Another key cannot open the secrets: show says so instead of failing.
        let otherKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let wrongKey = try Self.run(["tenant", "show", "acme"], in: dir, environment: ["ZSCIM_SECRET_KEY": otherKey])
        #expect(wrongKey.status == 0 && wrongKey.out.contains("cannot be opened"), "\(wrongKey.out)")

        let disconnected = try Self.run(["tenant", "disconnect", "acme"], in: dir)
        #expect(disconnected.status == 0 && disconnected.out.contains("Disconnected"))
        #expect(try Self.run(["tenant", "show", "acme"], in: dir).out.contains("Connection: none"))
        #expect(try Self.run(["tenant", "policy", "acme"], in: dir).status != 0, "no policy without a connection")
    }

    @Test("OneAPI connect with a token URL and a client-secret file")
    func oneAPI() async throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let emulator = try await Emulator()
        defer { emulator.stop() }
        let connected = try Self.run(
            [
                "tenant", "connect", "acme", "--zia-base-url", emulator.base + "/zia/api/v1", "--token-url",
                emulator.base + "/oauth2/v1/token",
                "--client-id", Self.clientID, "--client-secret-file", "client-secret", "--allow-unlisted-host", "--rate-scale", "0.01",
            ], in: dir)
        #expect(connected.status == 0, "\(connected.out)\(connected.err)")
        #expect(connected.out.contains("OneAPI"))
        let shown = try Self.run(["tenant", "show", "acme"], in: dir)
        #expect(shown.out.contains("****…" + Self.clientSecret.suffix(3)) && !shown.out.contains(Self.clientSecret))
    }

    @Test("a wrong password, an unlisted host, a missing secret or a rate scale against Zscaler fail clearly and store nothing")
    func failures() async throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let emulator = try await Emulator()
        defer { emulator.stop() }
        let env = ["TEST_ZIA_API_KEY": Self.apiKey]

        let wrong = try Self.run(legacyArguments(emulator, password: "wrong-password"), in: dir, environment: env)
        #expect(wrong.status != 0)
        #expect(wrong.err.contains("refused the credentials") && wrong.err.contains("password"), "\(wrong.err)")
        #expect(!wrong.err.contains("Wrong-Passw0rd!"))

        let unlisted = try Self.run(
            legacyArguments(emulator).filter { $0 != "--allow-unlisted-host" && $0 != "--rate-scale" && $0 != "0.01" }, in: dir,
            environment: env)
        #expect(unlisted.status != 0 && unlisted.err.contains("--allow-unlisted-host"), "\(unlisted.err)")

        let missingEnv = try Self.run(legacyArguments(emulator), in: dir)
        #expect(missingEnv.status != 0 && missingEnv.err.contains("TEST_ZIA_API_KEY"), "\(missingEnv.err)")
        let missingFile = try Self.run(legacyArguments(emulator, password: "no-such-file"), in: dir, environment: env)
        #expect(missingFile.status != 0 && missingFile.err.contains("no-such-file"), "\(missingFile.err)")

        let plain = try Self.run(
            ["tenant", "connect", "acme", "--zia-cloud", "zscalertwo", "--zia-username", "a", "--zia-password", "x"], in: dir)
        #expect(plain.status != 0, "a secret cannot be given as a flag value")

        let scaled = try Self.run(
            [
                "tenant", "connect", "acme", "--zia-cloud", "zscalertwo", "--rate-scale", "0.01", "--zia-username", "a",
                "--zia-password-file", "password", "--zia-api-key-env", "TEST_ZIA_API_KEY",
            ],
            in: dir, environment: env)
        #expect(scaled.status != 0 && scaled.err.contains("--allow-unlisted-host"))

        #expect(try Self.run(["tenant", "show", "acme"], in: dir).out.contains("Connection: none"))
    }

    @Test("--from-metadata fills in the cloud, org id and API base and says why")
    func fromMetadata() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let metadata = CommandLineTests.repoRoot.appendingPathComponent("schemas/saml/zia-sp-metadata.xml").path
        let connected = try Self.run(
            [
                "tenant", "connect", "acme", "--from-metadata", metadata, "--zia-username", Self.adminUsername, "--zia-password-file",
                "password",
                "--zia-api-key-file", "api-key", "--skip-login",
            ], in: dir)
        #expect(connected.status == 0, "\(connected.err)")
        #expect(connected.out.contains("cloud zscalertwo") && connected.out.contains("sfc_sso"))
        #expect(connected.out.contains("Org: 45193562"))
        let shown = try Self.run(["tenant", "show", "acme"], in: dir)
        #expect(shown.out.contains("https://zsapi.zscalertwo.net/api/v1") && shown.out.contains("45193562"))
    }
}
