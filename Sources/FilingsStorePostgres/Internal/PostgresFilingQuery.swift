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
        var conditions: [String] = []
        var searchParameter: String?
        if let search = query.search {
            searchParameter = sql.bind(Self.tsquery(search))
            conditions.append("c.search @@ to_tsquery('simple', \(searchParameter!))")
        }
        if let snapshot {
            conditions.append("pg_visible_in_snapshot(c.txid, \(sql.bind(snapshot))::pg_snapshot)")
        }
        func keyFilter(_ field: String, _ values: [String]) {
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
        if query.dateFrom != nil || query.dateTo != nil { conditions.append("c.document_date <> ''") }
        if let from = query.dateFrom { conditions.append("c.document_date >= \(sql.bind(from))") }
        if let to = query.dateTo { conditions.append("c.document_date <= \(sql.bind(to))") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")

        // Bounded: the matches up to countLimit + 1 (more than countLimit makes the total "at least countLimit").
        let count =
            if let limit = query.countLimit {
                sql.query("SELECT count(*) FROM (SELECT 1 FROM filings c \(filter) LIMIT \(limit + 1)) AS matches")
            } else {
                sql.query("SELECT count(*) FROM filings c \(filter)")
            }

        let columns =
            "c.row, c.id, c.sha256, c.form_type, c.kind, c.title, c.issuer_name, c.symbol, c.cik, "
            + "c.document_date"
        let token = query.pageToken
        var page = sql
        var text: String
        switch query.order {
        case .relevance:
            let searchParameter = searchParameter ?? "''"
            // ts_rank is a function of the filing and the query alone: a filing's score never moves when others are
            // stored, so the last score and row of a page mark exactly where the next begins.
            let score = "ts_rank(c.search, to_tsquery('simple', \(searchParameter)), 1)"
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
            var keyset = ""
            if let token {
                keyset =
                    "\(filter.isEmpty ? "WHERE" : "AND") (c.document_date, c.row) \(descending ? "<" : ">")"
                    + " (\(page.bind(token.lastDate)), \(page.bind(token.lastRow)))"
            }
            text = """
                SELECT \(columns), 0.0::float8 AS score FROM filings c \(filter) \(keyset)
                ORDER BY c.document_date \(direction), c.row \(direction) LIMIT \(page.bind(Int64(query.limit + 1)))
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

    /// The `tsquery` text for `search`: every token quoted, so no user text is `tsquery` syntax.
    static func tsquery(_ search: SearchQuery) -> String {
        func term(_ term: SearchQuery.Term) -> String {
            var words = term.tokens.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
            if term.isPrefix, let last = words.popLast() { words.append(last + ":*") }
            return words.count == 1 ? words[0] : "(" + words.joined(separator: " <-> ") + ")"
        }
        var expression = search.required.map { group in
            group.count == 1 ? term(group[0]) : "(" + group.map(term).joined(separator: " | ") + ")"
        }.joined(separator: " & ")
        for excluded in search.excluded { expression += " & !" + term(excluded) }
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
