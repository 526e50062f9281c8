import Foundation

/// Where the emulator's settings come from. Highest priority first: command-line flags, then
/// `ZSCALER_EMULATOR_…` environment variables, then the JSON file, then the defaults the caller
/// starts from. Every source names keys of ``EmulatorConfiguration/keys``; anything else is refused.
public struct EmulatorConfigurationSources: Sendable {
    /// A JSON configuration file's bytes and a name for messages (its path).
    public struct File: Sendable {
        public var name: String
        public var data: Data

        public init(name: String, data: Data) {
            self.name = name
            self.data = data
        }

        /// Reads the file at `path`.
        public init(path: String) throws(EmulatorConfigurationError) {
            do {
                self.init(name: path, data: try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw .init("cannot read configuration file \(path): \(error.localizedDescription)")
            }
        }
    }

    /// A value given on the command line, already parsed to its type.
    public enum FlagValue: Sendable, Equatable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
    }

    /// Flag values by key path (`port`, `timeScale`, `statePath`).
    public var flags: [String: FlagValue]
    /// The process environment (or a test's); only `ZSCALER_EMULATOR_…` names are read.
    public var environment: [String: String]
    public var file: File?

    public init(flags: [String: FlagValue] = [:], environment: [String: String] = [:], file: File? = nil) {
        self.flags = flags
        self.environment = environment
        self.file = file
    }
}
