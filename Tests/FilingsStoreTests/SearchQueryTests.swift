import FilingsCore
import FilingsStore
import FilingsTestSupport
import Testing

@testable import FilingsStorePostgres
@testable import FilingsStoreSQLite

@Suite struct SearchQueryTests {
    @Test(arguments: [
        ("merger", #""merger""#),
        ("Merger Agreement", #""merger" AND "agreement""#),
        (#""definitive agreement""#, #""definitive agreement""#),
        ("acqui*", #""acqui" *"#),
        (#""net inc"*"#, #""net inc" *"#),
        ("merger OR acquisition", #"("merger" OR "acquisition")"#),
        ("a OR b OR c d", #"("a" OR "b" OR "c") AND "d""#),
        ("merger -terminated", #""merger" NOT "terminated""#),
        (#"merger -"letter of intent""#, #""merger" NOT "letter of intent""#),
        ("AT&T", #""at t""#),
        ("merger AND acquisition", #""merger" AND "acquisition""#),
        ("or and", #""or" AND "and""#),
        ("NEAR(merger", #""near merger""#),
        ("merger ;", #""merger""#),
        ("Zürich", #""zürich""#),
        ("'; DROP TABLE filings; --", #""drop" AND "table" AND "filings""#),
        ("col:value", #""col value""#),
        ("^start", #""start""#),
    ])
    func parsesAndRendersForFTS5(_ text: String, _ expected: String) throws {
        let search = try SearchQuery(parsing: text)
        #expect(SQLiteQuery.matchExpression(search) == expected)
    }

    @Test(arguments: [
        ("merger", "'merger'"),
        ("Merger Agreement", "'merger' & 'agreement'"),
        (#""definitive agreement""#, "('definitive' <-> 'agreement')"),
        ("acqui*", "'acqui':*"),
        (#""net inc"*"#, "('net' <-> 'inc':*)"),
        ("merger OR acquisition", "('merger' | 'acquisition')"),
        ("merger -terminated", "'merger' & !'terminated'"),
        (#"merger -"letter of intent""#, "'merger' & !('letter' <-> 'of' <-> 'intent')"),
        ("AT&T", "('at' <-> 't')"),
        ("'; DROP TABLE filings; --", "'drop' & 'table' & 'filings'"),
        ("a:* | !b", "'a':* & 'b'"),
    ])
    func parsesAndRendersForPostgreSQL(_ text: String, _ expected: String) throws {
        let search = try SearchQuery(parsing: text)
        #expect(PostgresFilingQuery.tsquery(search) == expected)
    }

    @Test(arguments: [
        ("*", "must follow the beginning of a word"),
        ("merger*x*", "may only end a word"),
        (#""unclosed"#, "is not closed"),
        (#""" merger"#, "has no words"),
        ("OR merger", "needs a term on each side"),
        ("merger OR", "needs a term after it"),
        ("a OR OR b", "needs a term on each side"),
        ("-merger", "at least one word that is not excluded"),
        (";;; --", "no words"),
        ("a\u{0}b", "control character U+0000"),
        (String(repeating: "word ", count: 2000), "longer than the limit"),
        ((0..<65).map { "w\($0)" }.joined(separator: " "), "more than the limit"),
        ("a OR -b", "cannot join an excluded term"),
    ])
    func refusesWithAReason(_ text: String, _ reason: String) {
        do {
            let search = try SearchQuery(parsing: text)
            Issue.record("accepted \(text.prefix(40)) as \(search)")
        } catch {
            #expect(error.code == .invalidQuery)
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    /// Whatever a user types is either refused with INVALID_ARGUMENT or runs: never a database error.
    /// Index tokens are runs of letters, digits and combining marks, lowercased, in any script: the same as a
    /// reading of each character's Unicode properties, on random text of ASCII, accented and other letters, marks,
    /// digits of other scripts, symbols and spaces.
    @Test func tokensAreRunsOfLettersDigitsAndMarksLowercased() {
        func reference(_ text: String) -> [String] {
            var tokens: [String] = []
            var current = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil
                    || [.nonspacingMark, .spacingMark, .enclosingMark].contains(properties.generalCategory)
                {
                    current.append(scalar)
                } else if !current.isEmpty {
                    tokens.append(String(current).lowercased())
                    current = String.UnicodeScalarView()
                }
            }
            if !current.isEmpty { tokens.append(String(current).lowercased()) }
            return tokens
        }
        #expect(
            SearchQuery.tokens(of: "Net-Income, ZÜRICH İstanbul 2024 ½ e\u{301}té") == [
                "net", "income", "zürich", "i\u{307}stanbul", "2024", "½", "e\u{301}té",
            ]
        )
        let pieces: [String] = [
            "A", "z", "Q", "0", "9", " ", "  ", "\n", "-", ",", "'", "\"", "&", "_", "é", "Ü", "ß", "İ", "Σ", "ς",
            "\u{301}", "\u{20DD}", "٣", "½", "Ⅻ", "中", "文", "ﬁ", "€", "—", "\u{00A0}", "😀", "\u{1F1EB}\u{1F1F7}",
            "Ǆ", "ǅ", "\u{0}", "\t",
        ]
        var random = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...40, using: &random) { text += pieces.randomElement(using: &random)! }
            let expected = reference(text)
            #expect(SearchQuery.tokens(of: text) == expected, "\(text.debugDescription)")
            let joined = SearchQuery.joinedTokens(of: text)
            #expect(joined.text == expected.joined(separator: " ") && joined.count == expected.count)
        }
    }

    /// PostgreSQL indexes a body by its tokens, and by its distinct tokens only when its tsvector would pass the
    /// limit: many occurrences of few words stay whole; many distinct words become each word once, sorted.
    @Test func postgresIndexesABodyWhoseTsvectorWouldBeTooLargeByItsDistinctWords() throws {
        var record = FilingRecord(facts: try parsed(try seedDocuments()[0].bytes).filing)
        record.searchBody = "Merger, merger; AGREEMENT."
        var row = PostgresFilingStore.Row(record)
        #expect(row.bodyTokens == "merger merger agreement" && !row.bodyWordsOnly)

        record.searchBody = String(repeating: "Merger agreement. ", count: 100_000)
        row = PostgresFilingStore.Row(record)
        #expect(!row.bodyWordsOnly, "two lexemes of 256 positions each are far below the limit")
        #expect(row.bodyTokens == Array(repeating: "merger agreement", count: 100_000).joined(separator: " "))

        let words = (0..<60_000).map { "w\($0 * 7919 % 60_000)x" }
        record.searchBody = (words + words).joined(separator: " ")
        row = PostgresFilingStore.Row(record)
        #expect(row.bodyWordsOnly)
        #expect(row.bodyTokens == Set(words).sorted().joined(separator: " "))
    }

    @Test func hostileAndRandomTextNeverReachesTheDatabaseAsSyntax() async throws {
        try await TemporaryStore.with { store, _ in
            _ = try await store.store(try await parsedBatch(count: 10, seed: 5))
            var texts = [
                "NEAR(merger acquisition, 5)", "merger NEAR/3 deal", "title:merger", "{title body}: merger", "\"",
                "\"\"\"", "a\"b\"c", "*merger", "merger**", "-", "--", "- merger", "(merger OR deal)", "merger)",
                "' OR 1=1 --", "\"; DELETE FROM filings; --", "\\x00", "%", "_", "merger%", "NOT merger", "AND",
                "OR", "merger NOT deal", "+merger", "merger^2", "\u{FEFF}merger", "🙂", "名前", "ﬁnance",
                String(repeating: "a", count: 10_000), String(repeating: "\"a\" ", count: 3000),
            ]
            var random = SplitMix64(seed: 77)
            let alphabet = Array("ab \"*-()OR:^{}'%_\\NEAR")
            for _ in 0..<300 {
                texts.append(
                    String(
                        (0..<Int(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
                    )
                )
            }
            for text in texts {
                let query: FilingQuery
                do throws(StoreError) {
                    query = try FilingQuery(
                        .with {
                            $0.text = text; $0.company = text; $0.person = text
                        }
                    )
                } catch {
                    #expect(error.status == .invalidArgument, "\(text.prefix(40)): \(error)")
                    continue
                }
                do {
                    _ = try await store.query(query)
                } catch {
                    Issue.record("\(text.prefix(40)) reached the database as syntax: \(error)")
                }
            }
        }
    }
}
