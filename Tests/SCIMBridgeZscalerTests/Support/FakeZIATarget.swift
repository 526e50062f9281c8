import SCIMBridgeZscaler
import Synchronization
import ZscalerAPI

/// An in-memory ZIA for the reconciler's decision tests: users, groups and departments with ids,
/// the rules of the real API that the reconciler's decisions depend on, and a log of every call.
///
/// It follows the emulator (and so the reference) where the reconciler could notice a difference:
/// - a create with an e-mail that exists fails `409 DUPLICATE_ITEM` (the adoption path);
/// - unknown user ids are `.notFound`; a PUT cannot change the login e-mail (400);
/// - a user may only name groups and departments that exist (400), so a reconciler that invents
///   ids fails here as it would in ZIA;
/// - `lookupUser` searches by display-name substring and compares e-mails, as `ZIAClient` does
///   (ZIA has no e-mail filter), so a user renamed in the console is *not* found;
/// - `bulkDeleteUsers` skips unknown ids and answers with the ids it deleted;
/// - group and department writes need `canWriteDirectory` (OneAPI), else `.notSupported`.
///
/// Failures can be scripted per method ("fail the next 2 updateUser with 503"), optionally after
/// the call took effect (an answer lost on the way back: the crash-safety path). A hook per method
/// runs inside the call, before it takes effect, so a test can commit a SCIM change exactly
/// between the reconciler's read and its record.
final class FakeZIATarget: ZIADirectoryTarget, Sendable {
    /// The methods of `ZIADirectoryTarget`, for the call log and scripted failures.
    enum Method: String, Sendable, CaseIterable {
        case getUser, createUser, updateUser, lookupUser, bulkDeleteUsers, listGroups, createGroup, renameGroup, deleteGroup,
            listDepartments, createDepartment, activate
    }

    /// One call as the reconciler made it: the method and the ids (or names, for creates and
    /// lookups) it named. `ids` of a create are filled with the id it was given.
    struct Call: Sendable, Equatable, CustomStringConvertible {
        var method: Method
        var ids: [Int] = []
        var name: String?

        var description: String {
            "\(method.rawValue)(\((ids.map(String.init) + (name.map { [$0] } ?? [])).joined(separator: ", ")))"
        }

        /// Changes ZIA state (what the rate budget and activation are about).
        var isWrite: Bool {
            [.createUser, .updateUser, .bulkDeleteUsers, .createGroup, .renameGroup, .deleteGroup, .createDepartment].contains(method)
        }
    }

    /// A scripted failure of the next calls of one method.
    struct ScriptedFailure: Sendable {
        var method: Method
        var remaining: Int
        var error: ZscalerAPIError
        /// The call takes effect before the error is thrown: the answer was lost, not the request.
        var afterApplying: Bool
    }

    struct State: Sendable {
        var users: [Int: ZIAUser] = [:]
        var groups: [Int: ZIAGroup] = [:]
        var departments: [Int: ZIADepartment] = [:]
        var nextID = 10_000_001
        var calls: [Call] = []
        var failures: [ScriptedFailure] = []
        var activations = 0
        var canWriteDirectory = false
        /// Changes made since the last activation (ZIA keeps them pending until then).
        var pendingChanges = 0
        /// Index in `calls` of the call being applied (creates fill in the id they gave).
        var currentCall = 0
    }

    typealias Hook = @Sendable (Call) async -> Void

    private let state = Mutex(State())
    private let hooks = Mutex<[Method: Hook]>([:])

    init(canWriteDirectory: Bool = false) {
        state.withLock { $0.canWriteDirectory = canWriteDirectory }
    }

    // MARK: - Seeding and inspection

    @discardableResult
    func seedDepartment(_ name: String) -> Int {
        state.withLock { s in
            let id = s.take()
            s.departments[id] = ZIADepartment(id: id, name: name)
            return id
        }
    }

    @discardableResult
    func seedGroup(_ name: String) -> Int {
        state.withLock { s in
            let id = s.take()
            s.groups[id] = ZIAGroup(id: id, name: name)
            return id
        }
    }

