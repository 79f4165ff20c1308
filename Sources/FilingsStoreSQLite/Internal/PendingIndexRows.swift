/// The rows a write transaction adds to the full-text and name indexes (FTS5 tables), held until every call of the
/// transaction has been applied and then written in key order, outside any savepoint.
///
/// FTS5 writes the terms it holds out as a new segment at every savepoint, and whenever a row's key is not above the
/// last key written in the transaction. Written as each filing was stored, inside the savepoints of its call and of
/// the filing, every filing became a segment of its own, which FTS5 then merged again and again. Held here, a
/// transaction writes one segment per index.
///
/// A savepoint that is rolled back drops the rows added since it was opened (``mark`` and ``rollBack(to:)``); a
/// filing deleted or replaced later in the same transaction drops its rows (``cancel(keys:)``).
struct PendingIndexRows {
    struct Row {
        var table: String
        /// The columns after `rowid`, as in `INSERT INTO table (rowid, columns)`.
        var columns: String
        var key: Int64
        var values: [SQLiteValue]
    }

    private(set) var rows: [Row] = []

    /// Where a savepoint opened now would roll back to.
    var mark: Int { rows.count }

    var isEmpty: Bool { rows.isEmpty }

    mutating func add(table: String, columns: String, key: Int64, values: [SQLiteValue]) {
        rows.append(Row(table: table, columns: columns, key: key, values: values))
    }

    /// Drops the rows added since `mark`.
    mutating func rollBack(to mark: Int) {
        if mark < rows.count { rows.removeSubrange(mark...) }
    }

    /// Drops the rows of every table whose key is in `keys` (one filing's keys, whatever its kinds).
    mutating func cancel(keys: ClosedRange<Int64>) {
        rows.removeAll { keys.contains($0.key) }
    }

    mutating func removeAll() {
        rows.removeAll()
    }

    /// Writes the rows, table by table in ascending key order, and forgets them; lowers the connection's size
    /// floors to the sizes of each full-text row (`filings_fts`) written.
    mutating func write(to db: SQLiteConnection) throws(SQLiteError) {
        defer { rows.removeAll() }
        let ordered = rows.sorted { ($0.table, $0.key) < ($1.table, $1.key) }
        for row in ordered {
            let marks = Array(repeating: "?", count: row.values.count + 1).joined(separator: ", ")
            try db.run(
                "INSERT INTO \(row.table) (rowid, \(row.columns)) VALUES (\(marks))",
                [.int(row.key)] + row.values
            )
            if row.table == Self.rankedTable, let floors = db.sizeFloors {
                try floors.lower(toSizesOf: row.key, on: db)
            }
        }
    }

    /// The full-text index that ranked pages read, whose sizes ``SizeFloors`` keeps.
    static let rankedTable = "filings_fts"
}
