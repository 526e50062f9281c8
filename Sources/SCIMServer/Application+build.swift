import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SCIMBridge

/// Builds the zscim HTTP application. Kept apart from the executable so tests build exactly the
/// application that `zscim serve` runs.
///
/// `onListening` receives the bound address (`127.0.0.1:8080`), which is how a caller learns
/// the port when it asked for port 0.
public func buildApplication(
    service: SCIMService, configuration: ServerConfiguration, logger: Logger,
    onListening: @escaping @Sendable (String) async -> Void = { _ in }
) -> some ApplicationProtocol {
    // Idle connections are closed by Hummingbird's connection state handler; connections past
    // the cap are not accepted (they wait in the listen backlog) until one closes.
    let http1 = HTTP1Channel.Configuration(idleTimeout: configuration.idleTimeout.map { .nanoseconds($0.nanoseconds) })
    return Application(
        responder: SCIMResponder(service: service, configuration: configuration, logger: logger),
        server: .http1(configuration: http1),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "zscim",
            availableConnectionsDelegate: configuration.maxConnections.map { MaximumAvailableConnections($0, logger: logger) }),
        onServerRunning: { channel in
            let address = channel.localAddress.map {
                RequestOrigin.authority(host: $0.ipAddress ?? configuration.host, port: $0.port ?? configuration.port)
            }
            await onListening(address ?? RequestOrigin.authority(host: configuration.host, port: configuration.port))
        },
        logger: logger)
}
