import FilingsCore
import FilingsStore
import FilingsTestSupport
import Foundation
import Testing

@testable import FilingsStoreSQLite

/// `filings_snippet`, the passage a hit shows (CFilingsSQLite.h), on an FTS5 table like the store's.
@Suite struct SnippetTests {
    /// A connection to a new database file with a `filings_fts` like the store's (without a copy of its text),
    /// holding `rows` (title, body), and each row's filing (one document of that title and text) in tables like the
    /// store's `filings` and `filing_blobs`, which the snippet reads the text from.
    private func database(_ rows: [(title: String, body: String)]) throws -> (SQLiteConnection, URL) {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("snippet-\(UInt64.random(in: 0...UInt64.max)).sqlite")
        let db = try SQLiteConnection(path: file.path, readOnly: false, create: true)
        try db.execute(
            """
            CREATE VIRTUAL TABLE filings_fts USING fts5(
                title, body, content = '', tokenize = 'unicode61 remove_diacritics 2'
            );
            CREATE TABLE filings (row INTEGER PRIMARY KEY, filing_size INTEGER NOT NULL);
            CREATE TABLE filing_blobs (row INTEGER PRIMARY KEY, filing BLOB NOT NULL);
            """
        )
        // One transaction: a commit of its own for each row fsyncs once a row, on a thread of the test process's
        // small pool.
        try db.execute("BEGIN")
        for (index, row) in rows.enumerated() {
            var document = Document()
            document.title = row.title
            document.text = row.body
            var filing = ParsedFiling()
            filing.documents = [document]
            let record = FilingRecord(facts: filing)
            try db.run(
                "INSERT INTO filings_fts(rowid, title, body) VALUES (?, ?, ?)",
                [.int(Int64(index + 1)), .text(record.searchTitle), .text(record.searchBody)]
            )
            try db.run("INSERT INTO filings VALUES (?, ?)", [.int(Int64(index + 1)), .int(Int64(record.filingSize))])
            try db.run("INSERT INTO filing_blobs VALUES (?, ?)", [.int(Int64(index + 1)), .blob(record.filingBlob)])
        }
        try db.execute("COMMIT")
        return (db, file)
    }

    /// The snippet of each row matching `match`, by rowid.
    private func snippets(_ db: SQLiteConnection, _ match: String, tokens: Int = 16) throws -> [Int64: String] {
        let statement = try db.statement(
            """
            SELECT rowid, filings_snippet(filings_fts, '**', '**', '…', ?,
                (SELECT filing FROM filing_blobs WHERE row = filings_fts.rowid),
                (SELECT filing_size FROM filings WHERE row = filings_fts.rowid))
            FROM filings_fts WHERE filings_fts MATCH ?
            """
        )
        try statement.bind([.int(Int64(tokens)), .text(match)])
        var result: [Int64: String] = [:]
        while try statement.step() { result[statement.int(0)] = statement.text(1) }
        return result
    }

    private func words(_ range: Range<Int>) -> String { range.map { "w\($0)" }.joined(separator: " ") }

