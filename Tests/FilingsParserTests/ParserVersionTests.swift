import FilingsCore
import FilingsParser
import Testing

/// Every change to the parser's output comes with a new ``EDGARParser/version``: stored filings record the version
/// of their facts, and Reparse finds what an older parser produced by it alone.
@Suite struct ParserVersionTests {
    /// Inputs whose output stands for the parser's: the three seeds (a press release, a submission, a 12b-25).
    static let inputs = ["000_317536f23785ae8a.txt", "001_0a7d444e1954de15.txt", "002_655c329adbf5cb37.txt"]

    /// The SHA-256 of the encoded outputs for ``inputs``, in order.
    static func fingerprint() throws -> String {
        var encoded: [UInt8] = []
        for name in inputs {
            encoded += try EDGARParser().parse(try fixture(name)).serializedBytes()
        }
        return encoded.withUnsafeBufferPointer { SHA256.hexDigest($0) }
    }

    @Test func theOutputOfTheSeedsIsTheOneRecordedForThisVersion() throws {
        let history = String(decoding: try fixture("parser-fingerprints.tsv"), as: UTF8.self)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
        let fingerprint = try Self.fingerprint()
        let line = "\(EDGARParser.version)\t\(fingerprint)"
        #expect(Set(history.map(\.[0])).count == history.count, "each version is recorded once")
        if let last = history.last, last[0] == EDGARParser.version {
            #expect(
                last[1] == fingerprint,
                """
                the parser's output changed: raise EDGARParser.version and append "NEW_VERSION\t\(fingerprint)" to \
                Tests/FilingsParserTests/Fixtures/parser-fingerprints.tsv
                """
            )
        } else {
            Issue.record("append \"\(line)\" to Tests/FilingsParserTests/Fixtures/parser-fingerprints.tsv")
        }
    }

    @Test func theOutputIsTheSameOnEveryRun() throws {
        #expect(try Self.fingerprint() == Self.fingerprint())
    }
}
