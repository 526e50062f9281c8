import AsyncHTTPClient
import Foundation
import Logging
import SCIMBridge
import ServiceLifecycle
import Synchronization
import ZscalerAPI

/// Runs one `TenantReconciler` per connected tenant, as a `Service` in the server's
/// `ServiceGroup`. It looks at the tenants' connections every few seconds, so `zscim tenant
/// connect`, `disconnect` and `policy` take effect in a running server without a restart.
public final class ReconcilerService: Service, Sendable {
    /// How a running tenant was set up, to notice when its connection changes.
    private struct Running: Sendable {
        var reconciler: TenantReconciler
        var task: Task<Void, Never>
        var connection: ZscalerConnection
        var policy: TenantPolicy
    }

    let store: any DirectoryStore
    let box: SecretBox
    let httpClient: HTTPClient
    let logger: Logger
    let refreshInterval: Duration
    let clock: ReconcilerClock
    let adjust: @Sendable (inout ReconcilerSettings) -> Void
    private let running = Mutex<[String: Running]>([:])

    /// - Parameter adjust: changes the settings each reconciler gets (tests, benchmarks).
    public init(
        store: any DirectoryStore, box: SecretBox, httpClient: HTTPClient, logger: Logger, refreshInterval: Duration = .seconds(5),
        clock: ReconcilerClock = .system, adjust: @escaping @Sendable (inout ReconcilerSettings) -> Void = { _ in }
    ) {
        self.store = store
        self.box = box
        self.httpClient = httpClient
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.clock = clock
        self.adjust = adjust
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await refresh()
                try? await Task.sleep(for: refreshInterval)
            }
        } onGracefulShutdown: {
            self.stopAll()
        }
        stopAll()
    }

    /// A SCIM write committed for `tenantID`: its reconciler starts a round now.
    public func wake(tenantID: String, lane: SyncLane) {
        guard let reconciler = running.withLock({ $0[tenantID]?.reconciler }) else { return }
        Task { await reconciler.wake(lane: lane) }
    }

    /// The running reconciler of a tenant (tests, benchmarks, status).
    public func reconciler(tenantID: String) -> TenantReconciler? {
        running.withLock { $0[tenantID]?.reconciler }
    }

    /// Starts, restarts or stops reconcilers to match the stored connections.
    public func refresh() async {
        let tenants: [Tenant]
        do { tenants = try await store.tenants() } catch {
            logger.error("cannot list tenants", metadata: ["error": "\(error)"])
            return
        }
        var wanted = Set<String>()
        for tenant in tenants {
            do {
                guard let (connection, policy) = try await TenantConnections.load(tenantID: tenant.id, store: store, box: box) else {
                    continue
                }
                wanted.insert(tenant.id)
                let current = running.withLock { $0[tenant.id] }
                if let current, current.connection == connection {
                    if current.policy != policy {
                        await current.reconciler.update(policy: policy)
                        running.withLock { $0[tenant.id]?.policy = policy }
                    }
                    continue
                }
                current?.task.cancel()
                try start(tenant: tenant, connection: connection, policy: policy)
            } catch {
                logger.error(
                    "cannot start the reconciler of a tenant", metadata: ["tenant": "\(tenant.name)", "error": "\(error)"])
            }
        }
        let gone = running.withLock { all in
            let stale = all.filter { !wanted.contains($0.key) }
            for key in stale.keys { all[key] = nil }
            return Array(stale.values)
        }
        for running in gone { running.task.cancel() }
    }

    private func start(tenant: Tenant, connection: ZscalerConnection, policy: TenantPolicy) throws {
        var tenantLogger = logger
        tenantLogger[metadataKey: "tenant"] = "\(tenant.name)"
        let client = try connection.makeClient(httpClient: httpClient, logger: tenantLogger)
        var settings = ReconcilerSettings()
        settings.timeScale = connection.rateScale
        adjust(&settings)
        let reconciler = TenantReconciler(
            tenantID: tenant.id, store: store, target: client, policy: policy, settings: settings, clock: clock,
            passwords: PasswordVault(store: store, sealer: box), logger: tenantLogger)
        let task = Task { await reconciler.run() }
        running.withLock { $0[tenant.id] = Running(reconciler: reconciler, task: task, connection: connection, policy: policy) }
        tenantLogger.info("reconciler started", metadata: ["target": "\(connection.baseURL)"])
    }

    private func stopAll() {
        let all = running.withLock { all in
            defer { all = [:] }
            return Array(all.values)
        }
        for running in all { running.task.cancel() }
    }
}
