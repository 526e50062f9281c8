import Configuration
import Foundation

/// One key of the emulator's configuration: its dotted path (`sessions.idleTimeoutSeconds`), the type
/// a value must have, whether it is a secret, and how a value reaches the typed
/// ``EmulatorConfiguration``. The table of every key (``EmulatorConfiguration/keys``) is the one list
/// that reading, the unknown-key checks, the environment variable names and printing all use, so they
/// cannot disagree about what exists.
struct ConfigurationKey {
    enum Kind: Equatable {
        case int, double, bool, string
        /// A string from a fixed set (an enum's raw values).
        case choice([String])
        /// A structured value (rate-limit windows and rules) as JSON: inline in a file, as JSON text in
        /// an environment variable.
        case json
    }

    typealias Field<Value> = WritableKeyPath<EmulatorConfiguration, Value>

    let path: String
    let kind: Kind
    let isSecret: Bool
    /// Whether a file's `null` clears the setting (an optional one, such as `statePath`).
    let nullable: Bool
    /// Reads the key through `reader` into `configuration`: an absent key leaves the value as it is,
    /// a file's explicit `null` (`isNull`) clears it.
    let read: (ConfigReader, inout EmulatorConfiguration, _ isNull: Bool) throws(EmulatorConfigurationError) -> Void
    /// The value as the printed configuration shows it (`<redacted>` for a secret that is set).
    let render: (EmulatorConfiguration) -> String

    var configKey: ConfigKey { ConfigKey(path.split(separator: ".").map(String.init)) }

    /// The environment variable for this key: `ZSCALER_EMULATOR_` and the path's words in upper
    /// snake case (`sessions.idleTimeoutSeconds` → `ZSCALER_EMULATOR_SESSIONS_IDLE_TIMEOUT_SECONDS`,
    /// `credentials.ziaAPIKey` → `ZSCALER_EMULATOR_CREDENTIALS_ZIA_API_KEY`).
    var environmentName: String { Self.environmentName(forPath: path.split(separator: ".").map(String.init)) }

    /// Every variable starting with this must be one of the keys'.
    static let environmentNamePrefix = "ZSCALER_EMULATOR_"

    /// The variable for a key path. The environment provider is handed keys mapped through this (see
    /// ``EmulatorConfiguration/load(_:over:accessLog:)``), so the name it looks up and the name the
    /// unknown-variable check expects are the same by construction. Acronyms stay one word
    /// (`oneAPIGateway` → `ONE_API_GATEWAY`), which swift-configuration's own encoding does not do.
    static func environmentName(forPath components: [String]) -> String {
        environmentNamePrefix + components.flatMap(words).map { $0.uppercased() }.joined(separator: "_")
    }

    /// `ziaAPIKey` → `zia`, `API`, `Key`: a word starts at an upper-case letter after a lower-case
    /// one, and at the last capital of an acronym followed by a lower-case letter.
    private static func words(_ component: String) -> [String] {
        let characters = Array(component)
        var words: [String] = []
        var current = ""
        for (index, character) in characters.enumerated() {
            if index > 0, character.isUppercase {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    words.append(current)
                    current = ""
                }
            }
            current.append(character)
        }
        return words + [current]
    }

    /// What a value must be, for error messages.
    var expectation: String {
        switch kind {
        case .int: "an integer"
        case .double: "a number"
        case .bool: "true or false"
        case .string: "a string"
        case .choice(let values): "one of \(values.joined(separator: ", "))"
        case .json: "JSON"
        }
    }
}

// MARK: Builders

extension ConfigurationKey {
    static func int(_ path: String, _ field: Field<Int>) -> Self {
        .init(
            path: path, kind: .int, isSecret: false, nullable: false,
            read: { reader, configuration, _ in
                if let value = reader.int(forKey: key(path)) { configuration[keyPath: field] = value }
            },
            render: { String($0[keyPath: field]) })
    }

    static func double(_ path: String, _ field: Field<Double>) -> Self {
        .init(
            path: path, kind: .double, isSecret: false, nullable: false,
            read: { reader, configuration, _ in
                if let value = reader.double(forKey: key(path)) { configuration[keyPath: field] = value }
            },
            render: { $0[keyPath: field].formatted(maxFractionDigits: 6) })
    }

    static func double(_ path: String, _ field: Field<Double?>) -> Self {
        .init(
            path: path, kind: .double, isSecret: false, nullable: true,
            read: { reader, configuration, isNull in
                if let value = reader.double(forKey: key(path)) {
                    configuration[keyPath: field] = value
                } else if isNull {
                    configuration[keyPath: field] = nil
                }
            },
            render: { $0[keyPath: field].map { $0.formatted(maxFractionDigits: 6) } ?? "null" })
    }

