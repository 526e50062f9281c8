/// The small part of SCIM's filter and path grammar (RFC 7644 §3.4.2.2, §3.5.2) that ZPA's SCIM
/// server documents: `attr eq "value"` clauses joined by `and`, and PATCH paths of the forms
/// `attr`, `attr.sub`, `urn:…:attr`, `attr[sub eq "v"]` and `attr[sub eq "v"].sub`. Anything else
/// is refused with `invalidFilter` / `invalidPath`, as a server with a narrow grammar would.
struct SCIMEqualityFilter: Equatable {
    struct Clause: Equatable {
        var path: String
        var value: EmulatorJSON
    }

    var clauses: [Clause]

    static func parse(_ text: String) throws(SCIMWireError) -> SCIMEqualityFilter {
        var scanner = Scanner(Array(text))
        var clauses: [Clause] = []
        repeat {
            scanner.skipSpaces()
            let path = scanner.word()
            guard !path.isEmpty else { throw .invalidFilter("Expected an attribute in filter '\(text)'") }
            scanner.skipSpaces()
            let op = scanner.word().lowercased()
            guard op == "eq" else { throw .invalidFilter("Only the 'eq' operator is supported, found '\(op)'") }
            scanner.skipSpaces()
            clauses.append(Clause(path: path, value: try scanner.literal(in: text)))
            scanner.skipSpaces()
            if scanner.atEnd { break }
            guard scanner.word().lowercased() == "and" else { throw .invalidFilter("Only 'and' may join clauses in filter '\(text)'") }
        } while true
        return SCIMEqualityFilter(clauses: clauses)
    }

    fileprivate struct Scanner {
        var characters: [Character]
        var index = 0

        init(_ characters: [Character]) { self.characters = characters }

        var atEnd: Bool { index >= characters.count }

        mutating func skipSpaces() { while !atEnd, characters[index] == " " { index += 1 } }

        mutating func word() -> String {
            let start = index
            while !atEnd, characters[index] != " ", characters[index] != "]" { index += 1 }
            return String(characters[start..<index])
        }

        mutating func literal(in text: String) throws(SCIMWireError) -> EmulatorJSON {
            guard !atEnd else { throw .invalidFilter("Expected a value in filter '\(text)'") }
            guard characters[index] == "\"" else {
                switch word().lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                case let other:
                    guard let number = Double(other) else { throw .invalidFilter("Values must be quoted strings, found '\(other)'") }
                    return .number(number)
                }
            }
            index += 1
            var value = ""
            while !atEnd {
                let character = characters[index]
                index += 1
                if character == "\\" {
                    guard !atEnd else { break }
                    value.append(characters[index])
                    index += 1
                } else if character == "\"" {
                    return .string(value)
                } else {
                    value.append(character)
                }
            }
            throw .invalidFilter("Unterminated string in filter '\(text)'")
        }
    }
}

/// A parsed PATCH path.
struct SCIMPatchPath: Equatable {
    /// The extension schema URN when the path named one, else `nil` (core).
    var schema: String?
    var attribute: String
    var valueFilter: SCIMEqualityFilter.Clause?
    var subAttribute: String?

    static func parse(_ text: String) throws(SCIMWireError) -> SCIMPatchPath {
        var rest = Substring(text)
        var schema: String?
        for urn in [SCIMWire.enterpriseSchema, SCIMWire.userSchema, SCIMWire.groupSchema]
        where rest.lowercased().hasPrefix(urn.lowercased() + ":") {
            schema = urn == SCIMWire.enterpriseSchema ? urn : nil
            rest = rest.dropFirst(urn.count + 1)
        }
        var filter: SCIMEqualityFilter.Clause?
        var sub: String?
        if let open = rest.firstIndex(of: "[") {
            guard let close = rest.lastIndex(of: "]"), close > open else { throw .invalidPath("Unbalanced brackets in path '\(text)'") }
            let parsed = try SCIMEqualityFilter.parse(String(rest[rest.index(after: open)..<close]))
            guard parsed.clauses.count == 1 else { throw .invalidPath("Only one 'eq' clause is supported in path '\(text)'") }
            filter = parsed.clauses[0]
            let tail = rest[rest.index(after: close)...]
            if !tail.isEmpty {
                guard tail.first == ".", tail.count > 1 else { throw .invalidPath("Unexpected text after ']' in path '\(text)'") }
                sub = String(tail.dropFirst())
            }
            rest = rest[..<open]
        } else if let dot = rest.firstIndex(of: ".") {
            sub = String(rest[rest.index(after: dot)...])
            rest = rest[..<dot]
        }
        guard !rest.isEmpty, rest.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "$" || $0 == "_" || $0 == "-" }) else {
            throw .invalidPath("Invalid attribute path '\(text)'")
        }
        if let sub, sub.isEmpty || sub.contains(".") { throw .invalidPath("Invalid sub-attribute in path '\(text)'") }
        return SCIMPatchPath(schema: schema, attribute: String(rest), valueFilter: filter, subAttribute: sub)
    }
}
