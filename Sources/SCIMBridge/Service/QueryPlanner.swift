import SCIMCore

/// Picks from a filter the conditions a store can answer from its indexes, so that
/// `userName eq "x"` reads one row instead of the tenant's whole directory. The plan only
/// narrows: the service still evaluates the whole filter on what the store returns.
enum QueryPlanner {
    static func conditions(for filter: Filter, kind: ResourceKind) -> [IndexedCondition] {
        filter.conjuncts.compactMap { condition(for: $0, kind: kind) }
    }

    static func isCore(_ path: AttributePath, _ kind: ResourceKind) -> Bool {
        guard let schema = path.schema else { return true }
        return CaseFolding.equal(schema, kind == .user ? SchemaURN.user : SchemaURN.group)
    }

    static func condition(for filter: Filter, kind: ResourceKind) -> IndexedCondition? {
        switch filter {
        case .comparison(let path, .eq, .string(let value)) where isCore(path, kind):
            let name = path.name.lowercased()
            let sub = path.subAttribute?.lowercased()
            switch (name, sub) {
            case ("id", nil): return .idEquals(value)
            case ("externalid", nil): return .externalIDEquals(value)
            case ("username", nil) where kind == .user: return StoredResource.key(value).map { .userNameEquals($0) }
            case ("displayname", nil): return StoredResource.key(value).map { .displayNameEquals($0) }
            case ("emails", nil), ("emails", "value"): return kind == .user ? StoredResource.key(value).map { .emailEquals($0) } : nil
            case ("members", nil), ("members", "value"): return kind == .group ? .hasMember(value) : nil
            default: return nil
            }
        case .comparison(let path, let op, .string(let value)) where isCore(path, kind) && !op.isSubstring && op != .ne:
            guard CaseFolding.equal(path.name, "meta"), path.subAttribute.map({ CaseFolding.equal($0, "lastModified") }) == true,
                let instant = SCIMDateTime(value)
            else { return nil }
            return .lastModified(op, instant)
        case .valuePath(let path, let inner) where isCore(path, kind):
            // emails[type eq "work" and value eq "x"]: the `value eq` part is indexable.
            for part in inner.conjuncts {
                guard case .comparison(let sub, .eq, .string(let value)) = part, sub.schema == nil, sub.subAttribute == nil,
                    CaseFolding.equal(sub.name, "value")
                else { continue }
                if kind == .user, CaseFolding.equal(path.name, "emails") { return StoredResource.key(value).map { .emailEquals($0) } }
                if kind == .group, CaseFolding.equal(path.name, "members") { return .hasMember(value) }
            }
            return nil
        default:
            return nil
        }
    }

    /// Whether evaluating the filter needs the membership attributes loaded.
    static func needsMembership(_ filter: Filter, kind: ResourceKind) -> Bool {
        let name = kind == .group ? "members" : "groups"
        return filter.referencedPaths.contains { CaseFolding.equal($0.name, name) && isCore($0, kind) }
    }

    /// The store order for a `sortBy`, when an index can serve it.
    static func storeSort(_ spec: SortSpec?, kind: ResourceKind) -> StoreSort? {
        guard let spec else { return .creation }
        let ascending = spec.order == .ascending
        switch spec.path.lowercased() {
        case "username" where kind == .user: return .userName(ascending: ascending)
        case "displayname": return .displayName(ascending: ascending)
        case "meta.lastmodified": return .lastModified(ascending: ascending)
        default: return nil
        }
    }
}
