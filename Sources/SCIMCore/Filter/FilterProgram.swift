/// The form a compiled filter is evaluated in: a tree of immutable objects built once from the
/// `FilterNode` tree, walked over resources through pointers.
///
/// Why not evaluate `FilterNode` directly: matching an indirect enum case copies its payload (the
/// key array, the comparator with its literal and search tables), and every copy retains what it
/// holds; on a 100,000-user scan that reference counting was a quarter of the work. Here each
/// path is a class specialised for its test, whose `let` fields are read in place, and values are
/// reached through pointers into the resource's own storage, so a scan copies nothing it passes.
protocol FilterMatcher: AnyObject, Sendable {
    /// Whether the object with these members matches. A value that is not an object matches as
    /// the empty object would: no attribute path reaches anything in it.
    func matches(_ members: UnsafeBufferPointer<JSONObject.Member>) -> Bool
}

extension FilterNode {
    /// The evaluable form of this node.
    func matcher() -> any FilterMatcher {
        switch self {
        case .and(let l, let r): return AndMatcher(l.matcher(), r.matcher())
        case .or(let l, let r): return OrMatcher(l.matcher(), r.matcher())
        case .not(let f): return NotMatcher(f.matcher())
        case .present(let keys): return PathMatcher(keys, PresentTest(), negated: false)
        case .valuePath(let keys, let inner): return PathMatcher(keys, ValueFilterTest(matcher: inner.matcher()), negated: false)
        case .compare(let keys, let comparator):
            // `ne` holds when no value is equal; `eq null` when nothing is assigned.
            let negated = comparator.op == .ne
            switch comparator.operand {
            case .null: return PathMatcher(keys, AssignedTest(), negated: comparator.op == .eq)
            case .string(let literal, let caseExact):
                return PathMatcher(keys, StringTest(op: comparator.op, literal: literal, caseExact: caseExact), negated: negated)
            case .number(let literal): return PathMatcher(keys, NumberTest(op: comparator.op, literal: literal), negated: negated)
            case .bool(let literal): return PathMatcher(keys, BoolTest(literal: literal), negated: negated)
            case .dateTime(let literal): return PathMatcher(keys, DateTimeTest(op: comparator.op, literal: literal), negated: negated)
            }
        }
    }
}

final class AndMatcher: FilterMatcher {
    let left: any FilterMatcher
    let right: any FilterMatcher

    init(_ left: any FilterMatcher, _ right: any FilterMatcher) {
        self.left = left
        self.right = right
    }

    func matches(_ members: UnsafeBufferPointer<JSONObject.Member>) -> Bool {
        left.matches(members) && right.matches(members)
    }
}

final class OrMatcher: FilterMatcher {
    let left: any FilterMatcher
    let right: any FilterMatcher

    init(_ left: any FilterMatcher, _ right: any FilterMatcher) {
        self.left = left
        self.right = right
    }

    func matches(_ members: UnsafeBufferPointer<JSONObject.Member>) -> Bool {
        left.matches(members) || right.matches(members)
    }
}

final class NotMatcher: FilterMatcher {
    let inner: any FilterMatcher

    init(_ inner: any FilterMatcher) { self.inner = inner }

    func matches(_ members: UnsafeBufferPointer<JSONObject.Member>) -> Bool { !inner.matches(members) }
}

/// What a path checks at its end, on one value at a time.
protocol ValueTest: Sendable {
    func test(_ value: UnsafePointer<JSONValue>) -> Bool
}

/// Follows an attribute path (canonical keys from the object evaluated, e.g. `emails`, `value`)
/// and reports whether any value it reaches passes the test, fanning out over arrays at every
/// level; `negated` turns "some value passes" into "no value passes" (`ne`, `eq null`).
final class PathMatcher<Test: ValueTest>: FilterMatcher {
    let keys: [String]
    /// `JSONObject.representation(of:)` of each key, for the fast lookup.
    let representations: [(UInt64, UInt64)?]
    let test: Test
    let negated: Bool

    init(_ keys: [String], _ test: Test, negated: Bool) {
        self.keys = keys
        self.representations = keys.map(JSONObject.representation(of:))
        self.test = test
        self.negated = negated
    }

    func matches(_ members: UnsafeBufferPointer<JSONObject.Member>) -> Bool {
        reaches(members, 0) != negated
    }

    /// Looks `keys[depth]` up among `members` and follows the rest of the path from its value.
    func reaches(_ members: UnsafeBufferPointer<JSONObject.Member>, _ depth: Int) -> Bool {
        guard
            let i = JSONObject.index(in: members, forKeyIgnoringCase: keys[depth], representation: representations[depth]),
            let base = members.baseAddress
        else { return false }
        // Point at the member's value in place rather than copying it out.
        let value = UnsafeRawPointer(base + i).advanced(by: JSONObject.valueOffset).assumingMemoryBound(to: JSONValue.self)
        return reaches(value, depth + 1)
    }

    func reaches(_ value: UnsafePointer<JSONValue>, _ depth: Int) -> Bool {
        guard depth < keys.count else {
            if case .array(let elements) = value.pointee {
                return elements.withUnsafeBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return false }
                    for i in buffer.indices where test.test(base + i) { return true }
                    return false
                }
            }
            return test.test(value)
        }
        switch value.pointee {
        case .object(let object):
            return object.members.withUnsafeBufferPointer { reaches($0, depth) }
        case .array(let elements):
            return elements.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return false }
                for i in buffer.indices where reaches(base + i, depth) { return true }
                return false
            }
        default:
            return false
        }
    }
}

