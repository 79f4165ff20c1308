package import FilingsCore

/// The columns and index entries of one filing, derived from its ``ParsedFiling`` before it reaches a database.
///
/// Backend-neutral: the SQLite and PostgreSQL stores write the same values.
package struct FilingRecord: Sendable {
    package var id: String
    package var sha256: String
    /// The submission type, else the main document's type ("8-K", "EX-99.1"), uppercased.
    package var formType: String
    /// The main document's kind.
    package var kind: Kind
    /// The main document's title.
    package var title: String
    package var issuerName: String
    package var symbol: String
    package var cik: String
    /// See ``documentDate(of:)``.
    package var documentDate: String
    package var byteLength: Int
    package var parserVersion: String
    /// Every name the filing is filed by or about: filers, subject companies, the issuer, the registrant.
    package var companyNames: [String]
    /// People named in any document.
    package var personNames: [String]
    /// ``companyNames`` as one text, a name a line: what a substring of a name is searched in.
    package var companyNamesText: String { companyNames.joined(separator: "\n") }
    /// ``personNames`` as one text, a name a line.
    package var personNamesText: String { personNames.joined(separator: "\n") }
    /// Exact-match keys: (field, value).
    package var keys: [(field: String, value: String)]
    /// Searchable text: titles, and the text of every document that is not binary.
    package var searchTitle: String
    package var searchBody: String
    /// The encoded ParsedFiling, zlib-compressed, and its size before compression.
    package var filingBlob: [UInt8]
    package var filingSize: Int
    /// The raw input, zlib-compressed.
    package var rawBlob: [UInt8]

    /// The record of `filing` with `raw` compressed.
    package init(_ filing: ParsedFiling, raw: [UInt8]) {
        self.init(facts: filing)
        rawBlob = Deflate.compress(raw)
    }

    /// The record of `filing` without its raw input (``rawBlob`` is empty): what replacing a stored filing's facts
    /// writes.
    package init(facts filing: ParsedFiling) {
        let documents = filing.documents
        let main = documents.first(where: { !$0.binary && $0.kind != .unspecified }) ?? documents.first ?? Document()
        let submission = filing.submission ?? Submission()
        sha256 = filing.sha256
        id = Self.id(forSHA256: filing.sha256)
        formType = (submission.submissionType.isEmpty ? main.type : submission.submissionType).uppercased()
        kind = main.kind
        title = main.title
        let firstFiler = submission.filers.first?.companyName ?? ""
        issuerName = main.issuer?.name ?? ""
        if issuerName.isEmpty { issuerName = firstFiler }
        if issuerName.isEmpty, let late = main.lateFiling { issuerName = late.registrantName }
        symbol = (main.issuer?.symbol ?? documents.lazy.compactMap { $0.issuer?.symbol }.first { !$0.isEmpty } ?? "")
            .uppercased()
        cik = submission.filers.first.map { Self.normalizedCIK($0.cik) } ?? ""
        documentDate = Self.documentDate(of: filing, main: main)
        byteLength = Int(filing.byteLength)
        parserVersion = filing.parserVersion

        var names = Set<String>()
        var ordered: [String] = []
        func addName(_ name: String) {
            let trimmed = name.trimmingWhitespace()
            if !trimmed.isEmpty, names.insert(trimmed.lowercased()).inserted { ordered.append(trimmed) }
        }
        addName(issuerName)
        for filer in submission.filers {
            addName(filer.companyName)
            for former in filer.formerNames { addName(former.name) }
        }
        var people = Set<String>()
        var personNames: [String] = []
        var keys = Set<String>()
        var keyList: [(String, String)] = []
        func addKey(_ field: String, _ value: String) {
            guard !value.isEmpty, keys.insert(field + "\u{0}" + value).inserted else { return }
            keyList.append((field, value))
        }
        addKey("form", formType)
        for filer in submission.filers { addKey("cik", Self.normalizedCIK(filer.cik)) }
        for document in documents where !document.binary {
            if document.kind != .unspecified { addKey("kind", String(document.kind.rawValue)) }
            for security in [document.issuer].compactMap({ $0 }) + document.securities {
                addKey("symbol", security.symbol.uppercased())
                addName(security.name)
            }
            if let late = document.lateFiling { addName(late.registrantName) }
            for person in document.people + document.contacts.map({ Person(name: $0.name) })
            where !person.name.isEmpty && people.insert(person.name.lowercased()).inserted {
                personNames.append(person.name)
            }
            for quote in document.quotes
            where !quote.speaker.isEmpty && people.insert(quote.speaker.lowercased()).inserted {
                personNames.append(quote.speaker)
            }
        }
        companyNames = ordered
        self.personNames = personNames
        self.keys = keyList.map { (field: $0.0, value: $0.1) }

        let texts = documents.filter { !$0.binary }
        searchTitle = texts.map(\.title).filter { !$0.isEmpty }.joined(separator: "\n")
        searchBody = texts.map(\.text).joined(separator: "\n\n")
        let encoded = filing.serializedBytes()
        filingSize = encoded.count
        filingBlob = Deflate.compress(encoded)
        rawBlob = []
    }

    package static func id(forSHA256 sha256: String) -> String { String(sha256.prefix(20)) }

    /// A CIK without its leading zeros ("0000320193" is "320193").
    package static func normalizedCIK(_ cik: String) -> String {
        let digits = cik.trimmingWhitespace().drop { $0 == "0" }
        return digits.isEmpty && !cik.isEmpty ? "0" : String(digits)
    }

    /// The date a filing is sorted and filtered by: the date it was filed, else its dateline's, else the date a
    /// late-filing notice was signed, else the period it reports on; empty when it has none of these.
    package static func documentDate(of filing: ParsedFiling, main: Document) -> String {
        let submission = filing.submission ?? Submission()
        let candidates = [
            submission.filedAt,
            main.dateline?.date ?? "",
            filing.documents.lazy.compactMap { $0.dateline?.date }.first { !$0.isEmpty } ?? "",
            main.lateFiling?.signatureDate ?? "",
            submission.periodOfReport,
        ]
        return candidates.first { ISODate.isValid($0) } ?? ""
    }
}
