import FilingsCore
import FilingsParser
import FilingsStore
import FilingsTestSupport
import Foundation
import Testing

/// What every ``FilingStore`` backend promises: written once against `any FilingStore`, run on each backend.
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreBackend.all)
    func storesOnceByContentAndReadsBack(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let seeds = try seedDocuments()
            let first = try await store.store(try seeds.map { try parsed($0.bytes) })
            #expect(first.allSatisfy { $0.created && $0.error == nil && $0.id.count == 20 })
            #expect(Set(first.map(\.id)).count == seeds.count)

            // The same bytes again: the same ids, not created; nothing new stored.
            let again = try await store.store(try seeds.map { try parsed($0.bytes) })
            #expect(again.map(\.id) == first.map(\.id))
            #expect(again.allSatisfy { !$0.created })
            #expect(try await store.stats().documents == UInt64(seeds.count))

            // The same bytes twice in one call: one filing.
            let sample = SyntheticFiling.batch(count: 1, seed: 9)[0].bytes
            let pair = try await store.store([try parsed(sample), try parsed(sample)])
            #expect(pair[0].created && !pair[1].created && pair[0].id == pair[1].id)

            // Newest first, and the first one again at the end: answers in request order, the first one created.
            let batch = try SyntheticFiling.batch(count: 6, seed: 10).map { try parsed($0.bytes) }
                .sorted {
                    FilingRecord($0.filing, raw: []).documentDate > FilingRecord($1.filing, raw: []).documentDate
                }
            let outcomes = try await store.store(batch + [batch[0]])
            #expect(outcomes.map(\.created) == [true, true, true, true, true, true, false])
            #expect(outcomes[6].id == outcomes[0].id)
            for (filing, outcome) in zip(batch, outcomes) {
                #expect(try await store.get(id: outcome.id, includeRaw: true)?.raw == filing.raw)
            }

            for (seed, outcome) in zip(seeds, first) {
                let got = try #require(try await store.get(id: outcome.id, includeRaw: true))
                #expect(got.raw == seed.bytes)
                #expect(got.filing == (try EDGARParser().parse(seed.bytes)))
                #expect(!got.storedAt.isEmpty)
                let bySHA = try #require(try await store.get(id: got.filing?.sha256 ?? "", includeRaw: false))
                #expect(bySHA.id == outcome.id && bySHA.raw.isEmpty)
            }
            #expect(try await store.get(id: "0000000000", includeRaw: false) == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func storedIDsFindsWhatIsStoredBySHA256(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let filings = try await parsedBatch(count: 3, seed: 17)
            let digests = filings.map(\.filing.sha256)
            let unknown = String(repeating: "0", count: 64)
            #expect(try await store.storedIDs(sha256: digests + [unknown]).isEmpty)
            let ids = try await store.store(Array(filings[0..<2])).map(\.id)
            // Asked twice, with one never stored: the stored ones only, each once.
            let found = try await store.storedIDs(sha256: digests + [unknown, digests[0]])
            #expect(found == [digests[0]: ids[0], digests[1]: ids[1]])
            #expect(try await store.delete(id: ids[0]))
            #expect(try await store.storedIDs(sha256: digests) == [digests[1]: ids[1]])
            #expect(try await store.storedIDs(sha256: []).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func twoReplicasStoringTheSameBytesAtOnceMakeOneFiling(_ backend: StoreBackend) async throws {
        try await backend.with { store, open in
            let replica = try await open.replica()
            let batch = try await parsedBatch(count: 40, seed: 21)
            // Both replicas store the whole batch at the same moment, one filing per call.
            let outcomes = try await withThrowingTaskGroup(of: StoreOutcome.self) { group in
                for filing in batch {
                    group.addTask { try await store.store([filing])[0] }
                    group.addTask { try await replica.store([filing])[0] }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0.error == nil })
            #expect(outcomes.filter(\.created).count == 40, "each filing created exactly once")
            #expect(Set(outcomes.map(\.id)).count == 40)
            #expect(try await store.stats().documents == 40)
            #expect(try await replica.stats().documents == 40)
        }
    }

    @Test(arguments: StoreBackend.all)
    func deleteRemovesAFilingFromEveryIndex(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let filings = SyntheticFiling.batch(count: 10, seed: 2)
            let ids = try await store.store(try filings.map { try parsed($0.bytes) }).map(\.id)
            let victim = filings[0]
            let requests: [QueryRequest] = [
                .with { $0.text = "\"Update Number 0 2\"" },
                .with { $0.symbol = victim.symbol },
                .with { $0.company = victim.company },
                .with { $0.person = victim.person },
                .with { $0.kinds = [.pressRelease] },
            ]
            for request in requests {
                #expect(try await store.allHits(request).contains { $0.id == ids[0] })
            }
            #expect(try await store.delete(id: ids[0]))
            #expect(try await !store.delete(id: ids[0]))
            #expect(try await store.get(id: ids[0], includeRaw: false) == nil)
            for request in requests {
                #expect(try await !store.allHits(request).contains { $0.id == ids[0] })
            }
            #expect(try await store.stats().documents == 9)
            // Stored again, it comes back as new.
            #expect(try await store.store([try parsed(victim.bytes)])[0].created)
        }
    }

    @Test(arguments: StoreBackend.all)
    func statsCountByKindAndFormType(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            _ = try await store.store(try seedDocuments().map { try parsed($0.bytes) })
            _ = try await store.store(try await parsedBatch(count: 4, seed: 3))
            let stats = try await store.stats()
            #expect(stats.backend == backend.name)
            #expect(stats.documents == 7)
            #expect(stats.byKind.reduce(0) { $0 + $1.count } == 7)
            #expect(stats.byKind.contains { $0.key == "PRESS_RELEASE" && $0.count >= 4 })
            #expect(stats.byFormType.reduce(0) { $0 + $1.count } == 7)
            #expect(stats.bytesOnDisk > 0)
        }
    }

    @Test(arguments: StoreBackend.all)
    func concurrentStoresAllLand(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let parsedFilings = try await parsedBatch(count: 200, seed: 4)
            let outcomes = try await withThrowingTaskGroup(of: StoreOutcome.self) { group in
                for filing in parsedFilings {
                    group.addTask { try await store.store([filing])[0] }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == 200)
            #expect(outcomes.allSatisfy { $0.created && $0.error == nil })
            #expect(try await store.stats().documents == 200)
        }
    }

    /// Search text that is syntax in one engine or another is either refused as INVALID_ARGUMENT by the parser or
    /// searched for as words; it never reaches a database as syntax.
    @Test(arguments: StoreBackend.all)
    func hostileSearchTextIsOnlyEverWords(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            _ = try await store.store(try await parsedBatch(count: 10, seed: 5))
            let texts = [
                "'; DROP TABLE filings; --", "merger & !acquisition", "a:* | b", "\"\\\" OR 1=1 --", "NEAR(a b)",
                "col:value", "(merger) <-> (agreement)", "%_%", "\u{FEFF}merger", "' OR ''='", "$1", "merger:*A",
                "ß ﬁ İ", "🙂 merger", "\\x00", "pleased'", "pleased''",
            ]
            for text in texts {
                do throws(StoreError) {
                    let query = try FilingQuery(.with { $0.text = text })
                    _ = try await store.query(query)
                } catch {
                    #expect(error.code == .invalidQuery, "\(text): \(error)")
                }
                if let company = try? FilingQuery(.with { $0.company = text }) {
                    _ = try await store.query(company)
                }
            }
            // LIKE wildcards in a name filter are literal characters.
            #expect(try await store.query(FilingQuery(.with { $0.company = "%" })).totalCount == 0)
            #expect(try await store.query(FilingQuery(.with { $0.person = "_" })).totalCount == 0)
            #expect(try await store.stats().documents == 10, "nothing was dropped")
        }
    }
}

