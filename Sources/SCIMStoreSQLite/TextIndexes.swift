import GRDB
import SCIMBridge
import SCIMCore

/// Expression indexes on the user attributes people search a directory by (`title eq
/// "Director"`, `name.familyName sw "Nak"`), so such a filter reads a range of an index
/// instead of parsing every user's JSON (0.6 s over 100,000 users before, a few ms now).
///
/// The indexed value is the attribute in ASCII lower case, `'*'` when it holds any non-ASCII
/// character (SQLite's `lower` folds ASCII only, and Unicode folding can map non-ASCII text onto
/// ASCII: the Kelvin sign onto `k`), and NULL when the attribute is absent. A test on it keeps
/// every `'*'` row, so it stays a superset of the service's own comparison, which decides.
/// Every index is one more b-tree to update on each user write: the list is short on purpose.
enum TextIndexes {
    /// The indexed user attributes, as canonical JSON keys from the resource's root.
    static let userKeys: [[String]] = [
        ["title"],
        ["name", "familyName"],
        ["name", "givenName"],
        ["displayName"],
        [SchemaURN.enterpriseUser, "department"],
        [SchemaURN.enterpriseUser, "employeeNumber"],
    ]

    /// The index's expression. A query uses the index only if it repeats this expression
    /// exactly (SQLite compares expressions, not their values), so it is built here alone.
    static func expression(_ keys: [String]) -> String {
        let value = "json_extract(attributes, '\(SQLiteDirectoryStore.jsonPath(keys))')"
        return "(CASE WHEN \(value) IS NULL THEN NULL WHEN length(\(value)) = length(CAST(\(value) AS BLOB)) "
            + "THEN lower(\(value)) ELSE '*' END)"
    }

    static func indexName(_ keys: [String]) -> String {
        let name = keys.joined(separator: "_").map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return "resources_text_\(name)"
    }

    static func createStatements() -> [String] {
        userKeys.map { keys in
            "CREATE INDEX IF NOT EXISTS \(indexName(keys)) ON resources(tenant_id, kind, \(expression(keys))) WHERE kind = 'User'"
        }
    }

    /// The index a scan with these conditions must read (`INDEXED BY`): left to itself, SQLite
    /// prefers `resources_kind_seq`, which gives creation order without sorting but evaluates
    /// the JSON of every user. An equality is preferred over the other matches.
    static func index(for conditions: [IndexedCondition], kind: ResourceKind) -> String? {
        let tests = conditions.compactMap { condition -> TextPrefilter? in
            guard case .text(let test) = condition, self.condition(test, kind: kind) != nil else { return nil }
            return test
        }
        return (tests.first { $0.match == .equals } ?? tests.first).map { indexName($0.keys) }
    }

    /// The SQL test for `test` on a user through its index, with its arguments; `nil` when the
    /// attribute has no index (the caller then tests the JSON itself).
    static func condition(_ test: TextPrefilter, kind: ResourceKind) -> (sql: String, arguments: [String])? {
        guard kind == .user, userKeys.contains(test.keys) else { return nil }
        let expression = expression(test.keys)
        let value = test.value.lowercased()
        switch test.match {
        case .equals:
            return ("\(expression) IN (?, '*')", [value])
        case .startsWith:
            // [value, value with its last character's successor): exactly the strings starting
            // with it, as a range of the index. ASCII only, so a successor below DEL exists for
            // anything but a trailing `~`/DEL, which takes the LIKE below.
            if let last = value.utf8.last, last < 0x7E {
                let upper = String(decoding: value.utf8.dropLast() + [last + 1], as: UTF8.self)
                return ("(\(expression) >= ? AND \(expression) < ? OR \(expression) = '*')", [value, upper])
            }
            return ("(\(expression) LIKE ? ESCAPE '\\' OR \(expression) = '*')", [test.likePattern])
        case .endsWith, .contains:
            // Read from the index alone: no JSON is parsed.
            return ("(\(expression) LIKE ? ESCAPE '\\' OR \(expression) = '*')", [test.likePattern])
        }
    }

    /// Whether some user of the tenant has a value at `keys` that only Unicode folding decides.
    static func hasUndecided(_ db: Database, tenantID: String, keys: [String], kind: ResourceKind) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT 1 FROM resources INDEXED BY \(indexName(keys)) WHERE tenant_id = ? AND kind = \(kind.sqlLiteral) AND \(expression(keys)) = '*' LIMIT 1"
            ), arguments: [tenantID]) ?? false
    }
}
