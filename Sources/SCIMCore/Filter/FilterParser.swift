/// Parses filter text into a `Filter` by recursive descent over the RFC 7644 §3.4.2.2 grammar.
///
/// Precedence: `not` and grouping bind tightest, then `and`, then `or`; both associate left.
/// Keywords and operators are case-insensitive (the grammar is ABNF). Every error names the
/// character position (1-based) so a client can see what to fix.
public struct FilterParser: Sendable {
    public struct Options: Sendable, Hashable {
        /// Longest filter text accepted, in bytes.
        public var maxLength: Int
        /// Deepest nesting of parentheses, `not` and value paths.
        public var maxDepth: Int
        /// Accept Entra's `emails[type eq "work"].value eq "x"` and rewrite it to
        /// `emails[type eq "work" and value eq "x"]`.
        public var allowValuePathSubAttribute: Bool
        /// Accept `TRUE`, `False`, `NULL`: RFC 7644 takes these literals from JSON, where they are
        /// lower case only.
        public var allowLiteralKeywordsInAnyCase: Bool

        public init(
            maxLength: Int = 4096, maxDepth: Int = 32, allowValuePathSubAttribute: Bool = false,
            allowLiteralKeywordsInAnyCase: Bool = false
        ) {
            self.maxLength = maxLength
            self.maxDepth = maxDepth
            self.allowValuePathSubAttribute = allowValuePathSubAttribute
            self.allowLiteralKeywordsInAnyCase = allowLiteralKeywordsInAnyCase
        }

        public static let strict = Options()
        public static let lenient = Options(allowValuePathSubAttribute: true, allowLiteralKeywordsInAnyCase: true)
    }

    public var options: Options

    public init(options: Options = .strict) { self.options = options }

    public static func parse(_ text: String, options: Options = .strict) throws(SCIMError) -> Filter {
        try FilterParser(options: options).parse(text)
    }

    public func parse(_ text: String) throws(SCIMError) -> Filter {
        let bytes = Array(text.utf8)
        guard bytes.count <= options.maxLength else {
            throw .invalidFilter("Filter is \(bytes.count) bytes long; the limit is \(options.maxLength)")
        }
        var cursor = FilterCursor(bytes: bytes, options: options)
        cursor.skipSpaces()
        guard !cursor.atEnd else { throw .invalidFilter("Filter is empty") }
        let filter = try cursor.parseOr(depth: 0, inValuePath: false)
        cursor.skipSpaces()
        guard cursor.atEnd else { throw cursor.failure("unexpected \(cursor.describeCurrent())") }
        return filter
    }

    /// Parses the inside of a PATCH path's brackets (`members[value eq "x"]`).
    func parseValueFilter(_ bytes: ArraySlice<UInt8>, offset: Int) throws(SCIMError) -> Filter {
        var cursor = FilterCursor(bytes: Array(bytes), options: options, offset: offset)
        cursor.skipSpaces()
        guard !cursor.atEnd else { throw .invalidFilter("Empty filter in brackets at position \(offset + 1)") }
        let filter = try cursor.parseOr(depth: 1, inValuePath: true)
        cursor.skipSpaces()
        guard cursor.atEnd else { throw cursor.failure("unexpected \(cursor.describeCurrent())") }
        return filter
    }
}

/// The scanning state of one parse.
struct FilterCursor {
    let bytes: [UInt8]
    let options: FilterParser.Options
    /// Added to positions in messages when this cursor reads a slice of a longer text.
    let offset: Int
    var index = 0

    init(bytes: [UInt8], options: FilterParser.Options, offset: Int = 0) {
        self.bytes = bytes
        self.options = options
        self.offset = offset
    }

    var atEnd: Bool { index >= bytes.count }

    func failure(_ message: String, at position: Int? = nil) -> SCIMError {
        .invalidFilter("Invalid filter at position \((position ?? index) + 1 + offset): \(message)")
    }

