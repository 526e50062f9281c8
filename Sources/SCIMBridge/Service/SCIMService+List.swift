import Foundation
import SCIMCore

extension SCIMService {
    /// How many resources the store hands over per round while the service evaluates a filter
    /// the indexes cannot answer alone; bounds memory for large directories.
    static let scanBatch = 2000

    /// `GET /{Users|Groups}` and `POST /{Users|Groups}/.search`: filter, sort, index or cursor
    /// paging, projection. `totalResults` is exact.
    public func list(_ request: SCIMRequest, kind: ResourceKind, parameters p: ListParameters) async throws(SCIMError) -> JSONObject {
        let definition = definition(kind)
        let projection = try Projection(definition: definition, attributes: p.attributes, excludedAttributes: p.excludedAttributes)
        var filterOptions = request.profile.filterOptions
        filterOptions.maxLength = configuration.maxFilterLength
        filterOptions.maxDepth = configuration.maxFilterDepth
        let compiled: CompiledFilter? = try p.filter.flatMap { text throws(SCIMError) in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            let parsed = try FilterParser(options: filterOptions).parse(trimmed)
            return try FilterCompiler(definition: definition, profile: request.profile).compile(parsed)
        }
        let sort = try p.sortBy.map { sortBy throws(SCIMError) in
            try SortSpec(definition: definition, sortBy: sortBy, sortOrder: p.sortOrder)
        }
        // RFC 7644 §3.4.2.4: startIndex < 1 is 1; count < 0 is 0; count above the maximum is clamped.
        let count = min(max(p.count ?? configuration.defaultCount, 0), configuration.maxResults)
        let startIndex = max(p.startIndex ?? 1, 1)

        var cursor: PageCursor?
        let fingerprint = PageCursor.fingerprint(kind: kind, filter: p.filter, sortBy: p.sortBy, sortOrder: p.sortOrder)
        let now = SCIMDateTime.now().seconds
        if let text = p.cursor, !text.isEmpty {
            guard p.startIndex == nil else { throw .invalidValue("Use either cursor or startIndex, not both") }
            cursor = try PageCursor.decode(
                text, secret: configuration.cursorSecret, tenantID: request.tenant.id, fingerprint: fingerprint, now: now)
        }
        let usesCursor = p.cursor != nil

        let page: [SequencedResource]
        let total: Int
        var knownGroups: [String: [GroupReference]] = [:]
        let storeSort = QueryPlanner.storeSort(sort, kind: kind)
        if compiled == nil, let storeSort {
            // Nothing to evaluate in memory: the store pages and counts.
            var query = StoreQuery(kind: kind, sort: storeSort, limit: count + (usesCursor ? 1 : 0))
            if !usesCursor {
                query.offset = startIndex - 1
            } else if sort == nil {
                query.afterSequence = cursor?.s
            } else {
                query.offset = cursor?.o ?? 0
            }
            let result = try await storeCall({ () async throws(StoreError) in
                try await store.list(tenantID: request.tenant.id, query: query)
            })
            page = result.resources
            total = result.total
        } else {
            let matches = try await scan(request, kind: kind, filter: compiled, wantsGroups: projection.returns("groups"))
            for match in matches where match.groups != nil { knownGroups[match.sequenced.resource.id] = match.groups }
            let ordered: [SequencedResource]
            if let sort {
                ordered = sort.sorted(matches) { $0.forSorting }.map(\.sequenced)
            } else {
                ordered = matches.map(\.sequenced)
            }
            total = ordered.count
            let window: ArraySlice<SequencedResource>
            if let seq = cursor?.s {
                window = ordered.drop { $0.sequence <= seq }.prefix(count + 1)
            } else {
                let offset = usesCursor ? (cursor?.o ?? 0) : startIndex - 1
                window = ordered.dropFirst(offset).prefix(count + (usesCursor ? 1 : 0))
            }
            page = Array(window)
        }

        let hasMore = usesCursor && page.count > count
        let shown = Array(page.prefix(count))
        let resources = try await renderList(request, kind: kind, shown.map(\.resource), projection: projection, knownGroups: knownGroups)

        var out = JSONObject()
        out["schemas"] = .array([.string(SchemaURN.listResponse)])
        out["totalResults"] = .number(JSONNumber(total))
        out["itemsPerPage"] = .number(JSONNumber(resources.count))
        if !usesCursor { out["startIndex"] = .number(JSONNumber(startIndex)) }
        if usesCursor, hasMore, let last = shown.last {
            var next = PageCursor(t: request.tenant.id, q: fingerprint, e: now + Int64(configuration.cursorTimeout))
            if sort == nil { next.s = last.sequence } else { next.o = (cursor?.o ?? 0) + shown.count }
            out["nextCursor"] = .string(next.encode(secret: configuration.cursorSecret))
        }
        out["Resources"] = .array(resources.map { .object($0) })
        return out
    }

    /// A resource matched during a scan, with what sorting and keyset paging need.
    struct Match {
        var sequenced: SequencedResource
        var forSorting: JSONObject
        /// The user's groups when the scan already read them.
        var groups: [GroupReference]?
    }

