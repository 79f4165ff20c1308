import FilingsCore
import FilingsStore
import FilingsTestSupport
import Testing

/// Queries on a store of synthetic press releases whose facts are known, checked against the same filter
/// computed over the known facts, on every backend.
@Suite struct QueryConformanceTests {
    static let filings = SyntheticFiling.batch(count: 60, seed: 42)

    /// A store holding ``filings`` and the seeds, and the id of each synthetic filing.
    private func withCorpus(
        _ backend: StoreBackend,
        _ body: (any FilingStore, [String: SyntheticFiling]) async throws -> Void
    ) async throws {
        try await backend.with { store in
            let outcomes = try await store.store(try await parsedBatch(count: 60, seed: 42))
            _ = try await store.store(try seedDocuments().map { try parsed($0.bytes) })
            let byID = Dictionary(uniqueKeysWithValues: zip(outcomes.map(\.id), Self.filings))
            try await body(store, byID)
        }
    }

    struct FilterCase: Sendable, CustomStringConvertible {
        let description: String
        let configure: @Sendable (inout QueryRequest) -> Void
        let expected: @Sendable (SyntheticFiling) -> Bool
    }

    static let filterCases: [FilterCase] = [
        FilterCase(description: "company contains, any case", configure: { $0.company = "gLoBeX" }) {
            $0.company.contains("Globex")
        },
        FilterCase(description: "company of two letters", configure: { $0.company = "ac" }) {
            $0.company.lowercased().contains("ac")
        },
        FilterCase(description: "symbol", configure: { $0.symbol = "init" }) { $0.symbol == "INIT" },
        FilterCase(description: "person contains", configure: { $0.person = "gonzalez" }) {
            $0.person == "Maria Gonzalez"
        },
        FilterCase(
            description: "date range",
            configure: {
                $0.dateFrom = "2003-01-01"; $0.dateTo = "2005-06-30"
            }
        ) {
            $0.date >= "2003-01-01" && $0.date <= "2005-06-30"
        },
        FilterCase(description: "date from", configure: { $0.dateFrom = "2008-01-01" }) { $0.date >= "2008-01-01" },
        FilterCase(description: "text word", configure: { $0.text = "dividend" }) { $0.topic.contains("dividend") },
        FilterCase(description: "text phrase", configure: { $0.text = "\"definitive merger agreement\"" }) {
            $0.topic.contains("definitive merger agreement")
        },
        FilterCase(description: "text prefix", configure: { $0.text = "acqui*" }) { $0.topic.contains("acqui") },
        FilterCase(description: "text OR", configure: { $0.text = "dividend OR restate" }) {
            $0.topic.contains("dividend") || $0.topic.contains("restate")
        },
        FilterCase(description: "text exclusion", configure: { $0.text = "pleased -dividend" }) {
            !$0.topic.contains("dividend")
        },
        FilterCase(
            description: "text with a company of two letters",
            configure: {
                $0.text = "merger OR dividend"; $0.company = "Ac"
            }
        ) {
            ($0.topic.contains("merger") || $0.topic.contains("dividend")) && $0.company.lowercased().contains("ac")
        },
        FilterCase(
            description: "combined",
            configure: {
                $0.text = "merger OR acquisition"
                $0.symbol = "ACME"
                $0.kinds = [.pressRelease]
                $0.dateTo = "2006-12-31"
            }
        ) {
            ($0.topic.contains("merger") || $0.topic.contains("acquisition")) && $0.symbol == "ACME"
                && $0.date <= "2006-12-31"
        },
    ]

    @Test(arguments: StoreBackend.all, filterCases)
    func filterMatchesExactlyTheFilingsItShould(_ backend: StoreBackend, _ filter: FilterCase) async throws {
        try await withCorpus(backend) { store, byID in
            let request = QueryRequest.with(filter.configure)
            let hits = try await store.allHits(request)
            let got = Set(hits.map(\.id)).intersection(byID.keys)
            let expected = Set(byID.filter { filter.expected($0.value) }.keys)
            #expect(!expected.isEmpty, "the case should select something")
            #expect(got == expected)
            #expect(hits.count == Set(hits.map(\.id)).count, "no hit twice")
            let first = try await store.query(FilingQuery(request))
            #expect(first.totalCount == UInt64(hits.count))
        }
    }

