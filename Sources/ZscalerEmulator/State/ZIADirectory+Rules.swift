import Foundation

/// The write rules of the ZIA users, groups and departments API (reference §3.3–§4.3, §5.1),
/// applied to the working directory. Each refusal is the ZIA error a client would get.
extension ZIAState {
    struct UserRules {
        var behaviour: ZIABehaviour
        var domains: [String]
    }

    // MARK: Users

    mutating func createUser(_ input: ZIAWire.UserInput, rules: UserRules) throws(ZIAError) -> ZIAUser {
        if rules.behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        let email = try validEmail(input.email, rules: rules)
        if working.userId(forEmail: email) != nil {
            throw .duplicate(status: rules.behaviour.duplicateStatus, "A user with email \(email) already exists.")
        }
        if input.adminUser == true { throw .invalidInput("adminUser cannot be set through the users API") }
        if rules.behaviour.requirePasswordOnCreate, input.password == nil { throw .invalidInput("password cannot be null") }
        if let password = input.password { try checkPassword(password, rules: rules.behaviour) }
        var user = ZIAUser(
            id: 0, name: "", email: email, groupIds: [], departmentId: nil, adminUser: false, disabled: false, source: .hostedDB)
        try apply(input, to: &user, rules: rules)
        user.id = allocateId()
        working.upsert(user)
        record("create user \(user.id) \(user.email)")
        return user
    }

    /// Full replace (§3.4): every field comes from the body; `email` must be sent and unchanged.
    mutating func replaceUser(id: Int, _ input: ZIAWire.UserInput, rules: UserRules) throws(ZIAError) -> ZIAUser {
        guard var user = working.users[id] else { throw .notFound("User \(id) not found", empty: rules.behaviour.emptyNotFoundBodies) }
        if rules.behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        try checkWritable(user, deleting: false, behaviour: rules.behaviour)
        guard let email = input.email else { throw .invalidInput("email cannot be null") }
        guard email == user.email else { throw .invalidInput("email cannot be changed") }
        if let bodyId = input.id, bodyId != id { throw .invalidInput("id in the body does not match the path") }
        if input.adminUser == true, !user.adminUser { throw .invalidInput("adminUser cannot be set through the users API") }
        if let password = input.password { try checkPassword(password, rules: rules.behaviour) }
        try apply(input, to: &user, rules: rules)
        working.upsert(user)
        record("update user \(user.id) \(user.email)")
        return user
    }

    mutating func deleteUser(id: Int, behaviour: ZIABehaviour) throws(ZIAError) {
        guard let user = working.users[id] else { throw .notFound("User \(id) not found", empty: behaviour.emptyNotFoundBodies) }
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        try checkWritable(user, deleting: true, behaviour: behaviour)
        working.removeUser(id)
        record("delete user \(id) \(user.email)")
    }

    /// Deletes what it may and returns those ids; admin, directory-synced and unknown ids are
    /// skipped, as the docs' "ids actually deleted" implies.
    mutating func bulkDelete(ids: [Int], behaviour: ZIABehaviour) throws(ZIAError) -> [Int] {
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        guard !ids.isEmpty else { throw .invalidInput("ids cannot be empty") }
        guard ids.count <= behaviour.bulkDeleteMaxIds else {
            throw .invalidInput("At most \(behaviour.bulkDeleteMaxIds) ids can be deleted in one request; got \(ids.count)")
        }
        var deleted: [Int] = []
        var seen = Set<Int>()
        for id in ids where seen.insert(id).inserted {
            guard let user = working.users[id], !user.isProtected else { continue }
            working.removeUser(id)
            deleted.append(id)
        }
        if !deleted.isEmpty { record("bulk delete \(deleted.count) users") }
        return deleted
    }

    private func checkWritable(_ user: ZIAUser, deleting: Bool, behaviour: ZIABehaviour) throws(ZIAError) {
        if user.adminUser, deleting || !behaviour.adminUsersUpdatable {
            throw .invalidOperation("User \(user.id) is linked to an admin and cannot be \(deleting ? "deleted" : "changed") here")
        }
        if user.source == .directorySync {
            throw .invalidOperation("User \(user.id) is managed by directory sync and cannot be \(deleting ? "deleted" : "changed")")
        }
    }