    /// Every resource of `kind` that matches `filter`, in creation order. Index conditions from
    /// the filter narrow what the store returns; the filter decides.
    func scan(_ request: SCIMRequest, kind: ResourceKind, filter: CompiledFilter?, wantsGroups: Bool = false) async throws(SCIMError)
        -> [Match]
    {
        let conditions = filter.map { QueryPlanner.conditions(for: $0.filter, kind: kind) } ?? []
        let filterNeedsMembership = filter.map { QueryPlanner.needsMembership($0.filter, kind: kind) } ?? false
        // An indexed lookup returns a handful of users: read their groups in the same round trip.
        let readGroups = kind == .user && (filterNeedsMembership || (wantsGroups && !conditions.isEmpty))
        let needsMembership = filterNeedsMembership && kind == .group
        let renderer = ResourceRenderer(baseURL: request.baseURL, showSync: try await policy(request) != nil)
        var matches: [Match] = []
        var after: Int64?
        while true {
            var query = StoreQuery(kind: kind, conditions: conditions, limit: Self.scanBatch, afterSequence: after)
            query.countTotal = false
            let batch = try await storeCall({ () async throws(StoreError) in try await store.list(tenantID: request.tenant.id, query: query)
            }).resources
            var members: [String: [MemberRecord]] = [:]
            var groups: [String: [GroupReference]] = [:]
            if needsMembership {
                if kind == .user {
                    groups = try await storeCall({ () async throws(StoreError) in
                        try await store.groups(tenantID: request.tenant.id, memberIDs: batch.map(\.resource.id))
                    })
                } else {
                    for item in batch {
                        members[item.resource.id] = try await storeCall({ () async throws(StoreError) in
                            try await store.members(tenantID: request.tenant.id, groupID: item.resource.id)
                        })
                    }
                }
            }
            for item in batch {
                let full = renderer.render(item.resource, members: members[item.resource.id], groups: groups[item.resource.id])
                if filter?.matches(full) ?? true { matches.append(Match(sequenced: item, forSorting: full)) }
            }
            guard batch.count == Self.scanBatch, let last = batch.last else { break }
            after = last.sequence
        }
        return matches
    }

    /// Renders a page, fetching membership attributes for the whole page in one go.
    func renderList(
        _ request: SCIMRequest, kind: ResourceKind, _ resources: [StoredResource], projection: Projection,
        knownGroups: [String: [GroupReference]] = [:]
    ) async throws(SCIMError) -> [JSONObject] {
        let renderer = ResourceRenderer(baseURL: request.baseURL, showSync: try await policy(request) != nil)
        var groups = knownGroups
        if kind == .user, projection.returns("groups"), !resources.isEmpty, !resources.allSatisfy({ knownGroups[$0.id] != nil }) {
            groups = try await storeCall({ () async throws(StoreError) in
                try await store.groups(tenantID: request.tenant.id, memberIDs: resources.map(\.id))
            })
        }
        var out: [JSONObject] = []
        out.reserveCapacity(resources.count)
        for resource in resources {
            var members: [MemberRecord]?
            if kind == .group, projection.returns("members") {
                members = try await storeCall({ () async throws(StoreError) in
                    try await store.members(tenantID: request.tenant.id, groupID: resource.id)
                })
            }
            out.append(projection.apply(to: renderer.render(resource, members: members, groups: groups[resource.id])))
        }
        return out
    }

    /// `POST /.search` at the root: every resource type the filter makes sense for. A filter
    /// on an attribute only one type has (`userName`) searches that type alone; one that no type
    /// understands is refused.
    public func searchAll(_ request: SCIMRequest, parameters: ListParameters) async throws(SCIMError) -> JSONObject {
        guard parameters.cursor == nil else { throw .invalidValue("Cursor paging is offered per resource type, not at the root") }
        var all = parameters
        all.startIndex = nil
        all.count = configuration.maxResults
        var results: [JSONValue] = []
        var total = 0
        var refusals: [SCIMError] = []
        for kind in ResourceKind.allCases {
            do {
                let part = try await list(request, kind: kind, parameters: all)
                total += part["totalResults"]?.numberValue?.integer.map(Int.init) ?? 0
                results += part["Resources"]?.arrayValue ?? []
            } catch  where error.scimType == .invalidFilter {
                refusals.append(error)
            }
        }
        if refusals.count == ResourceKind.allCases.count, let first = refusals.first { throw first }
        let count = min(max(parameters.count ?? configuration.defaultCount, 0), configuration.maxResults)
        let startIndex = max(parameters.startIndex ?? 1, 1)
        let page = Array(results.dropFirst(startIndex - 1).prefix(count))
        var out = JSONObject()
        out["schemas"] = .array([.string(SchemaURN.listResponse)])
        out["totalResults"] = .number(JSONNumber(total))
        out["itemsPerPage"] = .number(JSONNumber(page.count))
        out["startIndex"] = .number(JSONNumber(startIndex))
        out["Resources"] = .array(page)
        return out
    }
}
