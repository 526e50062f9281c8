import SCIMBridge

extension ResourceKind {
    /// The kind as an SQL literal ('User' or 'Group': an enum's raw value, never client text).
    ///
    /// Written into the statement instead of bound: `resources_user_name` is a partial index
    /// (`WHERE kind = 'User'`), and when a bound parameter decides whether a partial index
    /// applies, SQLite marks the statement to be re-prepared every time that parameter is bound
    /// again: every GET /Users/{id} then parsed and planned its SELECT anew (about one full
    /// parse per request, seen with `perf probe` on `sqlite3Parser`).
    var sqlLiteral: String { "'\(rawValue)'" }
}
