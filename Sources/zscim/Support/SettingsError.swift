/// A setting zscim cannot start with. Each message names the setting where it came from (flag,
/// environment variable or config file key) and says what would be accepted, so the operator
/// can fix it without reading the source.
enum SettingsError: Error, CustomStringConvertible {
    case unreadableFile(path: String)
    case invalidJSON(path: String, detail: String)
    case notJSONObject(path: String, detail: String)
    case unknownKey(path: String, key: String)
    case secretInFile(path: String, key: String)
    case wrongType(path: String, key: String, expected: Setting.Kind, found: String)
    /// An environment variable whose text is not of the setting's type (the value is not
    /// repeated when the setting is secret).
    case badEnvironmentValue(setting: Setting, value: String)
    /// A value of the right type that is still unusable (a port out of range, an unknown log level).
    case invalid(setting: Setting, origin: String, problem: String)

    var description: String {
        switch self {
        case .unreadableFile(let path):
            return "The config file \(path) cannot be read (set --config or ZSCIM_CONFIG to a readable JSON file)"
        case .invalidJSON(let path, let detail):
            return "The config file \(path) is not valid JSON: \(detail)"
        case .notJSONObject(let path, let detail):
            return "The config file \(path) is not a JSON object: \(detail)"
        case .unknownKey(let path, let key):
            return "The config file \(path) has an unknown key \"\(key)\"; the keys are: \(Setting.fileKeys.joined(separator: ", "))"
        case .secretInFile(let path, let key):
            return "The config file \(path) sets \"\(key)\", which is secret and not read from files: "
                + "set \(Setting.secretKey.environmentVariable), or point \"secretKeyFile\" at a file only zscim can read"
        case .wrongType(let path, let key, let expected, let found):
            return "The config file \(path): \"\(key)\" must be \(expected.expectation)\(Self.example(expected)), not \(found)"
        case .badEnvironmentValue(let setting, let value):
            let shown = setting.isSecret ? "" : "=\(value)"
            let list = setting.kind == .strings ? " (comma-separated)" : ""
            return "\(setting.environmentVariable)\(shown) is not \(setting.kind.expectation)\(list)\(Self.example(setting.kind))"
        case .invalid(let setting, let origin, let problem):
            return "\(setting.rawValue) (\(origin)): \(problem)"
        }
    }

    static func example(_ kind: Setting.Kind) -> String {
        switch kind {
        case .string: return ""
        case .integer: return " (e.g. 8080)"
        case .boolean: return ""
        case .seconds: return " (e.g. 30 or 0.5)"
        case .strings: return ""
        }
    }
}
