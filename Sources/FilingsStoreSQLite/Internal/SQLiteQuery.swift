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
    /// `c.document_date`; the full-text and name indexes have a filing's date, row and kinds in their rowid,
    /// ``DateKey``).
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

        // A ticker or a CIK names few filings; a name index is read in date order and stops at the page's end, so
        // it drives before the kinds and forms, which match large shares of the archive. A name shorter than a
        // trigram is not in the index: it is checked on each candidate's row.
        let selectiveKeys = keyFilters.prefix { $0.field == "symbol" || $0.field == "cik" }.count
        let driver: Driver
        if let match {
            driver = .fullText(match)
        } else if selectiveKeys > 0 || (nameFilters.isEmpty && !keyFilters.isEmpty) {
            driver = .keys(keyFilters.removeFirst())
        } else if let indexed = nameFilters.firstIndex(where: { Self.isIndexed($0.value) }) {
            let first = nameFilters.remove(at: indexed)
            driver = .names(table: first.table, value: first.value)
        } else if !keyFilters.isEmpty {
            driver = .keys(keyFilters.removeFirst())
        } else {
            driver = .dates
        }

        // The candidates (`driving`: the rows the driving index gives, with the ranges it can seek) and the
        // conditions each must meet (`checks`), shared by the count and the page. A candidate's row is `row`: a
        // column of `c`, or, on the full-text and name indexes, part of the index's key (`key`, a ``DateKey``, which
        // is also its date order and holds the filing's kinds), so that no condition reads filings.
        let source: String
        var row = "c.row"
        var key: String?
        var driving = Conditions()
        var checks = Conditions()
        switch driver {
        case .fullText(let match):
            source = "filings_fts"
            key = "filings_fts.rowid"
            driving.add("filings_fts MATCH ?", [.text(match)])
        case .keys(let filter):
            source = "filing_keys c"
            driving.add(
                "c.field = ? AND c.value IN (\(Self.placeholders(filter.values.count)))",
                [.text(filter.field)] + filter.values.map { .text($0) }
            )
        case .names(let table, let value):
            source = "\(table) n"
            key = "n.rowid"
            driving.add("n.\(table) MATCH ?", [Self.trigramPhrase(value)])
        case .dates:
            source = "filings c"
        }
        if let key {
            row = DateKey.rowSQL(key)
            // Dates as ranges of keys; a filing without a date has day 0.
            if query.dateFrom != nil || query.dateTo != nil {
                driving.add("\(key) >= ?", [.int(DateKey.first(on: query.dateFrom ?? "0000-00-01"))])
            }
            if let to = query.dateTo { driving.add("\(key) <= ?", [.int(DateKey.last(on: to))]) }
        } else {
            // Ranges filings_by_date and filing_keys' primary key seek.
            if query.dateFrom != nil || query.dateTo != nil { driving.add("c.document_date <> ''") }
            if let from = query.dateFrom { driving.add("c.document_date >= ?", [.text(from)]) }
            if let to = query.dateTo { driving.add("c.document_date <= ?", [.text(to)]) }
        }
        checks.add("\(row) <= ?", [.int(watermark)])
        for filter in keyFilters {
            if filter.field == "kind", let key, let mask = DateKey.kindMask(query.kinds) {
                // The kinds are bits of the index's key: no look-up.
                checks.add(DateKey.kindsSQL(key, mask: mask))
                continue
            }
            // By date and row where the candidate has its date; by row alone (filing_keys_by_row) otherwise.
            let date = key == nil ? " AND k.document_date = c.document_date" : ""
            checks.add(
                "EXISTS (SELECT 1 FROM filing_keys k WHERE k.field = ? AND k.value IN (\(Self.placeholders(filter.values.count)))"
                    + "\(date) AND k.row = \(row))",
                [.text(filter.field)] + filter.values.map { .text($0) }
            )
        }
        // The candidates' own rows of filings, when they are read from there.
        var candidateFilings: String?
        if case .dates = driver { candidateFilings = "c" }
        for filter in nameFilters {
            var values: [SQLiteValue] = []
            let condition = Self.substringFilter(
                table: filter.table,
                value: filter.value,
                row: row,
                filings: candidateFilings,
                bindings: &values
            )
            checks.add(condition, values)
        }
        let whereClause = "\(driving.clause) AND \(checks.clause)"
        let bindings = driving.bindings + checks.bindings

        // The total: exact, or "at least" when the count examined its limit of candidates and there were more.
        var response = QueryResponse()
        var total: Int64 = 0
        var totalIsLowerBound = false
        let countedWithPage = query.order == .relevance
        if countedWithPage {
            // Exact and free: ranking scores every match, and the page's statement counts them (below).
        } else if case .dates = driver, driving.isEmpty, checks.count == 1 {
            // Every filing: the kept count, less those stored since the first page.
            total =
                try db.scalarInt(
                    """
                    SELECT (SELECT value FROM store_counters WHERE name = 'documents')
                        - (SELECT count(*) FROM filings WHERE row > ?)
                    """,
                    [.int(watermark)]
                ) ?? 0
        } else if let countLimit = query.countLimit {
            // The first countLimit + 1 candidates, and how many of them meet every check.
            let statement = try db.statement(
                """
                SELECT count(*), total(pass) FROM (
                    SELECT (\(checks.clause)) AS pass FROM \(source) WHERE \(driving.clause) LIMIT ?
                )
                """
            )
            try statement.bind(checks.bindings + driving.bindings + [.int(Int64(countLimit) + 1)])
            if try statement.step() {
                totalIsLowerBound = statement.int(0) > Int64(countLimit)
                total = min(Int64(statement.double(1)), Int64(countLimit))
            }
            statement.reset()
        } else {
            total = try db.scalarInt("SELECT count(*) FROM \(source) WHERE \(whereClause)", bindings) ?? 0
        }
        response.totalCount = UInt64(max(0, total))
        response.totalCountIsLowerBound = totalIsLowerBound
        guard countedWithPage || response.totalCount > 0 || totalIsLowerBound else { return response }

        // The page: limit + 1 hits, the last to tell whether there is another page.
        let columns =
            "f.row, f.id, f.sha256, f.form_type, f.kind, f.title, f.issuer_name, f.symbol, f.cik, f.document_date"
        let limit = query.limit
        var rows: [(row: Int64, key: Int64, hit: QueryHit)] = []
        var statistics = ""
        switch query.order {
        case .relevance:
            guard match != nil else {
                throw StoreError(code: .invalidQuery, message: "order RELEVANCE needs search text")
            }
            // A later page scores with the statistics of the first, from its token; the first page's come from the
            // rank function, which reads them at its first row when given none (filings_rank in CFilingsSQLite.h),
            // in the page's own statement: a statement of their own would expand a prefix term once more.
            let snapshot = token?.snapshot
            _ = db.takeRankStatistics()  // none left from an earlier query
            // The rank function and the aggregate are told the page's size and the previous page's last hit, so
            // that the one skips what cannot enter this page and the other keeps only the page's rows while it
            // counts every match (filings_rank and filings_top in CFilingsSQLite.h). LIMIT -1 keeps the subquery
            // a co-routine: its rows stream into the aggregate instead of being stored and sorted.
            var after = ""
            var afterBindings: [SQLiteValue] = []
            if let token {
                after = ", ?, ?"
                afterBindings = [.double(token.lastScore), .int(token.lastRow)]
            }
            let capacity = SQLiteValue.int(Int64(limit + 1))
            let statement = try db.statement(
                """
                SELECT filings_top(row, key, score, ?\(after)) FROM (
                    SELECT \(row) AS row, \(key ?? "0") AS key, filings_rank(filings_fts, ?, ?, \(row)\(after)) AS score
                    FROM \(source) WHERE \(whereClause) LIMIT -1
                )
                """
            )
            try statement.bind(
                [capacity] + afterBindings + [snapshot.map(SQLiteValue.text) ?? .null, capacity] + afterBindings
                    + bindings
            )
            let ranked = try statement.step() ? statement.withBlob(0, RankedPage.init) : nil
            guard let ranked else {
                throw StoreError(code: .storageFailure, message: "the ranked page of a query came back malformed")
            }
            statement.reset()
            // No statistics when nothing matched: there is no next page to score with them.
            statistics = snapshot ?? db.takeRankStatistics() ?? ""
            total = ranked.count
            let filing = try db.statement("SELECT \(columns) FROM filings f WHERE f.row = ?")
            for entry in ranked.entries {
                try filing.bind([.int(entry.row)])
                if try filing.step() {
                    var hit = Self.hit(filing)
                    hit.score = entry.score
                    rows.append((entry.row, entry.key, hit))
                }
                filing.reset()
            }
        case .dateDescending, .dateAscending:
            let descending = query.order == .dateDescending
            let direction = descending ? "DESC" : "ASC"
            var keyset = ""
            var order = "c.document_date \(direction), c.row \(direction)"
            var pageBindings = bindings
            if let key {
                // (document_date, row) in one integer, the order the index is stored in.
                order = "\(key) \(direction)"
                if let token {
                    // Past every key the last filing can have, whatever its kinds.
                    let last = DateKey.keys(date: token.lastDate, row: token.lastRow)
                    keyset = "AND \(key) \(descending ? "<" : ">") ?"
                    pageBindings.append(.int(descending ? last.lowerBound : last.upperBound))
                }
            } else if let token {
                keyset = "AND (c.document_date, c.row) \(descending ? "<" : ">") (?, ?)"
                pageBindings += [.text(token.lastDate), .int(token.lastRow)]
            }
            let statement = try db.statement(
                """
                SELECT \(columns), \(key ?? "0") FROM \(source) JOIN filings f ON f.row = \(row)
                WHERE \(whereClause) \(keyset)
                ORDER BY \(order) LIMIT ?
                """
            )
            try statement.bind(pageBindings + [.int(Int64(limit + 1))])
            while try statement.step() {
                rows.append((statement.int(0), statement.int(10), Self.hit(statement)))
            }
        }
        response.totalCount = UInt64(max(0, total))
        let hasMore = rows.count > limit
        if hasMore { rows.removeLast() }

        if let match, let search = query.search, !rows.isEmpty {
            let hasPrefix = (search.required.joined() + search.excluded).contains(where: \.isPrefix)
            try Self.addSnippets(to: &rows, match: match, onePass: hasPrefix, on: db)
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

    /// The snippet of each hit, for the FTS5 expression `match`.
    ///
    /// Each is one look-up of the hit's key, whose cost does not grow with the number of matches; but a prefix term
    /// is expanded over the whole index by every look-up, so with one (`onePass`) the snippets come from a single pass
    /// over the matches between the page's first and last keys (the keys, a JSON array, are tested after the match:
    /// `+rowid`, so that FTS5 does not run the expression once for each of them).
    private static func addSnippets(
        to rows: inout [(row: Int64, key: Int64, hit: QueryHit)],
        match: String,
        onePass: Bool,
        on db: SQLiteConnection
    ) throws(SQLiteError) {
        // The index keeps no text: the snippet reads it from the filing's blob.
        let row = DateKey.rowSQL("filings_fts.rowid")
        let snippet = """
            filings_snippet(filings_fts, '\(highlightStart)', '\(highlightEnd)', '…', 16,
                (SELECT filing FROM filing_blobs WHERE row = \(row)), (SELECT filing_size FROM filings WHERE row = \(row)))
            """
        let keys = rows.map(\.key)
        guard onePass, let first = keys.min(), let last = keys.max() else {
            let statement = try db.statement(
                "SELECT \(snippet) FROM filings_fts WHERE filings_fts MATCH ? AND rowid = ?"
            )
            for index in rows.indices {
                statement.reset()
                try statement.bind([.text(match), .int(rows[index].key)])
                if try statement.step() { rows[index].hit.snippet = oneLine(statement.text(0)) }
            }
            return
        }
        let statement = try db.statement(
            """
            SELECT rowid, \(snippet) FROM filings_fts WHERE filings_fts MATCH ? AND rowid BETWEEN ? AND ?
                AND +rowid IN (SELECT value FROM json_each(?))
            """
        )
        let list = "[" + keys.map(String.init).joined(separator: ",") + "]"
        try statement.bind([.text(match), .int(first), .int(last), .text(list)])
        var snippets: [Int64: String] = [:]
        while try statement.step() { snippets[statement.int(0)] = oneLine(statement.text(1)) }
        for index in rows.indices { rows[index].hit.snippet = snippets[rows[index].key] ?? "" }
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

    /// A case-insensitive substring filter on the names `table` (a trigram index, and the column of `filings` of the
    /// same name), for candidates that come from elsewhere: the candidate's `row`, and the alias of its row of
    /// `filings` when the candidates are read from there.
    private static func substringFilter(
        table: String,
        value: String,
        row: String,
        filings: String?,
        bindings: inout [SQLiteValue]
    ) -> String {
        if isIndexed(value) {
            bindings.append(trigramPhrase(value))
            return "\(row) IN (SELECT \(DateKey.rowSQL("rowid")) FROM \(table) WHERE \(table) MATCH ?)"
        }
        // Shorter than a trigram, so not in the index: each candidate's row says. The page stops at its end and the
        // total at its bound, so a letter that is in many names is quick (2 ms at 100,000 filings). Where few names
        // hold it, every candidate is read (140 ms at 100,000 when none did); one pass over the rows in storage order
        // instead, made for the page and again for its total, took 80 ms however many matched.
        bindings.append(.text(value.lowercased()))
        if let filings { return "instr(lower(\(filings).\(table)), ?) > 0" }
        return "EXISTS (SELECT 1 FROM filings f WHERE f.row = \(row) AND instr(lower(f.\(table)), ?) > 0)"
    }

    /// Whether a trigram index of names can find `value`: it has a trigram.
    private static func isIndexed(_ value: String) -> Bool { value.unicodeScalars.count >= 3 }

    /// The FTS5 expression of the rows of a trigram index that contain `value`, case-insensitively: a phrase of its
    /// trigrams, quotes doubled.
    private static func trigramPhrase(_ value: String) -> SQLiteValue {
        .text("\"" + value.replacingAll("\"", with: "\"\"") + "\"")
    }

    /// SQL conditions joined by AND, with the values their placeholders bind, in order.
    private struct Conditions {
        private var conditions: [String] = []
        private(set) var bindings: [SQLiteValue] = []

        var isEmpty: Bool { conditions.isEmpty }
        var count: Int { conditions.count }
        /// The conditions as one SQL expression; true when there are none.
        var clause: String { conditions.isEmpty ? "1" : conditions.joined(separator: " AND ") }

        mutating func add(_ condition: String, _ values: [SQLiteValue] = []) {
            conditions.append(condition)
            bindings += values
        }

        mutating func append(_ other: Conditions) {
            conditions += other.conditions
            bindings += other.bindings
        }
    }

    /// The hit of a row of `filings` whose first columns are those of the page's statements: row, id, sha256,
    /// form_type, kind, title, issuer_name, symbol, cik, document_date.
    private static func hit(_ statement: SQLiteStatement) -> QueryHit {
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
        return hit
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
