import Configuration
import Foundation
import Logging
import SCIMServer

extension ZscimSettings {
    /// Reads every setting once, through one `ConfigReader` over three providers in order of
    /// precedence — the flags given, the `ZSCIM_*` environment variables, the JSON config file
    /// (`--config`, else `ZSCIM_CONFIG`) — then the defaults, and checks each value. Empty
    /// environment variables count as unset, as they always have.
    static func load(flags: [Setting: ConfigContent], configFlag: String?, environment: [String: String]) async throws(SettingsError)
        -> ZscimSettings
    {
        let environment = environment.filter { $0.key.hasPrefix("ZSCIM_") && !$0.value.isEmpty }
        let configPath = configFlag ?? environment["ZSCIM_CONFIG"]
        var file: SettingsFile?
        if let configPath { file = try SettingsFile.read(path: configPath) }
        let secretVariables = Set(Setting.allCases.filter(\.isSecret).map(\.environmentVariable))
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: configValues(flags)),
            // A setting's key maps to its own variable name from the table (not a derived one).
            EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .specific(secretVariables), arraySeparator: ","
            )
            .mapKeys { key in
                AbsoluteConfigKey([Setting(rawValue: key.components.joined(separator: "."))?.environmentVariable ?? "ZSCIM_"])
            },
            InMemoryProvider(name: "config file", values: configValues(file?.values ?? [:])),
        ])
        let values = SettingValues(reader: reader, flags: flags, environment: environment, file: file)
        return try await values.settings(configFile: configPath)
    }

    static func configValues(_ values: [Setting: ConfigContent]) -> [AbsoluteConfigKey: ConfigValue] {
        var out: [AbsoluteConfigKey: ConfigValue] = [:]
        for (setting, content) in values {
            out[AbsoluteConfigKey([setting.rawValue])] = ConfigValue(content, isSecret: setting.isSecret)
        }
        return out
    }
}

/// Typed reads of one setting each, and where each value came from.
struct SettingValues {
    let reader: ConfigReader
    let flags: [Setting: ConfigContent]
    let environment: [String: String]
    let file: SettingsFile?

    /// The winning source, by the same precedence as the reader's providers.
    func origin(_ setting: Setting) -> String {
        if flags[setting] != nil { return setting.flag ?? "flag" }
        if environment[setting.environmentVariable] != nil { return setting.environmentVariable }
        if let file, file.values[setting] != nil { return "\"\(setting.rawValue)\" in \(file.path)" }
        return "default"
    }

    /// Flags and the file are typed already, so a conversion that fails is an environment
    /// variable's text.
    func notConvertible(_ setting: Setting) -> SettingsError {
        .badEnvironmentValue(setting: setting, value: environment[setting.environmentVariable] ?? "")
    }

    func invalid(_ setting: Setting, _ problem: String) -> SettingsError {
        .invalid(setting: setting, origin: origin(setting), problem: problem)
    }

    func string(_ setting: Setting) async throws(SettingsError) -> String? {
        do {
            return try await reader.fetchString(forKey: ConfigKey(setting.rawValue), isSecret: setting.isSecret)
        } catch {
            throw notConvertible(setting)
        }
    }

    func integer(_ setting: Setting) async throws(SettingsError) -> Int? {
        do {
            return try await reader.fetchInt(forKey: ConfigKey(setting.rawValue))
        } catch {
            throw notConvertible(setting)
        }
    }

    func boolean(_ setting: Setting) async throws(SettingsError) -> Bool? {
        do {
            return try await reader.fetchBool(forKey: ConfigKey(setting.rawValue))
        } catch {
            throw notConvertible(setting)
        }
    }

    func strings(_ setting: Setting) async throws(SettingsError) -> [String]? {
        do {
            return try await reader.fetchStringArray(forKey: ConfigKey(setting.rawValue))
        } catch {
            throw notConvertible(setting)
        }
    }

