import FilingsCore
import FilingsParser
import FilingsTestSupport
import Foundation
import Testing

@Suite struct SeedTests {
    @Test func pressReleaseSeed() throws {
        let filing = try EDGARParser().parse(try fixture("000_317536f23785ae8a.txt"))
        #expect(filing.format == .plainText)
        let doc = try #require(filing.documents.first)
        #expect(doc.sequence == 1)
        #expect(doc.contacts.count == 2)
        let siegal = try #require(doc.contacts.first { $0.name == "Jon Siegal" })
        #expect(siegal.role == "MEDIA RELATIONS")
        #expect(siegal.organization == "Ronald Trahan Associates (RTA) Inc.")
        #expect(siegal.phone == "(508) 647-9782")
        #expect(siegal.extension == "15")
        #expect(Set(doc.securities.map(\.symbol)) == ["NEOT", "PFE"])
        #expect(doc.people.first { $0.name == "Olivier Civelli" }?.organization == "NeoGene Technologies")
        #expect(doc.urls == ["www.neot.com"])
    }

    @Test func lateFilingSeed() throws {
        let filing = try EDGARParser().parse(try fixture("002_655c329adbf5cb37.txt"))
        let doc = try #require(filing.documents.first)
        let late = try #require(doc.lateFiling)
        #expect(doc.type == "NT 10-K")
        #expect(late.secFileNumber == "000-28782")
        #expect(late.cityStateZip == "IRVINE, CA 92618")
        #expect(late.rule12b25b == Rule12b25b(a: true, b: true, c: false))
        #expect(late.signerName == "SAMUEL GULKO")
        #expect(late.signerTitle == "CHIEF FINANCIAL OFFICER")
        #expect(late.signatureDate == "2001-04-01")
        #expect(
            late.changeExplanation.hasPrefix("The Company expects to report a net loss of approximately $28 million")
        )
        #expect(doc.money.map(\.value) == [28_000_000, 46_000_000])
        #expect(filing.warnings.map(\.code) == ["SIGNATURE_BEFORE_PERIOD_END"])
    }

    /// Every money, percentage and date fact's span reads, in the input, as the fact's text.
    @Test(arguments: ["000_317536f23785ae8a.txt", "001_0a7d444e1954de15.txt", "002_655c329adbf5cb37.txt"])
    func provenance(name: String) throws {
        let bytes = try fixture(name)
        let filing = try EDGARParser().parse(bytes)
        var checked = 0
        for doc in filing.documents {
            let facts: [(String, Span?)] =
                doc.money.map { ($0.text, $0.span) } + doc.percentages.map { ($0.text, $0.span) }
                + doc.dates.map { ($0.text, $0.span) }
            for (text, span) in facts {
                let span = try #require(span)
                let written = String(decoding: bytes[Int(span.start)..<Int(span.end)], as: UTF8.self)
                #expect(written.split(whereSeparator: \.isWhitespace) == text.split(whereSeparator: \.isWhitespace))
                checked += 1
            }
            for quote in doc.quotes {
                let span = try #require(quote.span)
                let written = String(decoding: bytes[Int(span.start)..<Int(span.end)], as: UTF8.self)
                #expect(
                    written.split(whereSeparator: \.isWhitespace) == quote.text.split(whereSeparator: \.isWhitespace)
                )
            }
        }
        #expect(checked > 0)
    }

    /// The labelled facts of each seed: type, kind, title, dateline, issuer, people, quotes, dates.
    @Test(arguments: ["000_317536f23785ae8a", "001_0a7d444e1954de15", "002_655c329adbf5cb37"])
    func labelledFacts(name: String) throws {
        let filing = try EDGARParser().parse(try fixture(name + ".txt"))
        let label = try JSONSerialization.jsonObject(with: Data(try fixture(name + ".json"))) as! [String: Any]
        let expected = (label["documents"] as! [[String: Any]])[0]
        let doc = filing.documents[0]
        #expect(doc.type == expected["type"] as? String)
        #expect(doc.kind.protoName == expected["kind"] as? String)
        #expect(doc.title == expected["title"] as? String)
        if let dateline = expected["dateline"] as? [String: String] {
            #expect(
                doc.dateline == Dateline(city: dateline["city"]!, state: dateline["state"]!, date: dateline["date"]!)
            )
        }
        #expect(doc.issuer?.name == (expected["issuer"] as? [String: String])?["name"])
        let people = Set((expected["people"] as? [[String: String]] ?? []).map { $0["name"]!.lowercased() })
        #expect(Set(doc.people.map { $0.name.lowercased() }) == people)
        let speakers = Set((expected["quotes"] as? [[String: String]] ?? []).map { $0["speaker"]! })
        #expect(Set(doc.quotes.map(\.speaker)) == speakers)
        let dates = Set((expected["dates"] as? [[String: String]] ?? []).map { $0["date"]! })
        #expect(Set(doc.dates.map(\.date)) == dates)
        for phrase in expected["textMustContain"] as? [String] ?? [] {
            #expect(doc.text.contains(phrase))
        }
        for phrase in expected["textMustNotContain"] as? [String] ?? [] {
            #expect(!doc.text.contains(phrase))
        }
    }
}

