import Configuration
import Foundation
import SCIMCore

/// The JSON config file, read once and checked whole before anything uses it: an unknown key
/// (a typo such as `"prot"`) or a value of the wrong JSON type is refused with its name, rather
/// than silently falling back to a default the operator did not choose. `null` leaves a setting
/// unset.
struct SettingsFile: Sendable {
    var path: String
    var values: [Setting: ConfigContent]

    static func read(path: String) throws(SettingsError) -> SettingsFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableFile(path: path) }
        let document: JSONValue
        do {
            document = try JSONParser().parse(Array(data))
        } catch {
            // The parser also refuses a key given twice, naming it.
            throw .invalidJSON(path: path, detail: "\(error)")
        }
        guard case .object(let object) = document else {
            throw .notJSONObject(path: path, detail: "its top level is \(document.kindName)")
        }
        var values: [Setting: ConfigContent] = [:]
        for (key, value) in object {
            guard let setting = Setting(rawValue: key) else { throw .unknownKey(path: path, key: key) }
            guard setting.allowedInFile else { throw .secretInFile(path: path, key: key) }
            if value.isNull { continue }
            guard let content = content(value, as: setting.kind) else {
                throw .wrongType(path: path, key: key, expected: setting.kind, found: describe(value))
            }
            values[setting] = content
        }
        return SettingsFile(path: path, values: values)
    }

    /// The value as the setting's type, or nil when the JSON type does not match (no coercion:
    /// `"port": "8080"` is a string, and saying so beats guessing).
    static func content(_ value: JSONValue, as kind: Setting.Kind) -> ConfigContent? {
        switch (kind, value) {
        case (.string, .string(let text)):
            return .string(text)
        case (.integer, .number(let number)):
            return number.integer.flatMap { Int(exactly: $0) }.map { .int($0) }
        case (.boolean, .bool(let flag)):
            return .bool(flag)
        case (.seconds, .number(let number)):
            return .double(number.double)
        case (.strings, .array(let items)):
            let texts = items.compactMap(\.stringValue)
            return texts.count == items.count ? .stringArray(texts) : nil
        default:
            return nil
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "the string \"\(text)\""
        case .number(let number): return "the number \(number.text)"
        case .array(let items) where items.contains(where: { $0.stringValue == nil }): return "an array with a non-string item"
        default: return value.kindName
        }
    }
}
