import Hummingbird
import Logging
import SCIMBridge

/// Builds the zscim HTTP application. Kept apart from the executable so tests build exactly the
/// application that `zscim serve` runs.
public func buildApplication(service: SCIMService, configuration: ServerConfiguration, logger: Logger) -> some ApplicationProtocol {
    Application(
        responder: SCIMResponder(service: service, configuration: configuration, logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "zscim"),
        logger: logger)
}
