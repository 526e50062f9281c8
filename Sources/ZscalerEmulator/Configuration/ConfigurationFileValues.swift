import Configuration
import Foundation

/// A JSON configuration file checked against the key table and turned into typed values for
/// swift-configuration's `InMemoryProvider`. Every member must be a key, or an object on the way to
/// keys (`"sessions": {…}`), and hold the key's type; anything else is refused with the key named and
/// the keys allowed in its place listed, so a typo never passes silently.
struct ConfigurationFileValues {
    private(set) var values: [AbsoluteConfigKey: ConfigValue] = [:]
    /// Optional settings the file clears with `null`.
    private(set) var nulls: Set<String> = []

    init(_ file: EmulatorConfigurationSources.File, keys: [ConfigurationKey]) throws(EmulatorConfigurationError) {
        guard let document = EmulatorJSON.parse(file.data) else { throw .init("\(file.name) is not valid JSON") }
        guard case .object(let members) = document else { throw .init("\(file.name) must hold a JSON object") }
        let byPath = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0) })
        try visit(members, group: "", file: file.name, byPath: byPath)
    }

    private mutating func visit(_ members: [String: EmulatorJSON], group: String, file: String, byPath: [String: ConfigurationKey])
        throws(EmulatorConfigurationError)
    {
        for (name, node) in members.sorted(by: { $0.key < $1.key }) {
            let path = group.isEmpty ? name : "\(group).\(name)"
            if let key = byPath[path] {
                try take(node, for: key, file: file)
                continue
            }
            let below = Self.allowed(under: path, in: byPath.keys)
            guard !below.isEmpty else {
                let place = group.isEmpty ? "at the top level" : "in \(group)"
                throw .init(
                    "\(file): unknown key \(path); allowed \(place): \(Self.allowed(under: group, in: byPath.keys).joined(separator: ", "))",
                    key: path)
            }
            guard case .object(let children) = node else {
                throw .init("\(file): \(path) must be an object with the keys \(below.joined(separator: ", "))", key: path)
            }
            try visit(children, group: path, file: file, byPath: byPath)
        }
    }

    /// The next path components below `group` (`""` for the top level), sorted.
    private static func allowed(under group: String, in paths: Dictionary<String, ConfigurationKey>.Keys) -> [String] {
        let prefix = group.isEmpty ? "" : group + "."
        let names = paths.filter { $0.hasPrefix(prefix) }.compactMap { $0.dropFirst(prefix.count).split(separator: ".").first }
        return Set(names.map(String.init)).sorted()
    }

    private mutating func take(_ node: EmulatorJSON, for key: ConfigurationKey, file: String) throws(EmulatorConfigurationError) {
        if node == .null {
            guard key.nullable else { throw .init("\(file): \(key.path) cannot be null; it must be \(key.expectation)", key: key.path) }
            nulls.insert(key.path)
            return
        }
        let content: ConfigContent?
        switch (key.kind, node) {
        case (.int, .integer(let value)): content = .int(Int(value))
        case (.int, .number(let value)) where value.rounded() == value && abs(value) < 9e15: content = .int(Int(value))
        case (.double, .integer(let value)): content = .double(Double(value))
        case (.double, .number(let value)): content = .double(value)
        case (.bool, .bool(let value)): content = .bool(value)
        case (.string, .string(let value)), (.choice, .string(let value)): content = .string(value)
        case (.json, _): content = .string(node.text)
        default: content = nil
        }
        guard let content else {
            // A secret's value is not echoed, even when it has the wrong type.
            let got = key.isSecret ? node.typeName : node.text
            throw .init("\(file): \(key.path) must be \(key.expectation), got \(got)", key: key.path)
        }
        values[AbsoluteConfigKey(key.path.split(separator: ".").map(String.init))] = ConfigValue(content, isSecret: key.isSecret)
    }
}
