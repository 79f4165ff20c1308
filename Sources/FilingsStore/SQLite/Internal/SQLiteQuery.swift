internal import FilingsCore

/// One page of a ``FilingQuery`` as SQL on the SQLite schema: filters as bound parameters, full text as an FTS5
/// expression built from the parsed ``SearchQuery`` (never from the user's text), keyset paging.
struct SQLiteQuery {
    let query: FilingQuery

    init(_ query: FilingQuery) {
        self.query = query
    }

    /// The snippet markers around matched words, and the ellipsis for cut text.
    static let highlightStart = "**"
    static let highlightEnd = "**"

    func run(on db: SQLiteConnection) throws(StoreError) -> QueryResponse {
        do {
            return try page(on: db)
        } catch let error as SQLiteError {
            throw StoreError(error, while: "running a query")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .storageFailure, message: "the query failed")
        }
    }

    private func page(on db: SQLiteConnection) throws -> QueryResponse {
        let token = query.pageToken
        let watermark =
            try token?.watermark ?? db.scalarInt("SELECT seq FROM sqlite_sequence WHERE name = 'filings'") ?? 0
        let match = query.search.map(Self.matchExpression)

        // Filters on `f` (filings), shared by the page and the count.
        var filters = ["f.row <= ?"]
        var bindings: [SQLiteValue] = [.int(watermark)]
        if let company = query.company {
            filters.append(Self.substringFilter(table: "company_names", value: company, bindings: &bindings))
        }
        if let person = query.person {
            filters.append(Self.substringFilter(table: "person_names", value: person, bindings: &bindings))
        }
        if let symbol = query.symbol {
            filters.append("f.row IN (SELECT row FROM filing_keys WHERE field = 'symbol' AND value = ?)")
            bindings.append(.text(symbol))
        }
        if let cik = query.cik {
            filters.append("f.row IN (SELECT row FROM filing_keys WHERE field = 'cik' AND value = ?)")
            bindings.append(.text(cik))
        }
        if !query.formTypes.isEmpty {
            filters.append("f.form_type IN (\(Self.placeholders(query.formTypes.count)))")
            bindings += query.formTypes.map { .text($0) }
        }
        if !query.kinds.isEmpty {
            filters.append(
                "f.row IN (SELECT row FROM filing_keys WHERE field = 'kind' AND value IN (\(Self.placeholders(query.kinds.count))))"
            )
            bindings += query.kinds.map { .text(String($0.rawValue)) }
        }
        if query.dateFrom != nil || query.dateTo != nil { filters.append("f.document_date <> ''") }
        if let from = query.dateFrom {
            filters.append("f.document_date >= ?")
            bindings.append(.text(from))
        }
        if let to = query.dateTo {
            filters.append("f.document_date <= ?")
            bindings.append(.text(to))
        }
        let whereFilters = filters.joined(separator: " AND ")

        // The total.
        var response = QueryResponse()
        let countSQL: String
        var countBindings = bindings
        if let match {
            countSQL =
                "SELECT count(*) FROM filings_fts JOIN filings f ON f.row = filings_fts.rowid WHERE filings_fts MATCH ? AND \(whereFilters)"
            countBindings.insert(.text(match), at: 0)
        } else {
            countSQL = "SELECT count(*) FROM filings f WHERE \(whereFilters)"
        }
        response.totalCount = UInt64(try db.scalarInt(countSQL, countBindings) ?? 0)
        guard response.totalCount > 0 else { return response }

        // The page.
        let columns =
            "f.row, f.id, f.sha256, f.form_type, f.kind, f.title, f.issuer_name, f.symbol, f.cik, f.document_date"
        let limit = query.limit
        var sql: String
        var pageBindings: [SQLiteValue]
        var statistics = ""
        switch query.order {
        case .relevance:
            guard let match else { throw StoreError(code: .invalidQuery, message: "order RELEVANCE needs search text") }
            statistics =
                try token?.rankStatistics
                ?? db.statementText(
                    "SELECT filings_rank_stats(filings_fts) FROM filings_fts WHERE filings_fts MATCH ? LIMIT 1",
                    [.text(match)]
                ) ?? ""
            var keyset = ""
            pageBindings = [.text(statistics), .text(match), .int(watermark)] + bindings
            if let token {
                keyset = "AND (hits.score < ? OR (hits.score = ? AND f.row > ?))"
                pageBindings += [.double(token.lastScore), .double(token.lastScore), .int(token.lastRow)]
            }
            sql = """
                WITH hits AS MATERIALIZED (
                    SELECT rowid AS row, filings_rank(filings_fts, ?) AS score
                    FROM filings_fts WHERE filings_fts MATCH ? AND rowid <= ?
                )
                SELECT \(columns), hits.score FROM hits JOIN filings f ON f.row = hits.row
                WHERE \(whereFilters) \(keyset)
                ORDER BY hits.score DESC, f.row ASC LIMIT ?
                """
        case .dateDescending, .dateAscending:
            let descending = query.order == .dateDescending
            let direction = descending ? "DESC" : "ASC"
            var keyset = ""
            pageBindings = bindings
            if let token {
                keyset = "AND (f.document_date, f.row) \(descending ? "<" : ">") (?, ?)"
                pageBindings += [.text(token.lastDate), .int(token.lastRow)]
            }
            if let match {
                sql = """
                    SELECT \(columns), 0.0 FROM filings_fts JOIN filings f ON f.row = filings_fts.rowid
                    WHERE filings_fts MATCH ? AND \(whereFilters) \(keyset)
                    ORDER BY f.document_date \(direction), f.row \(direction) LIMIT ?
                    """
                pageBindings.insert(.text(match), at: 0)
            } else {
                sql = """
                    SELECT \(columns), 0.0 FROM filings f
                    WHERE \(whereFilters) \(keyset)
                    ORDER BY f.document_date \(direction), f.row \(direction) LIMIT ?
                    """
            }
        }
        pageBindings.append(.int(Int64(limit + 1)))

        let statement = try db.statement(sql)
        try statement.bind(pageBindings)
        var rows: [(row: Int64, hit: QueryHit)] = []
        while try statement.step() {
            var hit = QueryHit()
            hit.id = statement.text(1)
            hit.sha256 = statement.text(2)
            hit.formType = statement.text(3)
            hit.kind = Kind(rawValue: Int32(truncatingIfNeeded: statement.int(4)))
            hit.title = statement.text(5)
            hit.issuerName = statement.text(6)
            hit.symbol = statement.text(7)
            hit.cik = statement.text(8)
            hit.documentDate = statement.text(9)
            hit.score = statement.double(10)
            rows.append((statement.int(0), hit))
        }
        let hasMore = rows.count > limit
        if hasMore { rows.removeLast() }

        if let match {
            let snippet = try db.statement(
                """
                SELECT snippet(filings_fts, -1, '\(Self.highlightStart)', '\(Self.highlightEnd)', '…', 16)
                FROM filings_fts WHERE filings_fts MATCH ? AND rowid = ?
                """
            )
            for index in rows.indices {
                snippet.reset()
                try snippet.bind([.text(match), .int(rows[index].row)])
                if try snippet.step() { rows[index].hit.snippet = Self.oneLine(snippet.text(0)) }
            }
        }
        response.hits = rows.map(\.hit)
        if hasMore, let last = rows.last {
            response.nextPageToken =
                PageToken(
                    fingerprint: query.fingerprint,
                    order: query.order,
                    watermark: watermark,
                    lastRow: last.row,
                    lastDate: last.hit.documentDate,
                    lastScore: last.hit.score,
                    rankStatistics: statistics,
                    offset: (token?.offset ?? 0) + rows.count
                ).encoded
        }
        return response
    }

    /// The FTS5 expression for `search`: every token is a quoted string, so no user text is FTS5 syntax.
    static func matchExpression(_ search: SearchQuery) -> String {
        func term(_ term: SearchQuery.Term) -> String {
            "\"" + term.tokens.joined(separator: " ") + "\"" + (term.isPrefix ? " *" : "")
        }
        var expression = search.required.map { group in
            group.count == 1 ? term(group[0]) : "(" + group.map(term).joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        for excluded in search.excluded { expression += " NOT " + term(excluded) }
        return expression
    }

    /// A case-insensitive substring filter on a trigram table of names.
    private static func substringFilter(table: String, value: String, bindings: inout [SQLiteValue]) -> String {
        if value.unicodeScalars.count >= 3 {
            // A phrase of trigrams matches exactly the rows that contain the text; quotes are doubled.
            bindings.append(.text("\"" + value.replacingAll("\"", with: "\"\"") + "\""))
            return "f.row IN (SELECT rowid FROM \(table) WHERE \(table) MATCH ?)"
        }
        // Shorter than a trigram: scan.
        bindings.append(.text(value.lowercased()))
        return "f.row IN (SELECT rowid FROM \(table) WHERE instr(lower(names), ?) > 0)"
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// A snippet on one line: its line breaks and tabs as spaces.
    private static func oneLine(_ text: String) -> String {
        var output = ""
        var lastWasSpace = false
        for character in text {
            let isSpace = character.isWhitespace
            if isSpace {
                if !lastWasSpace { output.append(" ") }
            } else {
                output.append(character)
            }
            lastWasSpace = isSpace
        }
        return output.trimmingWhitespace()
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}
