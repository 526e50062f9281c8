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
        // The store's own page, when it can answer the whole filter itself.
        func storePage(_ conditions: [IndexedCondition], sort storeSort: StoreSort) -> StoreQuery {
            var query = StoreQuery(kind: kind, conditions: conditions, sort: storeSort, limit: count + (usesCursor ? 1 : 0))
            if !usesCursor {
                query.offset = startIndex - 1
            } else if sort == nil {
                query.afterSequence = cursor?.afterSequence
            } else {
                query.offset = cursor?.offset ?? 0
            }
            return query
        }
        // A filter made only of string tests the store may decide exactly (`title eq "x"`).
        var exact: StoreListResult?
        if let compiled, let storeSort {
            let tests = FilterCompiler(definition: definition, profile: request.profile).textPrefilters(compiled.filter)
            if !tests.isEmpty, tests.count == compiled.filter.conjuncts.count {
                exact = try await store(request).exactList(query: storePage(tests.map { .text($0) }, sort: storeSort))
            }
        }
        if let exact {
            page = exact.resources
            total = exact.total
        } else if compiled == nil, let storeSort {
            // Nothing to evaluate in memory: the store pages and counts.
            let result = try await store(request).list(query: storePage([], sort: storeSort))
            page = result.resources
            total = result.total
        } else {
            // Streamed: the scan keeps one page (sorted: the leaders so far), never every match.
            let mode: ScanWindow.Mode
            if let sort {
                mode = .sorted(sort, offset: usesCursor ? (cursor?.offset ?? 0) : startIndex - 1)
            } else if let sequence = cursor?.afterSequence {
                mode = .after(sequence)
            } else {
                mode = .offset(usesCursor ? (cursor?.offset ?? 0) : startIndex - 1)
            }
            var window = ScanWindow(mode: mode, size: count + (usesCursor ? 1 : 0))
            try await scan(request, kind: kind, filter: compiled, wantsGroups: projection.returns("groups"), into: &window)
            total = window.total
            var shownEntries: [SequencedResource] = []
            for entry in window.page() {
                if let sequenced = entry.sequenced {
                    shownEntries.append(sequenced)
                    if let groups = entry.groups { knownGroups[entry.id] = groups }
                } else if let resource = try await store(request).resource(kind: kind, id: entry.id) {
                    // Kept as a key only (a sorted page past the first entry); one deleted since
                    // the scan read it is left out.
                    shownEntries.append(SequencedResource(sequence: 0, resource: resource))
                }
            }
            page = shownEntries
        }

        let hasMore = usesCursor && page.count > count
        let shown = Array(page.prefix(count))
        let resources = try await renderList(request, kind: kind, shown.map(\.resource), projection: projection, knownGroups: knownGroups)

        var nextCursor: String?
        if usesCursor, hasMore, let last = shown.last {
            var next = PageCursor(tenantID: request.tenant.id, query: fingerprint, expires: now + Int64(configuration.cursorTimeout))
            if sort == nil { next.afterSequence = last.sequence } else { next.offset = (cursor?.offset ?? 0) + shown.count }
            nextCursor = next.encode(secret: configuration.cursorSecret)
        }
        return ListResponse.envelope(
            resources.map { .object($0) }, totalResults: total, startIndex: usesCursor ? nil : startIndex, nextCursor: nextCursor)
    }

    /// Streams every resource of `kind` that matches `filter` into `window`, in creation order.
    /// Index conditions from the filter narrow what the store returns; the filter decides. A
    /// scan the indexes do not narrow takes one of the tenant's scan slots, and every scan
    /// gives up at the request's deadline (503 with `Retry-After`), between store rounds.
    func scan(_ request: SCIMRequest, kind: ResourceKind, filter: CompiledFilter?, wantsGroups: Bool = false, into window: inout ScanWindow)
        async throws(SCIMError)
    {
        let indexed = filter.map { QueryPlanner.conditions(for: $0.filter, kind: kind) } ?? []
        // A `meta.lastModified` range may narrow nothing; only equality lookups spare a slot.
        let fullScan = !indexed.contains { condition in
            if case .lastModified = condition { return false }
            return true
        }
        // A scan no index narrows still reads every resource: let the store pre-test the filter's
        // string comparisons in its own engine (`TextPrefilter`), so the service parses and
        // evaluates only the candidates. An indexed lookup returns a handful of rows already.
        var conditions = indexed
        if fullScan, let filter {
            conditions += FilterCompiler(definition: definition(kind), profile: request.profile).textPrefilters(filter.filter).map {
                .text($0)
            }
        }
        let filterNeedsMembership = filter.map { QueryPlanner.needsMembership($0.filter, kind: kind) } ?? false
        // A filter on `groups` needs each user's groups to evaluate; an indexed lookup returns a
        // handful of users, whose groups the page will show anyway: read them per batch, in one
        // store call, and keep them for rendering.
        let readGroups = kind == .user && (filterNeedsMembership || (wantsGroups && !indexed.isEmpty))
        let readMembers = kind == .group && filterNeedsMembership
        let renderer = ResourceRenderer(baseURL: request.baseURL, showSync: try await policy(request) != nil)
        if fullScan, !scanSlots.acquire(request.tenant.id) {
            throw .unavailable(
                "\(scanSlots.limit) searches that read the whole directory are already running for this tenant; "
                    + "retry shortly, or filter on an indexed attribute (id, userName, externalId, emails, displayName, members)",
                retryAfter: 2)
        }
        defer { if fullScan { scanSlots.release(request.tenant.id) } }
        var after: Int64?
        while true {
            if let deadline = request.deadline, ContinuousClock.now >= deadline {
                throw .unavailable(
                    "The search did not finish in time and was stopped; retry later or narrow the filter with an indexed attribute",
                    retryAfter: 5)
            }
            var query = StoreQuery(kind: kind, conditions: conditions, limit: Self.scanBatch, afterSequence: after)
            query.countTotal = false
            let batch = try await store(request).list(query: query).resources
            var members: [String: [MemberRecord]] = [:]
            var groups: [String: [GroupReference]] = [:]
            if readGroups, !batch.isEmpty {
                groups = try await store(request).groups(memberIDs: batch.map(\.resource.id))
            }
            if readMembers {
                for item in batch {
                    members[item.resource.id] = try await store(request).members(groupID: item.resource.id)
                }
            }
            for item in batch {
                let userGroups = readGroups ? groups[item.resource.id] ?? [] : nil
                let full = renderer.render(item.resource, members: members[item.resource.id], groups: userGroups)
                if filter?.matches(full) ?? true { window.offer(item, groups: userGroups, rendered: full) }
            }
            guard batch.count == Self.scanBatch, let last = batch.last else { break }
            after = last.sequence
        }
    }

    /// Renders a page, fetching membership attributes for the whole page in one go.
    func renderList(
        _ request: SCIMRequest, kind: ResourceKind, _ resources: [StoredResource], projection: Projection,
        knownGroups: [String: [GroupReference]] = [:]
    ) async throws(SCIMError) -> [JSONObject] {
        let renderer = ResourceRenderer(baseURL: request.baseURL, showSync: try await policy(request) != nil)
        var groups = knownGroups
        if kind == .user, projection.returns("groups"), !resources.isEmpty, !resources.allSatisfy({ knownGroups[$0.id] != nil }) {
            groups = try await store(request).groups(memberIDs: resources.map(\.id))
        }
        var out: [JSONObject] = []
        out.reserveCapacity(resources.count)
        for resource in resources {
            var members: [MemberRecord]?
            if kind == .group, projection.returns("members") {
                members = try await store(request).members(groupID: resource.id)
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
        return ListResponse.envelope(page, totalResults: total, startIndex: startIndex)
    }
}
