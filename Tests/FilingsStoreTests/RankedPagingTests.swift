import FilingsCore
import FilingsStore
import FilingsTestSupport
import Testing

/// Relevance pages of any size are the one page that holds every hit, cut into pieces: the same filings with the same
/// scores in the same order. A store may skip scoring in full what cannot enter a page (SQLite does); the page of
/// 1,000 scores every hit in full, so it is the answer the small pages must give.
@Suite struct RankedPagingTests {
    /// Words the queries ask for, at random frequencies; the filler makes documents of very different lengths.
    static let topics = ["merger", "dividend", "revenue", "pipeline", "license", "acquisition", "buyback", "outlook"]
    static let filler = ["the", "company", "said", "today", "new", "market", "year", "operations", "board", "plan"]

    /// Releases whose headlines and bodies repeat the topic words at random, some written twice (equal scores, so
    /// that ties are ordered by the rows' order).
    static func corpus(count: Int, seed: UInt64) throws -> [FilingToStore] {
        var random = SplitMix64(seed: seed)
        var texts: [String] = []
        var written: [(headline: String, body: String, day: Int)] = []
        for index in 0..<count {
            if index % 9 == 8, let earlier = written.randomElement(using: &random) {
                // The same words a year later: another document, with the same score.
                texts.append(text(earlier.headline, earlier.body, day: earlier.day, year: 2002))
                continue
            }
            // Two topics of the eight a document: each word is in about a quarter of them, so it weighs something.
            let own = Array(topics.shuffled(using: &random).prefix(2))
            let headline = (0..<Int.random(in: 2...6, using: &random)).map { _ in
                Bool.random(using: &random) ? own.randomElement(using: &random)! : filler.randomElement(using: &random)!
            }
            let body = (0..<Int.random(in: 5...400, using: &random)).map { _ in
                Int.random(in: 0..<10, using: &random) < 2
                    ? own.randomElement(using: &random)! : filler.randomElement(using: &random)!
            }
            let day = index % 28 + 1
            written.append((headline.joined(separator: " "), body.joined(separator: " "), day))
            texts.append(text(headline.joined(separator: " "), body.joined(separator: " "), day: day, year: 2001))
        }
        return try texts.map { try parsed(Array($0.utf8)) }
    }

    private static func text(_ headline: String, _ body: String, day: Int, year: Int) -> String {
        "Acme \(headline) results\n\nSPRINGFIELD, March \(day), \(year) -- Acme Corp. \(body).\n"
    }

    static func queries(seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        var queries = ["merger", "merger dividend", "merger OR dividend OR revenue", "acqui*", "\"new market\""]
        for _ in 0..<16 {
            let words = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                topics.randomElement(using: &random)!
            }
            switch Int.random(in: 0..<4, using: &random) {
            case 0: queries.append(words.joined(separator: " OR "))
            case 1: queries.append(words.joined(separator: " OR ") + " -" + topics.randomElement(using: &random)!)
            case 2: queries.append(String(words[0].prefix(4)) + "* " + words.dropFirst().joined(separator: " "))
            default: queries.append(words.joined(separator: " "))
            }
        }
        return queries
    }

    /// Expects the pages of each size in `pageSizes` of the hits of `request` to be its one page of every hit (of
    /// 1,000, which scores every hit in full) cut into pieces: the same filings with the same scores in the same
    /// order. Returns that one page.
    @discardableResult
    static func expectPagesCutOneWholePage(
        _ request: QueryRequest,
        in store: any FilingStore,
        pageSizes: [UInt32]
    ) async throws -> [QueryHit] {
        let whole = try await store.allHits(request, pageSize: 1000)
        guard whole.count > 1 else { return whole }
        for pageSize in pageSizes {
            let paged = try await store.allHits(request, pageSize: pageSize)
            #expect(paged.map(\.id) == whole.map(\.id), "\(request.text), pages of \(pageSize)")
            #expect(paged.map(\.score) == whole.map(\.score), "\(request.text), pages of \(pageSize)")
        }
        return whole
    }

    /// The same, for a query of the search text `text` alone.
    static func expectPagesCutOneWholePage(
        _ text: String,
        in store: any FilingStore,
        pageSizes: [UInt32]
    ) async throws {
        try await expectPagesCutOneWholePage(QueryRequest.with { $0.text = text }, in: store, pageSizes: pageSizes)
    }

    @Test(arguments: StoreBackend.all)
    func everyPageSizeGivesTheRankingOfOneWholePage(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            _ = try await store.store(try Self.corpus(count: 150, seed: 5))
            for text in Self.queries(seed: 6) {
                try await Self.expectPagesCutOneWholePage(text, in: store, pageSizes: [1, 2, 3, 7, 20])
            }
        }
    }

    /// A filter narrows the hits before they are ranked: the page is the best of what the filter lets through.
    @Test(arguments: StoreBackend.all)
    func filteredPagesAreTheBestOfWhatTheFilterKeeps(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            _ = try await store.store(try Self.corpus(count: 150, seed: 9))
            for text in ["merger OR dividend", "revenue", "acqui* OR license"] {
                let request = QueryRequest.with {
                    $0.text = text
                    $0.dateFrom = "2001-03-10"
                    $0.dateTo = "2001-03-20"
                }
                let whole = try await Self.expectPagesCutOneWholePage(request, in: store, pageSizes: [1, 4])
                #expect(whole.count > 2, "\(text): the filter should keep some hits")
                #expect(whole.allSatisfy { ("2001-03-10"..."2001-03-20").contains($0.documentDate) })
            }
        }
    }

    /// Filings whose facts are replaced (as Reparse does) with shorter and longer text rank by their new text, and
    /// pages still cut the one page of every hit.
    @Test(arguments: StoreBackend.all)
    func replacedFilingsRankByTheirNewText(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let stored = try Self.corpus(count: 120, seed: 21)
            _ = try await store.store(stored)
            // A third of the filings get the facts of another document of the corpus: other words, other lengths.
            let others = try Self.corpus(count: 40, seed: 22)
            var replaced: [ParsedFiling] = []
            for (index, other) in others.enumerated() {
                var filing = other.filing
                filing.sha256 = stored[index * 3].filing.sha256
                replaced.append(filing)
            }
            #expect(try await store.replaceFacts(replaced) == replaced.count)
            for text in Self.queries(seed: 23) {
                try await Self.expectPagesCutOneWholePage(text, in: store, pageSizes: [1, 5, 20])
            }
        }
    }
}
