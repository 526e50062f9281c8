import ArgumentParser
import Configuration
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
        help: "External origin for Location, meta.location and $ref, e.g. https://scim.example.com (env ZSCIM_PUBLIC_BASE_URL).")
    var publicBaseURL: String?
    @Option(
        name: .customLong("allowed-host"),
        help: ArgumentHelp(
            "Without --public-base-url, a Host (host or host:port) that may appear in URLs; repeatable (env ZSCIM_ALLOWED_HOSTS, comma-separated).",
            discussion: "Any other Host is never reflected: URLs then name the address the connection arrived on."))
    var allowedHosts: [String] = []
    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp(
            "Address or network (10.0.0.0/8, ::1) whose X-Forwarded-Proto/Host and Forwarded headers are believed; repeatable (env ZSCIM_TRUSTED_PROXIES).",
            discussion: "A forwarded host must still be an allowed host."))
    var trustedProxies: [String] = []
    @Flag(
        name: .customLong("require-token-for-discovery"),
        help: "Require a bearer token for /ServiceProviderConfig, /ResourceTypes and /Schemas (env ZSCIM_ANONYMOUS_DISCOVERY=false).")
    var requireTokenForDiscovery = false
    @Flag(
        name: .customLong("group-patch-no-content"),
        help: "Answer a group PATCH with 204 instead of the group, unless attributes are asked for (env ZSCIM_GROUP_PATCH_NO_CONTENT).")
    var groupPatchNoContent = false
    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a connection may send nothing before it is closed (env ZSCIM_IDLE_TIMEOUT; default 60).")
    var idleTimeout: Double?
    @Option(
        name: .customLong("max-connections"),
        help: "Connections served at once; more wait unanswered until one closes (env ZSCIM_MAX_CONNECTIONS; default 512).")
    var maxConnections: Int?
    @Option(
        name: .customLong("request-timeout"),
        help: "Seconds a request may take before it is answered 503 with Retry-After (env ZSCIM_REQUEST_TIMEOUT; default 30).")
    var requestTimeout: Double?
    @Option(
        name: .customLong("readiness-timeout"),
        help: "Seconds /readyz waits for the store's write lock before answering 503 (env ZSCIM_READINESS_TIMEOUT; default 2).")
    var readinessTimeout: Double?
    @Option(
        name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env ZSCIM_LOG_LEVEL; default info).")
    var logLevel: Logger.Level?
    @Flag(name: .customLong("print-config"), help: "Print the resolved settings and where each came from (secrets redacted), then exit.")
    var printConfig = false
    @Option(
        name: .customLong("create-tenant"), help: "Create this tenant at start if it does not exist, and print its token (demos, tests).")
    var createTenant: String?

    /// The settings `serve`'s own flags set (a repeated flag replaces the whole list).
    var flagValues: [Setting: ConfigContent] {
        var values: [Setting: ConfigContent] = [:]
        if let host { values[.host] = .string(host) }
        if let port { values[.port] = .int(port) }
        if let publicBaseURL { values[.publicBaseURL] = .string(publicBaseURL) }
        if !allowedHosts.isEmpty { values[.allowedHosts] = .stringArray(allowedHosts) }
        if !trustedProxies.isEmpty { values[.trustedProxies] = .stringArray(trustedProxies) }
        if requireTokenForDiscovery { values[.anonymousDiscovery] = .bool(false) }
        if groupPatchNoContent { values[.groupPatchNoContent] = .bool(true) }
        if let idleTimeout { values[.idleTimeout] = .double(idleTimeout) }
        if let maxConnections { values[.maxConnections] = .int(maxConnections) }
        if let requestTimeout { values[.requestTimeout] = .double(requestTimeout) }
        if let readinessTimeout { values[.readinessTimeout] = .double(readinessTimeout) }
        if let logLevel { values[.logLevel] = .string(logLevel.rawValue) }
        return values
    }

    func run() async throws {
        let settings = try await options.load(adding: flagValues)
        if printConfig {
            print(settings.description)
            return
        }
        var logger = Logger(label: "zscim")
        logger.logLevel = settings.logLevel
        logger.debug("settings", metadata: ["settings": "\(settings)"])
        if !settings.server.trustedProxies.isEmpty, settings.server.allowedHosts.isEmpty, settings.server.publicBaseURL == nil {
            logger.warning("trustedProxies is set but allowedHosts is empty: forwarded hosts are never used in URLs")
        }

        let registry = try CommandEnvironment.loadSchemas(settings)
        for warning in registry.diagnostics { logger.warning("schema: \(warning.description)") }
        let store = try await CommandEnvironment.openStore(settings)
        let box = try CommandEnvironment.loadSecretBox(settings)

        if let name = createTenant, try await store.tenant(named: name) == nil {
            guard Tenant.isValidName(name) else { throw ValidationError("'\(name)' is not a valid tenant name") }
            let tenant = Tenant(id: UUID().uuidString.lowercased(), name: name, created: .now())
            try await store.createTenant(tenant)
            let token = BearerToken.generate()
            try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
            // Written unbuffered: the server runs on and may be stopped before a buffer flushes.
            FileHandle.standardOutput.write(Data("Created tenant \(name); bearer token (shown once):\n\(token)\n".utf8))
        }

        let server = settings.server
        logger.info("zscim serving", metadata: ["host": "\(server.host)", "port": "\(server.port)", "database": "\(settings.database)"])
        let bridge = BridgeServer(
            store: store, registry: registry, server: server, box: box, logger: logger, groupPatchNoContent: settings.groupPatchNoContent)
        try await bridge.run { address in
            // Unbuffered, so scripts reading the output learn the port at once (port 0 picks one).
            FileHandle.standardOutput.write(Data("zscim listening on \(address)\n".utf8))
        }
    }
}
