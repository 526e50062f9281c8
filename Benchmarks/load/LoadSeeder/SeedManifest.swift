/// What the load script needs from a seeded database, written as JSON next to it. It holds the
/// tenant's bearer token: the file is created readable by its owner only.
struct SeedManifest: Codable, Sendable {
    struct Timings: Codable, Sendable {
        /// Building and validating the user bodies (not store time).
        var userPrepareSeconds: Double
        /// `SQLiteDirectoryStore.write` calls for the users, one transaction each.
        var userWriteSeconds: Double
        var userWritesPerSecond: Double
        /// The one write that creates the big group with all its members.
        var bigGroupSeconds: Double
        /// The other groups with their members.
        var groupWriteSeconds: Double
        var totalSeconds: Double
    }

    var tenant: String
    var token: String
    var database: String
    var users: Int
    var groups: Int
    var bigGroupID: String
    var bigGroupMembers: Int
    /// Evenly spread users for lookups (ids and userNames of the same users, same order).
    var sampleUserIDs: [String]
    var sampleUserNames: [String]
    /// Every group, the big one first.
    var groupIDs: [String]
    /// Every user not in the big group, in creation order: what the PATCH scenario adds.
    var nonMemberIDs: [String]
    var timings: Timings
}
