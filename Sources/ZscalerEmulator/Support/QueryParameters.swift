/// Decoded query parameters in request order, kept apart from the HTTP framework's type so the
/// API logic can be exercised without a server.
struct QueryParameters: Sendable {
    var pairs: [(name: String, value: String)]

    init(_ pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    /// The parameters of a raw query string (the part after `?`, still encoded), form-decoded as
    /// Zscaler's servlets decode them (see ``FormFields``): `search=Service+Admin` is "Service
    /// Admin". `invalid` builds the caller's error for malformed percent-encoding.
    init<E: Error>(query: Substring?, invalid: (String) -> E) throws(E) {
        guard let query, !query.isEmpty else {
            self.init()
            return
        }
        guard let pairs = FormFields.pairs(query) else {
            throw invalid("the query string has malformed percent-encoding (a % must be followed by two hex digits of UTF-8)")
        }
        self.init(pairs)
    }

    func first(_ name: String) -> String? { pairs.first { $0.name == name }?.value }
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// An integer parameter; `invalid` builds the error for a value that is not one.
    func int<E: Error>(_ name: String, invalid: (String) -> E) throws(E) -> Int? {
        guard let text = first(name) else { return nil }
        guard let value = Int(text) else { throw invalid("\(name) must be an integer, got '\(text)'") }
        return value
    }

    func bool<E: Error>(_ name: String, invalid: (String) -> E) throws(E) -> Bool? {
        guard let text = first(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw invalid("\(name) must be true or false, got '\(text)'")
        }
    }
}
