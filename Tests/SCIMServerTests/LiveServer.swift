import Foundation
import Logging
import SCIMServer
import ServiceLifecycle

extension ServerHarness {
    /// Runs the same application `zscim serve` runs on a real loopback socket (port 0, the
    /// harness's `serverConfiguration` otherwise), gives `body` the bound port, then shuts it down.
    func live(_ body: @Sendable (Int) async throws -> Void) async throws {
        defer { cleanUp() }
        var configuration = serverConfiguration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        var logger = Logger(label: "zscim-live-test")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(service: service, configuration: configuration, logger: logger) { address in
            continuation.yield(address.split(separator: ":").last.flatMap { Int($0) } ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let running = Task { try await group.run() }
        var port = 0
        for await bound in ports {
            port = bound
            break
        }
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            _ = await running.result
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
