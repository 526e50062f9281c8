import Foundation

/// The read side of the ZIA directory API: paging and the documented filters (reference §3.2,
/// §4.1, checklist 3). Lists are bare arrays; the client stops at a short page.
extension ZIADirectory {
    struct Page {
        var page: Int
        var pageSize: Int

        /// `page` is 1-based; `pageSize` defaults and caps per `ZIABehaviour`.
        init(_ query: QueryParameters, defaultSize: Int, maxSize: Int, behaviour: ZIABehaviour) throws(ZIAError) {
            page = try query.int("page", invalid: ZIAError.invalidInput) ?? 1
            pageSize = try query.int("pageSize", invalid: ZIAError.invalidInput) ?? defaultSize
            guard page >= 1 else { throw .invalidInput("page must be 1 or more") }
            guard pageSize >= 1 else { throw .invalidInput("pageSize must be 1 or more") }
            if pageSize > maxSize {
                if behaviour.rejectOversizedPageSize { throw .invalidInput("pageSize must not exceed \(maxSize)") }
                pageSize = maxSize
            }
        }

        func slice<T>(_ items: [T]) -> ArraySlice<T> {
            let (start, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
            guard !overflow, start < items.count else { return [] }
            return items[start..<min(items.count, start + pageSize)]
        }
    }

    /// `GET /users`: `name` substring of the display name, `dept` / `group` prefix of a department
    /// / group name (all ignoring case); `search` is ignored, as recorded [C1]. Ordered by id.
    func listUsers(_ query: QueryParameters, behaviour: ZIABehaviour) throws(ZIAError) -> [ZIAUser] {
        let page = try Page(query, defaultSize: behaviour.defaultPageSize, maxSize: behaviour.usersMaxPageSize, behaviour: behaviour)
        let name = query.first("name").flatMap { $0.isEmpty ? nil : $0 }
        let dept = query.first("dept").flatMap { $0.isEmpty ? nil : $0 }
        let group = query.first("group").flatMap { $0.isEmpty ? nil : $0 }
        var result: [ZIAUser] = []
        for id in try sortedIds(users.keys, query, name: { users[$0]?.name ?? "" }) {
            guard let user = users[id] else { continue }
            if let name, user.name.range(of: name, options: .caseInsensitive) == nil { continue }
            if let dept {
                guard let department = user.departmentId.flatMap({ departments[$0] }), Self.hasPrefix(department.name, dept) else {
                    continue
                }
            }
            if let group, !user.groupIds.contains(where: { groups[$0].map { Self.hasPrefix($0.name, group) } ?? false }) { continue }
            result.append(user)
        }
        return Array(page.slice(result))
    }

    /// `GET /users/references`: id/name pairs; `includeAdminUsers` (default false); the doc's
    /// max of 100 applies (its default of 1 contradicts recordings, so 100 is used).
    func listUserReferences(_ query: QueryParameters, behaviour: ZIABehaviour) throws(ZIAError) -> [ZIAWire.Reference] {
        let page = try Page(query, defaultSize: 100, maxSize: 100, behaviour: behaviour)
        let includeAdmins = try query.bool("includeAdminUsers", invalid: ZIAError.invalidInput) ?? false
        let name = query.first("name").flatMap { $0.isEmpty ? nil : $0 }
        let matches = sortedUserIds.compactMap { id -> ZIAWire.Reference? in
            guard let user = users[id], includeAdmins || !user.adminUser else { return nil }
            if let name, user.name.range(of: name, options: .caseInsensitive) == nil { return nil }
            return ZIAWire.Reference(id: user.id, name: user.name)
        }
        return Array(page.slice(matches))
    }

    /// `GET /users/auditors`: users of type `AUDITOR`.
    func auditors() -> [ZIAUser] { sortedUserIds.compactMap { users[$0] }.filter { $0.type == "AUDITOR" } }

    /// `GET /groups[/lite]`: `search` matches name or comments (substring, ignoring case).
    func listGroups(_ query: QueryParameters, behaviour: ZIABehaviour) throws(ZIAError) -> [ZIAGroup] {
        let page = try Page(query, defaultSize: behaviour.defaultPageSize, maxSize: behaviour.listMaxPageSize, behaviour: behaviour)
        let search = query.first("search").flatMap { $0.isEmpty ? nil : $0 }
        let ids = try sortedIds(groups.keys, query, name: { groups[$0]?.name ?? "" })
        let matches = ids.compactMap { groups[$0] }.filter { group in
            guard let search else { return true }
            return Self.contains(group.name, search) || Self.contains(group.comments ?? "", search)
        }
        return Array(page.slice(matches))
    }

    /// `GET /departments[/lite]`: `search` over name and comments, or the name only with
    /// `limitSearch=true`; the lite list also filters by repeated `id`.
    func listDepartments(_ query: QueryParameters, behaviour: ZIABehaviour, lite: Bool) throws(ZIAError) -> [ZIADepartment] {
        let page = try Page(query, defaultSize: behaviour.defaultPageSize, maxSize: behaviour.listMaxPageSize, behaviour: behaviour)
        let search = query.first("search").flatMap { $0.isEmpty ? nil : $0 }
        let nameOnly = try query.bool("limitSearch", invalid: ZIAError.invalidInput) ?? false
        var idFilter: Set<Int>?
        if lite, !query.all("id").isEmpty {
            var ids = Set<Int>()
            for text in query.all("id") {
                guard let id = Int(text) else { throw .invalidInput("id must be an integer, got '\(text)'") }
                ids.insert(id)
            }
            idFilter = ids
        }
        let ids = try sortedIds(departments.keys, query, name: { departments[$0]?.name ?? "" })
        let matches = ids.compactMap { departments[$0] }.filter { department in
            if let idFilter, !idFilter.contains(department.id) { return false }
            guard let search else { return true }
            return Self.contains(department.name, search) || (!nameOnly && Self.contains(department.comments ?? "", search))
        }
        return Array(page.slice(matches))
    }

    /// Ids ordered by `sortBy` (`id` or `name`) and `sortOrder` (`asc` / `desc`); id ascending by default.
    private func sortedIds(_ keys: Dictionary<Int, some Any>.Keys, _ query: QueryParameters, name: (Int) -> String) throws(ZIAError)
        -> [Int]
    {
        let descending: Bool
        switch query.first("sortOrder")?.lowercased() {
        case nil, "asc", "ascending": descending = false
        case "desc", "descending", "dsc": descending = true
        case let other?: throw .invalidInput("sortOrder must be asc or desc, got '\(other)'")
        }
        var ids: [Int]
        switch query.first("sortBy")?.lowercased() {
        case nil, "id": ids = keys.sorted()
        case "name": ids = keys.sorted { (name($0).lowercased(), $0) < (name($1).lowercased(), $1) }
        case let other?: throw .invalidInput("sortBy must be id or name, got '\(other)'")
        }
        if descending { ids.reverse() }
        return ids
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.range(of: prefix, options: [.caseInsensitive, .anchored]) != nil
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        text.range(of: needle, options: .caseInsensitive) != nil
    }
}