    /// A name filter, or an exact filter of one value (a symbol, a kind), pages in date order, ties in storage order,
    /// alone and with a kind, a date range, a name or a second exact filter: the order of the brute-force answer
    /// over the known facts.
    @Test(arguments: StoreBackend.all, [FilingQuery.Order.dateDescending, .dateAscending])
    func filtersPageInDateOrder(_ backend: StoreBackend, _ order: FilingQuery.Order) async throws {
        try await backend.with { store in
            let outcomes = try await store.store(try await parsedBatch(count: 60, seed: 42))
            _ = try await store.store(try seedDocuments().map { try parsed($0.bytes) })
            let stored = Array(zip(outcomes.map(\.id), Self.filings).enumerated())
            let symbol = Self.filings[0].symbol
            let cases: [(configure: (inout QueryRequest) -> Void, expected: (SyntheticFiling) -> Bool)] = [
                ({ $0.company = "globex" }, { $0.company.contains("Globex") }),
                ({ $0.company = "ac" }, { $0.company.lowercased().contains("ac") }),
                (
                    {
                        $0.person = "gonzalez"; $0.kinds = [.pressRelease]
                    }, { $0.person == "Maria Gonzalez" }
                ),
                (
                    {
                        $0.company = "inc"; $0.dateFrom = "2003-01-01"; $0.dateTo = "2008-06-30"
                    },
                    { $0.company.lowercased().contains("inc") && $0.date >= "2003-01-01" && $0.date <= "2008-06-30" }
                ),
                ({ $0.symbol = symbol.lowercased() }, { $0.symbol == symbol }),
                ({ $0.kinds = [.pressRelease] }, { _ in true }),
                (
                    {
                        $0.kinds = [.pressRelease]; $0.dateFrom = "2003-01-01"; $0.dateTo = "2008-06-30"
                    },
                    { $0.date >= "2003-01-01" && $0.date <= "2008-06-30" }
                ),
                (
                    {
                        $0.symbol = symbol; $0.kinds = [.pressRelease]
                    }, { $0.symbol == symbol }
                ),
            ]
            for (configure, expected) in cases {
                var request = QueryRequest.with(configure)
                request.order = order == .dateAscending ? .dateAscending : .dateDescending
                let hits = try await store.allHits(request, pageSize: 3).map(\.id).filter { id in
                    stored.contains { $0.element.0 == id }
                }
                let matching = stored.filter { expected($0.element.1) }.sorted { a, b in
                    let (left, right) = order == .dateAscending ? (a, b) : (b, a)
                    return (left.element.1.date, left.offset) < (right.element.1.date, right.offset)
                }
                #expect(!matching.isEmpty, "the case should select something")
                #expect(hits == matching.map(\.element.0), "\(request) \(order)")
            }
        }
    }

    /// Pages of an exact filter in date order stay those of the first page while filings of the same value are
    /// stored between them.
    @Test(arguments: StoreBackend.all, [FilingQuery.Order.dateDescending, .dateAscending])
    func exactFilterPagesStayThoseOfTheFirstWhileStoring(
        _ backend: StoreBackend,
        _ order: FilingQuery.Order
    ) async throws {
        try await withCorpus(backend) { store, _ in
            var request = QueryRequest.with {
                $0.kinds = [.pressRelease]
                $0.order = order == .dateAscending ? .dateAscending : .dateDescending
                $0.limit = 7
            }
            let expected = try await store.allHits(request, pageSize: 1000).map(\.id)
            var seen: [String] = []
            var more = try await parsedBatch(count: 60, seed: 9)[...]
            while true {
                let page = try await store.query(FilingQuery(request))
                seen += page.hits.map(\.id)
                #expect(page.totalCount == UInt64(expected.count), "the count is as of the first page")
                _ = try await store.store(Array(more.prefix(10)))
                more = more.dropFirst(10)
                guard !page.nextPageToken.isEmpty else { break }
                request.pageToken = page.nextPageToken
            }
            #expect(seen == expected)
        }
    }

