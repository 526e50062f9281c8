/// The ZIA side of the tenant: the working directory every API call sees, the last activated copy
/// (what Zscaler would enforce), and the changes between them (reference §6).
struct ZIAState: Sendable, Codable, Equatable {
    var working: ZIADirectory
    var activated: ZIADirectory
    /// What changed since the last activation, oldest first (bounded; see `maxPendingChanges`).
    private(set) var pendingChanges: [String] = []
    private(set) var activationCount: Int = 0
    /// Next id handed out; Zscaler ids are 8–9 digits and unique across object kinds.
    private(set) var nextId: Int

    static let maxPendingChanges = 1_000

    init(directory: ZIADirectory) {
        working = directory
        activated = directory
        nextId = max(directory.maxId + 1, 30_000_000)
    }

    /// `ACTIVE` when nothing is pending, else `PENDING` (§6).
    var status: String { working.revision == activated.revision ? "ACTIVE" : "PENDING" }

    mutating func allocateId() -> Int {
        defer { nextId += 1 }
        return nextId
    }

    mutating func record(_ change: String) {
        pendingChanges.append(change)
        if pendingChanges.count > Self.maxPendingChanges { pendingChanges.removeFirst(pendingChanges.count - Self.maxPendingChanges) }
    }

    /// Publishes every pending change, tenant-wide.
    mutating func activate() {
        activated = working
        pendingChanges.removeAll()
        activationCount += 1
    }
}
