import FilingsCore
import FilingsParser
import FilingsTestSupport
import Foundation
import Testing

/// The parser's time grows in proportion to its input: a document eight times as long takes about eight times as
/// long, not sixty-four. Each document is one text of varied paragraphs (a dateline, people with titles, quotes,
/// money, percentages, dates, web addresses, a contacts block), so that every extractor has work in every part of
/// it and the facts it keeps (people, by name) grow with it.
///
/// The bound is a ratio of two timings on the same machine, with room for a noisy one (16 against the 8 of a
/// linear parser): it fails on time that grows with the square of the input, not on a slow day. Throughput itself
/// is measured by `filings-bench parse --large-mb`.
@Suite struct LinearTimeTests {
    private static let givenNames = ["Jane", "John", "Maria", "Wei", "Omar", "Priya", "Lars", "Ana", "Tom", "Keiko"]
    private static let surnames = [
        "Roe", "Smith", "Garcia", "Chen", "Haddad", "Patel", "Berg", "Silva", "Wright", "Sato", "Okafor", "Novak",
    ]
    private static let titles = ["Chief Executive Officer", "Chief Financial Officer", "President", "General Counsel"]

    /// About `bytes` bytes of paragraphs, the `k`-th naming people of its own.
    static func text(bytes: Int) -> String {
        var out = "ACME WIDGETS REPORTS RESULTS\n\n"
        var k = 0
        while out.utf8.count < bytes {
            let first = givenNames[k % givenNames.count]
            // Past the first 120, double-barrelled: 120 x 144 names, each of letters only.
            let pair = k / 120
            let second =
                surnames[pair % surnames.count] + surnames[(pair / surnames.count) % surnames.count].lowercased()
            let last = surnames[(k / givenNames.count) % surnames.count] + (pair == 0 ? "" : "-" + second)
            let title = titles[k % titles.count]
            out += """
                     SPRINGFIELD, Ill., March \(k % 28 + 1), 2003 -- Acme Widgets, Inc. (NYSE: ACME) said revenue \
                rose \(k % 40 + 2)% to $\(k % 900 + 10).\(k % 10) million in the quarter ended June 30, 2003, and \
                named \(first) \(last), \(title) of Acme Widgets, to its board.

                "We are pleased with the quarter," said \(first) \(last), \(title). "Orders grew in every region \
                and the backlog stands at $\(k % 70 + 3) billion." More at www.acme\(k % 13).com.

                Contact: \(first) \(last)      Investor Relations      (555) 0\(k % 90 + 10)-\(1000 + k % 9000)


                """
            k += 1
        }
        return out
    }

    /// The CPU time of the calling thread, in seconds: unlike the wall clock, it does not count the time the thread
    /// waits for a core while the other tests run.
    private static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The least CPU time of three parses of each input, in seconds, taken in turns so that both see the same load
    /// (the other tests run beside this one, and share the caches).
    private func times(_ inputs: [[UInt8]]) async throws -> [Double] {
        try await heavyWork {
            var best = Array(repeating: Double.infinity, count: inputs.count)
            for _ in 0..<3 {
                for (index, input) in inputs.enumerated() {
                    let start = Self.threadCPUSeconds()
                    let filing = try EDGARParser().parse(input)
                    best[index] = min(best[index], Self.threadCPUSeconds() - start)
                    #expect(filing.documents.count == 1)
                }
            }
            return best
        }
    }

    /// How the paragraphs are laid out.
    enum Layout: String, CaseIterable, CustomTestStringConvertible {
        /// Plain text, a blank line between paragraphs.
        case paragraphs
        /// Plain text on one line: one paragraph as long as the document, with thousands of quotations in it.
        case oneParagraph
        /// HTML, a `<p>` for each paragraph.
        case html

        var testDescription: String { rawValue }
    }

    @Test(arguments: Layout.allCases)
    func eightTimesTheInputTakesAboutEightTimesTheTime(layout: Layout) async throws {
        func input(_ bytes: Int) -> [UInt8] {
            let text = Self.text(bytes: bytes)
            switch layout {
            case .paragraphs:
                return Array(text.utf8)
            case .oneParagraph:
                let words = text.split(whereSeparator: \.isWhitespace)
                return Array((words.joined(separator: " ") + "\n").utf8)
            case .html:
                let paragraphs = text.split(separator: "\n\n").map {
                    "<p style=\"margin:0\"><font size=\"2\">\($0.replacingOccurrences(of: "&", with: "&amp;"))</font></p>"
                }
                return Array(("<html><body>\n" + paragraphs.joined(separator: "\n") + "\n</body></html>\n").utf8)
            }
        }
        let small = input(200_000)
        let large = input(1_600_000)
        let document = try await heavyWork { try EDGARParser().parse(large).documents[0] }
        #expect(
            document.people.count > 300,
            "the large text names people of its own throughout (\(document.people.count))"
        )
        #expect(document.quotes.count > 2_000, "and quotes them throughout (\(document.quotes.count))")
        if layout == .oneParagraph {
            #expect(!document.text.contains("\n"), "the text is one paragraph")
        }
        let best = try await times([small, large])
        let ratio = best[1] / best[0]
        #expect(ratio < 16, "8x the input took \(ratio)x the time")
    }
}
