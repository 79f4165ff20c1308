import FilingsCore
import Foundation
import Testing

@Suite struct JSONMappingTests {
    private func object(_ message: some ProtobufMessage) throws -> [String: Any] {
        let data = Data(message.jsonString().utf8)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func parsedFilingUsesTheContractNames() throws {
        let json = try object(MessageRoundTripTests.filing)
        #expect(json["sha256"] as? String == String(repeating: "ab", count: 32))
        #expect(json["byteLength"] as? String == "5000000000", "64-bit integers are strings")
        #expect(json["format"] as? String == "SGML_SUBMISSION")
        let submission = try #require(json["submission"] as? [String: Any])
        #expect(submission["accessionNumber"] as? String == "0000950150-02-000123")
        #expect(submission["publicDocumentCount"] as? Int == 2)
        let filer = try #require((submission["filers"] as? [[String: Any]])?.first)
        #expect(filer["stateOfIncorporation"] as? String == "DE")
        #expect((filer["businessAddress"] as? [String: Any])?["street1"] as? String == "157 TECHNOLOGY DRIVE")
        let document = try #require((json["documents"] as? [[String: Any]])?.first)
        #expect(document["kind"] as? String == "PRESS_RELEASE")
        #expect(document["forwardLooking"] as? Bool == true)
        #expect(document["title"] as? String == "Société Générale signs — “quoted” ✓ 日本語")
        let money = try #require((document["money"] as? [[String: Any]])?.first)
        #expect(money["value"] as? Double == -3_400_000)
        #expect((money["span"] as? [String: Any])?["end"] as? Int == 42)
        let late = try #require(document["lateFiling"] as? [String: Any])
        #expect((late["rule12b25b"] as? [String: Any])?["a"] as? Bool == true)
        #expect((late["contact"] as? [String: Any])?["areaCode"] as? String == "949")
        #expect(late["otherReportsFiled"] as? Bool == true)
        #expect(late["significantChangeExpected"] == nil, "false booleans are omitted")
    }

    @Test func defaultsAreOmitted() {
        #expect(ParsedFiling().jsonString() == "{}")
        #expect(Document(sequence: 0, kind: .unspecified).jsonString() == "{}")
    }

    @Test func stringsAreEscaped() throws {
        let text = "quote \" backslash \\ newline \n tab \t control \u{01} line-separator \u{2028}"
        let json = Warning(code: "X", message: text).jsonString()
        #expect(json.contains(#"\u0001"#))
        #expect(json.contains(#"\u2028"#))
        let decoded = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        #expect(decoded["message"] == text)
    }

    /// Every escape exactly, and the characters around them (other characters whose UTF-8 starts as U+2028's does,
    /// beyond the BMP) as they are.
    @Test func escapesAreExactAndEverythingElseIsKept() {
        let text = "a\"b\\c\n\r\t\u{08}\u{0C}\u{1F}\u{2028}\u{2029}\u{2018}€✓😀 \u{7F}é"
        #expect(
            Warning(code: "", message: text).jsonString()
                == #"{"message":"a\"b\\c\n\r\t\b\f\u001f\u2028\u2029‘€✓😀 \#u{7F}é"}"#
        )
    }

    /// JSON of a large document takes time in proportion to its size: eight times the facts take about eight times
    /// as long to write, not sixty-four (each string appended must not copy what was written before it). A ratio of
    /// two timings on the same machine, with room for a noisy one, as in the parser's `LinearTimeTests`.
    @Test func eightTimesTheMessageTakesAboutEightTimesTheTime() {
        func document(quotes: Int) -> Document {
            Document(
                text: String(repeating: "He said \"yes\".\n", count: quotes),
                quotes: (0..<quotes).map {
                    Quote(speaker: "Jane Roe", text: "quote \($0)", span: Span(start: 1, end: 2))
                }
            )
        }
        let small = document(quotes: 2_500)
        let large = document(quotes: 20_000)
        var best = [Double.infinity, .infinity]
        for _ in 0..<3 {
            for (index, message) in [small, large].enumerated() {
                var start = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
                let json = message.jsonString()
                var end = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
                #expect(json.utf8.count > 40 * message.quotes.count)
                let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
                best[index] = min(best[index], seconds)
            }
        }
        let ratio = best[1] / best[0]
        #expect(ratio < 16, "8x the message took \(ratio)x the time")
    }

    @Test func numbersFollowProto3JSON() {
        #expect(Money(value: 28_000_000).jsonString() == #"{"value":28000000}"#)
        #expect(Money(value: 0.15).jsonString() == #"{"value":0.15}"#)
        #expect(Money(value: .nan).jsonString() == #"{"value":"NaN"}"#)
        #expect(Money(value: -.infinity).jsonString() == #"{"value":"-Infinity"}"#)
        #expect(QueryResponse(totalCount: 7).jsonString() == #"{"totalCount":"7"}"#)
    }

    @Test(arguments: [
        ([UInt8](), ""), ([0x66], "Zg=="), ([0x66, 0x6F], "Zm8="), ([0x66, 0x6F, 0x6F], "Zm9v"),
        (Array("foobar".utf8), "Zm9vYmFy"),
    ])
    func bytesAreBase64(bytes: [UInt8], expected: String) {
        let json = ParseRequest(content: bytes).jsonString()
        #expect(json == (expected.isEmpty ? "{}" : #"{"content":"\#(expected)"}"#))
    }
}