    /// A user that exists in ZIA before zscim (created in the console or by another tool).
    @discardableResult
    func seedUser(email: String, name: String, department: Int, groups: [Int] = [], disabled: Bool = false) -> Int {
        state.withLock { s in
            let id = s.take()
            s.users[id] = ZIAUser(
                id: id, name: name, email: email, groups: groups.map { ZIAReference(id: $0, name: s.groups[$0]?.name) },
                department: ZIAReference(id: department, name: s.departments[department]?.name), disabled: disabled ? true : nil)
            return id
        }
    }

    /// Changes a user as an admin would in the console (not logged as a call).
    func editUser(id: Int, _ body: (inout ZIAUser) -> Void) {
        state.withLock { s in
            if var user = s.users[id] {
                body(&user)
                s.users[id] = user
            }
        }
    }

    var canWriteDirectory: Bool {
        get { state.withLock { $0.canWriteDirectory } }
    }

    func setCanWriteDirectory(_ value: Bool) { state.withLock { $0.canWriteDirectory = value } }

    var calls: [Call] { state.withLock { $0.calls } }
    var activations: Int { state.withLock { $0.activations } }
    var pendingChanges: Int { state.withLock { $0.pendingChanges } }
    var users: [ZIAUser] { state.withLock { $0.users.values.sorted { $0.id! < $1.id! } } }

    func user(email: String) -> ZIAUser? {
        state.withLock { s in s.users.values.first { $0.email.caseInsensitiveCompare(email) == .orderedSame } }
    }

    func users(email: String) -> [ZIAUser] {
        state.withLock { s in s.users.values.filter { $0.email.caseInsensitiveCompare(email) == .orderedSame } }
    }

    func groupID(named name: String) -> Int? {
        state.withLock { s in s.groups.values.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.id }
    }

    func calls(_ method: Method) -> [Call] { calls.filter { $0.method == method } }

    func count(_ method: Method) -> Int { calls(method).count }

    /// Forgets the call log (after a test's setup rounds) so assertions see only what follows.
    func clearLog() { state.withLock { $0.calls = [] } }

    // MARK: - Scripting

    /// The next `times` calls of `method` fail with `error`; with `afterApplying` each takes
    /// effect first (its answer is what gets lost).
    func fail(_ method: Method, times: Int = 1, with error: ZscalerAPIError, afterApplying: Bool = false) {
        state.withLock { $0.failures.append(ScriptedFailure(method: method, remaining: times, error: error, afterApplying: afterApplying)) }
    }

    /// Runs `hook` inside every call of `method` (until replaced or cleared), before it takes effect.
    func onCall(_ method: Method, _ hook: Hook?) {
        hooks.withLock { $0[method] = hook }
    }

    static func serverError(_ status: Int = 503) -> ZscalerAPIError {
        ZscalerAPIError(.serverError, status: status, message: "Service Unavailable", attempts: 3, mayHaveBeenApplied: true)
    }

    static func transport() -> ZscalerAPIError {
        ZscalerAPIError(.transport, message: "connection reset by peer after the request was sent", mayHaveBeenApplied: true)
    }

    static func badRequest(_ message: String) -> ZscalerAPIError {
        ZscalerAPIError(.http, status: 400, zscalerCode: .invalidInputArgument, message: message)
    }

    // MARK: - ZIADirectoryTarget

    func user(id: Int) async throws(ZscalerAPIError) -> ZIAUser {
        try await perform(Call(method: .getUser, ids: [id])) { s throws(ZscalerAPIError) in
            guard let user = s.users[id] else { throw Self.notFound("user \(id)") }
            return user
        }
    }

