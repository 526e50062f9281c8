import GRDB
import SCIMBridge
import SCIMCore

/// Indexed columns for the user attributes people search a directory by (`title eq
/// "Director"`, `name.familyName sw "Nak"`), so such a filter reads a range of an index instead
/// of parsing every user's JSON (0.6 s over 100,000 users before, a few ms now).
///
/// A column holds the attribute in ASCII lower case, `'*'` when it holds any non-ASCII character
/// (SQLite's `lower` and `LIKE` fold ASCII only, and Unicode folding can map non-ASCII text onto
/// ASCII: the Kelvin sign onto `k`), and NULL when the attribute is absent. A test on it keeps
/// every `'*'` row, so it stays a superset of the service's own comparison, which decides.
///
/// The values are computed in Swift when the row is written (`values(of:)`): as SQLite index
/// expressions they cost four `json_extract` parses of the whole JSON per index per write, a
/// fifth of `POST /Users` throughput. Every column is still one more index entry per user
/// write: the list is short on purpose.
enum TextIndexes {
    struct Column {
        /// Canonical JSON keys from the resource's root.
        var keys: [String]
        var name: String
        var index: String { "resources_\(name)" }
    }

    static let columns: [Column] = [
        Column(keys: ["title"], name: "text_title"),
        Column(keys: ["name", "familyName"], name: "text_family_name"),
        Column(keys: ["name", "givenName"], name: "text_given_name"),
        Column(keys: ["displayName"], name: "text_display_name"),
        Column(keys: [SchemaURN.enterpriseUser, "department"], name: "text_department"),
        Column(keys: [SchemaURN.enterpriseUser, "employeeNumber"], name: "text_employee_number"),
    ]

    static func column(_ keys: [String]) -> Column? { columns.first { $0.keys == keys } }

    /// The indexed value of one attribute value (see the type's comment).
    static func key(_ value: JSONValue?) -> String? {
        guard case .string(let text) = value else { return nil }
        return text.utf8.allSatisfy { $0 < 0x80 } ? text.lowercased() : "*"
    }

    /// Each column's value for a resource, in `columns` order; all NULL for groups.
    static func values(of kind: ResourceKind, _ attributes: JSONObject) -> [String?] {
        columns.map { column in
            guard kind == .user else { return nil }
            var value: JSONValue? = .object(attributes)
            for key in column.keys { value = value?.objectValue?[key] }
            return key(value)
        }
    }

    /// The same value in SQL, once, to fill the columns of rows written before they existed.
    static func sqlKey(_ keys: [String]) -> String {
        let value = "json_extract(attributes, '\(SQLiteDirectoryStore.jsonPath(keys))')"
        return "CASE WHEN json_type(attributes, '\(SQLiteDirectoryStore.jsonPath(keys))') IS NOT 'text' THEN NULL "
            + "WHEN length(\(value)) = length(CAST(\(value) AS BLOB)) THEN lower(\(value)) ELSE '*' END"
    }

    /// Migration v5: the columns, filled, and their indexes.
    static func migrationStatements() -> [String] {
        columns.map { "ALTER TABLE resources ADD COLUMN \($0.name) TEXT" }
            + ["UPDATE resources SET " + columns.map { "\($0.name) = \(sqlKey($0.keys))" }.joined(separator: ", ") + " WHERE kind = 'User'"]
            + columns.map { "CREATE INDEX \($0.index) ON resources(tenant_id, kind, \($0.name)) WHERE kind = 'User'" }
    }

    /// The index a scan with these conditions must read (`INDEXED BY`): left to itself, SQLite
    /// prefers `resources_kind_seq`, which gives creation order without sorting but evaluates
    /// the JSON of every user. An equality is preferred over the other matches.
    static func index(for conditions: [IndexedCondition], kind: ResourceKind) -> String? {
        let tests = conditions.compactMap { condition -> TextPrefilter? in
            guard case .text(let test) = condition, self.condition(test, kind: kind) != nil else { return nil }
            return test
        }
        return (tests.first { $0.match == .equals } ?? tests.first).flatMap { column($0.keys)?.index }
    }

    /// The SQL test for `test` on a user through its column, with its arguments; `nil` when the
    /// attribute has no column (the caller then tests the JSON itself).
    static func condition(_ test: TextPrefilter, kind: ResourceKind) -> (sql: String, arguments: [String])? {
        guard kind == .user, let column = column(test.keys)?.name else { return nil }
        let value = test.value.lowercased()
        switch test.match {
        case .equals:
            return ("\(column) IN (?, '*')", [value])
        case .startsWith:
            // [value, value with its last character's successor): exactly the strings starting
            // with it. ASCII only, so a successor exists for anything but a trailing `~`/DEL,
            // which takes the LIKE below.
            if let last = value.utf8.last, last < 0x7E {
                let upper = String(decoding: value.utf8.dropLast() + [last + 1], as: UTF8.self)
                return ("(\(column) >= ? AND \(column) < ? OR \(column) = '*')", [value, upper])
            }
            return ("(\(column) LIKE ? ESCAPE '\\' OR \(column) = '*')", [test.likePattern])
        case .endsWith, .contains:
            // Read from the index alone: no JSON is parsed.
            return ("(\(column) LIKE ? ESCAPE '\\' OR \(column) = '*')", [test.likePattern])
        }
    }

    /// Whether some user of the tenant has a value at `keys` that only Unicode folding decides.
    static func hasUndecided(_ db: Database, tenantID: String, keys: [String], kind: ResourceKind) throws -> Bool {
        guard let column = column(keys) else { return true }
        return try Bool.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT 1 FROM resources INDEXED BY \(column.index) WHERE tenant_id = ? AND kind = \(kind.sqlLiteral) AND \(column.name) = '*' LIMIT 1"
            ), arguments: [tenantID]) ?? false
    }
}
