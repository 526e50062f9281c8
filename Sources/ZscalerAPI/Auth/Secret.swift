/// A credential value (password, API key, client secret, token, session id) that must never be printed.
///
/// `description`, `debugDescription` and string interpolation all give `<redacted>`; the value is only
/// reachable through ``revealed``, which the transport uses at the last moment. Comparison is in
/// constant time so a secret check cannot leak its length-prefix through timing.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    ExpressibleByStringLiteral
{
    private let value: String

    public init(_ value: String) { self.value = value }
    public init(stringLiteral value: String) { self.value = value }

    /// The secret itself. Only for putting it on the wire.
    public var revealed: String { value }
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    public static func == (lhs: Secret, rhs: Secret) -> Bool { constantTimeEquals(lhs.value, rhs.value) }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// Compares every byte of the longer input, whatever the contents.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }
}