    func createUser(_ user: ZIAUser) async throws(ZscalerAPIError) -> ZIAUser {
        try await perform(Call(method: .createUser, name: user.email)) { s throws(ZscalerAPIError) in
            guard user.id == nil else { throw Self.badRequest("a new user must not carry an id") }
            guard user.password?.isEmpty == false else { throw Self.badRequest("a hosted-database user needs a password") }
            if s.users.values.contains(where: { $0.email.caseInsensitiveCompare(user.email) == .orderedSame }) {
                throw ZscalerAPIError(
                    .http, status: 409, zscalerCode: .duplicateItem, message: "User with login \(user.email) already exists",
                    request: "POST /users")
            }
            try s.checkReferences(user)
            let id = s.take()
            var stored = user
            stored.id = id
            stored.password = nil
            stored.groups = s.named(user.groups)
            stored.department = user.department.map { ZIAReference(id: $0.id, name: s.departments[$0.id]?.name) }
            s.users[id] = stored
            s.pendingChanges += 1
            s.calls[s.currentCall].ids = [id]
            return stored
        }
    }

    func updateUser(_ user: ZIAUser) async throws(ZscalerAPIError) -> ZIAUser {
        try await perform(Call(method: .updateUser, ids: user.id.map { [$0] } ?? [])) { s throws(ZscalerAPIError) in
            guard let id = user.id, let current = s.users[id] else { throw Self.notFound("user \(user.id.map(String.init) ?? "nil")") }
            guard current.email.caseInsensitiveCompare(user.email) == .orderedSame else {
                throw Self.badRequest("email cannot be changed (\(current.email) → \(user.email))")
            }
            try s.checkReferences(user)
            var stored = user
            stored.password = nil
            stored.groups = s.named(user.groups)
            stored.department = user.department.map { ZIAReference(id: $0.id, name: s.departments[$0.id]?.name) }
            // ZIA sends `disabled` only when true.
            if stored.disabled == false { stored.disabled = nil }
            s.users[id] = stored
            s.pendingChanges += 1
            return stored
        }
    }

    func lookupUser(email: String, name: String) async throws(ZscalerAPIError) -> ZIAUser? {
        try await perform(Call(method: .lookupUser, name: email)) { s throws(ZscalerAPIError) in
            s.users.values.sorted { $0.id! < $1.id! }.first { user in
                user.name.range(of: name, options: .caseInsensitive) != nil && user.email.caseInsensitiveCompare(email) == .orderedSame
            }
        }
    }

    func bulkDeleteUsers(ids: [Int]) async throws(ZscalerAPIError) -> [Int] {
        try await perform(Call(method: .bulkDeleteUsers, ids: ids)) { s throws(ZscalerAPIError) in
            guard !ids.isEmpty else { throw Self.badRequest("ids cannot be empty") }
            guard ids.count <= 500 else { throw Self.badRequest("At most 500 ids can be deleted in one request; got \(ids.count)") }
            var deleted: [Int] = []
            for id in ids where s.users.removeValue(forKey: id) != nil { deleted.append(id) }
            if !deleted.isEmpty { s.pendingChanges += 1 }
            return deleted
        }
    }

    func allGroups() async throws(ZscalerAPIError) -> [ZIAGroup] {
        try await perform(Call(method: .listGroups)) { s in s.groups.values.sorted { $0.id! < $1.id! } }
    }

    func createGroup(name: String) async throws(ZscalerAPIError) -> ZIAGroup {
        try await perform(Call(method: .createGroup, name: name)) { s throws(ZscalerAPIError) in
            guard s.canWriteDirectory else { throw ZscalerAPIError(.notSupported, message: "group writes need OneAPI") }
            if s.groups.values.contains(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
                throw ZscalerAPIError(.http, status: 409, zscalerCode: .duplicateItem, message: "Group \(name) already exists")
            }
            let id = s.take()
            s.groups[id] = ZIAGroup(id: id, name: name, comments: "Managed by zscim")
            s.pendingChanges += 1
            s.calls[s.currentCall].ids = [id]
            return s.groups[id]!
        }
    }

    func renameGroup(id: Int, name: String) async throws(ZscalerAPIError) -> ZIAGroup {
        try await perform(Call(method: .renameGroup, ids: [id], name: name)) { s throws(ZscalerAPIError) in
            guard s.canWriteDirectory else { throw ZscalerAPIError(.notSupported, message: "group writes need OneAPI") }
            guard var group = s.groups[id] else { throw Self.notFound("group \(id)") }
            group.name = name
            s.groups[id] = group
            s.pendingChanges += 1
            return group
        }
    }

