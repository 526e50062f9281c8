/// One way of running the store's hot-path operations. The benchmark registers every operation
/// for every driver, so their figures come out side by side from one run.
protocol StoreDriver: Sendable {
    /// Shown in the benchmark names.
    var name: String { get }
    /// A user create: the resource row and its e-mail row in one transaction.
    func writeUser(_ n: Int) async throws
    /// `userName eq` through the index; returns the attributes text.
    func lookupUserName(_ key: String) async throws -> String?
    /// A resource by id; returns the attributes text.
    func fetch(id: String) async throws -> String?
    /// 100 (or any number of) members added to the big group in one transaction, one statement each.
    func addMembers(_ ids: [String]) async throws
    /// Closes the connections and deletes the database copy. The benchmark tool ends each
    /// benchmark's process without releasing globals, so this is called from the teardown hook.
    func close() async throws
}

/// A raw driver can also add the members with one multi-row INSERT (the product store cannot).
protocol MultiRowDriver: StoreDriver {
    func addMembersMultiRow(_ ids: [String]) async throws
}

/// A driver call that did not give what the statement promises.
enum DriverError: Error {
    case noRowReturned(String)
}
