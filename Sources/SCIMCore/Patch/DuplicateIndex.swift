/// The values of a multi-valued attribute, hashed, for the duplicate checks a PATCH makes: does
/// an added value already exist, is an element among the values a `remove` lists.
///
/// Checking each new value against every element made a PATCH adding 25,000 emails compare
/// some 300 million pairs; a hash lookup makes it 25,000 lookups. The equality is the one PATCH
/// has always used: reference lists (`members`, `groups`) by their `value` (the id they point
/// at), everything else by deep JSON equality (member order ignored, numbers by value), whose
/// hashing `JSONValue` keeps consistent with it.
struct DuplicateIndex {
    let byReference: Bool
    /// The `value` of each element that has one (reference lists only).
    private var ids: Set<JSONValue> = []
    private var values: Set<JSONValue> = []

    init(_ elements: [JSONValue], attribute: SchemaAttribute) {
        byReference = attribute.isReferenceList
        ids.reserveCapacity(byReference ? elements.count : 0)
        values.reserveCapacity(elements.count)
        for element in elements { insert(element) }
    }

    mutating func insert(_ element: JSONValue) {
        if byReference, let id = element.objectValue?["value"] { ids.insert(id) }
        values.insert(element)
    }

    /// Whether an element equal to `value` is indexed: by its `value` when `value` has one and
    /// the attribute is a reference list, deeply otherwise.
    func contains(_ value: JSONValue) -> Bool {
        if byReference, let id = value.objectValue?["value"] { return ids.contains(id) }
        return values.contains(value)
    }
}
