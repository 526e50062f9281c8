import SCIMCore

/// The statements that look up a list of ids, each taking the list as one JSON array parameter
/// read with `json_each`, so a statement's text never depends on how many ids it carries: one
/// cached statement serves every page size (an `IN (?,?,…)` list per length kept a prepared
/// statement per distinct length on every reader).
///
/// The list drives each join (`json_each(?) CROSS JOIN …`, which SQLite keeps as the outer
/// loop) and `members` is read through its `(tenant_id, member_id)` index: written as
/// `member_id IN (SELECT value FROM json_each(?))`, the planner scanned the tenant's whole
/// membership for every page (GET /Users/{id} fell to 94 requests/s on 100,000 users).
/// `HardeningTests.idListPlans` holds the plans to that.
enum IDListSQL {
    /// The JSON array of `ids`, duplicates dropped (each id is looked up once, and a count per
    /// id stays right).
    static func list(_ ids: [String]) -> String {
        var seen = Set<String>()
        return JSONValue.array(ids.compactMap { seen.insert($0).inserted ? .string($0) : nil }).serialized()
    }

    /// A top-level string attribute of `resources.attributes` read by SQLite itself (no JSON
    /// parse of the whole resource in Swift), or NULL when it is absent or not a string.
    static func text(_ attribute: String) -> String {
        let path = SQLiteDirectoryStore.jsonPath([attribute])
        return "CASE json_type(r.attributes, '\(path)') WHEN 'text' THEN json_extract(r.attributes, '\(path)') END"
    }

    /// Each member's groups with their display names; arguments: list, tenant.
    static let groups = """
        SELECT m.member_id, m.group_id, \(text("displayName")) AS display
        FROM json_each(?) AS j
        CROSS JOIN members AS m INDEXED BY members_reverse ON m.tenant_id = ? AND m.member_id = j.value
        JOIN resources AS r ON r.tenant_id = m.tenant_id AND r.id = m.group_id
        ORDER BY m.rowid
        """

    /// Id, kind and display (`displayName`, else `userName`) of each resource; arguments: list,
    /// tenant.
    static let references = """
        SELECT r.id, r.kind, COALESCE(\(text("displayName")), \(text("userName"))) AS display FROM json_each(?) AS j
        CROSS JOIN resources AS r ON r.tenant_id = ? AND r.id = j.value
        """

    /// How many groups each user is in; arguments: list, tenant.
    static let groupCounts = """
        SELECT m.member_id, COUNT(*) AS n FROM json_each(?) AS j
        CROSS JOIN members AS m INDEXED BY members_reverse ON m.tenant_id = ? AND m.member_id = j.value
        GROUP BY m.member_id
        """

    /// The first id of the list (in list order) that names no resource of the tenant; arguments:
    /// list, tenant.
    static let firstMissing = """
        SELECT j.value FROM json_each(?) AS j
        WHERE NOT EXISTS (SELECT 1 FROM resources AS r WHERE r.tenant_id = ? AND r.id = j.value)
        ORDER BY j.key LIMIT 1
        """

    /// The ids of the list already members of a group; arguments: list, tenant, group.
    static let alreadyMembers = """
        SELECT m.member_id FROM json_each(?) AS j
        CROSS JOIN members AS m ON m.tenant_id = ? AND m.group_id = ? AND m.member_id = j.value
        """
}
