import FilingsCore
import FilingsStore
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Testing

/// The SQLite store's relevance score is the one PROTOCOL.md documents: BM25 (k1 1.2, b 0.75) over each filing's
/// title and text, a title hit weighted 5×, with per-phrase IDF floored as FTS5's bm25() floors it. Computed here
/// from the words of each filing's indexed text, for many random queries, and compared hit by hit.
@Suite struct RelevanceScoreTests {
    private struct Indexed {
        var id: String
        /// Title and text, as the words the full-text index holds.
        var columns: [[String]]
    }

    /// unicode61's tokens of ASCII text: runs of letters and digits, lower-cased.
    private static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
    }

    /// The documented score of each filing that has at least one of `phrases` (one word each), or with `all`, every
    /// one of them, by id.
    private static func reference(_ phrases: [String], all: Bool, in corpus: [Indexed]) -> [String: Double] {
        let k1 = 1.2
        let b = 0.75
        let weights = [5.0, 1.0]
        let rows = Double(corpus.count)
        let means = (0..<2).map { column in
            let tokens = corpus.reduce(0) { $0 + $1.columns[column].count }
            return Double(tokens) / rows > 0 ? Double(tokens) / rows : 1.0
        }
        let idf = phrases.map { phrase in
            let matching = Double(corpus.filter { $0.columns.contains { $0.contains(phrase) } }.count)
            let value = log((rows - matching + 0.5) / (matching + 0.5))
            return value <= 0 ? 1e-6 : value
        }
        var scores: [String: Double] = [:]
        for filing in corpus
        where !all || phrases.allSatisfy({ phrase in filing.columns.contains { $0.contains(phrase) } }) {
            var score = 0.0
            var matched = false
            for (index, phrase) in phrases.enumerated() {
                for column in 0..<2 {
                    let frequency = Double(filing.columns[column].filter { $0 == phrase }.count)
                    if frequency == 0 { continue }
                    matched = true
                    let size = Double(filing.columns[column].count)
                    let norm = k1 * (1.0 - b + b * size / means[column])
                    score += weights[column] * idf[index] * (frequency * (k1 + 1.0)) / (frequency + norm)
                }
            }
            if matched { scores[filing.id] = score }
        }
        return scores
    }

    @Test func everyHitScoresTheDocumentedBM25() async throws {
        try await TemporaryStore.with { store, _ in
            let corpus = try RankedPagingTests.corpus(count: 120, seed: 41)
            let outcomes = try await store.store(corpus)
            // A document the corpus repeats byte for byte is one filing.
            let indexed = zip(outcomes, corpus).filter(\.0.created).map { outcome, filing in
                let record = FilingRecord(facts: filing.filing)
                return Indexed(
                    id: outcome.id,
                    columns: [Self.words(record.searchTitle), Self.words(record.searchBody)]
                )
            }
            #expect(indexed.count > 100)
            var random = SplitMix64(seed: 42)
            let vocabulary = RankedPagingTests.topics + RankedPagingTests.filler + ["acme", "results", "march"]
            for _ in 0..<40 {
                let phrases = Array(
                    Set(
                        (0..<Int.random(in: 1...3, using: &random)).map { _ in
                            vocabulary.randomElement(using: &random)!
                        }
                    )
                )
                let all = Bool.random(using: &random)
                let text = phrases.joined(separator: all ? " " : " OR ")
                let expected = Self.reference(phrases, all: all, in: indexed)
                let hits = try await store.allHits(QueryRequest.with { $0.text = text }, pageSize: 20)
                #expect(Set(hits.map(\.id)) == Set(expected.keys), "\(text): the filings that match")
                #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >), "\(text): best first")
                for hit in hits {
                    let reference = try #require(expected[hit.id])
                    #expect(abs(hit.score - reference) <= 1e-12 * reference, "\(text): \(hit.score) vs \(reference)")
                }
            }
        }
    }
}