    /// Each hit's snippet is a passage of its own filing, for a word, a prefix and both date orders.
    @Test(arguments: StoreBackend.all)
    func everyHitHasASnippetOfItsOwnFiling(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            let places = ["amber", "birch", "cedar", "dunes", "ember", "fjord", "grove", "heron", "inlet"]
            let filings = try places.enumerated().map { index, place in
                let merger = Array(repeating: "The \(place)ville merger was approved.", count: index + 1)
                let text = "Holdings of \(place) announced results.\n\n" + merger.joined(separator: " ")
                return try parsed(Array((text + "\n\nContact: Investor Relations\n").utf8))
            }
            _ = try await store.store(filings)
            let requests: [QueryRequest] = [
                .with { $0.text = "merger" },
                .with { $0.text = "merg*" },
                .with {
                    $0.text = "merger approved"; $0.order = .dateDescending
                },
                .with {
                    $0.text = "merger"; $0.order = .dateAscending
                },
            ]
            for request in requests {
                let hits = try await store.allHits(request, pageSize: 4)
                #expect(hits.count == places.count, "\(request.text)")
                for hit in hits {
                    let place = try #require(places.first { hit.snippet.contains("\($0)ville") }, "\(hit.snippet)")
                    let raw = try #require(try await store.get(id: hit.id, includeRaw: true)).raw
                    #expect(String(decoding: raw, as: UTF8.self).contains("\(place)ville"), "\(request.text)")
                }
            }
        }
    }

    /// Beyond its count limit a total says "at least"; the hits and the paging stay exact, and a request for an
    /// exact total counts everything.
    @Test(arguments: StoreBackend.all)
    func totalsBeyondTheCountLimitAreLowerBounds(_ backend: StoreBackend) async throws {
        try await withCorpus(backend) { store, _ in
            let requests: [QueryRequest] = [
                .with { $0.kinds = [.pressRelease] },
                .with { $0.text = "pleased" },
                .with {
                    $0.text = "pleased"; $0.order = .dateDescending
                },
                .with {
                    $0.text = "pleased"; $0.kinds = [.pressRelease]
                },
                .with { $0.company = "a" },
                .with {
                    $0.company = "inc"; $0.kinds = [.pressRelease]
                },
                QueryRequest(),
                .with { $0.dateFrom = "2001-01-01" },
            ]
            for request in requests {
                let exact = try await store.allHits(request, pageSize: 1000)
                #expect(exact.count > 8, "the case should match more than the limit")
                var bounded = try FilingQuery(request)
                bounded.countLimit = 8
                var ids: [String] = []
                var query = bounded
                while true {
                    let page = try await store.query(query)
                    ids += page.hits.map(\.id)
                    if page.totalCountIsLowerBound {
                        #expect(page.totalCount <= 8)
                    } else {
                        #expect(page.totalCount == UInt64(exact.count), "an exact total is exact")
                    }
                    guard !page.nextPageToken.isEmpty else { break }
                    var next = request
                    next.pageToken = page.nextPageToken
                    query = try FilingQuery(next)
                    query.countLimit = 8
                }
                #expect(ids == exact.map(\.id), "paging is exact under a bounded count")
                let first = try await store.query(bounded)
                // Every filing is counted from a counter, and a ranked page may count what it ranks.
                let ranked = !request.text.isEmpty && request.order != .dateDescending
                #expect(first.totalCountIsLowerBound || request == QueryRequest() || ranked, "\(request)")

                var everything = request
                everything.exactTotal = true
                let counted = try await store.query(FilingQuery(everything))
                #expect(counted.totalCount == UInt64(exact.count))
                #expect(!counted.totalCountIsLowerBound)
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func kindsAndFormTypesAndCIK(_ backend: StoreBackend) async throws {
        try await withCorpus(backend) { store, byID in
            let releases = try await store.allHits(.with { $0.kinds = [.pressRelease] })
            #expect(Set(byID.keys).isSubset(of: Set(releases.map(\.id))))
            let late = try await store.allHits(.with { $0.kinds = [.lateFilingNotice] })
            #expect(!late.isEmpty && late.allSatisfy { byID[$0.id] == nil })
            let submissions = Self.filings.prefix(3).enumerated().map { index, filing in
                filing.submissionBytes(cik: "000000\(4321 + index)")
            }
            let stored = try await store.store(try submissions.map { try parsed($0) })
            let forms = try await store.allHits(.with { $0.formTypes = ["nt 10-k", "8-K"] })
            #expect(forms.count == 4)
            #expect(forms.allSatisfy { ["NT 10-K", "8-K"].contains($0.formType) })
            let byCIK = try await store.allHits(.with { $0.cik = "0000004322" })
            #expect(byCIK.map(\.id) == [stored[1].id])
            #expect(byCIK.first?.cik == "4322")
            #expect(
                try await store.allHits(
                    .with {
                        $0.cik = "4322"; $0.formTypes = ["8-K"]
                    }
                ).count == 1
            )
            // An 8-K whose exhibit is a press release is found by either kind.
            #expect(
                try await store.allHits(
                    .with {
                        $0.cik = "4322"; $0.kinds = [.pressRelease]
                    }
                ).count == 1
            )
            #expect(
                try await store.allHits(
                    .with {
                        $0.cik = "4322"; $0.kinds = [.currentReport]
                    }
                ).count == 1
            )
            // The same through the name and text indexes, whose entries carry the kinds of every document.
            let company = Self.filings[1].company
            let word = String(Self.filings[1].topic.split(separator: " ").first ?? "")
            for kinds in [[Kind.pressRelease], [.currentReport], [.annualReport, .currentReport]] {
                let byName = try await store.allHits(
                    .with {
                        $0.company = company; $0.kinds = kinds
                    }
                )
                #expect(byName.contains { $0.id == stored[1].id }, "\(kinds)")
                let byText = try await store.allHits(
                    .with {
                        $0.text = word; $0.kinds = kinds
                    }
                )
                #expect(byText.contains { $0.id == stored[1].id }, "\(kinds)")
            }
            let notAnnual = try await store.allHits(
                .with {
                    $0.company = company; $0.kinds = [.annualReport]
                }
            )
            #expect(!notAnnual.contains { $0.id == stored[1].id })
        }
    }

    @Test(arguments: StoreBackend.all)
    func ordersByDateBothWaysAndByRelevance(_ backend: StoreBackend) async throws {
        try await withCorpus(backend) { store, byID in
            let newest = try await store.allHits(
                .with {
                    $0.symbol = "GBX"; $0.order = .dateDescending
                }
            )
            let dates = newest.map(\.documentDate)
            #expect(dates == dates.sorted(by: >))
            let oldest = try await store.allHits(
                .with {
                    $0.symbol = "GBX"; $0.order = .dateAscending
                }
            )
            #expect(oldest.map(\.id) == newest.map(\.id).reversed())

            let ranked = try await store.allHits(.with { $0.text = "merger" }, pageSize: 5)
            let scores = ranked.map(\.score)
            #expect(scores == scores.sorted(by: >))
            #expect(scores.allSatisfy { $0 > 0 })
            #expect(ranked.allSatisfy { $0.snippet.lowercased().contains("**merger**") })
            #expect(Set(ranked.map(\.id)).count == ranked.count)

            // Text in date order gives the same filings as relevance order, sorted by date.
            for text in ["pfizer", "pleased"] {
                let byRelevance = try await store.allHits(.with { $0.text = text }, pageSize: 4)
                let byDate = try await store.allHits(
                    .with {
                        $0.text = text; $0.order = .dateDescending
                    },
                    pageSize: 4
                )
                #expect(!byDate.isEmpty)
                #expect(Set(byDate.map(\.id)) == Set(byRelevance.map(\.id)))
                #expect(byDate.map(\.documentDate) == byDate.map(\.documentDate).sorted(by: >))
            }
            _ = byID
        }
    }

    /// An exclusion takes hits away and changes nothing else: the rest rank in the order, with the scores, of the
    /// same query without it, and those scores tell the filings apart.
    @Test(arguments: StoreBackend.all)
    func exclusionsRemoveHitsWithoutChangingTheRanking(_ backend: StoreBackend) async throws {
        try await withCorpus(backend) { store, _ in
            for (text, exclusion) in [("pleased", "dividend"), ("merger OR acqui* OR dividend", "quarterly")] {
                let excluding = try await store.allHits(.with { $0.text = "\(text) -\(exclusion)" }, pageSize: 5)
                let kept = Set(excluding.map(\.id))
                let all = try await store.allHits(.with { $0.text = text }, pageSize: 5)
                let excluded = try await store.allHits(.with { $0.text = exclusion }, pageSize: 50).map(\.id)
                #expect(!excluding.isEmpty && excluding.count < all.count, "\(text)")
                #expect(kept == Set(all.map(\.id)).subtracting(excluded), "\(text)")
                let rest = all.filter { kept.contains($0.id) }
                #expect(excluding.map(\.id) == rest.map(\.id), "\(text)")
                #expect(excluding.map(\.score) == rest.map(\.score), "\(text)")
                #expect(Set(excluding.map(\.score)).count > 1, "\(text): the scores tell the filings apart")
            }
        }
    }

    @Test(arguments: StoreBackend.all, [FilingQuery.Order.relevance, .dateDescending, .dateAscending])
    func pagingWhileStoringNeitherRepeatsNorSkips(_ backend: StoreBackend, _ order: FilingQuery.Order) async throws {
        try await backend.with { store in
            _ = try await store.store(try await parsedBatch(count: 80, seed: 7))
            var request = QueryRequest.with {
                $0.text = "pleased"
                $0.order =
                    switch order {
                    case .relevance: .relevance
                    case .dateDescending: .dateDescending
                    case .dateAscending: .dateAscending
                    }
                $0.limit = 9
            }
            let expected = try await store.allHits(request, pageSize: 1000).map(\.id)
            #expect(expected.count == 80)
            var seen: [String] = []
            var more = try await parsedBatch(count: 200, seed: 8)[...]
            while true {
                let page = try await store.query(FilingQuery(request))
                seen += page.hits.map(\.id)
                #expect(page.totalCount == 80, "the count is as of the first page")
                // Between pages, more filings that match arrive, changing every corpus statistic.
                _ = try await store.store(Array(more.prefix(20)))
                more = more.dropFirst(20)
                guard !page.nextPageToken.isEmpty else { break }
                request.pageToken = page.nextPageToken
            }
            #expect(seen == expected)
        }
    }

    @Test(arguments: StoreBackend.all)
    func pageTokensAreCheckedAgainstTheirQuery(_ backend: StoreBackend) async throws {
        try await withCorpus(backend) { store, _ in
            let first = try await store.query(
                FilingQuery(
                    .with {
                        $0.text = "pleased"; $0.limit = 3
                    }
                )
            )
            let token = first.nextPageToken
            #expect(!token.isEmpty)
            let otherQuery = QueryRequest.with {
                $0.text = "merger"; $0.pageToken = token
            }
            #expect(throws: StoreError.self) { try FilingQuery(otherQuery) }
            for garbage in [
                "x", "AAAA", token + "A", String(token.dropLast(2)), "!!!", String(repeating: "A", count: 9000),
            ] {
                do throws(StoreError) {
                    _ = try FilingQuery(
                        .with {
                            $0.text = "pleased"; $0.pageToken = garbage
                        }
                    )
                    Issue.record("token \(garbage.prefix(20)) was accepted")
                } catch {
                    #expect(error.code == .invalidPageToken)
                    #expect(error.status == .invalidArgument)
                }
            }
            // The same query with another page size is the same query.
            let next = try await store.query(
                FilingQuery(
                    .with {
                        $0.text = "pleased"; $0.limit = 50; $0.pageToken = token
                    }
                )
            )
            #expect(!next.hits.contains { first.hits.map(\.id).contains($0.id) })
        }
    }

    @Test func limitsAreEnforced() throws {
        #expect(try FilingQuery(.with { $0.limit = 0 }).limit == FilingQuery.defaultLimit)
        #expect(try FilingQuery(.with { $0.limit = 1000 }).limit == 1000)
        #expect(throws: StoreError.self) { try FilingQuery(.with { $0.limit = 1001 }) }
        #expect(throws: StoreError.self) { try FilingQuery(.with { $0.order = .relevance }) }
        #expect(throws: StoreError.self) { try FilingQuery(.with { $0.dateFrom = "2004-02-30" }) }
        #expect(throws: StoreError.self) {
            try FilingQuery(
                .with {
                    $0.dateFrom = "2005-01-01"; $0.dateTo = "2004-01-01"
                }
            )
        }
        #expect(throws: StoreError.self) { try FilingQuery(.with { $0.cik = "12ab" }) }
        #expect(throws: StoreError.self) { try FilingQuery(.with { $0.kinds = [.unspecified] }) }
        #expect(throws: StoreError.self) { try FilingQuery(.with { $0.formTypes = (0..<33).map { "F-\($0)" } }) }
        #expect(
            try FilingQuery(
                .with {
                    $0.formTypes = ["8-k", "8-K"]; $0.kinds = [.other, .other]
                }
            ).formTypes == ["8-K"]
        )
    }

    @Test(arguments: StoreBackend.all)
    func deepPagesAreReached(_ backend: StoreBackend) async throws {
        try await backend.with { store in
            _ = try await store.store(try await parsedBatch(count: 300, seed: 11))
            let all = try await store.allHits(QueryRequest(), pageSize: 1)
            #expect(all.count == 300)
            #expect(Set(all.map(\.id)).count == 300)

            // The total of an unfiltered query is as of its first page, and follows stores and deletes after.
            let first = try await store.query(FilingQuery(.with { $0.limit = 10 }))
            #expect(first.totalCount == 300)
            let more = try await store.store(try await parsedBatch(count: 5, seed: 12))
            let second = try await store.query(
                FilingQuery(
                    .with {
                        $0.limit = 10; $0.pageToken = first.nextPageToken
                    }
                )
            )
            #expect(second.totalCount == 300)
            #expect(try await store.query(FilingQuery(QueryRequest())).totalCount == 305)
            #expect(try await store.delete(id: more[0].id))
            #expect(try await store.query(FilingQuery(QueryRequest())).totalCount == 304)
            #expect(try await store.stats().documents == 304)
        }
    }
}
