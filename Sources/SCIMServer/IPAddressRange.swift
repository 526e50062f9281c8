import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network (`10.0.0.0/8`, `fd00::/8`) or single address (`127.0.0.1`, `::1`):
/// how an operator names the proxies whose `X-Forwarded-*` headers zscim believes. An IPv4 peer
/// seen as an IPv4-mapped IPv6 address (`::ffff:10.1.2.3`, a dual-stack listener) matches the
/// IPv4 range, so one entry covers both ways the same proxy can arrive.
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The network's address bytes (4 or 16), with the bits past the prefix cleared.
    let network: [UInt8]
    let prefixLength: Int

    /// Parses `address` or `address/prefix`.
    public init(_ text: String) throws(InvalidAddressRange) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.addressBytes(String(parts[0])) else {
            throw InvalidAddressRange(text: text, reason: "\(parts[0]) is not an IPv4 or IPv6 address")
        }
        let bits = bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...bits).contains(prefix), parts[1].allSatisfy(\.isNumber) else {
                throw InvalidAddressRange(text: text, reason: "the prefix length must be a number from 0 to \(bits)")
            }
            length = prefix
        }
        prefixLength = length
        network = Self.masked(bytes, prefixLength: length)
    }

    public var description: String {
        let text = network.count == 4 ? network.map(String.init).joined(separator: ".") : Self.ipv6Text(network)
        return prefixLength == network.count * 8 ? text : "\(text)/\(prefixLength)"
    }

    /// Whether the address (as text, e.g. a socket's `ipAddress`) lies in this range.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.addressBytes(address), bytes.count == network.count else { return false }
        return Self.masked(bytes, prefixLength: prefixLength) == network
    }

    /// Whether a connection's peer lies in this range (Unix-domain peers never do).
    public func contains(_ address: SocketAddress) -> Bool {
        guard let text = address.ipAddress else { return false }
        return contains(text)
    }

    /// 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; nil for anything else. A zone
    /// (`fe80::1%eth0`) is dropped: a range names addresses, not interfaces.
    static func addressBytes(_ text: String) -> [UInt8]? {
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        return bytes.starts(with: mappedPrefix) ? Array(bytes[12...]) : bytes
    }

    static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(max(prefixLength - index * 8, 0), 8)
            return kept == 8 ? byte : byte & ~(UInt8.max >> kept)
        }
    }

    static func ipv6Text(_ bytes: [UInt8]) -> String {
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A trusted-proxy entry that is not an address or network; `reason` says what to fix.
public struct InvalidAddressRange: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String { "\(text) is not an address or network (e.g. 10.0.0.0/8, ::1): \(reason)" }
}
