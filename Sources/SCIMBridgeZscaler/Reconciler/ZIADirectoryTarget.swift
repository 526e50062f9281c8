import ZscalerAPI

/// The ZIA calls the reconciler makes, as a protocol so that its decisions (coalescing, lanes,
/// batching, debounce) can be tested against an in-memory fake on a virtual clock. `ZIAClient`
/// is the real one; errors are always `ZscalerAPIError`, compared by kind and Zscaler code.
public protocol ZIADirectoryTarget: Sendable {
    /// Groups and departments can be created and renamed (OneAPI only).
    var canWriteDirectory: Bool { get }
    /// One user; throws `.notFound` when Zscaler has no such user.
    func user(id: Int) async throws(ZscalerAPIError) -> ZIAUser
    func createUser(_ user: ZIAUser) async throws(ZscalerAPIError) -> ZIAUser
    func updateUser(_ user: ZIAUser) async throws(ZscalerAPIError) -> ZIAUser
    /// The user with this login e-mail, if any. ZIA cannot filter by e-mail, so this searches by
    /// display name and compares e-mails (the reconciler's adoption and crash-recovery path).
    func lookupUser(email: String, name: String) async throws(ZscalerAPIError) -> ZIAUser?
    func bulkDeleteUsers(ids: [Int]) async throws(ZscalerAPIError) -> [Int]
    func allGroups() async throws(ZscalerAPIError) -> [ZIAGroup]
    func createGroup(name: String) async throws(ZscalerAPIError) -> ZIAGroup
    func renameGroup(id: Int, name: String) async throws(ZscalerAPIError) -> ZIAGroup
    func deleteGroup(id: Int) async throws(ZscalerAPIError)
    func allDepartments() async throws(ZscalerAPIError) -> [ZIADepartment]
    func createDepartment(name: String) async throws(ZscalerAPIError) -> ZIADepartment
    /// `POST /status/activate`.
    func activateChanges() async throws(ZscalerAPIError)
}

extension ZIAClient: ZIADirectoryTarget {
    public var canWriteDirectory: Bool { configuration.isOneAPI }

    public func lookupUser(email: String, name: String) async throws(ZscalerAPIError) -> ZIAUser? {
        for try await user in try users(name: name) where user.email.caseInsensitiveCompare(email) == .orderedSame {
            return user
        }
        return nil
    }

    public func allGroups() async throws(ZscalerAPIError) -> [ZIAGroup] {
        var all: [ZIAGroup] = []
        for try await group in try groups() { all.append(group) }
        return all
    }

    public func createGroup(name: String) async throws(ZscalerAPIError) -> ZIAGroup {
        try await createGroup(ZIAGroup(name: name, comments: "Managed by zscim"))
    }

    public func renameGroup(id: Int, name: String) async throws(ZscalerAPIError) -> ZIAGroup {
        var group = try await group(id: id)
        group.name = name
        return try await updateGroup(group)
    }

    public func allDepartments() async throws(ZscalerAPIError) -> [ZIADepartment] {
        var all: [ZIADepartment] = []
        for try await department in try departments() { all.append(department) }
        return all
    }

    public func createDepartment(name: String) async throws(ZscalerAPIError) -> ZIADepartment {
        try await createDepartment(ZIADepartment(name: name, comments: "Managed by zscim"))
    }

    public func activateChanges() async throws(ZscalerAPIError) {
        try await activate()
    }
}