    static func bool(_ path: String, _ field: Field<Bool>) -> Self {
        .init(
            path: path, kind: .bool, isSecret: false, nullable: false,
            read: { reader, configuration, _ in
                if let value = reader.bool(forKey: key(path)) { configuration[keyPath: field] = value }
            },
            render: { String($0[keyPath: field]) })
    }

    static func string(_ path: String, _ field: Field<String>) -> Self {
        .init(
            path: path, kind: .string, isSecret: false, nullable: false,
            read: { reader, configuration, _ in
                if let value = reader.string(forKey: key(path)) { configuration[keyPath: field] = value }
            },
            render: { quoted($0[keyPath: field]) })
    }

    static func string(_ path: String, _ field: Field<String?>) -> Self {
        .init(
            path: path, kind: .string, isSecret: false, nullable: true,
            read: { reader, configuration, isNull in
                if let value = reader.string(forKey: key(path)) {
                    configuration[keyPath: field] = value
                } else if isNull {
                    configuration[keyPath: field] = nil
                }
            },
            render: { $0[keyPath: field].map(quoted) ?? "null" })
    }

    /// A non-negative integer kept as `UInt64?` (the fault injector's random seed).
    static func seed(_ path: String, _ field: Field<UInt64?>) -> Self {
        .init(
            path: path, kind: .int, isSecret: false, nullable: true,
            read: { reader, configuration, isNull throws(EmulatorConfigurationError) in
                if let value = reader.int(forKey: key(path)) {
                    guard value >= 0 else { throw .init("\(path) must be 0 or more, got \(value)", key: path) }
                    configuration[keyPath: field] = UInt64(value)
                } else if isNull {
                    configuration[keyPath: field] = nil
                }
            },
            render: { $0[keyPath: field].map { String($0) } ?? "null" })
    }

    static func choice<Value: RawRepresentable<String> & CaseIterable>(_ path: String, _ field: Field<Value>) -> Self {
        let allowed = Value.allCases.map(\.rawValue)
        return .init(
            path: path, kind: .choice(allowed), isSecret: false, nullable: false,
            read: { reader, configuration, _ throws(EmulatorConfigurationError) in
                guard let text = reader.string(forKey: key(path)) else { return }
                guard let value = Value(rawValue: text) else {
                    throw .init("\(path) must be one of \(allowed.joined(separator: ", ")), got \(quoted(text))", key: path)
                }
                configuration[keyPath: field] = value
            },
            render: { $0[keyPath: field].rawValue })
    }

    /// A secret: read with `isSecret`, so swift-configuration's access reporting redacts it, and kept
    /// as ``EmulatorSecret``, so printing the configuration does too.
    static func secret(_ path: String, _ field: Field<EmulatorSecret?>) -> Self {
        .init(
            path: path, kind: .string, isSecret: true, nullable: true,
            read: { reader, configuration, isNull in
                if let value = reader.string(forKey: key(path), isSecret: true) {
                    configuration[keyPath: field] = EmulatorSecret(value)
                } else if isNull {
                    configuration[keyPath: field] = nil
                }
            },
            render: { $0[keyPath: field] == nil ? "null" : "<redacted>" })
    }

    /// A structured value, decoded strictly (unknown members refused; objects merge over the current
    /// value, so `{"limit": 100}` keeps the default window length).
    static func json<Value: Codable>(_ path: String, _ field: Field<Value>) -> Self {
        .init(
            path: path, kind: .json, isSecret: false, nullable: false,
            read: { reader, configuration, _ throws(EmulatorConfigurationError) in
                guard let text = reader.string(forKey: key(path)) else { return }
                configuration[keyPath: field] = try decode(text, over: configuration[keyPath: field], path: path)
            },
            render: { EmulatorJSON.text(of: $0[keyPath: field]) })
    }

    static func json<Value: Codable>(_ path: String, _ field: Field<Value?>) -> Self {
        .init(
            path: path, kind: .json, isSecret: false, nullable: true,
            read: { reader, configuration, isNull throws(EmulatorConfigurationError) in
                if let text = reader.string(forKey: key(path)) {
                    configuration[keyPath: field] = try decode(text, over: configuration[keyPath: field], path: path)
                } else if isNull {
                    configuration[keyPath: field] = nil
                }
            },
            render: { $0[keyPath: field].map { EmulatorJSON.text(of: $0) } ?? "null" })
    }

    private static func key(_ path: String) -> ConfigKey { ConfigKey(path.split(separator: ".").map(String.init)) }

    private static func quoted(_ text: String) -> String { EmulatorJSON.string(text).text }

    private static func decode<Value: Codable>(_ text: String, over current: Value?, path: String) throws(EmulatorConfigurationError)
        -> Value
    {
        guard let json = EmulatorJSON.parse(Data(text.utf8)) else { throw .init("\(path) must be JSON, got \(quoted(text))", key: path) }
        do {
            return try Value.decode(patch: json, over: current)
        } catch {
            throw .init("\(path): \(error.description)", key: path)
        }
    }
}
