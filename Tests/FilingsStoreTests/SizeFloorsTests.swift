import Foundation
import Testing

@testable import FilingsStoreSQLite

/// The in-memory floor under each filing's title and body sizes, against FTS5's own count of them.
@Suite struct SizeFloorsTests {
    /// A connection to a new database file with a `filings_fts` like the store's, and its floors.
    private func database() throws -> (SQLiteConnection, SizeFloors, URL) {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("size-floors-\(UInt64.random(in: 0...UInt64.max)).sqlite")
        let floors = try #require(SizeFloors())
        let db = try SQLiteConnection(path: file.path, readOnly: false, create: true, sizeFloors: floors)
        try db.execute(
            "CREATE VIRTUAL TABLE filings_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        return (db, floors, file)
    }

    private func key(row: Int64) -> Int64 { DateKey.key(date: "2024-05-06", row: row, kinds: 0b10) }

    /// Body sizes from 0 to past 2^14 tokens: each varint length of FTS5's size record.
    private let bodies = [0, 1, 127, 128, 300, 16_383, 16_384, 20_000]

    @Test func writtenRowsGetTheirSizesAsFTS5CountsThem() throws {
        let (db, floors, file) = try database()
        defer { try? FileManager.default.removeItem(at: file) }
        var rows = PendingIndexRows()
        for (index, words) in bodies.enumerated() {
            // Punctuation and diacritics are not tokens of their own: FTS5's count, not the number of spaces.
            let body =
                Array(repeating: "naïve, co-op", count: words / 2).joined(separator: " ") + (words % 2 == 1 ? " x" : "")
            rows.add(
                table: "filings_fts",
                columns: "title, body",
                key: key(row: Int64(index + 1)),
                values: [.text("Q\(index) results — up"), .text(body)]
            )
        }
        try db.execute("BEGIN")
        try rows.write(to: db)
        try db.execute("COMMIT")
        for (index, words) in bodies.enumerated() {
            let floor = try #require(floors.floors(of: Int64(index + 1)))
            #expect(floor.title == 3)
            #expect(floor.body == words + words / 2, "co-op is two tokens")
        }
        #expect(floors.floors(of: Int64(bodies.count + 1)) == nil)

        // What a store opening the file reads is the same.
        let reloaded = try #require(SizeFloors())
        #expect(try reloaded.load(from: db) == bodies.count)
        for row in 1...Int64(bodies.count) { #expect(reloaded.floors(of: row)! == floors.floors(of: row)!) }
    }

    /// A row written again with other text keeps the smaller of each size: a reader of an older snapshot still
    /// reads the older text.
    @Test func aRowWrittenAgainKeepsTheSmallerOfEachSize() throws {
        let (db, floors, file) = try database()
        defer { try? FileManager.default.removeItem(at: file) }
        for (title, body) in [("a b c", "one two"), ("a", "one two three four")] {
            var rows = PendingIndexRows()
            try db.execute("DELETE FROM filings_fts")
            rows.add(
                table: "filings_fts",
                columns: "title, body",
                key: key(row: 9),
                values: [.text(title), .text(body)]
            )
            try rows.write(to: db)
        }
        #expect(floors.floors(of: 9)! == (title: 1, body: 2))
    }

    @Test func rowsOutsideTheKeysRangeHaveNoFloor() throws {
        let floors = try #require(SizeFloors())
        #expect(floors.floors(of: 0) == nil)
        #expect(floors.floors(of: DateKey.rowLimit) == nil)
        #expect(floors.floors(of: DateKey.rowLimit - 1) == nil)
    }
}
