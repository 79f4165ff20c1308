import FilingsCore
import FilingsTestSupport
import Testing

@Suite struct MessageRoundTripTests {
    static let span = Span(start: 10, end: 42)

    static let filing = ParsedFiling(
        sha256: String(repeating: "ab", count: 32),
        byteLength: 5_000_000_000,
        parserVersion: "1.0.0",
        format: .sgmlSubmission,
        submission: Submission(
            accessionNumber: "0000950150-02-000123",
            submissionType: "NT 10-K",
            publicDocumentCount: 2,
            periodOfReport: "2001-12-31",
            filedAt: "2002-04-01",
            items: ["2.02", "9.01"],
            filers: [
                Filer(
                    companyName: "NEOTHERAPEUTICS INC",
                    cik: "0000906165",
                    sic: "2834",
                    irsNumber: "930979287",
                    stateOfIncorporation: "DE",
                    fiscalYearEnd: "1231",
                    fileNumber: "000-28782",
                    businessAddress: Address(
                        street1: "157 TECHNOLOGY DRIVE",
                        city: "IRVINE",
                        state: "CA",
                        zip: "92618",
                        phone: "9497887700"
                    ),
                    formerNames: [FormerName(name: "NEOTHERAPEUTICS", changedAt: "1996-06-01")]
                )
            ]
        ),
        documents: [
            Document(
                type: "EX-99.1",
                sequence: 1,
                filename: "ex99.txt",
                kind: .pressRelease,
                title: "Société Générale signs — “quoted” ✓ 日本語",
                text: "Line one.\n\nLine two with tab\tand NUL-free text.",
                dateline: Dateline(city: "IRVINE", state: "Calif.", date: "2002-05-01"),
                issuer: Security(name: "NeoTherapeutics, Inc.", exchange: "NASDAQ", symbol: "NEOT", span: span),
                securities: [Security(name: "J.B. Chemicals", exchange: "Bombay Stock Exchange", symbol: "JBCPL")],
                contacts: [
                    Contact(role: "Media Relations", name: "Jon Siegal", phone: "(508) 647-9782", extension: "15")
                ],
                people: [
                    Person(name: "Alvin J. Glasky", title: "Chairman", organization: "NeoTherapeutics", span: span)
                ],
                quotes: [Quote(speaker: "Alvin J. Glasky", text: "We are pleased.", span: span)],
                money: [Money(text: "$(3.4) million", value: -3_400_000, currency: "USD", span: span)],
                percentages: [Percentage(text: "12.5 percent", value: 12.5, span: span)],
                dates: [DateMention(text: "Dec. 20, 2001", date: "2001-12-20", span: span)],
                urls: ["www.neot.com"],
                forwardLooking: true,
                lateFiling: LateFiling(
                    secFileNumber: "000-28782",
                    forms: ["10-K"],
                    periodEnded: "2001-12-31",
                    rule12b25b: Rule12b25b(a: true, b: true, c: false),
                    contact: LateFilingContact(name: "Samuel Gulko", areaCode: "949", phone: "788-6700"),
                    otherReportsFiled: true
                ),
                items: [Item(number: "2.02", title: "Results of Operations and Financial Condition", span: span)]
            )
        ],
        warnings: [Warning(code: "DECODED_AS_LATIN1", message: "decoded as Windows-1252")]
    )

    /// One value of every message type of the schema, empty ones included.
    static let samples: [any ProtobufMessage] = [
        ParseRequest(content: Array("hello".utf8), filename: "a.txt"),
        ParseRequest(),
        ParseResponse(filing: filing),
        ParseResponse(),
        StoreRequest(documents: [StoreDocument(content: [0, 1, 2, 255], filename: "b.bin"), StoreDocument()]),
        StoreResponse(results: [StoreResult(id: "7", sha256: "ff", created: true, errorCode: 3, errorMessage: "bad")]),
        QueryRequest(
            text: "\"net loss\" OR revenue*",
            company: "Acme",
            formTypes: ["8-K", "10-K"],
            kinds: [.pressRelease, .currentReport, .unrecognized(99)],
            order: .dateAscending,
            limit: 1000,
            pageToken: "abc"
        ),
        QueryResponse(
            hits: [QueryHit(id: "1", kind: .annualReport, snippet: "…<b>loss</b>…", score: -1.5)],
            totalCount: 1 << 40
        ),
        GetRequest(id: "1", includeRaw: true),
        GetResponse(
            id: "1",
            filing: filing,
            raw: Array(repeating: 7, count: 100_000),
            storedAt: "2026-11-21T00:00:00Z"
        ),
        DeleteRequest(id: "1"),
        DeleteResponse(deleted: true),
        StatsRequest(),
        StatsResponse(
            server: ServerStats(
                version: "0.1.0",
                uptimeSeconds: 12.25,
                openConnections: 3,
                totalConnections: 9,
                methods: [
                    MethodStats(
                        method: "/filings.v1.Filings/Health",
                        calls: 5,
                        statuses: [StatusCount(code: "OK", count: 5)],
                        p99Ms: 0.5
                    )
                ]
            ),
            store: StoreStats(backend: "sqlite", documents: 2, byKind: [KeyCount(key: "PRESS_RELEASE", count: 2)])
        ),
        HealthRequest(service: "filings.v1.Filings"),
        HealthResponse(status: .serving),
        filing,
        ParsedFiling(),
        Span(),
        WireRequestHeader(
            method: "/filings.v1.Filings/Health",
            timeoutMicros: 10_000,
            metadata: [WireMetadataEntry(key: "x-request-id", value: "r1")]
        ),
        WireResponseHeader(code: 4, message: "deadline"),
        WireGoAway(lastCallId: 7, code: 0, message: "bye"),
    ]

