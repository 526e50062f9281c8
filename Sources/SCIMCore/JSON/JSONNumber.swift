/// A JSON number kept as the text the client sent.
///
/// Equality and ordering are by numeric value (`1`, `1.0` and `1e0` are equal) so PATCH
/// de-duplication and filters behave numerically, while rendering gives back the original text.
public struct JSONNumber: Sendable, CustomStringConvertible {
    /// The literal as written, already checked against the JSON number grammar.
    public let text: String
    /// The value when the literal is an integer that fits 64 bits.
    public let integer: Int64?
    /// The value as a double, for ordering and for decimals.
    public let double: Double

    /// Builds a number from text that the caller has checked against the JSON grammar.
    init(validatedText text: String) {
        self.text = text
        self.integer = Int64(text)
        self.double = Double(text) ?? .nan
    }

    /// Parses JSON number text; `nil` when it is not a JSON number.
    public init?(_ text: String) {
        guard JSONNumber.isValidLiteral(text.utf8) else { return nil }
        self.init(validatedText: text)
    }

    public init(_ value: Int) {
        self.text = String(value)
        self.integer = Int64(value)
        self.double = Double(value)
    }

    public var description: String { text }

    /// `true` when the literal has no fraction or exponent (what SCIM's `integer` type needs).
    public var isIntegerLiteral: Bool {
        !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
    }

    /// Checks the RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isValidLiteral<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var i = bytes.startIndex
        func digit(_ index: C.Index) -> Bool {
            index < bytes.endIndex && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
        guard digit(i) else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i = bytes.index(after: i)
        } else {
            while digit(i) { i = bytes.index(after: i) }
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            guard digit(i) else { return false }
            while digit(i) { i = bytes.index(after: i) }
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                i = bytes.index(after: i)
            }
            guard digit(i) else { return false }
            while digit(i) { i = bytes.index(after: i) }
        }
        return i == bytes.endIndex
    }
}

extension JSONNumber: Hashable, Comparable {
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if let a = lhs.integer, let b = rhs.integer { return a == b }
        return lhs.double == rhs.double
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(double)
    }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if let a = lhs.integer, let b = rhs.integer { return a < b }
        return lhs.double < rhs.double
    }
}
