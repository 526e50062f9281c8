import Foundation

/// Whatever error body Zscaler sent, reduced to a code and a message.
///
/// The services disagree on the shape (reference §5.1, §5.2, §7.2, §8.4, §9.2): ZIA
/// `{"code","message"}` (either may be missing) and its 429 `{"message","Retry-After":"1 seconds"}`;
/// ZPA `{"id","reason","params"}` and its 429 `{"exception","id","reason"}`; the OneAPI gateway
/// `{"detail":"unauthorized",...}`; OAuth `{"error","error_description"}`; SCIM `{"detail","status"}`.
/// Some 404s have no body at all. One decoder reads them all, leniently: a body that is not JSON still
/// yields its text as the message, bounded.
struct ErrorBody: Sendable, Equatable {
    var code: ZscalerErrorCode?
    var message: String?
    /// The ZIA 429 body's own `Retry-After` ("1 seconds").
    var retryAfter: Duration?

    init(code: ZscalerErrorCode? = nil, message: String? = nil, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    init(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [])) as? [String: Any] else {
            let text = String(decoding: bytes.prefix(512), as: UTF8.self).trimmingWhitespace
            message = text.isEmpty ? nil : String(text)
            return
        }
        func string(_ key: String) -> String? {
            guard let value = object[key] as? String, !value.isEmpty else { return nil }
            return value
        }
        code = (string("code") ?? string("id") ?? string("error") ?? string("scimType")).map { ZscalerErrorCode(rawValue: $0) }
        message =
            string("message") ?? string("reason") ?? string("error_description") ?? string("detail")
            ?? string("exception")
        retryAfter = string("Retry-After").flatMap(RetryAfter.parse)
    }
}

/// Parses `Retry-After` in the forms Zscaler uses: `1` (ZIA header), `13s` (ZPA header),
/// `1 seconds` (ZIA 429 body). HTTP dates are not used by Zscaler and are not accepted.
enum RetryAfter {
    static func parse(_ text: String) -> Duration? {
        var s = text.trimmingWhitespace.lowercased()[...]
        for suffix in [" seconds", " second", "seconds", "second", "secs", "sec", "s"] where s.hasSuffix(suffix) {
            s = s.dropLast(suffix.count)
            break
        }
        let number = s.trimmingCharacters(in: .whitespaces)
        guard let seconds = Double(number), seconds.isFinite, seconds >= 0, seconds < 86_400 * 7 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
