import Foundation
import Testing

@testable import FilingsStoreSQLite

/// `filings_top`, the aggregate that picks a ranked page in one pass, against sorting every row.
@Suite struct RankedPageTests {
    private func database() throws -> (SQLiteConnection, URL) {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("ranked-page-\(UInt64.random(in: 0...UInt64.max)).sqlite")
        let db = try SQLiteConnection(path: file.path, readOnly: false, create: true, sizeFloors: nil)
        try db.execute("CREATE TABLE scored (row INTEGER, key INTEGER, score REAL)")
        return (db, file)
    }

    /// The page by sorting: rows ranked after `after` (score DESC, row ASC), negative scores left out.
    private func expected(
        _ rows: [RankedPage.Entry],
        capacity: Int,
        after: (score: Double, row: Int64)?
    ) -> [RankedPage.Entry] {
        let candidates = rows.filter { entry in
            guard entry.score >= 0 else { return false }
            guard let after else { return true }
            return entry.score < after.score || (entry.score == after.score && entry.row > after.row)
        }
        let sorted = candidates.sorted { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
        return Array(sorted.prefix(capacity))
    }

    private func page(
        _ db: SQLiteConnection,
        capacity: Int,
        after: (score: Double, row: Int64)?
    ) throws -> RankedPage {
        let statement = try db.statement(
            after == nil
                ? "SELECT filings_top(row, key, score, ?) FROM (SELECT * FROM scored ORDER BY random())"
                : "SELECT filings_top(row, key, score, ?, ?, ?) FROM (SELECT * FROM scored ORDER BY random())"
        )
        var bindings: [SQLiteValue] = [.int(Int64(capacity))]
        if let after { bindings += [.double(after.score), .int(after.row)] }
        try statement.bind(bindings)
        #expect(try statement.step())
        let page = try #require(statement.withBlob(0, RankedPage.init))
        statement.reset()
        return page
    }

    @Test func pagesAreTheBestRowsInScoreThenRowOrderForRandomRows() throws {
        let (db, file) = try database()
        defer { try? FileManager.default.removeItem(at: file) }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<60 {
            // One transaction a round: a commit of its own for each row fsyncs thousands of times, on a thread of the
            // test process's small pool.
            try db.execute("BEGIN")
            try db.execute("DELETE FROM scored")
            let count = Int.random(in: 0...300, using: &generator)
            // Few distinct scores, so that ties are common; -1 is filings_rank's "cannot be on the page".
            let scores = [-1.0, 0.0, 0.5, 1.25, 1.25 + 1e-12, 3.0]
            let rows = (0..<count).map { index in
                RankedPage.Entry(
                    score: scores.randomElement(using: &generator)!,
                    row: Int64(index * 3 + 1),
                    key: Int64.random(in: 1...Int64.max, using: &generator)
                )
            }
            let insert = try db.statement("INSERT INTO scored VALUES (?, ?, ?)")
            for entry in rows {
                try insert.bind([.int(entry.row), .int(entry.key), .double(entry.score)])
                _ = try insert.step()
                insert.reset()
            }
            try db.execute("COMMIT")
            let capacity = [1, 2, 21, 500].randomElement(using: &generator)!
            let after: (score: Double, row: Int64)? =
                round % 2 == 0 || rows.isEmpty
                ? nil : (rows.randomElement(using: &generator)!.score, Int64.random(in: 0...Int64(count * 3)))
            let page = try page(db, capacity: capacity, after: after)
            #expect(page.count == Int64(count), "every row is counted, on the page or not")
            #expect(page.entries == expected(rows, capacity: capacity, after: after), "round \(round)")
        }
    }

    @Test func noRowsGiveACountOfZeroAndAnEmptyPage() throws {
        let (db, file) = try database()
        defer { try? FileManager.default.removeItem(at: file) }
        let page = try page(db, capacity: 21, after: nil)
        #expect(page.count == 0)
        #expect(page.entries.isEmpty)
    }

    @Test func aCapacityOutsideItsRangeOrTheWrongArgumentsAreAnError() throws {
        let (db, file) = try database()
        defer { try? FileManager.default.removeItem(at: file) }
        try db.execute("INSERT INTO scored VALUES (1, 1, 1.0)")
        for capacity in [0, -1, 100_001] {
            let statement = try db.statement("SELECT filings_top(row, key, score, \(capacity)) FROM scored")
            #expect(throws: SQLiteError.self) { try statement.step() }
            statement.reset()
        }
        for arguments in ["row", "row, key, score", "row, key, score, 5, 1.0"] {
            let statement = try db.statement("SELECT filings_top(\(arguments)) FROM scored")
            #expect(throws: SQLiteError.self, "filings_top(\(arguments))") { try statement.step() }
            statement.reset()
        }
    }
}
