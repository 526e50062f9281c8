import Foundation

/// A validated base URL for one Zscaler API (`https://zsapi.zscalertwo.net/api/v1`,
/// `https://config.private.zscaler.com`, ...). Request paths are appended to it.
///
/// The bridge must only ever talk to Zscaler (DESIGN §6): a base URL whose host is not a known Zscaler
/// host is refused unless the operator explicitly allowed it (the emulator in tests and demos). Plain
/// `http` is refused on the same terms, so a typo cannot send an admin password in clear text.
public struct BaseURL: Hashable, Sendable, CustomStringConvertible {
    /// Without a trailing slash, e.g. `https://zsapi.zscaler.net/api/v1`.
    public let string: String
    public let host: String
    public var description: String { string }

    /// Validates `string` against the known Zscaler hosts unless `allowUnlisted` is set.
    public init(_ string: String, allowUnlisted: Bool = false) throws(ZscalerAPIError) {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), !host.isEmpty
        else {
            throw .invalidConfiguration("base URL \(string.debugDescription) is not an absolute URL")
        }
        guard scheme == "https" || scheme == "http" else {
            throw .invalidConfiguration("base URL \(string.debugDescription) must use https")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
        else {
            throw .invalidConfiguration("base URL \(string.debugDescription) must not carry a query, fragment or user info")
        }
        if !allowUnlisted {
            guard scheme == "https" else {
                throw .invalidConfiguration("base URL \(string.debugDescription) must use https (http only for an allowed unlisted host)")
            }
            guard KnownZscalerHosts.contains(host) else {
                throw .invalidConfiguration(
                    "host \(host) is not a known Zscaler cloud host; allow it explicitly (e.g. for the emulator) to use it")
            }
        }
        var trimmed = string
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.string = trimmed
        self.host = host
    }

    /// Used by the cloud tables, whose URLs are known-good by construction.
    init(trusted string: String) {
        self.string = string
        self.host = URLComponents(string: string)?.host?.lowercased() ?? ""
    }

    /// `base + path` (path starts with `/`), with the query items percent-encoded.
    func url(path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return string + path }
        return string + path + "?" + FormEncoding.encode(query)
    }
}

/// The hosts a base URL may have without being explicitly allowed: every host the cloud tables in
/// reference §1 produce, and nothing else.
enum KnownZscalerHosts {
    static func contains(_ host: String) -> Bool {
        let host = host.lowercased()
        if ZIACloud.known.contains(where: { host == "zsapi.\($0.domain)" || host == "admin.\($0.domain)" }) {
            return true
        }
        if OneAPICloud.allCases.contains(where: { host == $0.apiHost }) { return true }
        if OneAPICloud.allCases.contains(where: { host.hasSuffix("." + $0.tokenDomain) && isVanityLabel(host, $0.tokenDomain) }) {
            return true
        }
        if ZPACloud.known.contains(where: { host == "config.\($0.domain)" || host == "scim1.\($0.domain)" || host == "scim.\($0.domain)" })
        {
            return true
        }
        return false
    }

    /// `acme.zslogin.net` is fine; `evil.example.zslogin.net` (two labels) is not a ZIdentity vanity host.
    private static func isVanityLabel(_ host: String, _ domain: String) -> Bool {
        let label = host.dropLast(domain.count + 1)
        return !label.isEmpty && !label.contains(".")
    }
}