/// Replacing the facts of stored filings, as Reparse does after a parser upgrade.
@Suite struct ReplaceFactsConformanceTests {
    static let old = "filings-parser/0.9.0"

    @Test(arguments: StoreBackend.all)
    func storedInputsComeByVersionInIDOrderWithTheirBytes(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let batch = try await parsedBatch(count: 10, seed: 31)
            let current = batch[0].filing.parserVersion
            let stale = batch.prefix(7).map {
                FilingToStore(filing: $0.filing.asIfParsed(by: Self.old, factsOf: $0.filing), raw: $0.raw)
            }
            let ids = try await store.store(stale + batch.suffix(3)).map(\.id)
            #expect(
                try await store.countsByParserVersion()
                    == [KeyCount(key: Self.old, count: 7), KeyCount(key: current, count: 3)]
            )
            #expect(try await store.stats().byParserVersion == store.countsByParserVersion())
            var pages: [[StoredInput]] = []
            var after = ""
            repeat {
                pages.append(
                    try await store.storedInputs(
                        parserVersions: [Self.old, "x/1"],
                        afterID: after,
                        limit: 3,
                        maximumBytes: 1 << 30
                    )
                )
                after = pages.last?.last?.id ?? ""
            } while pages.last?.count == 3
            #expect(pages.map(\.count) == [3, 3, 1])
            let inputs = pages.flatMap { $0 }
            #expect(inputs.map(\.id) == ids.prefix(7).sorted())
            let rawByID = Dictionary(uniqueKeysWithValues: zip(ids, batch.map(\.raw)))
            #expect(inputs.allSatisfy { rawByID[$0.id] == $0.raw })
            #expect(try await store.storedInputs(parserVersions: [], afterID: "", limit: 3, maximumBytes: 1).isEmpty)
            #expect(
                try await store.storedInputs(parserVersions: ["x/1"], afterID: "", limit: 3, maximumBytes: 1).isEmpty
            )
            // A byte budget ends the list with the filing that reaches it, and never leaves it empty.
            let firstTwo = inputs[0].raw.count + inputs[1].raw.count
            for (budget, count) in [(1, 1), (inputs[0].raw.count, 1), (inputs[0].raw.count + 1, 2), (firstTwo, 2)] {
                let cut = try await store.storedInputs(
                    parserVersions: [Self.old],
                    afterID: "",
                    limit: 7,
                    maximumBytes: budget
                )
                #expect(cut.map(\.id) == Array(inputs.prefix(count).map(\.id)), "budget \(budget)")
            }
        }
    }

    /// The last stale filings of a run are few among many: batches of one still come in id order, none skipped and
    /// none twice, whether the next stale filing is close after the previous one or far.
    @Test(arguments: StoreBackend.all)
    func fewStoredInputsAmongManyComeInIDOrder(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let batch = try await parsedBatch(count: 80, seed: 34).sorted { $0.filing.sha256 < $1.filing.sha256 }
            let stalePlaces: Set = [5, 30, 31, 60, 79]
            let filings = batch.enumerated().map { place, parsed in
                stalePlaces.contains(place)
                    ? FilingToStore(
                        filing: parsed.filing.asIfParsed(by: Self.old, factsOf: parsed.filing),
                        raw: parsed.raw
                    )
                    : parsed
            }
            let ids = try await store.store(filings).map(\.id)
            let stale = stalePlaces.sorted().map { ids[$0] }
            var read: [String] = []
            var after = ""
            while let next = try await store.storedInputs(
                parserVersions: [Self.old],
                afterID: after,
                limit: 1,
                maximumBytes: 1 << 30
            ).first {
                read.append(next.id)
                after = next.id
                if read.count > stale.count { break }
            }
            #expect(read == stale)
            let all = try await store.storedInputs(
                parserVersions: [Self.old],
                afterID: ids[5],
                limit: 10,
                maximumBytes: 1 << 30
            )
            #expect(all.map(\.id) == Array(stale.dropFirst()))
        }
    }

    @Test(arguments: StoreBackend.all)
    func replacedFactsReplaceTheOldOnesInEveryIndex(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let synthetic = SyntheticFiling.batch(count: 6, seed: 33)
            let batch = try await parsedBatch(count: 6, seed: 33)
            // Each filing stored with another's facts, as if an older parser had misread it: the first with those
            // of the 12b-25 seed (another company, person, ticker, date and kind), the others with the next one's.
            let lateFiling = try parsed(try seedDocuments()[2].bytes).filing
            let stale = batch.indices.map { index in
                let other = index == 0 ? lateFiling : batch[(index + 1) % batch.count].filing
                return FilingToStore(
                    filing: batch[index].filing.asIfParsed(by: Self.old, factsOf: other),
                    raw: batch[index].raw
                )
            }
            let ids = try await store.store(stale).map(\.id)
            let victim = synthetic[0]
            let requests: [QueryRequest] = [
                .with { $0.text = "\"\(victim.title)\"" },
                .with { $0.symbol = victim.symbol },
                .with { $0.company = victim.company },
                .with { $0.person = victim.person },
                .with {
                    $0.dateFrom = victim.date
                    $0.dateTo = victim.date
                },
                .with { $0.kinds = [.pressRelease] },
            ]
            for request in requests {
                #expect(try await !store.allHits(request).contains { $0.id == ids[0] }, "\(request)")
            }
            // One of them is deleted before its facts are replaced: it stays deleted.
            #expect(try await store.delete(id: ids[5]))

            #expect(try await store.replaceFacts(batch.map(\.filing)) == 5)

            for request in requests {
                let hits = try await store.allHits(request)
                #expect(hits.contains { $0.id == ids[0] }, "\(request)")
                #expect(!hits.contains { $0.id == ids[5] })
            }
            for (index, id) in ids.prefix(5).enumerated() {
                let got = try #require(try await store.get(id: id, includeRaw: true))
                #expect(got.filing == batch[index].filing)
                #expect(got.raw == batch[index].raw)
            }
            #expect(try await store.get(id: ids[5], includeRaw: false) == nil)
            let current = batch[0].filing.parserVersion
            #expect(try await store.countsByParserVersion() == [KeyCount(key: current, count: 5)])
            #expect(try await store.stats().documents == 5)
            #expect(try await store.storedIDs(sha256: batch.map(\.filing.sha256)).count == 5)
            #expect(try await store.replaceFacts([]) == 0)
        }
    }
}
