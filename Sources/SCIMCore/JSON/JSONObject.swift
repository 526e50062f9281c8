/// A JSON object that keeps its members in the order they were written.
///
/// Equality ignores member order: `{"a":1,"b":2}` and `{"b":2,"a":1}` mean the same thing, and
/// PATCH de-duplication and golden tests depend on that.
public struct JSONObject: Sendable, Hashable, Sequence {
    public typealias Member = (key: String, value: JSONValue)

    public private(set) var members: [Member]

    public init() { members = [] }

    public init(_ members: [Member]) { self.members = members }

    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    /// Exact-key lookup.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// Index of the member whose key equals `key` ignoring ASCII/Unicode case (SCIM attribute
    /// names and schema URNs are case-insensitive). An exact match is tried first since stored
    /// resources use canonical names.
    public func index(forKeyIgnoringCase key: String) -> Int? {
        members.withUnsafeBufferPointer { JSONObject.index(in: $0, forKeyIgnoringCase: key) }
    }

    static func index(in buffer: UnsafeBufferPointer<Member>, forKeyIgnoringCase key: String) -> Int? {
        index(in: buffer, forKeyIgnoringCase: key, representation: representation(of: key))
    }

    /// The lookup with the key's `representation(of:)` worked out once by the caller (a filter
    /// looks the same key up in every resource).
    @inline(__always)
    static func index(in buffer: UnsafeBufferPointer<Member>, forKeyIgnoringCase key: String, representation: (UInt64, UInt64)?)
        -> Int?
    {
        if let representation, let i = indexOfIdenticalKey(in: buffer, representation) { return i }
        let length = key.utf8.count
        for i in buffer.indices where buffer[i].key.utf8.count == length && buffer[i].key == key { return i }
        for i in buffer.indices where CaseFolding.equal(buffer[i].key, key) { return i }
        return nil
    }

    /// Where a member's key and value sit inside a `Member` tuple: a tuple lays its elements out in
    /// order, each at the next offset its alignment allows. Constants, unlike
    /// `MemoryLayout.offset(of:)`, which builds a key path at run time.
    static let keyOffset = 0
    static let valueOffset =
        (MemoryLayout<String>.size + MemoryLayout<JSONValue>.alignment - 1) / MemoryLayout<JSONValue>.alignment
        * MemoryLayout<JSONValue>.alignment

    /// The two machine words of a `String`, for `indexOfIdenticalKey`; `nil` where a `String` is
    /// not two words.
    @inline(__always)
    static func representation(of key: String) -> (UInt64, UInt64)? {
        guard MemoryLayout<String>.size == 16 else { return nil }
        return withUnsafeBytes(of: key) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
    }

    /// The member whose key has the very representation `bits` (see `representation(of:)`): a key
    /// of up to 15 UTF-8 bytes is stored inside the `String` itself, so equal short keys have
    /// equal bits. Comparing two words needs no reference counting and no decoding, which made key
    /// lookups, a fifth of a filter scan, several times cheaper. Finding nothing proves nothing
    /// (long keys live in separate buffers; equal text can be stored differently): the caller
    /// compares properly then. A hit is the first exact match because an object's keys are unique
    /// (the parser refuses duplicates; every setter replaces).
    @inline(__always)
    static func indexOfIdenticalKey(in buffer: UnsafeBufferPointer<Member>, _ bits: (UInt64, UInt64)) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        let stride = MemoryLayout<Member>.stride
        let raw = UnsafeRawPointer(base) + keyOffset
        for i in 0..<buffer.count {
            let p = raw + i * stride
            if p.load(as: UInt64.self) == bits.0 && p.load(fromByteOffset: 8, as: UInt64.self) == bits.1 { return i }
        }
        return nil
    }

    /// Case-insensitive lookup.
    public func value(forKeyIgnoringCase key: String) -> JSONValue? {
        index(forKeyIgnoringCase: key).map { members[$0].value }
    }

    /// Sets `value` under the key that matches `key` ignoring case, renaming it to `key`; appends
    /// when there is none. `nil` removes it.
    public mutating func set(_ value: JSONValue?, forKeyIgnoringCase key: String) {
        if let index = index(forKeyIgnoringCase: key) {
            if let value { members[index] = (key, value) } else { members.remove(at: index) }
        } else if let value {
            members.append((key, value))
        }
    }

    public mutating func removeValue(forKeyIgnoringCase key: String) {
        set(nil, forKeyIgnoringCase: key)
    }

    public mutating func mapValues(_ transform: (String, JSONValue) throws -> JSONValue?) rethrows {
        var result: [Member] = []
        result.reserveCapacity(members.count)
        for member in members {
            if let newValue = try transform(member.key, member.value) { result.append((member.key, newValue)) }
        }
        members = result
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        // Resources have a few members and a scan beats hashing; a client can send thousands,
        // where scanning for each would be quadratic.
        guard lhs.members.count > 16 else {
            for member in lhs.members {
                guard let other = rhs[member.key], other == member.value else { return false }
            }
            return true
        }
        var index: [String: Int] = [:]
        index.reserveCapacity(rhs.members.count)
        for (i, member) in rhs.members.enumerated() where index[member.key] == nil { index[member.key] = i }
        for member in lhs.members {
            guard let i = index[member.key], rhs.members[i].value == member.value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: sum of per-member hashes.
        var sum = 0
        for member in members {
            var h = Hasher()
            h.combine(member.key)
            h.combine(member.value)
            sum &+= h.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(sum)
    }
}