    func deleteGroup(id: Int) async throws(ZscalerAPIError) {
        try await perform(Call(method: .deleteGroup, ids: [id])) { s throws(ZscalerAPIError) in
            guard s.canWriteDirectory else { throw ZscalerAPIError(.notSupported, message: "group writes need OneAPI") }
            guard s.groups[id] != nil else { throw Self.notFound("group \(id)") }
            if s.users.values.contains(where: { $0.groups.contains { $0.id == id } }) {
                throw ZscalerAPIError(.http, status: 409, zscalerCode: .resourceInUse, message: "group \(id) is assigned to users")
            }
            s.groups[id] = nil
            s.pendingChanges += 1
        }
    }

    func allDepartments() async throws(ZscalerAPIError) -> [ZIADepartment] {
        try await perform(Call(method: .listDepartments)) { s in s.departments.values.sorted { $0.id! < $1.id! } }
    }

    func createDepartment(name: String) async throws(ZscalerAPIError) -> ZIADepartment {
        try await perform(Call(method: .createDepartment, name: name)) { s throws(ZscalerAPIError) in
            guard s.canWriteDirectory else { throw ZscalerAPIError(.notSupported, message: "department writes need OneAPI") }
            let id = s.take()
            s.departments[id] = ZIADepartment(id: id, name: name)
            s.pendingChanges += 1
            s.calls[s.currentCall].ids = [id]
            return s.departments[id]!
        }
    }

    func activateChanges() async throws(ZscalerAPIError) {
        try await perform(Call(method: .activate)) { s in
            s.activations += 1
            s.pendingChanges = 0
        }
    }

    // MARK: - Machinery

    /// Logs the call, runs its hook, then applies it under the lock, honouring a scripted failure.
    private func perform<T: Sendable>(_ call: Call, _ body: (inout State) throws(ZscalerAPIError) -> T) async throws(ZscalerAPIError) -> T {
        let index = state.withLock { s in
            s.calls.append(call)
            return s.calls.count - 1
        }
        if let hook = hooks.withLock({ $0[call.method] }) { await hook(call) }
        return try state.withLock { (s: inout sending State) throws(ZscalerAPIError) -> sending T in
            s.currentCall = index
            var scripted: ScriptedFailure?
            if let index = s.failures.firstIndex(where: { $0.method == call.method && $0.remaining > 0 }) {
                s.failures[index].remaining -= 1
                scripted = s.failures[index]
                if s.failures[index].remaining == 0 { s.failures.remove(at: index) }
            }
            guard let scripted else { return try body(&s) }
            if scripted.afterApplying { _ = try body(&s) }
            throw scripted.error
        }
    }

    static func notFound(_ what: String) -> ZscalerAPIError {
        ZscalerAPIError(.notFound, status: 404, zscalerCode: .resourceNotFound, message: "\(what) not found")
    }
}

extension FakeZIATarget.State {
    /// Ids are handed out from one counter, as ZIA's are unique across object kinds.
    mutating func take() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    /// ZIA refuses a user naming a group or department that does not exist.
    func checkReferences(_ user: ZIAUser) throws(ZscalerAPIError) {
        guard let department = user.department, departments[department.id] != nil else {
            throw FakeZIATarget.badRequest("department \(user.department.map { String($0.id) } ?? "none") does not exist")
        }
        if user.groups.count > 127 { throw FakeZIATarget.badRequest("a user can be in at most 127 groups") }
        for group in user.groups where groups[group.id] == nil {
            throw FakeZIATarget.badRequest("group \(group.id) does not exist")
        }
    }

    /// References as ZIA answers them: with names.
    func named(_ references: [ZIAReference]) -> [ZIAReference] {
        references.map { ZIAReference(id: $0.id, name: groups[$0.id]?.name) }
    }
}
