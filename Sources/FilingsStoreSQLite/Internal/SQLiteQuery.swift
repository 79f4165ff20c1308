internal import FilingsCore
internal import FilingsStore

/// One page of a ``FilingQuery`` as SQL on the SQLite schema: filters as bound parameters, full text as an FTS5
/// expression built from the parsed ``SearchQuery`` (never from the user's text), keyset paging.
struct SQLiteQuery {
    let query: FilingQuery

    init(_ query: FilingQuery) {
        self.query = query
    }

    /// The snippet markers around matched words.
    static let highlightStart = "**"
    static let highlightEnd = "**"

    func run(on db: SQLiteConnection) throws(StoreError) -> QueryResponse {
        do {
            return try page(on: db)
        } catch {
            throw StoreError(error, while: "running a query")
        }
    }

    /// A filter on exact keys: any of `values` under `field`.
    private struct KeyFilter {
        var field: String
        var values: [String]
    }

    /// Where the candidate rows come from: the most selective index the query can use, read in the page's order
    /// where it can be. Every other filter is checked on each candidate (`c`, with `c.row` and
    /// `c.document_date`).
    private enum Driver {
        case fullText(String)
        case keys(KeyFilter)
        case names(table: String, value: String)
        case dates
    }

    private func page(on db: SQLiteConnection) throws -> QueryResponse {
        let token = query.pageToken
        let watermark =
            try token?.watermark ?? db.scalarInt("SELECT seq FROM sqlite_sequence WHERE name = 'filings'") ?? 0
        let match = query.search.map(Self.matchExpression)

        var keyFilters: [KeyFilter] = []
        if let symbol = query.symbol { keyFilters.append(KeyFilter(field: "symbol", values: [symbol])) }
        if let cik = query.cik { keyFilters.append(KeyFilter(field: "cik", values: [cik])) }
        if !query.formTypes.isEmpty { keyFilters.append(KeyFilter(field: "form", values: query.formTypes)) }
        if !query.kinds.isEmpty {
            keyFilters.append(KeyFilter(field: "kind", values: query.kinds.map { String($0.rawValue) }))
        }
        var nameFilters: [(table: String, value: String)] = []
        if let company = query.company { nameFilters.append(("company_names", company)) }
        if let person = query.person { nameFilters.append(("person_names", person)) }

        let driver: Driver
        if let match {
            driver = .fullText(match)
        } else if !keyFilters.isEmpty {
            driver = .keys(keyFilters.removeFirst())
        } else if !nameFilters.isEmpty {
            let first = nameFilters.removeFirst()
            driver = .names(table: first.table, value: first.value)
        } else {
            driver = .dates
        }

        // The candidates and the conditions they must meet, shared by the count and the page.
        var source: String
        var bindings: [SQLiteValue] = []
        var conditions = ["c.row <= ?"]
        switch driver {
        case .fullText(let match):
            source = "filings_fts JOIN filings c ON c.row = filings_fts.rowid"
            conditions.insert("filings_fts MATCH ?", at: 0)
            bindings.append(.text(match))
        case .keys(let filter):
            source = "filing_keys c"
            conditions.insert("c.field = ? AND c.value IN (\(Self.placeholders(filter.values.count)))", at: 0)
            bindings += [.text(filter.field)] + filter.values.map { .text($0) }
        case .names(let table, let value):
            source = "filings c"
            conditions.insert(Self.substringFilter(table: table, value: value, bindings: &bindings), at: 0)
        case .dates:
            source = "filings c"
        }
        bindings.append(.int(watermark))
        for filter in keyFilters {
            conditions.append(
                "EXISTS (SELECT 1 FROM filing_keys k WHERE k.field = ? AND k.value IN (\(Self.placeholders(filter.values.count)))"
                    + " AND k.document_date = c.document_date AND k.row = c.row)"
            )
            bindings += [.text(filter.field)] + filter.values.map { .text($0) }
        }
        for filter in nameFilters {
            conditions.append(Self.substringFilter(table: filter.table, value: filter.value, bindings: &bindings))
        }
        if query.dateFrom != nil || query.dateTo != nil { conditions.append("c.document_date <> ''") }
        if let from = query.dateFrom {
            conditions.append("c.document_date >= ?")
            bindings.append(.text(from))
        }
        if let to = query.dateTo {
            conditions.append("c.document_date <= ?")
            bindings.append(.text(to))
        }
        let whereClause = conditions.joined(separator: " AND ")
        // Nothing to check but the watermark: the full-text index alone answers, without reading filings.
        let onlyWatermark = conditions.count == 2
        let ftsOnly = "FROM filings_fts WHERE filings_fts MATCH ? AND filings_fts.rowid <= ?"

        // The total.
        var response = QueryResponse()
        let total: Int64?
        switch driver {
        case .dates where conditions.count == 1:
            // Every filing: the kept count, less those stored since the first page.
            total = try db.scalarInt(
                """
                SELECT (SELECT value FROM store_counters WHERE name = 'documents')
                    - (SELECT count(*) FROM filings WHERE row > ?)
                """,
                [.int(watermark)]
            )
        case .fullText(let match) where onlyWatermark:
            total = try db.scalarInt("SELECT count(*) \(ftsOnly)", [.text(match), .int(watermark)])
        default:
            total = try db.scalarInt("SELECT count(*) FROM \(source) WHERE \(whereClause)", bindings)
        }
        response.totalCount = UInt64(max(0, total ?? 0))
        guard response.totalCount > 0 else { return response }

        // The page.
        let columns =
            "f.row, f.id, f.sha256, f.form_type, f.kind, f.title, f.issuer_name, f.symbol, f.cik, f.document_date"
        let limit = query.limit
        var sql: String
        var pageBindings = bindings
        var statistics = ""
        switch query.order {
        case .relevance:
            guard let match else { throw StoreError(code: .invalidQuery, message: "order RELEVANCE needs search text") }
            statistics =
                try token?.snapshot
                ?? db.scalarText(
                    "SELECT filings_rank_stats(filings_fts) FROM filings_fts WHERE filings_fts MATCH ? LIMIT 1",
                    [.text(match)]
                ) ?? ""
            var keyset = ""
            if let token {
                keyset = "WHERE (hits.score < ? OR (hits.score = ? AND hits.row > ?))"
                pageBindings += [.double(token.lastScore), .double(token.lastScore), .int(token.lastRow)]
            }
            pageBindings.insert(.text(statistics), at: 0)
            let hitSource = onlyWatermark ? ftsOnly : "FROM \(source) WHERE \(whereClause)"
            let hitRow = onlyWatermark ? "filings_fts.rowid" : "c.row"
            sql = """
                WITH hits AS MATERIALIZED (
                    SELECT \(hitRow) AS row, filings_rank(filings_fts, ?) AS score \(hitSource)
                )
                SELECT \(columns), hits.score FROM hits JOIN filings f ON f.row = hits.row \(keyset)
                ORDER BY hits.score DESC, hits.row ASC LIMIT ?
                """
        case .dateDescending, .dateAscending:
            let descending = query.order == .dateDescending
            let direction = descending ? "DESC" : "ASC"
            var keyset = ""
            if let token {
                keyset = "AND (c.document_date, c.row) \(descending ? "<" : ">") (?, ?)"
                pageBindings += [.text(token.lastDate), .int(token.lastRow)]
            }
            sql = """
                SELECT \(columns), 0.0 FROM \(source) JOIN filings f ON f.row = c.row
                WHERE \(whereClause) \(keyset)
                ORDER BY c.document_date \(direction), c.row \(direction) LIMIT ?
                """
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
                    snapshot: statistics
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
            return "c.row IN (SELECT rowid FROM \(table) WHERE \(table) MATCH ?)"
        }
        // Shorter than a trigram: scan.
        bindings.append(.text(value.lowercased()))
        return "c.row IN (SELECT rowid FROM \(table) WHERE instr(lower(names), ?) > 0)"
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
