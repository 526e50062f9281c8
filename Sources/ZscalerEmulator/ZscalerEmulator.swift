import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// A faithful fake of the Zscaler admin APIs the bridge calls — ZIA (legacy session and OneAPI),
/// ZIdentity's token endpoint, ZPA's admin API and its per-IdP SCIM server — on one port.
///
/// In tests: `let emulator = try ZscalerEmulator(configuration: config, seed: .default)`, then
/// `let port = try await emulator.start()` (127.0.0.1, port 0 by default) and `await emulator.stop()`.
/// The `zscaler-emulator` executable runs the same thing until SIGINT/SIGTERM.
public final class ZscalerEmulator: Sendable {
    public let configuration: EmulatorConfiguration
    let core: EmulatorCore
    private let running = Mutex<Running?>(nil)
    private let logger: Logger

    private struct Running: Sendable {
        var port: Int
        var group: ServiceGroup
        var server: Task<Void, any Error>
        var saver: Task<Void, Never>?
    }

    /// Builds an emulator from a configuration and a fixture. With a `statePath` whose file exists,
    /// the saved state is loaded instead of the fixture. The configuration's ``CredentialOverrides``
    /// replace the fixture's (and the saved state's) secrets.
    public init(configuration: EmulatorConfiguration = .init(), seed: SeedFixture, logger: Logger? = nil) throws(EmulatorConfigurationError)
    {
        try configuration.validate()
        let seed = try configuration.credentials.applied(to: seed)
        try seed.validate()
        var state = EmulatorState(seed: seed)
        if let path = configuration.statePath, let saved = try StatePersistence.load(path: path) {
            state = configuration.credentials.applied(to: saved)
        }
        self.configuration = configuration
        core = EmulatorCore(configuration: configuration, seed: seed, initialState: state)
        var defaultLogger = Logger(label: "zscaler-emulator")
        defaultLogger.logLevel = .notice
        self.logger = logger ?? defaultLogger
    }

    // MARK: Running

    /// The Hummingbird application serving every route; `start()` runs it, but a caller may run
    /// it in its own `ServiceGroup` instead.
    public func buildApplication(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
        let core = self.core
        return Application(
            router: EmulatorRouter.build(core),
            server: .http1(
                configuration: .init(additionalChannelHandlers: [ConnectionDropHandler(faults: core.faults, counters: core.counters)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Zscaler"),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Starts serving and returns the bound port. `gracefulShutdownSignals` is for the executable.
    @discardableResult
    public func start(gracefulShutdownSignals: [UnixSignal] = []) async throws -> Int {
        if let port = self.port { return port }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = buildApplication { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        }
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
        let server = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var bound: Int?
        for await port in ports {
            bound = port
            break
        }
        guard let bound, bound > 0 else {
            try await server.value
            throw EmulatorConfigurationError("the server stopped before it was listening")
        }
        let core = self.core
        let logger = self.logger
        let saver = core.persistence.map { persistence in
            Task {
                await persistence.run(snapshot: { core.snapshot }, onError: { logger.error("state save failed: \($0)") })
            }
        }
        running.withLock { $0 = Running(port: bound, group: group, server: server, saver: saver) }
        return bound
    }

    /// Stops serving (gracefully) and saves the state when a state file is configured.
    public func stop() async {
        guard
            let current = running.withLock({ running -> Running? in
                defer { running = nil }
                return running
            })
        else { return }
        await current.group.triggerGracefulShutdown()
        _ = await current.server.result
        await finishSaving(current)
    }

    /// Runs until the process gets SIGINT or SIGTERM (the executable), then saves state.
    public func runUntilSignalled(onStarted: @Sendable (Int) -> Void) async throws {
        let port = try await start(gracefulShutdownSignals: [.sigterm, .sigint])
        onStarted(port)
        guard let current = running.withLock({ $0 }) else { return }
        let result = await current.server.result
        running.withLock { $0 = nil }
        await finishSaving(current)
        try result.get()
    }

    private func finishSaving(_ current: Running) async {
        guard let persistence = core.persistence else { return }
        persistence.finish()
        current.saver?.cancel()
        _ = await current.saver?.value
        do { try persistence.save(core.snapshot) } catch { logger.error("state save failed: \(error.description)") }
    }

    /// The bound port while running.
    public var port: Int? { running.withLock { $0?.port } }

    /// `http://127.0.0.1:<port>` while running.
    public var baseURL: String? {
        port.map { "http://\(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host):\($0)" }
    }

    // MARK: Test and benchmark hooks (the same things the control routes do)

    public var counters: EmulatorCountersSnapshot { core.counters.snapshot }

    public func resetCounters() {
        core.counters.reset()
        core.limiter.reset()
    }

    public var faults: FaultSettings { core.faults.settings }

    public func setFaults(_ settings: FaultSettings) throws(EmulatorConfigurationError) {
        try settings.validate()
        core.faults.replace(settings)
    }

    /// Every session and token ends now.
    public func expireAllSessions() { core.expireAllSessions() }

    /// "Another admin" holds the edit lock for `duration` (real time).
    public func holdEditLock(for duration: Duration) { core.editLock.hold(for: duration) }

    /// Every request is answered 429 for `duration` (real time).
    public func startStorm(for duration: Duration) { core.faults.startStorm(for: duration, now: .now) }

    /// ZIA activation status (`ACTIVE` / `PENDING`).
    public var activationStatus: String { core.snapshot.zia.status }

    /// The fixture the emulator was built from (credentials for clients under test).
    public var seed: SeedFixture { core.seed }

    /// Writes the state file now (no-op without `statePath`).
    public func saveState() throws(EmulatorConfigurationError) { try core.persistence?.save(core.snapshot) }
}
