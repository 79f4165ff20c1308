internal import FilingsCore
internal import FilingsStore
internal import PostgresNIO

/// SQL text and its bound values, with `$n` placeholders numbered as values are added.
struct SQLBuilder {
    private(set) var binds = PostgresBindings()
    private var count = 0

    /// Adds `value` and returns its placeholder.
    mutating func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
        binds.append(value)
        count += 1
        return "$\(count)"
    }

    /// The statement `sql` with the values bound so far: build `sql` before calling this.
    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

/// One page of a ``FilingQuery`` as SQL on the PostgreSQL schema: filters as bound parameters, full text as a
/// `tsquery` built from the parsed ``SearchQuery`` (never from the user's text), keyset paging, and the snapshot of
/// the first page in the token.
struct PostgresFilingQuery {
    let query: FilingQuery

    /// The snippet markers around matched words, as in the SQLite store.
    static let highlightStart = "**"
    static let highlightEnd = "**"

    /// The statements of one page; run them in one REPEATABLE READ transaction, in this order.
    struct Statements {
        /// The snapshot the first page saw (nil when the token carries it).
        var snapshot: PostgresQuery?
        var count: PostgresQuery
        /// Columns: row, id, sha256, form_type, kind, title, issuer_name, symbol, cik, document_date, score.
        var page: PostgresQuery
    }

    /// The statements for this page; `snapshot` is the first page's snapshot, nil on the first page.
    func statements(snapshot: String?) -> Statements {
        var sql = SQLBuilder()
        // Conditions on the filing's row, and on the exact-match key that drives a page in date order.
        var conditions: [String] = []
        var keyConditions: [String] = []
        // A page in date order with a filter of one exact value reads that value's keys, which are in date order
        // (filing_keys' primary key), and stops at the page's end; otherwise it reads filings by date and tests
        // each one, which walks past every filing without the value. Symbols and CIKs are the most selective.
        let driver: (field: String, value: String)? =
            if query.order == .relevance {
                nil
            } else if let symbol = query.symbol {
                ("symbol", symbol)
            } else if let cik = query.cik {
                ("cik", cik)
            } else if query.formTypes.count == 1 {
                ("form", query.formTypes[0])
            } else if query.kinds.count == 1 {
                ("kind", String(query.kinds[0].rawValue))
            } else {
                nil
            }
        if let search = query.search {
            conditions.append("c.search @@ to_tsquery('simple', \(sql.bind(Self.tsquery(search))))")
        }
        if let snapshot {
            conditions.append("pg_visible_in_snapshot(c.txid, \(sql.bind(snapshot))::pg_snapshot)")
        }
        func keyFilter(_ field: String, _ values: [String]) {
            if let driver, driver.field == field {
                keyConditions.append("d.field = \(sql.bind(field)) AND d.value = \(sql.bind(driver.value))")
                return
            }
            conditions.append(
                "EXISTS (SELECT 1 FROM filing_keys k WHERE k.field = \(sql.bind(field))"
                    + " AND k.value = ANY(\(sql.bind(values))::text[]) AND k.row = c.row)"
            )
        }
        if let symbol = query.symbol { keyFilter("symbol", [symbol]) }
        if let cik = query.cik { keyFilter("cik", [cik]) }
        if !query.formTypes.isEmpty { keyFilter("form", query.formTypes) }
        if !query.kinds.isEmpty { keyFilter("kind", query.kinds.map { String($0.rawValue) }) }
        if let company = query.company {
            conditions.append("c.company_names ILIKE \(sql.bind(Self.likePattern(company)))")
        }
        if let person = query.person {
            conditions.append("c.person_names ILIKE \(sql.bind(Self.likePattern(person)))")
        }
        // A key's date is its filing's: with a driver, the range is a range of its index.
        let date = driver == nil ? "c.document_date" : "d.document_date"
        var dates: [String] = []
        if query.dateFrom != nil || query.dateTo != nil { dates.append("\(date) <> ''") }
        if let from = query.dateFrom { dates.append("\(date) >= \(sql.bind(from))") }
        if let to = query.dateTo { dates.append("\(date) <= \(sql.bind(to))") }
        if driver == nil { conditions += dates } else { keyConditions += dates }
        let all = keyConditions + conditions
        let filter = all.isEmpty ? "" : "WHERE " + all.joined(separator: " AND ")
        let source = driver == nil ? "filings c" : "filing_keys d JOIN filings c ON c.row = d.row"

        // Bounded: the matches up to countLimit + 1 (more than countLimit makes the total "at least countLimit").
        // With a driver and nothing to test on the filing, the keys alone are counted: each names one filing.
        let counted = driver != nil && conditions.isEmpty ? "filing_keys d" : source
        let count =
            if let limit = query.countLimit {
                sql.query("SELECT count(*) FROM (SELECT 1 FROM \(counted) \(filter) LIMIT \(limit + 1)) AS matches")
            } else {
                sql.query("SELECT count(*) FROM \(counted) \(filter)")
            }

        let columns =
            "c.row, c.id, c.sha256, c.form_type, c.kind, c.title, c.issuer_name, c.symbol, c.cik, "
            + "c.document_date"
        let token = query.pageToken
        var page = sql
        var text: String
        switch query.order {
        case .relevance:
            // ts_rank is a function of the filing and the query alone: a filing's score never moves when others are
            // stored, so the last score and row of a page mark exactly where the next begins. It ranks the query's
            // words without its exclusions: a matching filing holds none of those, and ts_rank scores an AND that
            // holds a negation 1e-20 for every filing (only pairs of words present count), whatever it holds.
            let ranked = query.search.map { page.bind(Self.tsquery($0, exclusions: false)) } ?? "''"
            let score = "ts_rank(c.search, to_tsquery('simple', \(ranked)), 1)"
            var keyset = ""
            if let token {
                let lastScore = page.bind(Float(token.lastScore))
                keyset =
                    "\(filter.isEmpty ? "WHERE" : "AND") (\(score) < \(lastScore)::real"
                    + " OR (\(score) = \(lastScore)::real AND c.row > \(page.bind(token.lastRow))))"
            }
            text = """
                SELECT \(columns), \(score)::float8 AS score FROM filings c \(filter) \(keyset)
                ORDER BY 11 DESC, c.row ASC LIMIT \(page.bind(Int64(query.limit + 1)))
                """
        case .dateDescending, .dateAscending:
            let descending = query.order == .dateDescending
            let direction = descending ? "DESC" : "ASC"
            let row = driver == nil ? "c.row" : "d.row"
            var keyset = ""
            if let token {
                keyset =
                    "\(filter.isEmpty ? "WHERE" : "AND") (\(date), \(row)) \(descending ? "<" : ">")"
                    + " (\(page.bind(token.lastDate)), \(page.bind(token.lastRow)))"
            }
            text = """
                SELECT \(columns), 0.0::float8 AS score FROM \(source) \(filter) \(keyset)
                ORDER BY \(date) \(direction), \(row) \(direction) LIMIT \(page.bind(Int64(query.limit + 1)))
                """
        }
        return Statements(
            snapshot: snapshot == nil ? PostgresQuery(unsafeSQL: "SELECT pg_current_snapshot()::text") : nil,
            count: count,
            page: page.query(text)
        )
    }