    /// Greater than zero and at most a day (beyond that it is a typo, and `Duration` arithmetic
    /// on it stops meaning anything).
    func seconds(_ setting: Setting) async throws(SettingsError) -> Duration? {
        let value: Double?
        do {
            value = try await reader.fetchDouble(forKey: ConfigKey(setting.rawValue))
        } catch {
            throw notConvertible(setting)
        }
        guard let value else { return nil }
        guard value.isFinite, value > 0, value <= 86_400 else {
            throw invalid(setting, "\(value) is not a number of seconds greater than 0 and at most 86400")
        }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }

    func path(_ setting: Setting) async throws(SettingsError) -> String? {
        guard let value = try await string(setting) else { return nil }
        guard !value.isEmpty else { throw invalid(setting, "an empty path") }
        return value
    }

    func settings(configFile: String?) async throws(SettingsError) -> ZscimSettings {
        var settings = ZscimSettings()
        settings.configFile = configFile
        if let database = try await path(.database) { settings.database = database }
        if let schemas = try await path(.schemas) { settings.schemas = schemas }
        settings.secretKeyFile = try await path(.secretKeyFile) ?? settings.database + ".key"
        if let key = try await string(.secretKey) { settings.secretKey = SecretText(value: key) }
        if let level = try await string(.logLevel) {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw invalid(.logLevel, "\(level) is not a log level; use one of \(levels)")
            }
            settings.logLevel = parsed
        }
        if let noContent = try await boolean(.groupPatchNoContent) { settings.groupPatchNoContent = noContent }

        var server = settings.server
        if let host = try await string(.host) {
            guard !host.trimmingCharacters(in: .whitespaces).isEmpty else { throw invalid(.host, "an empty address to listen on") }
            server.host = host
        }
        if let port = try await integer(.port) {
            guard (0...65535).contains(port) else { throw invalid(.port, "\(port) is not a port; use 0–65535 (0 picks a free one)") }
            server.port = port
        }
        if let base = try await string(.publicBaseURL) { server.publicBaseURL = try publicBaseURL(base) }
        if let anonymous = try await boolean(.anonymousDiscovery) { server.anonymousDiscovery = anonymous }
        if let hosts = try await strings(.allowedHosts) {
            for host in hosts where !ServerConfiguration.isValidAllowedHost(host) {
                throw invalid(.allowedHosts, "\"\(host)\" is not a host name or address with an optional port (e.g. scim.example.com:8443)")
            }
            server.allowedHosts = hosts.map { $0.lowercased() }
        }
        if let proxies = try await strings(.trustedProxies) {
            do throws(InvalidAddressRange) {
                server.trustedProxies = try proxies.map { (entry) throws(InvalidAddressRange) in try IPAddressRange(entry) }
            } catch {
                throw invalid(.trustedProxies, error.description)
            }
        }
        if let idle = try await seconds(.idleTimeout) { server.idleTimeout = idle }
        if let cap = try await integer(.maxConnections) {
            guard cap >= 1 else { throw invalid(.maxConnections, "\(cap) would serve nobody; use 1 or more") }
            server.maxConnections = cap
        }
        if let timeout = try await seconds(.requestTimeout) { server.requestTimeout = timeout }
        if let timeout = try await seconds(.readinessTimeout) { server.readinessTimeout = timeout }
        settings.server = server

        for setting in Setting.allCases { settings.origins[setting] = origin(setting) }
        if settings.origins[.secretKeyFile] == "default" { settings.origins[.secretKeyFile] = "default: the database path + .key" }
        return settings
    }

    /// An `http(s)` origin, optionally with a path prefix (a proxy that serves zscim under
    /// `/zscim`); no query, fragment or credentials, which would corrupt every URL built on it.
    func publicBaseURL(_ text: String) throws(SettingsError) -> String {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil, url.password == nil
        else {
            throw invalid(.publicBaseURL, "\(text) is not an http(s) origin such as https://scim.example.com (no query, fragment or user)")
        }
        return text
    }
}
