internal import CFilingsSQLite
internal import CSQLite

/// The smallest title and body sizes (in tokens) each filing row has had in `filings_fts` since the store was
/// opened, in memory: what lets a ranked page skip the rows that cannot enter it without reading their sizes from
/// FTS5 (`filings_rank` in `CFilingsSQLite.h`).
///
/// A floor is only ever lowered, to the sizes of a version of the row that this store wrote (read back from FTS5's
/// docsize table before the version commits) or that the file held when the store opened it. So whatever snapshot
/// a reader has, every row's floor is at most the sizes it reads: a bound made from it is never below the score.
/// That holds while this store is the file's only writer, which ``SQLiteFilingStore`` enforces with its lock.
final class SizeFloors: @unchecked Sendable {
    let table: OpaquePointer

    init?() {
        guard let table = filings_size_floors_create() else { return nil }
        self.table = table
    }

    deinit { filings_size_floors_destroy(table) }

    /// Lowers the floors of the filing whose full-text row has `key` to that row's sizes, read from FTS5 on `db`
    /// (inside the transaction that wrote it).
    func lower(toSizesOf key: Int64, on db: SQLiteConnection) throws(SQLiteError) {
        let statement = try db.statement("SELECT sz FROM filings_fts_docsize WHERE id = ?")
        try statement.bind([.int(key)])
        guard try statement.step() else { return }
        lower(row: DateKey.row(of: key), docsize: statement)
    }

    /// Sets the floors of every row in `filings_fts`; returns how many rows it read.
    func load(from db: SQLiteConnection) throws(SQLiteError) -> Int {
        let statement = try db.statement("SELECT id, sz FROM filings_fts_docsize")
        defer { statement.reset() }
        var rows = 0
        while try statement.step() {
            lower(row: DateKey.row(of: statement.int(0)), docsize: statement, column: 1)
            rows += 1
        }
        return rows
    }

    /// The floors of `row`, (title, body); nil when it has none.
    func floors(of row: Int64) -> (title: Int, body: Int)? {
        var title: Int32 = 0
        var body: Int32 = 0
        guard filings_size_floors_get(table, row, &title, &body) != 0 else { return nil }
        return (Int(title), Int(body))
    }

    private func lower(row: Int64, docsize statement: SQLiteStatement, column: Int32 = 0) {
        statement.withBlob(column) { bytes in
            _ = filings_size_floors_lower_docsize(table, row, bytes.baseAddress, Int32(bytes.count))
        }
    }
}