    /// The statement that makes the snippets of `rows`: one row per (row, snippet).
    func snippets(rows: [Int64]) -> PostgresQuery? {
        guard let search = query.search, !rows.isEmpty else { return nil }
        var sql = SQLBuilder()
        let options =
            "StartSel=\(Self.highlightStart), StopSel=\(Self.highlightEnd), MaxWords=24, MinWords=12, "
            + "MaxFragments=1, FragmentDelimiter=\" … \""
        let text = """
            SELECT t.row, ts_headline('simple', t.body, to_tsquery('simple', \(sql.bind(Self.tsquery(search)))),
                \(sql.bind(options)))
            FROM filing_text t WHERE t.row = ANY(\(sql.bind(rows))::bigint[])
            """
        return sql.query(text)
    }

    /// The `tsquery` text for `search`, with or without its exclusions: every token quoted, so no user text is
    /// `tsquery` syntax.
    static func tsquery(_ search: SearchQuery, exclusions: Bool = true) -> String {
        func term(_ term: SearchQuery.Term) -> String {
            var words = term.tokens.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
            if term.isPrefix, let last = words.popLast() { words.append(last + ":*") }
            return words.count == 1 ? words[0] : "(" + words.joined(separator: " <-> ") + ")"
        }
        var expression = search.required.map { group in
            group.count == 1 ? term(group[0]) : "(" + group.map(term).joined(separator: " | ") + ")"
        }.joined(separator: " & ")
        if exclusions {
            for excluded in search.excluded { expression += " & !" + term(excluded) }
        }
        return expression
    }

    /// A case-insensitive LIKE pattern that matches `value` anywhere, with `%`, `_` and `\` taken literally.
    static func likePattern(_ value: String) -> String {
        var pattern = "%"
        for character in value {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }

    /// Whether `text` has the shape of a `pg_snapshot` (`xmin:xmax:xip,…`), so that a forged token cannot reach
    /// the cast.
    static func isSnapshot(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, text.utf8.count <= 2048 else { return false }
        func isNumber(_ part: Substring) -> Bool { !part.isEmpty && part.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        return isNumber(parts[0]) && isNumber(parts[1])
            && (parts[2].isEmpty
                || parts[2].split(separator: ",", omittingEmptySubsequences: false).allSatisfy(isNumber))
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
