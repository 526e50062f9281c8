import ArgumentParser
import Foundation
import Logging
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMServer
import SCIMStoreSQLite
import ServiceLifecycle
import ZscalerEmulator

/// `zscim demo`: the whole bridge on one machine with nothing to set up — the Zscaler emulator
/// in-process, a SQLite file under `./zscim-demo/`, a tenant connected to the emulator, and the
/// SCIM server — with a live line of sync progress. Ctrl-C stops everything.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the bridge against a built-in Zscaler emulator and watch SCIM changes reach it.")

    @Option(help: "Folder for the demo's database, key and emulator state.") var directory = "zscim-demo"
    @Option(help: "SCIM port (0 picks a free one).") var port = 8080
    @Option(help: "Emulator port (0 picks a free one).") var emulatorPort = 0
    @Option(
        name: .customLong("time-scale"),
        help: "Real seconds per Zscaler second: 0.05 runs Zscaler's limits 20 times faster, so a sync can be watched.")
    var timeScale = 0.05
    @Option(help: "Directory of SCIM schema documents.") var schemas = "schemas"
    @Option(help: "Emulator seed fixture (default: conformance/zscaler/seed/default.json when present, else a generated one).")
    var seed: String?
    @Option(name: .customLong("log-level"), help: "zscim's log level (default warning, so the progress line stays readable).")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        guard timeScale > 0, timeScale <= 1 else { throw ValidationError("--time-scale must be in (0, 1]") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "zscim-demo")
        logger.logLevel = logLevel

        // The emulator, as Zscaler: its state is kept in the demo folder, so a second run continues.
        let fixture = try loadSeed()
        var emulatorConfiguration = EmulatorConfiguration()
        emulatorConfiguration.port = emulatorPort
        emulatorConfiguration.timeScale = timeScale
        emulatorConfiguration.statePath = "\(directory)/emulator-state.json"
        let emulator = try ZscalerEmulator(configuration: emulatorConfiguration, seed: fixture)
        let emulatorPortBound = try await emulator.start()
        let emulatorURL = "http://127.0.0.1:\(emulatorPortBound)"

        let registry: SchemaRegistry
        do { registry = try SchemaRegistry.load(directory: schemas) } catch {
            await emulator.stop()
            throw ValidationError(
                "The schema documents in \(schemas) do not load (run from the repository root, or pass --schemas):\n\(error.description)")
        }
        let store = try SQLiteDirectoryStore(path: "\(directory)/zscim.sqlite")
        let box = try SecretBox.load(environment: ProcessInfo.processInfo.environment, keyFile: "\(directory)/zscim.sqlite.key")

        // The tenant, a fresh token (the old ones are revoked: the demo prints its token each run),
        // and its connection to the emulator.
        let tenant: Tenant
        if let existing = try await store.tenant(named: "demo") {
            tenant = existing
            for old in try await store.tokens(tenantID: tenant.id) { try await store.removeToken(tenantID: tenant.id, hash: old.hash) }
        } else {
            tenant = Tenant(id: UUID().uuidString.lowercased(), name: "demo", created: .now())
            try await store.createTenant(tenant)
        }
        let token = BearerToken.generate()
        try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
        guard let admin = fixture.zia.admins.first else { throw ValidationError("The seed has no ZIA admin to log in with") }
        let connection = ZscalerConnection(
            flavor: .legacy, baseURL: "\(emulatorURL)/api/v1", cloud: fixture.organization.cloud, orgID: Int64(fixture.organization.id),
            username: admin.username, allowUnlistedHost: true, rateScale: timeScale,
            secrets: ConnectionSecrets(password: admin.password, apiKey: fixture.zia.apiKey))
        var policy = TenantPolicy()
        policy.domains = fixture.organization.domains
        policy.defaultDepartment = fixture.zia.departments.first { $0.isSystemDefined != true }?.name
        try await TenantConnections.save(connection, policy: policy, tenantID: tenant.id, store: store, box: box, at: .now())

        var server = ServerConfiguration()
        server.port = port
        let domain = fixture.organization.domains.first ?? "example.com"
        let progress = DemoProgress(store: store, tenant: tenant, emulator: emulator)
        let bridge = BridgeServer(
            store: store, registry: registry, server: server, box: box, logger: logger, reconcilerRefresh: .seconds(1))
        do {
            try await bridge.run(extraServices: [progress]) { address in
                let base = "http://\(address)/scim/v2"
                let text = """
                    zscim demo: SCIM at \(base), Zscaler emulator at \(emulatorURL) (time scale \(timeScale): Zscaler's limits run \(Int((1 / timeScale).rounded()))× faster)
                    Database: \(directory)/zscim.sqlite (tenant "demo", connected to the emulator)

                    Bearer token (new each run):
                    \(token)

                    Try:
                      export TOKEN=\(token)
                      curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/scim+json' -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@\(domain)","displayName":"Ada Lovelace"}' \(base)/Users
                      curl -s -H "Authorization: Bearer $TOKEN" '\(base)/Users?filter=userName+eq+%22ada@\(domain)%22'
                      curl -s -H "Authorization: Bearer $TOKEN" http://\(address)/status

                    Ctrl-C stops the demo.

                    """
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
        FileHandle.standardOutput.write(Data("\nzscim demo stopped.\n".utf8))
    }

    func loadSeed() throws -> SeedFixture {
        let defaultPath = "conformance/zscaler/seed/default.json"
        if let path = seed ?? (FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil) {
            do { return try SeedFixture.load(from: path) } catch { throw ValidationError("The seed \(path) does not load: \(error)") }
        }
        return .generated(userCount: 25)
    }
}

/// Prints one line of sync progress a second (rewritten in place on a terminal).
struct DemoProgress: Service {
    let store: SQLiteDirectoryStore
    let tenant: Tenant
    let emulator: ZscalerEmulator

    func run() async throws {
        let terminal = isatty(STDOUT_FILENO) == 1
        var last = ""
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .seconds(1))
            guard let report = try? await TenantStatusReport.build(tenant: tenant, store: store) else { continue }
            let users = report.users
            let groups = report.groups
            var line = "sync: users \(users.synced) synced / \(users.pending) pending / \(users.failed) failed"
            line += " · groups \(groups.synced)/\(groups.pending)/\(groups.failed)"
            line += " · queue \(report.queue.priority) priority, \(report.queue.bulk) bulk"
            line += " · activations \(report.activation.activations) · Zscaler \(emulator.activationStatus)"
            if let failure = report.recentFailures.first {
                line += " · last failure: " + (failure.name ?? failure.id) + ": " + failure.message
            }
            guard line != last else { continue }
            last = line
            FileHandle.standardOutput.write(Data((terminal ? "\r\u{1B}[2K" + line : line + "\n").utf8))
        }
    }
}
