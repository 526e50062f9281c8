import Foundation

/// `application/x-www-form-urlencoded` decoding, the one decoder for request bodies (the token and
/// `/signin` forms) and query strings. Zscaler's services are Java servlets, which decode both the
/// same way: `+` and `%20` are a space, `%2B` is a plus, names are decoded as well as values.
enum FormFields {
    /// The `name=value` pairs in order, repeats kept; `nil` when a name or value has malformed
    /// percent-encoding (`%ZZ`, a lone `%`, bytes that are not UTF-8). A pair without `=` has an
    /// empty value; empty pairs (`a=1&&b=2`) are skipped.
    static func pairs(_ text: Substring) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    /// A form body as name → value, the first occurrence of a name winning; `nil` for malformed
    /// percent-encoding. Surrounding whitespace (a trailing newline from `curl -d @file`) is ignored.
    static func parse(_ text: String) -> [String: String]? {
        guard let pairs = pairs(text.trimmingCharacters(in: .whitespacesAndNewlines)[...]) else { return nil }
        var fields: [String: String] = [:]
        for (name, value) in pairs where fields[name] == nil { fields[name] = value }
        return fields
    }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
