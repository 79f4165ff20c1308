import Testing

@testable import FilingsStoreSQLite

/// The index rows a write transaction holds until it commits.
@Suite struct PendingIndexRowsTests {
    private func keys(_ rows: PendingIndexRows) -> [Int64] { rows.rows.map(\.key) }

    @Test func aRolledBackSavepointDropsWhatItAdded() {
        var rows = PendingIndexRows()
        rows.add(table: "filings_fts", columns: "title, body", key: 30, values: [])
        let mark = rows.mark
        rows.add(table: "filings_fts", columns: "title, body", key: 10, values: [])
        rows.add(table: "company_names", columns: "names", key: 10, values: [])
        rows.rollBack(to: mark)
        #expect(keys(rows) == [30])
        rows.rollBack(to: rows.mark)
        #expect(keys(rows) == [30], "nothing was added since")
    }

    @Test func aFilingDeletedLaterInTheTransactionDropsItsRowsFromEveryTable() {
        var rows = PendingIndexRows()
        for table in ["filings_fts", "company_names", "person_names"] {
            rows.add(table: table, columns: "names", key: 0x1_0000_0100, values: [])
            rows.add(table: table, columns: "names", key: 0x1_0000_0205, values: [])
        }
        rows.cancel(keys: 0x1_0000_0200...0x1_0000_02FF)
        #expect(keys(rows) == [0x1_0000_0100, 0x1_0000_0100, 0x1_0000_0100])
        #expect(Set(rows.rows.map(\.table)) == ["filings_fts", "company_names", "person_names"])
    }

    @Test func writesEveryRowAndForgetsThem() throws {
        let db = try SQLiteConnection(path: ":memory:", readOnly: false, create: true)
        try db.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
        var rows = PendingIndexRows()
        for key: Int64 in [5, 1, 3] { rows.add(table: "t", columns: "body", key: key, values: [.text("word \(key)")]) }
        try rows.write(to: db)
        #expect(rows.isEmpty)
        let statement = try db.statement("SELECT rowid, body FROM t ORDER BY rowid")
        var written: [String] = []
        while try statement.step() { written.append("\(statement.int(0)) \(statement.text(1))") }
        #expect(written == ["1 word 1", "3 word 3", "5 word 5"])
    }
}
