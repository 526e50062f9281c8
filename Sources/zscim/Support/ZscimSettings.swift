import Foundation
import Logging
import SCIMServer

/// Everything zscim is configured with, resolved once per command (flags > environment >
/// config file > defaults, see `ZscimSettings.load`) and checked before anything starts, so the
/// rest of the program reads typed values instead of looking settings up by name.
struct ZscimSettings: Sendable, CustomStringConvertible {
    /// The config file the settings were read from, if any.
    var configFile: String?
    var database = "zscim.sqlite"
    var schemas = "schemas"
    /// Beside the database by default (`zscim.sqlite.key`).
    var secretKeyFile = "zscim.sqlite.key"
    /// `ZSCIM_SECRET_KEY` (base64 of 32 bytes): replaces the key file when set.
    var secretKey: SecretText?
    var logLevel: Logger.Level = .info
    /// Group PATCH answers 204 instead of the group (`ServiceConfiguration.groupPatchNoContent`).
    var groupPatchNoContent = false
    /// host, port, publicBaseURL, anonymousDiscovery, allowedHosts, trustedProxies and the
    /// connection and request limits.
    var server = ServerConfiguration()
    /// Where each setting's value came from (`--port`, `ZSCIM_PORT`, `"port" in zscim.json`,
    /// `default`), for messages and `--print-config`.
    var origins: [Setting: String] = [:]

    /// The environment `SecretBox.load` reads the key from: only the resolved key, so the key
    /// comes from the same place as every other setting.
    var secretKeyEnvironment: [String: String] {
        secretKey.map { [Setting.secretKey.environmentVariable: $0.value] } ?? [:]
    }

    /// One `key = value  (origin)` line per setting, secrets redacted: what `serve
    /// --print-config` prints and what is logged at debug level.
    var description: String {
        Setting.allCases.map { setting in
            "\(setting.rawValue) = \(display(setting))  (\(origins[setting] ?? "default"))"
        }.joined(separator: "\n")
    }

    func display(_ setting: Setting) -> String {
        switch setting {
        case .database: return database
        case .schemas: return schemas
        case .secretKeyFile: return secretKeyFile
        case .secretKey: return secretKey?.description ?? "(not set)"
        case .host: return server.host
        case .port: return String(server.port)
        case .publicBaseURL: return server.publicBaseURL ?? "(not set)"
        case .anonymousDiscovery: return String(server.anonymousDiscovery)
        case .groupPatchNoContent: return String(groupPatchNoContent)
        case .logLevel: return logLevel.rawValue
        case .allowedHosts: return "[" + server.allowedHosts.joined(separator: ", ") + "]"
        case .trustedProxies: return "[" + server.trustedProxies.map(\.description).joined(separator: ", ") + "]"
        case .idleTimeout: return server.idleTimeout.map(Self.seconds) ?? "(none)"
        case .maxConnections: return server.maxConnections.map(String.init) ?? "(no cap)"
        case .requestTimeout: return Self.seconds(server.requestTimeout)
        case .readinessTimeout: return Self.seconds(server.readinessTimeout)
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        if attoseconds == 0 { return "\(whole)s" }
        return "\(Double(whole) + Double(attoseconds) / 1e18)s"
    }
}

/// A secret setting's text: it prints as `<redacted>` in every description, dump and log line,
/// and only `value` gives the text itself, to the one place that needs it.
struct SecretText: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    var description: String { "<redacted>" }
    var debugDescription: String { "<redacted>" }
    var customMirror: Mirror { Mirror(self, children: []) }
}
