import Foundation

/// Press releases written from parts, so that tests can store many distinct, realistic filings whose facts they
/// know: the issuer, its ticker, the dateline's date, the people quoted, and a topic word in the text.
public struct SyntheticFiling: Sendable, Hashable {
    public var company: String
    public var symbol: String
    public var exchange: String
    public var city: String
    public var state: String
    /// ISO date of the dateline.
    public var date: String
    public var person: String
    public var title: String
    /// A sentence of the body.
    public var topic: String

    public init(
        company: String,
        symbol: String,
        exchange: String = "NASDAQ",
        city: String = "SPRINGFIELD",
        state: String = "Ill.",
        date: String,
        person: String,
        title: String,
        topic: String
    ) {
        self.company = company
        self.symbol = symbol
        self.exchange = exchange
        self.city = city
        self.state = state
        self.date = date
        self.person = person
        self.title = title
        self.topic = topic
    }

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// The release as the bytes of a plain-text file.
    public var bytes: [UInt8] {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        let written = "\(Self.months[parts[1] - 1]) \(parts[2]), \(parts[0])"
        let text = """
            FOR IMMEDIATE RELEASE

            \(title)

            \(city), \(state), \(written) -- \(company) (\(exchange): \(symbol)) today announced that
            \(topic) Revenue for the period was $12.5 million, an increase of 14% over the
            same period last year.

            "We are pleased with what our people achieved," said \(person), chief executive officer of
            \(company).

            Contact: Investor Relations
                     (555) 123-4567

            """
        return Array(text.utf8)
    }

    /// A long release of about `kilobytes` KB: the release's body repeated with numbered paragraphs, so that
    /// parsing it takes real time and every copy differs from the others by `variant`.
    public func longBytes(kilobytes: Int, variant: Int = 0) -> [UInt8] {
        var out = bytes
        let paragraph = Array(
            """

            In the quarter \(company) reported revenue of $\(variant).5 million, up 12% from a year earlier, \
            said \(person), \(title) of \(company). "We continue to invest in our people," \(person) said on \
            \(date). The company expects growth of 8% in its markets (see www.example.com).

            """.utf8
        )
        var index = 0
        while out.count < kilobytes * 1024 {
            out += Array("\(index). ".utf8) + paragraph
            index += 1
        }
        return out
    }

    /// The release as exhibit 99.1 of an 8-K submission filed by CIK `cik` on the release's date.
    public func submissionBytes(cik: String) -> [UInt8] {
        let compact = date.replacingOccurrences(of: "-", with: "")
        let accession = "0000950123-\(compact.dropFirst(2).prefix(2))-\(cik.suffix(6))"
        let header = """
            <SEC-DOCUMENT>\(accession).txt : \(compact)
            <SEC-HEADER>\(accession).hdr.sgml : \(compact)
            ACCESSION NUMBER:\t\t\(accession)
            CONFORMED SUBMISSION TYPE:\t8-K
            PUBLIC DOCUMENT COUNT:\t\t2
            CONFORMED PERIOD OF REPORT:\t\(compact)
            ITEM INFORMATION:\t\tRegulation FD Disclosure
            FILED AS OF DATE:\t\t\(compact)

            FILER:

            \tCOMPANY DATA:\t
            \t\tCOMPANY CONFORMED NAME:\t\t\t\(company.uppercased())
            \t\tCENTRAL INDEX KEY:\t\t\t\(cik)
            \t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t\t[3560]
            \t\tSTATE OF INCORPORATION:\t\t\tDE

            \tFILING VALUES:
            \t\tFORM TYPE:\t\t8-K
            </SEC-HEADER>
            <DOCUMENT>
            <TYPE>8-K
            <SEQUENCE>1
            <FILENAME>form8k.txt
            <TEXT>
            UNITED STATES SECURITIES AND EXCHANGE COMMISSION
            Washington, D.C. 20549

            FORM 8-K

            CURRENT REPORT

            Item 7.01. Regulation FD Disclosure.

            On \(date), \(company) issued the press release attached as Exhibit 99.1.
            </TEXT>
            </DOCUMENT>
            <DOCUMENT>
            <TYPE>EX-99.1
            <SEQUENCE>2
            <FILENAME>ex99.txt
            <TEXT>

            """
        return Array(header.utf8) + bytes + Array("</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n".utf8)
    }

    /// `count` releases from a seeded generator: a few companies, people and topics recur so that filters match
    /// several filings, and every release differs in its bytes.
    public static func batch(count: Int, seed: UInt64) -> [SyntheticFiling] {
        var random = SplitMix64(seed: seed)
        let companies = [
            ("Acme Widgets Inc.", "ACME"), ("Globex Corporation", "GBX"), ("Initech Systems Inc.", "INIT"),
            ("Umbrella Pharmaceuticals Corp.", "UMBR"), ("Stark Industrial Holdings Inc.", "STRK"),
        ]
        let people = ["John Q. Smith", "Maria Gonzalez", "Robert Chen", "Aisha Patel"]
        let topics = [
            "it has signed a definitive merger agreement with a private competitor.",
            "it has completed the acquisition of a regional distributor.",
            "its board of directors declared a quarterly dividend.",
            "it will restate its financial statements for the prior fiscal year.",
            "it has launched a new line of industrial widgets.",
        ]
        return (0..<count).map { index in
            let (company, symbol) = companies[Int(random.next() % UInt64(companies.count))]
            let year = 2000 + Int(random.next() % 10)
            let month = 1 + Int(random.next() % 12)
            let day = 1 + Int(random.next() % 28)
            let topic = topics[Int(random.next() % UInt64(topics.count))]
            return SyntheticFiling(
                company: company,
                symbol: symbol,
                date: String(format4: year) + "-" + String(format2: month) + "-" + String(format2: day),
                person: people[Int(random.next() % UInt64(people.count))],
                title: "\(company) Announces Update Number \(index) \(seed)",
                topic: topic
            )
        }
    }
}

extension String {
    fileprivate init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
    fileprivate init(format4 value: Int) { self = "\(value)" }
}
