import Foundation
import HTTPTypes
import NIOCore

/// The origin (`scheme://host[:port]`) zscim writes into `Location`, `meta.location` and `$ref`.
///
/// Whatever a client sends is attacker-controlled, and these URLs are stored by identity
/// providers and followed later, so a host is used only when the operator named it:
/// 1. the configured public base URL;
/// 2. else the request's host — the `Host` header, or `X-Forwarded-Host`/`Forwarded: host=`
///    when the connection comes from a trusted proxy — if it is in the allow-list, with the
///    scheme a trusted proxy forwarded (`http` otherwise);
/// 3. else the address the connection arrived on, over `http` (what zscim itself listens with).
struct RequestOrigin {
    var configuration: ServerConfiguration

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!
    static let forwarded = HTTPField.Name("Forwarded")!

    /// - Parameters:
    ///   - authority: the request's `Host` (HTTP/1.1) or `:authority` (HTTP/2).
    ///   - peer: the connection's remote address (a proxy, when there is one).
    ///   - local: the address the connection arrived on.
    func origin(headers: HTTPFields, authority: String?, peer: SocketAddress?, local: SocketAddress?) -> String {
        if let base = configuration.publicBaseURL {
            return base.hasSuffix("/") ? String(base.dropLast()) : base
        }
        var scheme = "http"
        var host = authority
        if let peer, configuration.trustedProxies.contains(where: { $0.contains(peer) }) {
            let forwarded = Self.forwardedElement(headers[Self.forwarded])
            if let proto = (Self.firstValue(headers[Self.forwardedProto]) ?? forwarded["proto"])?.lowercased(),
                proto == "http" || proto == "https"
            {
                scheme = proto
            }
            if let forwardedHost = Self.firstValue(headers[Self.forwardedHost]) ?? forwarded["host"] {
                host = forwardedHost
            }
        }
        if let host, allows(host) {
            return "\(scheme)://\(host.lowercased())"
        }
        return "http://" + listeningAddress(local)
    }

    func allows(_ host: String) -> Bool {
        let candidate = host.lowercased()
        return configuration.allowedHosts.contains { $0.lowercased() == candidate }
    }

    /// `ip:port` of the local end, IPv6 in brackets; the configured address when the request
    /// did not come over a socket (in-process tests).
    func listeningAddress(_ local: SocketAddress?) -> String {
        if let local, let ip = local.ipAddress, let port = local.port {
            return Self.authority(host: ip, port: port)
        }
        return Self.authority(host: configuration.host, port: configuration.port)
    }

    static func authority(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The first of a comma-separated header's values (the client-facing proxy's), trimmed.
    static func firstValue(_ header: String?) -> String? {
        guard let first = header?.split(separator: ",", omittingEmptySubsequences: false).first else { return nil }
        let value = first.trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    /// The parameters of the first element of an RFC 7239 `Forwarded` header, names lowercased,
    /// quoted values unquoted: `for=1.2.3.4;proto=https;host="a.example"` → proto, host, for.
    static func forwardedElement(_ header: String?) -> [String: String] {
        guard let element = header?.split(separator: ",").first else { return [:] }
        var parameters: [String: String] = [:]
        for pair in element.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            if parameters[name] == nil, !value.isEmpty { parameters[name] = value }
        }
        return parameters
    }

    /// Whether `text` is a host as an allow-list entry must be: a DNS name or IPv4 address, or
    /// an IPv6 address in brackets, optionally with `:port`; nothing a URL would read as a path,
    /// user or query.
    static func isValidHost(_ text: String) -> Bool {
        var host = Substring(text)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let inside = host[host.index(after: host.startIndex)..<close]
            guard IPAddressRange.addressBytes(String(inside))?.count == 16 else { return false }
            host = host[host.index(after: close)...]
            if host.isEmpty { return true }
            guard host.hasPrefix(":") else { return false }
            return isValidPort(host.dropFirst())
        }
        let parts = host.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.first, !name.isEmpty, name.count <= 253 else { return false }
        if parts.count == 2, !isValidPort(parts[1]) { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    static func isValidPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.allSatisfy(\.isNumber), let port = Int(text) else { return false }
        return (1...65535).contains(port)
    }
}

extension ServerConfiguration {
    /// Whether `host` can be an `allowedHosts` entry (see `RequestOrigin.isValidHost`), for
    /// refusing a bad setting at start with a message instead of never matching.
    public static func isValidAllowedHost(_ host: String) -> Bool {
        RequestOrigin.isValidHost(host)
    }
}
