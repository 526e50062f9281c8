/// A ZPA identifier. mgmtconfig sends ids as JSON strings, userconfig as numbers (reference §8.1, §8.3),
/// and 18 digits do not survive a trip through `Double`, so the id is kept as its decimal text and
/// re-encoded in the form it arrived in.
public struct ZPAID: Codable, Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let value: String
    /// Whether it came (and goes back) as a JSON number.
    public let isNumeric: Bool

    public init(_ value: String, numeric: Bool = false) {
        self.value = value
        self.isNumeric = numeric
    }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self) {
            self.init(text)
        } else if let number = try? c.decode(Int64.self) {
            self.init(String(number), numeric: true)
        } else if let number = try? c.decode(UInt64.self) {
            self.init(String(number), numeric: true)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an id as a string or an integer")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if isNumeric, let number = Int64(value) { try c.encode(number) } else { try c.encode(value) }
    }

    public static func == (a: ZPAID, b: ZPAID) -> Bool { a.value == b.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// An integer Zscaler sends either as a number or as a decimal string (ZPA counts and times, ZPA's
/// `expires_in`), re-encoded in the form it arrived in.
public struct FlexibleInt: Codable, Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let value: Int64
    public let isString: Bool

    public init(_ value: Int64, asString: Bool = false) {
        self.value = value
        self.isString = asString
    }
    public init(integerLiteral value: Int64) { self.init(value) }
    public var description: String { String(value) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Int64.self) {
            self.init(number)
        } else if let text = try? c.decode(String.self), let number = Int64(text.trimmingWhitespace) {
            self.init(number, asString: true)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an integer or a decimal string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if isString { try c.encode(String(value)) } else { try c.encode(value) }
    }

    public static func == (a: FlexibleInt, b: FlexibleInt) -> Bool { a.value == b.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// A flag ZPA sends as `"0"`/`"1"` in some fields and as a JSON boolean in others (reference §8.2),
/// re-encoded in the form it arrived in.
public struct FlexibleBool: Codable, Sendable, Hashable, CustomStringConvertible, ExpressibleByBooleanLiteral {
    public let value: Bool
    public let isString: Bool

    public init(_ value: Bool, asString: Bool = false) {
        self.value = value
        self.isString = asString
    }
    public init(booleanLiteral value: Bool) { self.init(value) }
    public var description: String { String(value) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let flag = try? c.decode(Bool.self) {
            self.init(flag)
        } else if let text = try? c.decode(String.self) {
            switch text.lowercased() {
            case "1", "true": self.init(true, asString: true)
            case "0", "false", "": self.init(false, asString: true)
            default: throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a flag, got \(text.debugDescription)")
            }
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a boolean or \"0\"/\"1\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if isString { try c.encode(value ? "1" : "0") } else { try c.encode(value) }
    }

    public static func == (a: FlexibleBool, b: FlexibleBool) -> Bool { a.value == b.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = self[...]
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return s
    }
}

extension Int64 {
    init?(_ text: Substring) { self.init(String(text)) }
}