    /// The fields shared by create and replace.
    private func apply(_ input: ZIAWire.UserInput, to user: inout ZIAUser, rules: UserRules) throws(ZIAError) {
        let behaviour = rules.behaviour
        guard let name = input.name, !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("name cannot be null") }
        guard name.count <= behaviour.maxNameLength else { throw .invalidInput("name exceeds \(behaviour.maxNameLength) characters") }
        guard let groupRefs = input.groups else { throw .invalidInput("groups cannot be null") }
        if behaviour.requireNonEmptyGroups, groupRefs.isEmpty { throw .invalidInput("groups cannot be empty") }
        var groupIds: [Int] = []
        for ref in groupRefs where !groupIds.contains(ref.id) {
            guard let group = working.groups[ref.id] else { throw .invalidInput("Group \(ref.id) does not exist") }
            if group.isSystemDefined { throw .invalidInput("Group \(group.name) is system defined and cannot be assigned") }
            groupIds.append(ref.id)
        }
        guard groupIds.count <= behaviour.maxGroupsPerUser else {
            throw .invalidInput("A user can belong to at most \(behaviour.maxGroupsPerUser) groups; got \(groupIds.count)")
        }
        guard let departmentRef = input.department else { throw .invalidInput("department cannot be null") }
        guard let department = working.departments[departmentRef.id] else {
            throw .invalidInput("Department \(departmentRef.id) does not exist")
        }
        if department.isSystemDefined, !user.adminUser {
            throw .invalidInput("Department \(department.name) is system defined and cannot be assigned")
        }
        if let comments = input.comments, comments.utf8.count > behaviour.maxCommentsBytes {
            throw .invalidInput("comments exceeds \(behaviour.maxCommentsBytes) bytes")
        }
        if let temp = input.tempAuthEmail, !temp.isEmpty {
            guard temp.count <= behaviour.maxTempAuthEmailLength, Self.looksLikeEmail(temp) else {
                throw .invalidInput("tempAuthEmail is not a valid email address")
            }
        }
        user.name = name
        user.groupIds = groupIds
        user.departmentId = department.id
        user.comments = input.comments.flatMap { $0.isEmpty ? nil : $0 }
        user.tempAuthEmail = input.tempAuthEmail.flatMap { $0.isEmpty ? nil : $0 }
        user.disabled = input.disabled ?? false
        user.authMethods = input.authMethods
    }

    private func validEmail(_ email: String?, rules: UserRules) throws(ZIAError) -> String {
        guard let email, !email.isEmpty else { throw .invalidInput("email cannot be null") }
        guard email.count <= rules.behaviour.maxEmailLength else {
            throw .invalidInput("email exceeds \(rules.behaviour.maxEmailLength) characters")
        }
        guard Self.looksLikeEmail(email), let domain = email.split(separator: "@").last else {
            throw .invalidInput("email is not a valid email address")
        }
        guard rules.domains.contains(where: { $0.caseInsensitiveCompare(domain) == .orderedSame }) else {
            throw .invalidInput("The domain \(domain) of email \(email) is not a domain of this organization")
        }
        return email
    }

    private func checkPassword(_ password: String, rules: ZIABehaviour) throws(ZIAError) {
        guard password.count <= rules.maxPasswordLength else {
            throw .invalidInput("password exceeds \(rules.maxPasswordLength) characters")
        }
        guard password.count >= rules.passwordMinLength else {
            throw .invalidInput("password must have at least \(rules.passwordMinLength) characters")
        }
        if rules.passwordRequiresMixedCharacters {
            let ok =
                password.contains(where: \.isUppercase) && password.contains(where: \.isLowercase)
                && password.contains(where: \.isNumber) && password.contains(where: { !$0.isLetter && !$0.isNumber })
            guard ok else {
                throw .invalidInput("password must contain an upper-case letter, a lower-case letter, a digit and a special character")
            }
        }
    }

    /// One `@` with something on both sides, no spaces.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !text.contains(where: \.isWhitespace)
    }

    // MARK: Groups and departments (OneAPI only)

    mutating func createGroup(_ input: ZIAWire.NamedInput, behaviour: ZIABehaviour) throws(ZIAError) -> ZIAGroup {
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        let (name, comments) = try validNamed(
            input, kind: "group", behaviour: behaviour, existing: working.groups.values.map { ($0.id, $0.name) })
        let group = ZIAGroup(id: allocateId(), name: name, comments: comments, idpId: nil, isSystemDefined: false)
        working.upsert(group)
        record("create group \(group.id) \(group.name)")
        return group
    }

    mutating func updateGroup(id: Int, _ input: ZIAWire.NamedInput, behaviour: ZIABehaviour) throws(ZIAError) -> ZIAGroup {
        guard var group = working.groups[id] else { throw .notFound("Group \(id) not found", empty: behaviour.emptyNotFoundBodies) }
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        if group.isSystemDefined { throw .invalidOperation("Group \(group.name) is system defined and cannot be changed") }
        let others = working.groups.values.filter { $0.id != id }.map { ($0.id, $0.name) }
        (group.name, group.comments) = try validNamed(input, kind: "group", behaviour: behaviour, existing: others)
        working.upsert(group)
        record("update group \(id) \(group.name)")
        return group
    }

    mutating func deleteGroup(id: Int, behaviour: ZIABehaviour) throws(ZIAError) {
        guard let group = working.groups[id] else { throw .notFound("Group \(id) not found", empty: behaviour.emptyNotFoundBodies) }
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        if group.isSystemDefined { throw .invalidOperation("Group \(group.name) is system defined and cannot be deleted") }
        let members = working.memberCount(ofGroup: id)
        if behaviour.refuseDeletingReferencedGroups, members > 0 {
            throw .resourceInUse("GROUP is associated with \(members) user(s). Deletion of this group is not allowed.")
        }
        for userId in working.sortedUserIds {
            guard var user = working.users[userId], user.groupIds.contains(id) else { continue }
            user.groupIds.removeAll { $0 == id }
            working.upsert(user)
        }
        working.removeGroup(id)
        record("delete group \(id) \(group.name)")
    }

    mutating func createDepartment(_ input: ZIAWire.NamedInput, behaviour: ZIABehaviour) throws(ZIAError) -> ZIADepartment {
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        let existing = working.departments.values.map { ($0.id, $0.name) }
        let (name, comments) = try validNamed(input, kind: "department", behaviour: behaviour, existing: existing)
        let department = ZIADepartment(id: allocateId(), name: name, comments: comments, idpId: nil, isSystemDefined: false)
        working.upsert(department)
        record("create department \(department.id) \(department.name)")
        return department
    }

    mutating func updateDepartment(id: Int, _ input: ZIAWire.NamedInput, behaviour: ZIABehaviour) throws(ZIAError) -> ZIADepartment {
        guard var department = working.departments[id] else {
            throw .notFound("Department \(id) not found", empty: behaviour.emptyNotFoundBodies)
        }
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        if department.isSystemDefined { throw .invalidOperation("Department \(department.name) is system defined and cannot be changed") }
        let others = working.departments.values.filter { $0.id != id }.map { ($0.id, $0.name) }
        (department.name, department.comments) = try validNamed(input, kind: "department", behaviour: behaviour, existing: others)
        working.upsert(department)
        record("update department \(id) \(department.name)")
        return department
    }

    mutating func deleteDepartment(id: Int, behaviour: ZIABehaviour) throws(ZIAError) {
        guard let department = working.departments[id] else {
            throw .notFound("Department \(id) not found", empty: behaviour.emptyNotFoundBodies)
        }
        if behaviour.oneIdentityEnabled { throw .oneIdentityTenant }
        if department.isSystemDefined { throw .invalidOperation("Department \(department.name) is system defined and cannot be deleted") }
        // A user has exactly one department, so one still in use is always refused.
        let members = working.memberCount(ofDepartment: id)
        if members > 0 {
            throw .resourceInUse("DEPARTMENT is associated with \(members) user(s). Deletion of this department is not allowed.")
        }
        working.removeDepartment(id)
        record("delete department \(id) \(department.name)")
    }

    /// Name required, ≤ `maxNameLength` UTF-8 bytes (the Ranges page's 127 bytes), unique
    /// regardless of case; comments ≤ `maxCommentsBytes`.
    private func validNamed(
        _ input: ZIAWire.NamedInput, kind: String, behaviour: ZIABehaviour, existing: [(Int, String)]
    ) throws(ZIAError) -> (String, String?) {
        guard let name = input.name, !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("name cannot be null") }
        guard name.utf8.count <= behaviour.maxNameLength else { throw .invalidInput("name exceeds \(behaviour.maxNameLength) bytes") }
        if let comments = input.comments, comments.utf8.count > behaviour.maxCommentsBytes {
            throw .invalidInput("comments exceeds \(behaviour.maxCommentsBytes) bytes")
        }
        if existing.contains(where: { $0.1.caseInsensitiveCompare(name) == .orderedSame }) {
            throw .duplicate(status: behaviour.duplicateStatus, "A \(kind) named \(name) already exists.")
        }
        return (name, input.comments.flatMap { $0.isEmpty ? nil : $0 })
    }
}