    @Test(arguments: 0..<samples.count)
    func roundTripsThroughProtobufC(index: Int) throws {
        let sample = Self.samples[index]
        let survived = try roundTrips(sample)
        #expect(survived, "\(type(of: sample)) did not survive encode and decode")
    }

    private func roundTrips<M: ProtobufMessage>(_ message: M) throws -> Bool {
        let bytes = message.serializedBytes()
        #expect(bytes.count == message.serializedSize())
        return try M(serializedBytes: bytes) == message
    }

    @Test func largeRepeatedFieldsRoundTrip() throws {
        var document = Document(type: "10-K")
        document.money = (0..<20_000).map {
            Money(
                text: "$\($0)",
                value: Double($0),
                currency: "USD",
                span: Span(start: UInt32($0), end: UInt32($0 + 5))
            )
        }
        document.urls = (0..<10_000).map { "www.example\($0).com" }
        let filing = ParsedFiling(documents: Array(repeating: document, count: 3))
        let decoded = try ParsedFiling(serializedBytes: filing.serializedBytes())
        #expect(decoded == filing)
        #expect(decoded.documents[2].money.count == 20_000)
    }

    @Test func emptyMessageEncodesToNoBytes() {
        #expect(HealthRequest().serializedBytes().isEmpty)
        #expect(ParsedFiling().serializedBytes().isEmpty)
    }

    @Test func unknownEnumValuesSurvive() throws {
        let request = QueryRequest(kinds: [.unrecognized(42)], order: .unrecognized(-3))
        let decoded = try QueryRequest(serializedBytes: request.serializedBytes())
        #expect(decoded.kinds == [.unrecognized(42)])
        #expect(decoded.order == .unrecognized(-3))
    }

    @Test(arguments: [
        [UInt8]([0xFF, 0xFF, 0xFF]),  // a truncated varint key
        [0x0A, 0x05, 0x41],  // a length-delimited field cut short
        [0x0B],  // a start-group wire type
        Array("GET / HTTP/1.1".utf8),
    ])
    func garbageIsADecodingError(bytes: [UInt8]) {
        #expect(throws: ProtobufDecodingError.self) {
            try ParseResponse(serializedBytes: bytes)
        }
    }
}

/// protobuf-c and the converters never crash on random bytes or on mutations of valid encodings: a decode either
/// gives a message or throws ProtobufDecodingError.
@Suite struct DecoderRobustnessTests {
    @Test(arguments: 1...20)
    func randomAndMutatedBytes(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let valid = MessageRoundTripTests.filing.serializedBytes()
        for _ in 0..<200 {
            var bytes = valid
            switch Int.random(in: 0...3, using: &generator) {
            case 0:
                bytes = (0..<Int.random(in: 0...512, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            case 1:
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            case 2:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255,
                        using: &generator
                    )
                }
            default:
                let cut = Int.random(in: 0..<bytes.count, using: &generator)
                bytes = Array(bytes[cut...] + bytes[..<cut])
            }
            if let decoded = try? ParsedFiling(serializedBytes: bytes) {
                // Whatever decodes must encode and decode to itself.
                #expect((try? ParsedFiling(serializedBytes: decoded.serializedBytes())) == decoded)
            }
            _ = try? StatsResponse(serializedBytes: bytes)
            _ = try? WireRequestHeader(serializedBytes: bytes)
        }
    }
}