    @Test func aMatchNearTheEndShowsTheColumnsLastTokens() throws {
        let body = words(0..<195) + " merger " + words(196..<200)
        let (db, file) = try database([("Title", body)])
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try snippets(db, "merger") == [1: "…" + words(184..<195) + " **merger** " + words(196..<200)])
    }

    @Test func aMatchInTheMiddleIsCentredAndCutAtBothEnds() throws {
        let body = words(0..<100) + " merger " + words(101..<200)
        let (db, file) = try database([("Title", body)])
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try snippets(db, "merger") == [1: "…" + words(93..<100) + " **merger** " + words(101..<109) + "…"])
    }

    @Test func thePassageMovesToTheNearestSentenceThatKeepsEveryMatch() throws {
        let body =
            words(0..<20) + ". “The merger agreement was signed today,” she said, by both parties after talks that "
            + "took many months and many more words. " + words(100..<140)
        let (db, file) = try database([("Title", body)])
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(
            try snippets(db, "merger agreement")
                == [
                    1:
                        "…“The **merger** **agreement** was signed today,” she said, by both parties after talks that took many…"
                ]
        )
        // A blank line is a sentence boundary too, and text after a closing quote.
        let (other, otherFile) = try database([
            ("Title", words(0..<30) + "\n\nRESULTS OF OPERATIONS net income rose " + words(40..<80)),
            ("Title", words(0..<30) + " as “planned.” Net income rose " + words(40..<80)),
        ])
        defer { try? FileManager.default.removeItem(at: otherFile) }
        let found = try snippets(other, "\"net income\"")
        #expect(found[1]?.hasPrefix("…RESULTS OF OPERATIONS **net income** rose w40") == true, "\(found)")
        #expect(found[2]?.hasPrefix("…**Net income** rose w40") == true, "\(found)")
    }

    @Test func theWindowWithTheMostDistinctPhrasesWins() throws {
        let body =
            "The dividend was paid. " + words(0..<60) + " dividend dividend dividend " + words(60..<120)
            + " a new repurchase program and a higher dividend " + words(120..<160)
        let (db, file) = try database([("Title", body)])
        defer { try? FileManager.default.removeItem(at: file) }
        let snippet = try #require(try snippets(db, "dividend OR repurchase")[1])
        #expect(snippet.contains("**repurchase**") && snippet.contains("**dividend**"), "\(snippet)")
    }

    @Test func theTextIsPreferredToTheTitleUnlessOnlyTheTitleMatches() throws {
        let (db, file) = try database([
            ("Merger of equals", "The board approved the merger today."),
            ("Merger of equals", "The board approved the deal today."),
        ])
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(
            try snippets(db, "merger") == [
                1: "The board approved the **merger** today.",
                2: "**Merger** of equals",
            ]
        )
    }

    @Test func aPhraseIsHighlightedAsOneAndTextKeepsItsBytes() throws {
        let (db, file) = try database([
            ("Résultats", "La Société Générale a publié son net income: 3,2 Md€ — naïve “façade” café."),
            ("Q3", "Net\nincome of $5 million"),
        ])
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(
            try snippets(db, "\"net income\" OR naive OR cafe") == [
                1: "La Société Générale a publié son **net income**: 3,2 Md€ — **naïve** “façade” **café**.",
                2: "**Net\nincome** of $5 million",
            ]
        )
    }

    @Test func aPrefixMatchesEveryWordItStarts() throws {
        let (db, file) = try database([("Deal", "Acquirer acquired the acquisition target.")])
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try snippets(db, "acqui*") == [1: "**Acquirer** **acquired** the **acquisition** target."])
    }

    @Test func theTokenCountIsChecked() throws {
        let (db, file) = try database([("Deal", "A merger.")])
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try snippets(db, "merger", tokens: 1) == [1: "…**merger**."])
        #expect(throws: SQLiteError.self) { try snippets(db, "merger", tokens: 0) }
        #expect(throws: SQLiteError.self) { try snippets(db, "merger", tokens: 257) }
    }

    /// Random rows and queries: a snippet is the column's text between its cuts, with each highlight around words of
    /// the query only, and at least one highlight.
    @Test func aSnippetIsTheColumnsTextWithTheQuerysWordsHighlighted() throws {
        var random = SplitMix64(seed: 0x5319_9e7)
        let vocabulary = ["merger", "deal", "net", "income", "naïve", "Café", "board", "said", "the", "of", "a"]
        let punctuation = [" ", " ", " ", ", ", ". ", ".\n\n", " — ", "; ", "” ", " “", "\n"]
        func text(_ count: Int) -> String {
            var result = ""
            for _ in 0..<count {
                result += vocabulary.randomElement(using: &random)! + punctuation.randomElement(using: &random)!
            }
            return result
        }
        let rows = (0..<200).map { _ in
            (text(Int.random(in: 1...6, using: &random)), text(Int.random(in: 0...120, using: &random)))
        }
        let (db, file) = try database(rows)
        defer { try? FileManager.default.removeItem(at: file) }
        for _ in 0..<60 {
            let query = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                vocabulary[Int.random(in: 0..<6, using: &random)]
            }
            let folded = Set(query.map { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) })
            let tokens = Int.random(in: 1...24, using: &random)
            for (row, snippet) in try snippets(db, query.joined(separator: " OR "), tokens: tokens) {
                let (title, body) = rows[Int(row) - 1]
                var plain = snippet.replacingOccurrences(of: "**", with: "")
                if plain.hasPrefix("…") { plain.removeFirst() }
                if plain.hasSuffix("…") { plain.removeLast() }
                #expect(title.contains(plain) || body.contains(plain), "\(snippet) of row \(row)")
                let parts = snippet.components(separatedBy: "**")
                #expect(parts.count >= 3 && parts.count % 2 == 1, "\(snippet)")
                for highlighted in stride(from: 1, to: parts.count, by: 2) {
                    let words = parts[highlighted].split(whereSeparator: { !$0.isLetter })
                    for word in words {
                        let foldedWord = word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                        #expect(folded.contains(foldedWord), "\(word) in \(snippet) for \(query)")
                    }
                }
                let count = plain.split(whereSeparator: { !$0.isLetter }).count
                #expect((1...tokens).contains(count), "\(count) tokens of \(tokens): \(snippet)")
            }
        }
    }

    /// `filings_text`, which snippets and deletes read, is the text the store indexes: FilingRecord's, from the
    /// filing's blob; and a blob that is not an encoded filing of its size is an error, not a text.
    @Test func aFilingsTextFromItsBlobIsTheTextItsRecordIndexes() async throws {
        let corpus = devCorpusFilings()
        if corpus.isEmpty { print("no ../shared/corpus/dev beside the repository: synthetic filings only") }
        let filings = try await parsedBatch(count: 40, seed: 49).map(\.filing) + corpus.map(\.filing)
        let db = try SQLiteConnection(path: ":memory:", readOnly: false, create: true)
        let text = try db.statement("SELECT filings_text(?1, ?2, 0), filings_text(?1, ?2, 1)")
        for filing in filings {
            let record = FilingRecord(facts: filing)
            text.reset()
            try text.bind([.blob(record.filingBlob), .int(Int64(record.filingSize))])
            #expect(try text.step())
            #expect(text.text(0) == record.searchTitle, "titles of \(record.id)")
            #expect(text.text(1) == record.searchBody, "texts of \(record.id)")
        }
        let record = FilingRecord(facts: filings[0])
        for (blob, size) in [
            (record.filingBlob, record.filingSize + 1), (Array(record.filingBlob.dropLast()), record.filingSize),
            (Array("not a blob".utf8), 10), ([], 0),
        ] {
            text.reset()
            try text.bind([.blob(blob), .int(Int64(size))])
            if size == 0 {
                #expect(try text.step() && text.text(0) == "" && text.text(1) == "", "an empty filing has no text")
            } else {
                #expect(throws: SQLiteError.self) { try text.step() }
            }
        }
    }
}
