import Configuration
import Synchronization

/// Collects what went wrong while reading: a value a provider could not give as the key's type
/// (`ZSCALER_EMULATOR_PORT=abc`, a flag of the wrong kind). swift-configuration answers such a read
/// with "absent" and reports the failure to its access reporter — here — so loading can refuse the
/// configuration with the key named instead of quietly keeping the default. It also passes each
/// access event on to `log` (swift-configuration renders secrets there as `<REDACTED>`).
final class ConfigurationReadProblems: AccessReporter {
    private let problems = Mutex<[EmulatorConfigurationError]>([])
    private let expectations: [String: String]
    private let log: (@Sendable (String) -> Void)?

    init(keys: [ConfigurationKey], log: (@Sendable (String) -> Void)?) {
        expectations = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0.expectation) })
        self.log = log
    }

    func report(_ event: AccessEvent) {
        log?(event.description)
        let path = event.metadata.key.components.joined(separator: ".")
        let expectation = expectations[path] ?? "\(event.metadata.valueType)"
        var found: [EmulatorConfigurationError] = []
        for provider in event.providerResults {
            if case .failure(let error) = provider.result {
                found.append(.init("\(path) must be \(expectation) (\(error))", key: path))
            }
        }
        if let error = event.conversionError { found.append(.init("\(path) must be \(expectation) (\(error))", key: path)) }
        if !found.isEmpty { problems.withLock { $0 += found } }
    }

    /// The first problem reported, if any.
    var first: EmulatorConfigurationError? { problems.withLock { $0.first } }
}
