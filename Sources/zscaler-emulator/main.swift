import ArgumentParser
import Foundation
import ZscalerEmulator

/// `zscaler-emulator`: runs the Zscaler emulator, or helps use it (obfuscate a key, write a large
/// seed for load tests).
@main
struct ZscalerEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zscaler-emulator",
        abstract: "A faithful fake of the Zscaler admin APIs (ZIA, OneAPI, ZPA, ZPA SCIM) for tests and demos.",
        subcommands: [Serve.self, Obfuscate.self, GenerateSeed.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the emulator until Ctrl-C (the default command).",
        discussion: """
            Settings come from these flags, then ZSCALER_EMULATOR_* environment variables (a key's \
            path in upper snake case: ZSCALER_EMULATOR_SESSIONS_IDLE_TIMEOUT_SECONDS, \
            ZSCALER_EMULATOR_CREDENTIALS_ZIA_API_KEY), then the --config file, then the defaults. \
            Unknown keys and variables are refused; --print-config lists every key.
            """)

    @Option(help: "Address to bind (default 127.0.0.1, loopback).") var host: String?
    @Option(help: "Port to bind; 0 picks a free one (default 9443).") var port: Int?
    @Option(help: "Seed fixture (JSON). Default: conformance/zscaler/seed/default.json when present.") var seed: String?
    @Option(help: "Generate a seed with this many users instead of reading one.") var generateUsers: Int?
    @Option(help: "State file: loaded at start if present, saved after changes and at exit.") var state: String?
    @Option(help: "Multiplier for Zscaler's durations (0.01 turns 1/s into 100/s and an hour into 36 s).") var timeScale: Double?
    @Option(help: "How clients reach the emulator: http, or https behind a TLS proxy (marks the session cookie Secure).")
    var publicScheme: String?
    @Flag(help: "Enable the /__emulator control routes (state, counters, faults, reset).") var enableControl = false
    @Option(help: "Configuration file (JSON): any configuration keys; the environment and flags override it.") var config: String?
    @Flag(help: "Print the resolved configuration (secrets redacted) and exit.") var printConfig = false

    func run() async throws {
        do {
            let configuration = try resolvedConfiguration()
            if printConfig {
                print(configuration)
                return
            }
            let fixture = try loadSeed()
            let emulator = try ZscalerEmulator(configuration: configuration, seed: fixture)
            try await emulator.runUntilSignalled { port in
                // Written straight to the file descriptor: stdout is block-buffered when piped.
                FileHandle.standardOutput.write(Data((emulator.banner(port: port) + "\n").utf8))
            }
        } catch let error as EmulatorConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// Flags over the environment over the file over the defaults (with this command's port 9443).
    private func resolvedConfiguration() throws(EmulatorConfigurationError) -> EmulatorConfiguration {
        var flags: [String: EmulatorConfigurationSources.FlagValue] = [:]
        if let host { flags["host"] = .string(host) }
        if let port { flags["port"] = .int(port) }
        if let timeScale { flags["timeScale"] = .double(timeScale) }
        if let publicScheme { flags["publicScheme"] = .string(publicScheme) }
        if enableControl { flags["controlEnabled"] = .bool(true) }
        if let state { flags["statePath"] = .string(state) }
        var base = EmulatorConfiguration()
        base.port = 9443
        var sources = EmulatorConfigurationSources(flags: flags, environment: ProcessInfo.processInfo.environment)
        if let config { sources.file = try .init(path: config) }
        return try EmulatorConfiguration.load(sources, over: base)
    }

    private func loadSeed() throws(EmulatorConfigurationError) -> SeedFixture {
        if let generateUsers {
            guard (0...1_400_000).contains(generateUsers) else { throw .init("--generate-users must be 0...1400000") }
            return .generated(userCount: generateUsers)
        }
        let defaultPath = "conformance/zscaler/seed/default.json"
        guard let path = seed ?? (FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil) else {
            throw .init("no seed: pass --seed FILE or --generate-users N (or run from the repository root)")
        }
        return try SeedFixture.load(from: path)
    }
}

struct Obfuscate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a login body for POST /api/v1/authenticatedSession (obfuscated API key + timestamp).")

    @Option(help: "The raw API key (at least 12 characters).") var apiKey: String
    @Option(help: "Epoch milliseconds; default now.") var timestamp: String?
    @Option(help: "Admin username to put in the body.") var username = "api-admin@example.com"
    @Option(help: "Admin password to put in the body.") var password = "Emul@tor-Passw0rd!"

    func run() throws {
        let timestamp = self.timestamp ?? EmulatorKeyObfuscation.currentTimestamp()
        guard let obfuscated = EmulatorKeyObfuscation.obfuscate(apiKey: apiKey, timestamp: timestamp) else {
            throw ValidationError("the API key needs 12+ characters and the timestamp 6+ digits")
        }
        let body: [String: String] = ["apiKey": obfuscated, "username": username, "password": password, "timestamp": timestamp]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(body), as: UTF8.self))
    }
}

struct GenerateSeed: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a generated seed fixture (e.g. 25,000 users for load tests).")

    @Option(help: "Number of hosted-DB users.") var users = 25_000
    @Option(help: "Number of groups.") var groups = 40
    @Option(help: "Number of departments.") var departments = 12
    @Option(help: "Output file; - for stdout.") var output = "-"

    func run() throws {
        guard (0...1_400_000).contains(users), (1...140_000).contains(groups), (1...140_000).contains(departments) else {
            throw ValidationError("users must be 0...1400000, groups and departments 1...140000")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(SeedFixture.generated(userCount: users, groupCount: groups, departmentCount: departments))
        if output == "-" {
            FileHandle.standardOutput.write(data)
        } else {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        }
    }
}
