import Hummingbird
import Logging
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
    Application(
        responder: SCIMResponder(service: service, configuration: configuration, logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "zscim"),
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" }
            await onListening(address ?? "\(configuration.host):\(configuration.port)")
        },
        logger: logger)
}
