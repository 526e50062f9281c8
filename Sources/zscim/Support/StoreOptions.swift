import ArgumentParser
import Foundation
import Logging

/// Settings shared by the commands that open the store, resolved as flag > environment >
/// config file > default, so one config file can serve `serve` and the tenant commands alike.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env ZSCIM_DATABASE; default ./zscim.sqlite).")
    var database: String?

    @Option(name: .long, help: "Directory of SCIM schema documents (env ZSCIM_SCHEMAS; default ./schemas).")
    var schemas: String?

    @Option(
        name: .long,
        help:
            "JSON config file (env ZSCIM_CONFIG). Keys: database, schemas, secretKeyFile, host, port, publicBaseURL, anonymousDiscovery, logLevel."
    )
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "File holding the key that encrypts Zscaler credentials (env ZSCIM_SECRET_KEY_FILE; default: the database path + .key).",
            discussion: "Created with mode 0600 on first use. ZSCIM_SECRET_KEY (base64 of 32 bytes) replaces the file when set."))
    var secretKeyFile: String?

    func file() throws -> [String: Any] {
        guard let path = config ?? ProcessInfo.processInfo.environment["ZSCIM_CONFIG"] else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("The config file \(path) cannot be read")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidationError("The config file \(path) is not a JSON object")
        }
        return object
    }

    /// flag > env > file > default.
    func value(_ flag: String?, env: String, key: String, default fallback: String) throws -> String {
        if let flag { return flag }
        if let e = ProcessInfo.processInfo.environment[env], !e.isEmpty { return e }
        if let f = try file()[key] { return "\(f)" }
        return fallback
    }

    func databasePath() throws -> String { try value(database, env: "ZSCIM_DATABASE", key: "database", default: "zscim.sqlite") }
    func schemasPath() throws -> String { try value(schemas, env: "ZSCIM_SCHEMAS", key: "schemas", default: "schemas") }
    /// Beside the database by default (`zscim.sqlite.key`), so a copy of one is useless without
    /// the other only if the operator keeps them apart; `ZSCIM_SECRET_KEY` lets a secret manager
    /// hold the key instead.
    func secretKeyFilePath() throws -> String {
        try value(secretKeyFile, env: "ZSCIM_SECRET_KEY_FILE", key: "secretKeyFile", default: try databasePath() + ".key")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
