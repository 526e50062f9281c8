import ArgumentParser
import Configuration
import Foundation
import Logging

/// The flags every command that opens the store shares. One config file serves `serve` and the
/// tenant commands alike; `load` resolves all settings once (see `ZscimSettings.load`).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env ZSCIM_DATABASE; default ./zscim.sqlite).")
    var database: String?

    @Option(name: .long, help: "Directory of SCIM schema documents (env ZSCIM_SCHEMAS; default ./schemas).")
    var schemas: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "JSON config file (env ZSCIM_CONFIG).",
            discussion: "Keys: \(Setting.fileKeys.joined(separator: ", ")). Unknown keys and wrong types are refused."))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "File holding the key that encrypts Zscaler credentials (env ZSCIM_SECRET_KEY_FILE; default: the database path + .key).",
            discussion: "Created with mode 0600 on first use. ZSCIM_SECRET_KEY (base64 of 32 bytes) replaces the file when set."))
    var secretKeyFile: String?

    /// The values these flags set, for the highest-precedence provider.
    var flagValues: [Setting: ConfigContent] {
        var values: [Setting: ConfigContent] = [:]
        if let database { values[.database] = .string(database) }
        if let schemas { values[.schemas] = .string(schemas) }
        if let secretKeyFile { values[.secretKeyFile] = .string(secretKeyFile) }
        return values
    }

    /// All settings, with `extra` flag values (a command's own flags) on top of these.
    func load(adding extra: [Setting: ConfigContent] = [:]) async throws(SettingsError) -> ZscimSettings {
        try await ZscimSettings.load(
            flags: flagValues.merging(extra) { $1 }, configFlag: config, environment: ProcessInfo.processInfo.environment)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
