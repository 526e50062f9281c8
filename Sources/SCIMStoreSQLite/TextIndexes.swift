import GRDB
import SCIMBridge
import SCIMCore

/// Indexed columns for the user attributes people search a directory by (`title eq
/// "Director"`, `name.familyName sw "Nak"`), so such a filter reads a range of an index instead
/// of parsing every user's JSON (0.6 s over 100,000 users before, a few ms now).
///
/// A column holds the attribute in ASCII lower case; `undecided` (U+FFFD, which no ASCII value
/// can equal) when it holds a non-ASCII character (SQLite's `lower` and `LIKE` fold ASCII only,
/// and Unicode folding can map non-ASCII text onto ASCII: the Kelvin sign onto `k`) or a NUL
/// (SQLite ends bound text at a NUL); and NULL when the attribute is absent. A test on it keeps
/// every `undecided` row, so it stays a superset of the service's own comparison, which decides.
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

    /// The value of a column whose text only the service can compare.
    static let undecided = "\u{FFFD}"
    /// `undecided` as an SQL literal.
    static let undecidedSQL = "'\(undecided)'"

    /// The indexed value of one attribute value (see the type's comment).
    static func key(_ value: JSONValue?) -> String? {
        guard case .string(let text) = value else { return nil }
        return text.utf8.allSatisfy { $0 > 0 && $0 < 0x80 } ? text.lowercased() : undecided
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

    /// Migration v5: the columns, filled for the users already stored, and their indexes.
    static func migrate(_ db: Database) throws {
        for column in columns { try db.execute(sql: "ALTER TABLE resources ADD COLUMN \(column.name) TEXT") }
        try fill(db)
        for column in columns {
            try db.execute(sql: "CREATE INDEX \(column.index) ON resources(tenant_id, kind, \(column.name)) WHERE kind = 'User'")
        }
    }

    /// Sets every user's columns from its stored JSON, by the same `values(of:)` as writes (in
    /// SQL, `json_extract` and `length` stop at a NUL, so an SQL fill could not agree), a batch
    /// of rows at a time.
    static func fill(_ db: Database) throws {
        let update = try db.makeStatement(
            sql: "UPDATE resources SET " + columns.map { "\($0.name) = ?" }.joined(separator: ", ") + " WHERE seq = ?")
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, attributes FROM resources WHERE kind = 'User' AND seq > ? ORDER BY seq LIMIT 1000", arguments: [after]
            )
            guard let last = rows.last else { return }
            for row in rows {
                let text: String = row[1]
                guard case .object(let attributes) = try JSONParser().parse(Array(text.utf8)) else { continue }
                let values: [(any DatabaseValueConvertible)?] = values(of: .user, attributes)
                try update.execute(arguments: StatementArguments(values + [row[0] as Int64]))
            }
            after = last[0]
        }
    }

    /// The index a query with these conditions must read (`INDEXED BY`), if any. Left to itself,
    /// SQLite prefers `resources_kind_seq` (creation order without sorting), which reads every
    /// user for a rare value. An equality is a search of the index, also for later scan batches
    /// (`seq > ?` narrows within one value). A prefix is a range: forced for a first (or only)
    /// query, but not for later batches, which would walk the same range again each time.
    /// `ew`/`co` walk the whole index, no better than the table now that the value is a column
    /// (no JSON to parse): SQLite chooses, and can stop at the page's LIMIT.
    static func index(for conditions: [IndexedCondition], kind: ResourceKind, afterSequence: Int64?) -> String? {
        let tests = conditions.compactMap { condition -> TextPrefilter? in
            guard case .text(let test) = condition, self.condition(test, kind: kind) != nil else { return nil }
            return test
        }
        let chosen = tests.first { $0.match == .equals } ?? (afterSequence == nil ? tests.first { $0.match == .startsWith } : nil)
        return chosen.flatMap { column($0.keys)?.index }
    }

    /// The SQL test for `test` on a user through its column, with its arguments; `nil` when the
    /// attribute has no column (the caller then tests the JSON itself).
    static func condition(_ test: TextPrefilter, kind: ResourceKind) -> (sql: String, arguments: [String])? {
        guard kind == .user, let column = column(test.keys)?.name else { return nil }
        let value = test.value.lowercased()
        switch test.match {
        case .equals:
            return ("\(column) IN (?, \(undecidedSQL))", [value])
        case .startsWith:
            // [value, value with its last character's successor): exactly the strings starting
            // with it. ASCII only, so a successor exists for anything but a trailing `~`/DEL,
            // which takes the LIKE below.
            if let last = value.utf8.last, last < 0x7E {
                let upper = String(decoding: value.utf8.dropLast() + [last + 1], as: UTF8.self)
                return ("(\(column) >= ? AND \(column) < ? OR \(column) = \(undecidedSQL))", [value, upper])
            }
            return ("(\(column) LIKE ? ESCAPE '\\' OR \(column) = \(undecidedSQL))", [test.likePattern])
        case .endsWith, .contains:
            // Read from the index alone: no JSON is parsed.
            return ("(\(column) LIKE ? ESCAPE '\\' OR \(column) = \(undecidedSQL))", [test.likePattern])
        }
    }

    /// Whether some user of the tenant has a value at `keys` that only Unicode folding decides.
    static func hasUndecided(_ db: Database, tenantID: String, keys: [String], kind: ResourceKind) throws -> Bool {
        guard let column = column(keys) else { return true }
        return try Bool.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT 1 FROM resources INDEXED BY \(column.index) WHERE tenant_id = ? AND kind = \(kind.sqlLiteral) AND \(column.name) = \(undecidedSQL) LIMIT 1"
            ), arguments: [tenantID]) ?? false
    }
}
