import Foundation
import NIOHTTP1
import Synchronization

/// What the client may log of a request or response: headers and bodies with every credential replaced
/// by `<redacted>`.
///
/// Two layers, because one is not enough: structural redaction knows which headers, JSON keys and form
/// fields carry secrets (`Authorization`, `Cookie`, `password`, `apiKey`, `client_secret`,
/// `access_token`, ...), and ``SecretScrubber`` then removes any live secret value that still appears
/// verbatim anywhere (an echo in an error message, a cookie in an unexpected header).
enum Redaction {
    static let placeholder = "<redacted>"

    static let sensitiveHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token",
    ]

    /// JSON keys and form field names, compared lower-cased.
    static let sensitiveKeys: Set<String> = [
        "password", "apikey", "api_key", "access_token", "refresh_token", "id_token", "client_secret", "clientsecret",
        "client_assertion", "token", "secret", "jsessionid", "authorization", "bearer",
    ]

    /// Bodies are cut after this many characters in logs (after redaction, so a cut never exposes anything).
    static let maximumLoggedBody = 4096

    static func headers(_ headers: HTTPHeaders) -> String {
        headers.map { name, value in
            "\(name): \(sensitiveHeaders.contains(name.lowercased()) ? placeholder : value)"
        }.joined(separator: ", ")
    }

    /// A loggable rendering of a body. JSON and form bodies are parsed and their secret fields replaced;
    /// anything else is shown only by its size, since we cannot know what it holds.
    static func body(_ bytes: [UInt8], contentType: String?) -> String {
        guard !bytes.isEmpty else { return "" }
        let type = contentType?.lowercased() ?? ""
        let rendered: String
        if type.contains("json") || (type.isEmpty && (bytes.first == UInt8(ascii: "{") || bytes.first == UInt8(ascii: "["))) {
            guard let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
                let data = try? JSONSerialization.data(withJSONObject: redactJSON(value), options: [.fragmentsAllowed, .sortedKeys])
            else { return "<\(bytes.count) bytes, not valid JSON>" }
            rendered = String(decoding: data, as: UTF8.self)
        } else if type.contains("x-www-form-urlencoded") {
            rendered = FormEncoding.decode(String(decoding: bytes, as: UTF8.self))
                .map { "\($0.0)=\(sensitiveKeys.contains($0.0.lowercased()) ? placeholder : $0.1)" }
                .joined(separator: "&")
        } else {
            return "<\(bytes.count) bytes of \(type.isEmpty ? "unknown type" : type)>"
        }
        guard rendered.count > maximumLoggedBody else { return rendered }
        return String(rendered.prefix(maximumLoggedBody)) + "… (\(bytes.count) bytes)"
    }

    static func redactJSON(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, member) in object {
                out[key] = sensitiveKeys.contains(key.lowercased()) ? placeholder : redactJSON(member)
            }
            return out
        }
        if let array = value as? [Any] { return array.map(redactJSON) }
        return value
    }
}

/// The secret values one client uses (password, API key, client secret) and has recently used (obfuscated
/// keys, session ids, tokens). The transport removes each of them from every log line it writes.
final class SecretScrubber: Sendable {
    private struct State {
        var permanent: Set<String> = []
        /// Session ids and tokens, newest last. A process that runs for months issues thousands; only the
        /// recent ones can still appear in a log line, so the list is bounded.
        var ephemeral: [String] = []
    }
    private let state = Mutex(State())
    static let ephemeralCapacity = 32

    /// Values shorter than 6 characters are not scrubbed: they would mangle ordinary text and are not
    /// credentials Zscaler issues.
    func register(_ secret: String, ephemeral: Bool = false) {
        guard secret.count >= 6 else { return }
        state.withLock { state in
            if !ephemeral {
                state.permanent.insert(secret)
            } else if !state.ephemeral.contains(secret) {
                state.ephemeral.append(secret)
                if state.ephemeral.count > Self.ephemeralCapacity { state.ephemeral.removeFirst() }
            }
        }
    }

    func register(_ secret: Secret) { register(secret.revealed) }

    func scrub(_ text: String) -> String {
        let current = state.withLock { $0.permanent.union($0.ephemeral) }
        guard !current.isEmpty else { return text }
        var out = text
        // Longest first, so a secret that contains another is removed whole.
        for secret in current.sorted(by: { $0.count > $1.count }) where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: Redaction.placeholder)
        }
        return out
    }
}
