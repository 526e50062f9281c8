/// The statements `SQLiteDirectoryStore` runs on its hot paths (see
/// `Sources/SCIMStoreSQLite/SQLiteDirectoryStore+Resources.swift`), run here verbatim by both
/// drivers. Keep them in step with the store when it changes.
enum HotPathSQL {
    static let tenantID = "00000000-0000-4000-8000-000000000001"
    static let bigGroupID = "00000000-0000-4000-8000-00000000b16b"

    static let insertUser = """
        INSERT INTO resources (tenant_id, kind, id, version, created, last_modified, last_modified_ms, user_name_key,
            display_name_key, external_id, attributes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertEmail = "INSERT INTO emails (resource_seq, tenant_id, value_key) VALUES (?, ?, ?)"
    static let columns = "seq, kind, id, version, created, last_modified, attributes"
    /// The store's `list` for `userName eq` (its count query aside).
    static let byUserName =
        "SELECT \(columns) FROM resources WHERE tenant_id = ? AND kind = ? AND user_name_key = ? ORDER BY seq LIMIT 2000 OFFSET 0"
    static let byID = "SELECT \(columns) FROM resources WHERE tenant_id = ? AND id = ? AND kind = ?"
    static let insertMember =
        "INSERT OR IGNORE INTO members (tenant_id, group_id, member_id, member_kind, display) VALUES (?, ?, ?, ?, ?)"

    /// One multi-row INSERT for `count` members (5 parameters each): the single-statement form.
    static func insertMembers(_ count: Int) -> String {
        "INSERT OR IGNORE INTO members (tenant_id, group_id, member_id, member_kind, display) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?)", count: count).joined(separator: ", ")
    }

    /// A 36-character id like the store's UUIDs, deterministic so lookups can name them.
    static func id(_ prefix: String, _ n: Int) -> String {
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, 36 - prefix.count - digits.count)) + digits
    }

    static func userID(_ n: Int) -> String { id("u", n) }
    static func userNameKey(_ n: Int) -> String { "user.\(n)@contoso.com" }

    /// What the store keeps in `attributes` for an Entra-created user (canonical form, about 600 bytes).
    static func attributes(_ n: Int) -> String {
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],\
        "externalId":"\(id("x", n))","userName":"User.\(n)@contoso.com","active":true,"displayName":"Ada Jensen",\
        "title":"Senior Engineer","emails":[{"primary":true,"type":"work","value":"User.\(n)@contoso.com"}],\
        "name":{"formatted":"Ada Jensen","familyName":"Jensen","givenName":"Ada"},"roles":[],\
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"\(100_000 + n)","department":"Dept \(n % 50)"}}
        """
    }

    static let timestamp = "2026-01-15T10:00:00.123Z"
    static let timestampMilliseconds: Int64 = 1_768_471_200_123
}
