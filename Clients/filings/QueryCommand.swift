import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation

struct QueryCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Find stored filings by full text and filters.",
        discussion: """
            Text: words (all must match), "quoted phrases", prefix*, OR between two terms, -word to exclude.
            Filters all must match; --form and --kind may be repeated (any of them matches).
            Prints a table (date, form, issuer, title, matched text); --json prints one QueryHit per line.
            A page ends with the token of the next one; --all follows every page.

            Examples:
              filings query merger "definitive agreement"
              filings query --limit 5 -- merger -terminated   (after --, -word excludes)
              filings query --symbol ALNY --order newest
              filings query dividend --kind PRESS_RELEASE --from 2020-01-01 --to 2020-12-31
              filings query --form 8-K --form 8-K/A --all --json | jq -r .id
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    @Argument(help: "Full-text search (optional).")
    var text: [String] = []

    @Option(help: "Issuer or company name contains this (any case).")
    var company: String?

    @Option(help: "Ticker symbol.")
    var symbol: String?

    @Option(help: "Central Index Key.")
    var cik: String?

    @Option(help: "Form type, e.g. 8-K (repeatable).")
    var form: [String] = []

    @Option(
        help:
            "Kind (repeatable): PRESS_RELEASE, LATE_FILING_NOTICE, CURRENT_REPORT, ANNUAL_REPORT, QUARTERLY_REPORT, OTHER."
    )
    var kind: [String] = []

    @Option(help: "Earliest document date, YYYY-MM-DD.")
    var from: String?

    @Option(help: "Latest document date, YYYY-MM-DD.")
    var to: String?

    @Option(help: "A person's name contains this (any case).")
    var person: String?

    @Option(help: "relevance (default with text), newest (default without), or oldest.")
    var order: String?

    @Option(help: "Hits per page, 1 to 1000.")
    var limit: UInt32 = 20

    @Option(help: "Continue from this page token.")
    var pageToken: String?

    @Flag(help: "Follow the page tokens to the last page.")
    var all = false

    @Flag(help: "Count every match, however many (the server otherwise may stop at 5,000 and say \"at least\").")
    var exactTotal = false

    @Option(help: "table (for people; the default), json (one QueryHit per line; --json) or csv (for spreadsheets).")
    var format: QueryFormat?

    /// How hits are printed.
    enum QueryFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    func validate() throws {
        if output.json, let format, format != .json { throw ValidationError("--json and --format \(format) disagree") }
    }

    func request() throws -> QueryRequest {
        var request = QueryRequest()
        request.text = text.map { $0.contains(" ") && !$0.hasPrefix("\"") ? "\"\($0)\"" : $0 }.joined(separator: " ")
        request.company = company ?? ""
        request.symbol = symbol ?? ""
        request.cik = cik ?? ""
        request.formTypes = form
        request.kinds = try kind.map { name in
            guard let kind = Kind.allCases.first(where: { $0.protoName == name.uppercased() && $0 != .unspecified })
            else {
                throw ValidationError(
                    "--kind \(name): one of "
                        + Kind.allCases.dropFirst().map(\.protoName).joined(separator: ", ")
                )
            }
            return kind
        }
        request.dateFrom = from ?? ""
        request.dateTo = to ?? ""
        request.person = person ?? ""
        switch order {
        case nil: request.order = .unspecified
        case "relevance": request.order = .relevance
        case "newest": request.order = .dateDescending
        case "oldest": request.order = .dateAscending
        case let other?: throw ValidationError("--order \(other): one of relevance, newest, oldest")
        }
        guard (1...1000).contains(limit) else { throw ValidationError("--limit is 1 to 1000") }
        request.limit = limit
        request.pageToken = pageToken ?? ""
        request.exactTotal = exactTotal
        return request
    }

    func run() async throws {
        var request = try request()
        let client = try global.makeClient()
        defer { client.close() }
        let style = Style.standardOutput
        let format = format ?? (output.json ? .json : .table)
        var shown = 0
        while true {
            let response: QueryResponse
            do throws(RPCError) {
                response = try await client.query(request)
            } catch {
                if error.code == .invalidArgument {
                    Terminal.error("\(error.message)")
                    throw ExitCode(ExitCodes.usage)
                }
                throw fail(error, addr: global.addr)
            }
            if format == .json {
                for hit in response.hits { print(hit.jsonString()) }
            } else if format == .csv {
                if shown == 0 { print(HitCSV.header) }
                for hit in response.hits { print(HitCSV.row(hit)) }
            } else if shown == 0 && response.hits.isEmpty {
                print("No filings match.")
            } else {
                print(HitTable.render(response.hits, style: style, header: shown == 0))
            }
            shown += response.hits.count
            guard all, !response.nextPageToken.isEmpty else {
                if format == .table {
                    var total = Int(response.totalCount)
                    var atLeast = response.totalCountIsLowerBound ? "at least " : ""
                    if response.totalCountIsLowerBound {
                        // From the first page to the last, what was shown is every match.
                        let everything = pageToken == nil && response.nextPageToken.isEmpty
                        total = everything ? shown : max(total, shown)
                        if everything { atLeast = "" }
                    }
                    var footer =
                        "\(Units.count(shown)) of \(atLeast)\(Units.count(total)) \(total == 1 ? "filing" : "filings")"
                    if !response.nextPageToken.isEmpty {
                        footer += "; next page: --page-token \(response.nextPageToken)"
                    }
                    if shown > 0 { print(style.dim(footer)) }
                } else if !response.nextPageToken.isEmpty {
                    Terminal.error("more hits: --page-token \(response.nextPageToken)")
                }
                return
            }
            request.pageToken = response.nextPageToken
        }
    }
}

/// Query hits as an aligned table that fits the terminal.
enum HitTable {
    static func render(_ hits: [QueryHit], style: Style, header: Bool) -> String {
        let width = style.width ?? 160
        let withSnippets = hits.contains { !$0.snippet.isEmpty }
        let idWidth = 20
        let dateWidth = 10
        let formWidth = min(10, max(4, hits.map(\.formType.count).max() ?? 4))
        let rest = max(30, width - idWidth - dateWidth - formWidth - 3 * 2)
        let issuerWidth = min(28, max(6, hits.map(\.issuerName.count).max() ?? 6), rest / 3)
        let titleWidth =
            withSnippets
            ? min(50, rest / 3) : max(5, min(rest - issuerWidth - 2, hits.map(\.title.count).max() ?? 5))
        let snippetWidth = max(10, rest - issuerWidth - titleWidth - 4)
        var lines: [String] = []
        if header {
            var titles = [
                "ID".fitted(to: idWidth), "DATE".fitted(to: dateWidth), "FORM".fitted(to: formWidth),
                "ISSUER".fitted(to: issuerWidth), withSnippets ? "TITLE".fitted(to: titleWidth) : "TITLE",
            ]
            if withSnippets { titles.append("MATCHED TEXT") }
            lines.append(style.bold(titles.joined(separator: "  ")))
        }
        for hit in hits {
            var cells = [
                hit.id.fitted(to: idWidth), (hit.documentDate.isEmpty ? "-" : hit.documentDate).fitted(to: dateWidth),
                (hit.formType.isEmpty ? "-" : hit.formType).fitted(to: formWidth),
                (hit.issuerName.isEmpty ? "-" : hit.issuerName).fitted(to: issuerWidth),
            ]
            let title = hit.title.isEmpty ? "-" : hit.title
            if withSnippets {
                cells.append(title.fitted(to: titleWidth))
                // On a terminal the matched text is cut to fit; in a pipe it is whole.
                let snippet =
                    style.width == nil
                    ? hit.snippet : hit.snippet.fitted(to: snippetWidth).trimmingCharacters(in: .whitespaces)
                cells.append(style.highlight(snippet))
            } else {
                cells.append(
                    style.width == nil ? title : title.fitted(to: titleWidth).trimmingCharacters(in: .whitespaces)
                )
            }
            lines.append(cells.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Query hits as CSV (RFC 4180): a header, then one row per hit, every field that needs it quoted.
enum HitCSV {
    static let header = "id,document_date,form_type,kind,issuer_name,symbol,cik,title,score,snippet"

    static func row(_ hit: QueryHit) -> String {
        let score = hit.score == 0 ? "" : String(hit.score)
        return [
            hit.id, hit.documentDate, hit.formType, hit.kind.protoName, hit.issuerName, hit.symbol, hit.cik,
            hit.title, score, hit.snippet,
        ].map(field).joined(separator: ",")
    }

    /// `value` as a CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a line break.
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
