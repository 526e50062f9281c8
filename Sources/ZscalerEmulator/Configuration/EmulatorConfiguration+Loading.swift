import Configuration
import Foundation

extension EmulatorConfiguration {
    /// The configuration `sources` give, over `base` (the defaults the caller starts from: the
    /// executable's port 9443, a test's settings). Read through swift-configuration's `ConfigReader`
    /// with the providers in priority order — flags, environment, file — one typed read per key of
    /// ``keys``, secrets read as secrets. Refused, with the key named: a file or environment key that
    /// is not one of ``keys``, a value of the wrong type in any source, and values ``validate()``
    /// rejects. `accessLog` receives swift-configuration's line for every read (which source gave
    /// the value; secrets `<REDACTED>`).
    public static func load(
        _ sources: EmulatorConfigurationSources, over base: EmulatorConfiguration = .init(),
        accessLog: (@Sendable (String) -> Void)? = nil
    ) throws(EmulatorConfigurationError) -> EmulatorConfiguration {
        let keys = Self.keys
        let byPath = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0) })
        var providers: [any ConfigProvider] = []

        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (path, value) in sources.flags.sorted(by: { $0.key < $1.key }) {
            guard let key = byPath[path] else { throw .init("no configuration key \(path) for a flag", key: path) }
            flagValues[AbsoluteConfigKey(key.configKey)] = ConfigValue(value.content, isSecret: key.isSecret)
        }
        providers.append(InMemoryProvider(name: "flags", values: flagValues))

        let environment = try Self.environmentVariables(in: sources.environment, keys: keys)
        let secretNames = Set(keys.filter(\.isSecret).map(\.environmentName))
        providers.append(
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(secretNames))
                .mapKeys { AbsoluteConfigKey([ConfigurationKey.environmentName(forPath: $0.components)]) })

        var nulls: Set<String> = []
        if let file = sources.file {
            let values = try ConfigurationFileValues(file, keys: keys)
            nulls = values.nulls
            providers.append(InMemoryProvider(name: file.name, values: values.values))
        }

        let problems = ConfigurationReadProblems(keys: keys, log: accessLog)
        let reader = ConfigReader(providers: providers, accessReporter: problems)
        var configuration = base
        for key in keys {
            try key.read(reader, &configuration, nulls.contains(key.path))
            if let problem = problems.first { throw problem }
        }
        try configuration.validate()
        return configuration
    }

    /// A configuration from JSON naming only what differs from the defaults (nested objects
    /// merge); unknown keys are refused so a typo does not pass silently.
    public static func load(patch: Data) throws(EmulatorConfigurationError) -> EmulatorConfiguration {
        try load(EmulatorConfigurationSources(file: .init(name: "configuration", data: patch)))
    }

    /// The `ZSCALER_EMULATOR_…` variables of `environment`. One the emulator does not read is an error
    /// naming it, the nearest known names (a typo is the likely cause) and every name it reads.
    private static func environmentVariables(in environment: [String: String], keys: [ConfigurationKey])
        throws(EmulatorConfigurationError) -> [String: String]
    {
        let known = keys.map(\.environmentName).sorted()
        let ours = environment.filter { $0.key.hasPrefix(ConfigurationKey.environmentNamePrefix) }
        for name in ours.keys.sorted() where !known.contains(name) {
            let distances = known.map { ($0, editDistance($0, name)) }
            let nearest = distances.map(\.1).min() ?? 0
            let suggestions = distances.filter { $0.1 == nearest && nearest <= 3 }.map(\.0)
            let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.joined(separator: " or "))?)"
            throw .init("unknown environment variable \(name)\(hint); the emulator reads \(known.joined(separator: ", "))", key: name)
        }
        return ours
    }

    /// Levenshtein distance, for suggesting the name a typo was meant to be.
    private static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var previous = Array(0...right.count)
        for (i, a) in left.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: right.count)
            for (j, b) in right.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
            }
            previous = current
        }
        return previous[right.count]
    }
}

extension EmulatorConfigurationSources.FlagValue {
    var content: ConfigContent {
        switch self {
        case .string(let value): .string(value)
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .bool(let value): .bool(value)
        }
    }
}