@Suite struct DevCorpusTests {
    /// Every dev-corpus document parses, with text for every non-binary document (needs ../shared).
    @Test func everyDevDocumentParses() async throws {
        guard DevCorpus.directory != nil else {
            print("skipped: ../shared/corpus/dev is not beside the repository")
            return
        }
        for url in DevCorpus.files {
            let filing = try await heavyWork { try EDGARParser().parse(Array(try Data(contentsOf: url))) }
            #expect(!filing.documents.isEmpty, "\(url.lastPathComponent)")
            for doc in filing.documents where !doc.binary && doc.kind != .other {
                #expect(!doc.text.isEmpty, "\(url.lastPathComponent) document \(doc.sequence)")
            }
        }
    }
}

/// The parser never crashes or hangs: random bytes, and cuts, splices and byte flips of real documents.
@Suite struct RobustnessTests {
    @Test(arguments: 0..<16)
    func randomBytes(seed: UInt64) async {
        var random = SplitMix64(seed: seed)
        let count = Int(random.next() % 20_000)
        var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        // Half the runs without NULs, so they get past the binary check.
        if seed % 2 == 0 { bytes = bytes.map { $0 == 0 ? 0x20 : $0 } }
        let input = bytes
        _ = await heavyWork { try? EDGARParser().parse(input) }
    }

    @Test(arguments: 0..<24)
    func mutatedDocuments(seed: UInt64) async throws {
        var sources = [
            try fixture("000_317536f23785ae8a.txt"), try fixture("001_0a7d444e1954de15.txt"),
            try fixture("002_655c329adbf5cb37.txt"),
        ]
        sources += DevCorpus.files.prefix(30).compactMap { try? Array(Data(contentsOf: $0)) }.filter {
            $0.count < 400_000
        }
        var random = SplitMix64(seed: seed)
        var bytes = sources[Int(random.next() % UInt64(sources.count))]
        for _ in 0..<8 {
            guard !bytes.isEmpty else { break }
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 4 {
            case 0: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 500)))  // cut
            case 1:  // splice in a piece of another document
                let other = sources[Int(random.next() % UInt64(sources.count))]
                let from = Int(random.next() % UInt64(other.count))
                bytes.insert(contentsOf: other[from..<min(other.count, from + 300)], at: at)
            case 2: bytes[at] = UInt8(truncatingIfNeeded: random.next())  // flip
            default: bytes = Array(bytes[..<at])  // truncate
            }
        }
        let input = bytes
        if let filing = await heavyWork({ try? EDGARParser().parse(input) }) {
            #expect(filing.byteLength == UInt64(bytes.count))
            for doc in filing.documents {
                for money in doc.money {
                    let span = try #require(money.span)
                    #expect(span.start <= span.end && Int(span.end) <= bytes.count)
                }
            }
        }
    }
}
