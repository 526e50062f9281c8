/// `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3), compared by the attribute's type: strings
/// case-folded unless `caseExact`, dateTimes as instants, numbers numerically. A multi-valued
/// attribute sorts by its primary value, else its first. Resources without a value sort last in
/// either order, and ties keep their input order, so paging over a sorted list is stable.
public struct SortSpec: Sendable {
    public enum Order: String, Sendable {
        case ascending, descending
    }

    public let path: String
    public let order: Order
    let keys: [String]
    let attribute: SchemaAttribute

    public init(definition: ResourceDefinition, sortBy: String, sortOrder: String? = nil) throws(SCIMError) {
        guard let parsed = AttributePath.parse(sortBy), let resolved = definition.resolve(parsed) else {
            throw .invalidPath("sortBy '\(sortBy)' is not an attribute of \(definition.resourceType.name) resources")
        }
        var keys = resolved.isExtension ? [resolved.schema.id, resolved.attribute.name] : [resolved.attribute.name]
        var target = resolved.attribute
        if let sub = resolved.subAttribute {
            target = sub
        } else if target.type == .complex {
            guard let value = target.subAttribute(named: "value") else {
                throw .invalidPath("sortBy '\(sortBy)' is complex; sort by one of its sub-attributes")
            }
            target = value
        }
        if target.returned == .never { throw .invalidPath("sortBy '\(sortBy)' is never returned and cannot be sorted on") }
        if resolved.attribute.type == .complex { keys.append(target.name) }
        self.keys = keys
        self.attribute = target
        self.path = resolved.canonicalPath
        switch sortOrder.map({ $0.lowercased() }) {
        case nil, "ascending": self.order = .ascending
        case "descending": self.order = .descending
        default: throw .invalidValue("sortOrder must be \"ascending\" or \"descending\", not \"\(sortOrder!)\"")
        }
    }

    /// A comparable key for one resource.
    public enum Key: Comparable, Sendable {
        case string(String)
        case number(JSONNumber)
        case bool(Bool)
        case dateTime(SCIMDateTime)

        public static func < (a: Key, b: Key) -> Bool {
            switch (a, b) {
            case (.string(let x), .string(let y)): return x < y
            case (.number(let x), .number(let y)): return x < y
            case (.bool(let x), .bool(let y)): return !x && y
            case (.dateTime(let x), .dateTime(let y)): return x < y
            default: return a.rank < b.rank
            }
        }

        var rank: Int {
            switch self {
            case .bool: return 0
            case .number: return 1
            case .dateTime: return 2
            case .string: return 3
            }
        }
    }

    public func key(for resource: JSONObject) -> Key? {
        var current: JSONValue = .object(resource)
        for (i, key) in keys.enumerated() {
            if case .array(let elements) = current {
                let chosen = elements.first { $0.objectValue?["primary"] == .bool(true) } ?? elements.first
                guard let chosen else { return nil }
                current = chosen
            }
            guard case .object(let o) = current, let next = o.value(forKeyIgnoringCase: key) else { return nil }
            current = next
            if i == keys.count - 1, case .array(let elements) = current {
                guard let first = elements.first else { return nil }
                current = first
            }
        }
        switch (attribute.type, current) {
        case (.dateTime, .string(let s)): return SCIMDateTime(s).map { .dateTime($0) } ?? .string(s)
        case (_, .string(let s)): return .string(attribute.comparesCaseExact ? s : CaseFolding.fold(s))
        case (_, .number(let n)): return .number(n)
        case (_, .bool(let b)): return .bool(b)
        default: return nil
        }
    }

    /// Sorts resources; stable, missing values last.
    public func sorted(_ resources: [JSONObject]) -> [JSONObject] {
        sorted(resources) { $0 }
    }

    /// Sorts any items by the resource each carries; stable, missing values last in either order.
    public func sorted<Item>(_ items: [Item], by resource: (Item) -> JSONObject) -> [Item] {
        let keyed = items.enumerated().map { (index: $0.offset, key: key(for: resource($0.element)), item: $0.element) }
        return keyed.sorted { a, b in precedes(a.key, a.index, b.key, b.index) }.map(\.item)
    }

    /// The order itself: by key in this spec's order, items without a value last either way,
    /// ties by their input position (`index`), so paging over the order is stable.
    public func precedes(_ a: Key?, _ aIndex: Int, _ b: Key?, _ bIndex: Int) -> Bool {
        switch (a, b) {
        case (nil, nil): return aIndex < bIndex
        case (nil, _): return false
        case (_, nil): return true
        case (let x?, let y?):
            if x == y { return aIndex < bIndex }
            return order == .ascending ? x < y : y < x
        }
    }
}