/// Some value that is not null (`ne null`; negated, `eq null`).
struct AssignedTest: ValueTest {
    func test(_ value: UnsafePointer<JSONValue>) -> Bool { !value.pointee.isNull }
}

/// Some value that is not null, an empty string, array or object (`pr`).
struct PresentTest: ValueTest {
    func test(_ value: UnsafePointer<JSONValue>) -> Bool { !value.pointee.isUnassigned }
}

/// One value of a multi-valued attribute satisfies the whole inner filter (`emails[…]`).
struct ValueFilterTest: ValueTest {
    let matcher: any FilterMatcher

    func test(_ value: UnsafePointer<JSONValue>) -> Bool {
        guard case .object(let object) = value.pointee else { return matcher.matches(UnsafeBufferPointer(start: nil, count: 0)) }
        return object.members.withUnsafeBufferPointer { matcher.matches($0) }
    }
}

/// A string comparison; the literal is folded already unless `caseExact`.
struct StringTest: ValueTest {
    let op: ComparisonOperator
    let literal: String
    let caseExact: Bool
    /// The needle of `co`/`sw`/`ew`, prepared once for linear-time search.
    let pattern: SubstringPattern

    init(op: ComparisonOperator, literal: String, caseExact: Bool) {
        self.op = op
        self.literal = literal
        self.caseExact = caseExact
        pattern = SubstringPattern(foldedNeedle: op.isSubstring ? literal : "", caseExact: caseExact)
    }

    func test(_ value: UnsafePointer<JSONValue>) -> Bool {
        guard case .string(let s) = value.pointee else { return false }
        switch op {
        case .eq, .ne: return caseExact ? s == literal : CaseFolding.equal(s, literal)
        case .co: return pattern.matches(s, anchor: .anywhere)
        case .sw: return pattern.matches(s, anchor: .start)
        case .ew: return pattern.matches(s, anchor: .end)
        case .gt: return (caseExact ? s : CaseFolding.fold(s)) > literal
        case .ge: return (caseExact ? s : CaseFolding.fold(s)) >= literal
        case .lt: return (caseExact ? s : CaseFolding.fold(s)) < literal
        case .le: return (caseExact ? s : CaseFolding.fold(s)) <= literal
        }
    }
}

struct BoolTest: ValueTest {
    let literal: Bool

    func test(_ value: UnsafePointer<JSONValue>) -> Bool {
        guard case .bool(let b) = value.pointee else { return false }
        return b == literal
    }
}

/// `eq`/`gt`/… on numbers (by value: `1` equals `1.0`).
struct NumberTest: ValueTest {
    let op: ComparisonOperator
    let literal: JSONNumber

    func test(_ value: UnsafePointer<JSONValue>) -> Bool {
        guard case .number(let n) = value.pointee else { return false }
        return op.holds(n, literal)
    }
}

/// `eq`/`gt`/… on dateTimes, as instants (across offsets and fractions); a value that is not a
/// valid dateTime matches nothing.
struct DateTimeTest: ValueTest {
    let op: ComparisonOperator
    let literal: SCIMDateTime
    /// The literal as a `UTCKey`, when it has one (a whole number of milliseconds, years 0–9999).
    let literalKey: Int64?

    init(op: ComparisonOperator, literal: SCIMDateTime) {
        self.op = op
        self.literal = literal
        var text = literal.description
        literalKey = literal.nanoseconds % 1_000_000 == 0 ? text.withUTF8 { DateTimeTest.utcKey($0) } : nil
    }

    func test(_ value: UnsafePointer<JSONValue>) -> Bool {
        guard case .string(let s) = value.pointee else { return false }
        if let literalKey, let key = s.utf8.withContiguousStorageIfAvailable({ DateTimeTest.utcKey($0) }), let key {
            return op.holds(key, literalKey)
        }
        guard let d = SCIMDateTime(s) else { return false }
        return op.holds(d, literal)
    }

    /// The digits of `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss.fffZ` (the forms the service
    /// writes `meta` in) as one number, YYYYMMDDhhmmssfff, which orders as the instants do; `nil`
    /// for any other form or an invalid date (those take the full parse). A third of a scan on
    /// `meta.lastModified` went into parsing each value into an instant.
    static func utcKey(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 20 || (b.count == 24 && b[19] == UInt8(ascii: ".")), b[b.count - 1] == UInt8(ascii: "Z"),
            b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
            b[16] == UInt8(ascii: ":")
        else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<from + count {
                let d = b[i] &- 0x30
                guard d <= 9 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
            let minute = digits(14, 2), let second = digits(17, 2), let millis = b.count == 24 ? digits(20, 3) : 0,
            (1...12).contains(month), day >= 1, day <= SCIMDateTime.daysIn(month: month, year: year), hour <= 23, minute <= 59,
            second <= 59  // a leap second (60) counts as 59 in the full parse: let it do that
        else { return nil }
        let date = Int64(year * 10_000 + month * 100 + day)
        let time = Int64(hour * 10_000 + minute * 100 + second)
        return (date * 1_000_000 + time) * 1000 + Int64(millis)
    }
}

extension ComparisonOperator {
    /// Whether `a op b` holds for an ordering operator or `eq`/`ne` (the caller negates `ne`).
    @inline(__always)
    func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .eq, .ne: return a == b
        case .gt: return a > b
        case .ge: return a >= b
        case .lt: return a < b
        case .le: return a <= b
        case .co, .sw, .ew: return false
        }
    }
}
