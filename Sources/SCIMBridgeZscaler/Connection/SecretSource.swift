import Foundation

/// Where an operator keeps a secret for `tenant connect`: a file or an environment variable,
/// never a command-line value (which lands in shell history and `ps` output).
public enum SecretSource: Sendable, Hashable {
    case file(String)
    case environment(String)

    /// The secret, with one trailing newline (and carriage return) trimmed from files, as editors
    /// and `echo` add them. A missing or empty source is an error naming it; the error never
    /// contains the value.
    public func read(environment: [String: String], what: String) throws(ConnectionError) -> String {
        switch self {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConnectionError(.missingSecret, "the \(what) file \(path) does not exist")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConnectionError(.missingSecret, "the \(what) file \(path) cannot be read")
            }
            var text = String(decoding: data, as: UTF8.self)
            while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
            guard !text.isEmpty else { throw ConnectionError(.missingSecret, "the \(what) file \(path) is empty") }
            return text
        case .environment(let name):
            guard let value = environment[name] else {
                throw ConnectionError(.missingSecret, "the environment variable \(name) (for the \(what)) is not set")
            }
            guard !value.isEmpty else {
                throw ConnectionError(.missingSecret, "the environment variable \(name) (for the \(what)) is empty")
            }
            return value
        }
    }
}