    func describeCurrent() -> String {
        guard !atEnd else { return "end of filter" }
        var end = index
        while end < bytes.count, end - index < 20, bytes[end] != 0x20 { end += 1 }
        return "'\(String(decoding: bytes[index..<max(end, index + 1)], as: UTF8.self))'"
    }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    /// Reads a bare word (attribute path, operator or keyword): everything up to a space,
    /// bracket, parenthesis or quote.
    mutating func readWord() -> (text: String, start: Int) {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                UInt8(ascii: "\""):
                return (String(decoding: bytes[start..<index], as: UTF8.self), start)
            default:
                index += 1
            }
        }
        return (String(decoding: bytes[start..<index], as: UTF8.self), start)
    }

    /// Consumes the next word when it is `keyword` (any case); leaves the cursor alone otherwise.
    mutating func consumeKeyword(_ keyword: String) -> Bool {
        var copy = self
        copy.skipSpaces()
        let word = copy.readWord()
        guard word.text.lowercased() == keyword else { return false }
        self = copy
        return true
    }

    mutating func parseOr(depth: Int, inValuePath: Bool) throws(SCIMError) -> Filter {
        try parseChain(.or, depth: depth, inValuePath: inValuePath)
    }

    enum Connective: String {
        case or, and
    }

    /// `operand (keyword operand)*`, folded to the left. `or` chains `and` chains, which chain
    /// unary expressions: that is the whole precedence table.
    mutating func parseChain(_ connective: Connective, depth: Int, inValuePath: Bool) throws(SCIMError) -> Filter {
        func operand(_ cursor: inout FilterCursor) throws(SCIMError) -> Filter {
            connective == .or
                ? try cursor.parseChain(.and, depth: depth, inValuePath: inValuePath)
                : try cursor.parseUnary(depth: depth, inValuePath: inValuePath)
        }
        var left = try operand(&self)
        while consumeKeyword(connective.rawValue) {
            let right = try operand(&self)
            left = connective == .or ? .or(left, right) : .and(left, right)
        }
        return left
    }

    mutating func parseUnary(depth: Int, inValuePath: Bool) throws(SCIMError) -> Filter {
        guard depth < options.maxDepth else { throw failure("filter is nested deeper than \(options.maxDepth) levels") }
        skipSpaces()
        guard !atEnd else { throw failure("expected an expression but the filter ended") }
        if bytes[index] == UInt8(ascii: "(") {
            return try parseGroup(depth: depth, inValuePath: inValuePath)
        }
        if bytes[index] == UInt8(ascii: ")") || bytes[index] == UInt8(ascii: "]") {
            throw failure("expected an expression, found '\(String(UnicodeScalar(bytes[index])))'")
        }
        if bytes[index] == UInt8(ascii: "\"") {
            throw failure("expected an attribute name, found a string")
        }
        let save = index
        let word = readWord()
        if word.text.lowercased() == "not" {
            skipSpaces()
            guard !atEnd, bytes[index] == UInt8(ascii: "(") else { throw failure("'not' must be followed by '('") }
            return .not(try parseGroup(depth: depth + 1, inValuePath: inValuePath))
        }
        index = save
        return try parseAttributeExpression(depth: depth, inValuePath: inValuePath)
    }

    mutating func parseGroup(depth: Int, inValuePath: Bool) throws(SCIMError) -> Filter {
        try parseEnclosed(closing: UInt8(ascii: ")"), depth: depth, inValuePath: inValuePath)
    }

    /// `open filter close`, starting at the opening `(` or `[`: the one place that reports an
    /// unclosed or mismatched bracket.
    mutating func parseEnclosed(closing: UInt8, depth: Int, inValuePath: Bool) throws(SCIMError) -> Filter {
        let open = index
        let opener = String(UnicodeScalar(bytes[index]))
        index += 1
        let inner = try parseOr(depth: depth + 1, inValuePath: inValuePath)
        skipSpaces()
        guard !atEnd, bytes[index] == closing else {
            if atEnd { throw failure("'\(opener)' at position \(open + 1 + offset) is never closed") }
            throw failure("expected '\(String(UnicodeScalar(closing)))' but found \(describeCurrent())")
        }
        index += 1
        return inner
    }

    mutating func parseAttributePath() throws(SCIMError) -> AttributePath {
        let word = readWord()
        guard !word.text.isEmpty else { throw failure("expected an attribute name, found \(describeCurrent())", at: word.start) }
        guard let path = AttributePath.parse(word.text) else {
            throw failure("'\(word.text)' is not a valid attribute path", at: word.start)
        }
        return path
    }

    mutating func parseAttributeExpression(depth: Int, inValuePath: Bool) throws(SCIMError) -> Filter {
        let pathStart = index
        let path = try parseAttributePath()
        if !atEnd, bytes[index] == UInt8(ascii: "[") {
            guard !inValuePath else { throw failure("value filters cannot be nested", at: index) }
            guard path.subAttribute == nil else {
                throw failure("a value filter applies to an attribute, not to the sub-attribute '\(path)'", at: index)
            }
            let inner = try parseEnclosed(closing: UInt8(ascii: "]"), depth: depth, inValuePath: true)
            if !atEnd, bytes[index] == UInt8(ascii: ".") {
                let dot = index
                guard options.allowValuePathSubAttribute else {
                    throw failure(
                        "a sub-attribute after a value filter is not part of the filter grammar; write attr[a eq \"x\" and b eq \"y\"]",
                        at: dot)
                }
                index += 1
                let subWord = readWord()
                guard AttributePath.isValidAttributeName(subWord.text) else {
                    throw failure("expected a sub-attribute name after '.'", at: subWord.start)
                }
                let subPath = AttributePath(name: subWord.text)
                let condition = try parseOperatorAndValue(path: subPath)
                return .valuePath(path, .and(inner, condition))
            }
            return .valuePath(path, inner)
        }
        if !atEnd, bytes[index] == UInt8(ascii: "(") || bytes[index] == UInt8(ascii: "\"") {
            throw failure("expected an operator after '\(path)'")
        }
        _ = pathStart
        return try parseOperatorAndValue(path: path)
    }

    mutating func parseOperatorAndValue(path: AttributePath) throws(SCIMError) -> Filter {
        skipSpaces()
        guard !atEnd else { throw failure("expected an operator after '\(path)' but the filter ended") }
        let opWord = readWord()
        let opText = opWord.text.lowercased()
        if opText == "pr" { return .present(path) }
        guard let op = ComparisonOperator(rawValue: opText) else {
            if opWord.text.isEmpty { throw failure("expected an operator after '\(path)', found \(describeCurrent())") }
            throw failure("'\(opWord.text)' is not a filter operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)", at: opWord.start)
        }
        skipSpaces()
        guard !atEnd else { throw failure("expected a value after '\(opWord.text)' but the filter ended") }
        return .comparison(path, op, try parseLiteral())
    }

    mutating func parseLiteral() throws(SCIMError) -> FilterLiteral {
        let start = index
        if bytes[index] == UInt8(ascii: "\"") {
            return .string(try parseStringLiteral())
        }
        let word = readWord()
        let keyword = options.allowLiteralKeywordsInAnyCase ? word.text.lowercased() : word.text
        switch keyword {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "": throw failure("expected a value, found \(describeCurrent())", at: start)
        case _ where ["true", "false", "null"].contains(word.text.lowercased()):
            throw failure("'\(word.text)' must be written in lower case (\(word.text.lowercased()))", at: start)
        default:
            if let number = JSONNumber(word.text) { return .number(number) }
            throw failure(
                "'\(word.text)' is not a value: strings must be in double quotes, or use true, false, null or a number", at: start)
        }
    }

    mutating func parseStringLiteral() throws(SCIMError) -> String {
        let start = index
        var end = index + 1
        var escaped = false
        while end < bytes.count {
            let b = bytes[end]
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "\"") {
                break
            }
            end += 1
        }
        guard end < bytes.count else { throw failure("string starting here is never closed", at: start) }
        let literal = Array(bytes[start...end])
        index = end + 1
        let value: JSONValue
        do {
            value = try JSONParser().parse(literal)
        } catch {
            throw failure("invalid string literal: \(error.message)", at: start)
        }
        guard case .string(let s) = value else { throw failure("invalid string literal", at: start) }
        return s
    }
}
