import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMServer
import SCIMStoreSQLite
import ServiceLifecycle
import ZscalerAPI

/// The running bridge: the SCIM server and the reconcilers of the connected tenants in one
/// service group, wired so that a SCIM write wakes its tenant's reconciler at once. `serve` and
/// `demo` both run it.
struct BridgeServer {
    var store: SQLiteDirectoryStore
    var registry: SchemaRegistry
    var server: ServerConfiguration
    var box: SecretBox
    var logger: Logger
    /// Group PATCH answers 204 (`zscim serve --group-patch-no-content`).
    var groupPatchNoContent = false
    var reconcilerRefresh: Duration = .seconds(5)

    /// Runs until SIGINT/SIGTERM (graceful shutdown) or until one of `extraServices` ends.
    func run(extraServices: [any Service] = [], onListening: @escaping @Sendable (String) async -> Void) async throws {
        // The cursor-signing key is made once and kept in the store, so cursors survive restarts.
        let secret = try await store.setting("cursor-secret") { (0..<32).map { _ in UInt8.random(in: 0...255) } }
        let reconcilers = ReconcilerService(
            store: store, box: box, httpClient: ZscalerHTTPClient.shared, logger: logger, refreshInterval: reconcilerRefresh)
        var configuration = ServiceConfiguration(cursorSecret: secret)
        configuration.onCommit = { tenantID, lane in reconcilers.wake(tenantID: tenantID, lane: lane) }
        configuration.groupPatchNoContent = groupPatchNoContent
        configuration.passwordSealer = box
        let service = try SCIMService(store: store, registry: registry, configuration: configuration, logger: logger)
        var server = self.server
        let store = self.store
        server.syncStatus = { tenant in try await TenantStatusReport.build(tenant: tenant, store: store).json() }
        let app = buildApplication(service: service, configuration: server, logger: logger, onListening: onListening)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app), .init(service: reconcilers)]
        for extra in extraServices { services.append(.init(service: extra)) }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
