/// `/groups` and `/departments` (reference §4). Reads work on both APIs; writes only on OneAPI.
extension ZIAClient {
    /// Page size for groups and departments, and its maximum. The real maximum is undocumented; 1,000
    /// is the stricter guess (the emulator's too). Because it is a guess, listings continue until an
    /// empty page rather than trusting a short one: one extra call per walk, never a silently cut list.
    public static let defaultDirectoryPageSize = 1000
    public static let maximumDirectoryPageSize = 1000

    /// Groups whose name or comments contain `search` (all groups when nil).
    public func groups(search: String? = nil, pageSize: Int = defaultDirectoryPageSize) throws(ZscalerAPIError)
        -> PagedSequence<ZIAGroup>
    {
        try directoryListing("/groups", search: search, extra: [], pageSize: pageSize)
    }

    public func group(id: Int) async throws(ZscalerAPIError) -> ZIAGroup {
        try await send(.get, "/groups/\(id)", as: ZIAGroup.self, methodClass: .read)
    }

    /// The group named exactly `name` (case-insensitive), found through `search` since ZIA has no
    /// exact-name lookup.
    public func group(named name: String) async throws(ZscalerAPIError) -> ZIAGroup? {
        for try await group in try groups(search: name) where group.name.caseInsensitiveCompare(name) == .orderedSame {
            return group
        }
        return nil
    }

    /// `POST /groups` (OneAPI only). Made at most once: after a failure that leaves the outcome
    /// unknown, the group is looked up by name (``group(named:)``) before the POST is sent again.
    public func createGroup(_ group: ZIAGroup) async throws(ZscalerAPIError) -> ZIAGroup {
        try requireOneAPI("creating a group")
        try group.validate()
        guard group.id == nil else { throw .invalidArgument("a new group must not carry an id") }
        return try await pipeline.createOnce("POST /groups") { () async throws(ZscalerAPIError) -> ZIAGroup in
            try await send(.post, "/groups", body: group, as: ZIAGroup.self, methodClass: .write)
        } lookUp: { () async throws(ZscalerAPIError) -> ZIAGroup? in
            try await self.group(named: group.name)
        }
    }

    /// `PUT /groups/{id}` (OneAPI only).
    public func updateGroup(_ group: ZIAGroup) async throws(ZscalerAPIError) -> ZIAGroup {
        try requireOneAPI("updating a group")
        try group.validate()
        guard let id = group.id else { throw .invalidArgument("an update needs the group's id") }
        return try await send(.put, "/groups/\(id)", body: group, as: ZIAGroup.self, methodClass: .write)
    }

    /// `DELETE /groups/{id}` (OneAPI only; 204).
    public func deleteGroup(id: Int) async throws(ZscalerAPIError) {
        try requireOneAPI("deleting a group")
        try await sendIgnoringBody(.delete, "/groups/\(id)", methodClass: .delete)
    }

    /// Departments whose name or comments contain `search`; with `limitSearch`, the name only.
    public func departments(search: String? = nil, limitSearch: Bool = false, pageSize: Int = defaultDirectoryPageSize)
        throws(ZscalerAPIError) -> PagedSequence<ZIADepartment>
    {
        try directoryListing("/departments", search: search, extra: limitSearch ? [("limitSearch", "true")] : [], pageSize: pageSize)
    }

    public func department(id: Int) async throws(ZscalerAPIError) -> ZIADepartment {
        try await send(.get, "/departments/\(id)", as: ZIADepartment.self, methodClass: .read)
    }

    /// The department named exactly `name` (case-insensitive).
    public func department(named name: String) async throws(ZscalerAPIError) -> ZIADepartment? {
        for try await department in try departments(search: name, limitSearch: true)
        where department.name.caseInsensitiveCompare(name) == .orderedSame {
            return department
        }
        return nil
    }

    /// `POST /departments` (OneAPI only). Made at most once: after a failure that leaves the outcome
    /// unknown, the department is looked up by name (``department(named:)``) before the POST is sent
    /// again.
    public func createDepartment(_ department: ZIADepartment) async throws(ZscalerAPIError) -> ZIADepartment {
        try requireOneAPI("creating a department")
        try department.validate()
        guard department.id == nil else { throw .invalidArgument("a new department must not carry an id") }
        return try await pipeline.createOnce("POST /departments") { () async throws(ZscalerAPIError) -> ZIADepartment in
            try await send(.post, "/departments", body: department, as: ZIADepartment.self, methodClass: .write)
        } lookUp: { () async throws(ZscalerAPIError) -> ZIADepartment? in
            try await self.department(named: department.name)
        }
    }

    /// `PUT /departments/{id}` (OneAPI only).
    public func updateDepartment(_ department: ZIADepartment) async throws(ZscalerAPIError) -> ZIADepartment {
        try requireOneAPI("updating a department")
        try department.validate()
        guard let id = department.id else { throw .invalidArgument("an update needs the department's id") }
        return try await send(.put, "/departments/\(id)", body: department, as: ZIADepartment.self, methodClass: .write)
    }

    /// `DELETE /departments/{id}` (OneAPI only; 204).
    public func deleteDepartment(id: Int) async throws(ZscalerAPIError) {
        try requireOneAPI("deleting a department")
        try await sendIgnoringBody(.delete, "/departments/\(id)", methodClass: .delete)
    }

    private func directoryListing<Item: Codable & Sendable>(
        _ path: String, search: String?, extra: [(String, String)], pageSize: Int
    ) throws(ZscalerAPIError) -> PagedSequence<Item> {
        guard (1...Self.maximumDirectoryPageSize).contains(pageSize) else {
            throw .invalidArgument("pageSize must be 1...\(Self.maximumDirectoryPageSize)")
        }
        var query = extra
        if let search { query.append(("search", search)) }
        let client = self
        let fixed = query
        return PagedSequence { page throws(ZscalerAPIError) in
            let items = try await client.send(
                .get, path, query: fixed + [("page", String(page)), ("pageSize", String(pageSize))], as: [Item].self,
                methodClass: .list)
            return .init(items: items, hasMore: !items.isEmpty)
        }
    }
}
