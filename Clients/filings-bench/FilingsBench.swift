import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation

/// `filings-bench`: measures the filings RPC stack.
@main
struct FilingsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filings-bench",
        abstract: "Load-test a filings server; measure the codec and the parser.",
        discussion: """
            Examples:
              filings-bench --rpc health --connections 16 --concurrency 64 --duration 10
              filings-bench --rpc store --corpus docs --connections 16 --requests 100000
              filings-bench --rpc query --queries q.txt --rate 500 --json > run.json
              filings-bench --rpc mix --mix query=8,store=1,health=1 --corpus docs \\
                --queries q.txt
              filings-bench compare before.json after.json
            """,
        subcommands: [
            LoadCommand.self, CompareCommand.self, CodecBenchmark.self, ParseBenchmark.self, StoreEngineBenchmark.self,
        ],
        defaultSubcommand: LoadCommand.self
    )
}

/// Encode and decode of a ParsedFiling of about 4 KiB through protobuf-c.
struct CodecBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Encode + decode a ~4 KiB ParsedFiling through protobuf-c; prints operations per second."
    )

    @Option(help: "Seconds to measure each of encode, decode and the round trip.")
    var duration: Double = 3

    func run() throws {
        let filing = CodecBenchmark.sampleFiling()
        let bytes = filing.serializedBytes()
        print("message: ParsedFiling, \(bytes.count) bytes encoded")
        measure("encode") {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(bytes.count)
            filing.serialize(into: &buffer)
            return buffer.count
        }
        measure("decode") {
            (try? ParsedFiling(serializedBytes: bytes))?.documents.count ?? 0
        }
        measure("encode+decode") {
            (try? ParsedFiling(serializedBytes: filing.serializedBytes()))?.documents.count ?? 0
        }
    }

    private func measure(_ name: String, _ body: () -> Int) {
        var sink = 0
        for _ in 0..<1000 { sink &+= body() }
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int64(duration * 1000))
        var operations = 0
        let start = clock.now
        while clock.now < end {
            for _ in 0..<100 { sink &+= body() }
            operations += 100
        }
        let elapsed = clock.now - start
        let seconds = elapsed.secondsValue
        print(
            "\(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(format: "%9.0f", Double(operations) / seconds)) ops/s  (\(sink % 2))"
        )
    }

    /// A press release's worth of facts: about 4 KiB encoded.
    static func sampleFiling() -> ParsedFiling {
        let span = Span(start: 1200, end: 1214)
        let paragraph =
            "NeoTherapeutics, Inc. (Nasdaq: NEOT) announced today that it has formed a joint venture with J.B. "
            + "Chemicals & Pharmaceuticals, Ltd. to manage US clinical development and regulatory approvals. "
        return ParsedFiling(
            sha256: String(repeating: "5f", count: 32),
            byteLength: 18_432,
            parserVersion: "1.0.0",
            format: .plainText,
            documents: [
                Document(
                    type: "EX-99.1",
                    sequence: 1,
                    kind: .pressRelease,
                    title: "NEOTHERAPEUTICS AND J.B. CHEMICALS & PHARMACEUTICALS FORM JOINT VENTURE",
                    text: String(repeating: paragraph, count: 15),
                    dateline: Dateline(city: "IRVINE", state: "Calif.", date: "2002-05-01"),
                    issuer: Security(name: "NeoTherapeutics, Inc.", exchange: "NASDAQ", symbol: "NEOT", span: span),
                    securities: [
                        Security(name: "NeoTherapeutics, Inc.", exchange: "NASDAQ", symbol: "NEOT", span: span),
                        Security(
                            name: "J.B. Chemicals & Pharmaceuticals, Ltd.",
                            exchange: "Bombay Stock Exchange",
                            symbol: "JBCPL",
                            span: span
                        ),
                    ],
                    contacts: [
                        Contact(
                            role: "Media Relations",
                            name: "Jon Siegal",
                            organization: "RTA Inc.",
                            phone: "(508) 647-9782",
                            extension: "15",
                            span: span
                        )
                    ],
                    people: [
                        Person(
                            name: "Alvin J. Glasky",
                            title: "Chairman and Chief Executive Officer",
                            organization: "NeoTherapeutics",
                            span: span
                        ),
                        Person(
                            name: "J.B. Mody",
                            title: "Chairman",
                            organization: "J.B. Chemicals & Pharmaceuticals",
                            span: span
                        ),
                    ],
                    quotes: [
                        Quote(
                            speaker: "Alvin J. Glasky",
                            text: "This joint venture is an important step for us.",
                            span: span
                        )
                    ],
                    money: (0..<8).map {
                        Money(text: "$\($0).5 million", value: Double($0) * 1e6 + 5e5, currency: "USD", span: span)
                    },
                    percentages: [Percentage(text: "80%", value: 80, span: span)],
                    dates: [DateMention(text: "May 1, 2002", date: "2002-05-01", span: span)],
                    urls: ["www.neot.com", "www.uniquepharma.com"],
                    forwardLooking: true
                )
            ]
        )
    }
}
