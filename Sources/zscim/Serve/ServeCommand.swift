import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SCIMBridge
import SCIMCore
import SCIMServer
import SCIMStoreSQLite

/// `zscim serve`: the SCIM service on the embedded SQLite store, and a reconciler for each
/// tenant connected to Zscaler.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the SCIM service.")

    @OptionGroup var options: StoreOptions
    @Option(help: "Address to listen on (env ZSCIM_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port (env ZSCIM_PORT; default 8080; 0 picks a free one).") var port: Int?
    @Option(
        name: .customLong("public-base-url"),
        help: "External origin for meta.location, e.g. https://scim.example.com (env ZSCIM_PUBLIC_BASE_URL).")
    var publicBaseURL: String?
    @Flag(
        name: .customLong("require-token-for-discovery"),
        help: "Require a bearer token for /ServiceProviderConfig, /ResourceTypes and /Schemas.")
    var requireTokenForDiscovery = false
    @Option(
        name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env ZSCIM_LOG_LEVEL; default info).")
    var logLevel: Logger.Level?
    @Option(
        name: .customLong("create-tenant"), help: "Create this tenant at start if it does not exist, and print its token (demos, tests).")
    var createTenant: String?

    func run() async throws {
        var logger = Logger(label: "zscim")
        let configuredLevel = try options.value(nil, env: "ZSCIM_LOG_LEVEL", key: "logLevel", default: "info")
        logger.logLevel = logLevel ?? Logger.Level(rawValue: configuredLevel) ?? .info

        var server = ServerConfiguration()
        server.host = try options.value(host, env: "ZSCIM_HOST", key: "host", default: "127.0.0.1")
        let portText = try options.value(port.map(String.init), env: "ZSCIM_PORT", key: "port", default: "8080")
        guard let portNumber = Int(portText), (0...65535).contains(portNumber) else {
            throw ValidationError("Port \(portText) is not a port number")
        }
        server.port = portNumber
        let base = try options.value(publicBaseURL, env: "ZSCIM_PUBLIC_BASE_URL", key: "publicBaseURL", default: "")
        server.publicBaseURL = base.isEmpty ? nil : base
        let anonymous = try options.value(nil, env: "ZSCIM_ANONYMOUS_DISCOVERY", key: "anonymousDiscovery", default: "true")
        server.anonymousDiscovery = !requireTokenForDiscovery && anonymous != "false"

        let registry = try CommandEnvironment.loadSchemas(options)
        for warning in registry.diagnostics { logger.warning("schema: \(warning.description)") }
        let store = try await CommandEnvironment.openStore(options)
        let box = try CommandEnvironment.loadSecretBox(options)

        if let name = createTenant, try await store.tenant(named: name) == nil {
            guard Tenant.isValidName(name) else { throw ValidationError("'\(name)' is not a valid tenant name") }
            let tenant = Tenant(id: UUID().uuidString.lowercased(), name: name, created: .now())
            try await store.createTenant(tenant)
            let token = BearerToken.generate()
            try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
            // Written unbuffered: the server runs on and may be stopped before a buffer flushes.
            FileHandle.standardOutput.write(Data("Created tenant \(name); bearer token (shown once):\n\(token)\n".utf8))
        }

        let databasePath = try options.databasePath()
        logger.info("zscim serving", metadata: ["host": "\(server.host)", "port": "\(server.port)", "database": "\(databasePath)"])
        try await BridgeServer(store: store, registry: registry, server: server, box: box, logger: logger).run { address in
            // Unbuffered, so scripts reading the output learn the port at once (port 0 picks one).
            FileHandle.standardOutput.write(Data("zscim listening on \(address)\n".utf8))
        }
    }
}
