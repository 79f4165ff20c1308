import FilingsCore

/// The readable summary `filings parse` prints.
enum ParseSummary {
    static func render(_ filing: ParsedFiling, name: String) -> String {
        var lines: [String] = []
        lines.append(
            "\(name): \(filing.format.protoName), \(filing.byteLength) bytes, sha256 \(filing.sha256.prefix(16))…"
        )
        if let submission = filing.submission {
            let filers = submission.filers.map(\.companyName).joined(separator: "; ")
            lines.append(
                "  submission \(submission.accessionNumber) \(submission.submissionType), filed \(submission.filedAt)"
                    + (filers.isEmpty ? "" : ", \(filers)")
            )
        }
        for document in filing.documents {
            var head =
                "  [\(document.sequence)] \(document.type.isEmpty ? "?" : document.type) \(document.kind.protoName)"
            if document.binary { head += " (binary, not read)" }
            lines.append(head)
            if !document.title.isEmpty { lines.append("      title: \(document.title)") }
            if let issuer = document.issuer, !issuer.name.isEmpty {
                lines.append(
                    "      issuer: \(issuer.name)\(issuer.symbol.isEmpty ? "" : " (\(issuer.exchange): \(issuer.symbol))")"
                )
            }
            if let dateline = document.dateline {
                lines.append("      dateline: \(dateline.city), \(dateline.state) \(dateline.date)")
            }
            let tally: [(String, Int)] = [
                ("people", document.people.count), ("quotes", document.quotes.count), ("money", document.money.count),
                ("percentages", document.percentages.count), ("dates", document.dates.count),
                ("urls", document.urls.count), ("items", document.items.count),
            ]
            let counts: [String] = tally.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
            if !counts.isEmpty { lines.append("      " + counts.joined(separator: ", ")) }
        }
        for warning in filing.warnings { lines.append("  warning \(warning.code): \(warning.message)") }
        return lines.joined(separator: "\n")
    }
}
