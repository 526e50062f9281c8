/// The ZIA user directory of one org: users, groups and departments, with the lookups the API
/// needs. A value type, so activation can keep the last activated copy beside the working one
/// (copy-on-write makes that cheap until the next change).
struct ZIADirectory: Sendable, Equatable {
    private(set) var users: [Int: ZIAUser] = [:]
    private(set) var groups: [Int: ZIAGroup] = [:]
    private(set) var departments: [Int: ZIADepartment] = [:]
    /// Lower-cased email → user id: emails are unique regardless of case.
    private var emailIndex: [String: Int] = [:]
    /// Bumped by every change; activation compares revisions.
    private(set) var revision: Int = 0

    init() {}

    var sortedUserIds: [Int] { users.keys.sorted() }

    func userId(forEmail email: String) -> Int? { emailIndex[email.lowercased()] }

    mutating func upsert(_ user: ZIAUser) {
        if let old = users[user.id] { emailIndex[old.email.lowercased()] = nil }
        users[user.id] = user
        emailIndex[user.email.lowercased()] = user.id
        revision += 1
    }

    @discardableResult
    mutating func removeUser(_ id: Int) -> ZIAUser? {
        guard let old = users.removeValue(forKey: id) else { return nil }
        emailIndex[old.email.lowercased()] = nil
        revision += 1
        return old
    }

    mutating func upsert(_ group: ZIAGroup) {
        groups[group.id] = group
        revision += 1
    }

    mutating func removeGroup(_ id: Int) {
        if groups.removeValue(forKey: id) != nil { revision += 1 }
    }

    mutating func upsert(_ department: ZIADepartment) {
        departments[department.id] = department
        revision += 1
    }

    mutating func removeDepartment(_ id: Int) {
        if departments.removeValue(forKey: id) != nil { revision += 1 }
    }

    /// Users that reference a group / department (deleting those is refused by default).
    func memberCount(ofGroup id: Int) -> Int { users.values.reduce(0) { $0 + ($1.groupIds.contains(id) ? 1 : 0) } }
    func memberCount(ofDepartment id: Int) -> Int { users.values.reduce(0) { $0 + ($1.departmentId == id ? 1 : 0) } }

    /// The largest id in use, so new ids never collide with seeded ones.
    var maxId: Int {
        max(users.keys.max() ?? 0, groups.keys.max() ?? 0, departments.keys.max() ?? 0)
    }
}

extension ZIADirectory: Codable {
    private enum CodingKeys: String, CodingKey { case users, groups, departments, revision }

    // Sorted arrays rather than dictionaries: readable state files that diff well.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for user in try container.decode([ZIAUser].self, forKey: .users) { upsert(user) }
        for group in try container.decode([ZIAGroup].self, forKey: .groups) { upsert(group) }
        for department in try container.decode([ZIADepartment].self, forKey: .departments) { upsert(department) }
        revision = try container.decode(Int.self, forKey: .revision)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(users.values.sorted { $0.id < $1.id }, forKey: .users)
        try container.encode(groups.values.sorted { $0.id < $1.id }, forKey: .groups)
        try container.encode(departments.values.sorted { $0.id < $1.id }, forKey: .departments)
        try container.encode(revision, forKey: .revision)
    }
}
