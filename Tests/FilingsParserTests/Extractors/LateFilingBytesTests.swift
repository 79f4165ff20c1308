import FilingsTestSupport
import Testing

@testable import FilingsParser

/// The 12b-25 reader's check boxes and labels on a line of ASCII, read byte by byte, against the same read character
/// by character (`LateFilingExtractor.marks`, `offsets`, `startsUpperCased`).
@Suite struct LateFilingBytesTests {
    /// Random lines from the pieces of a 12b-25's Part II and Part IV: boxes of every kind, checked and not, labels,
    /// words that hold a label's letters, and the bytes around them that decide a box or a word's edge.
    private static func lines(count: Int, seed: UInt64) -> [String] {
        let pieces = [
            "[X]", "[ ]", "[]", "[x]", "|X|", "| |", "||", "(X)", "( )", "()", "(x)", "[  X  ]", "[ X X]", "[o]", "(o)",
            "(a)", "(b)", "(c)", "(A)", "(B)", "Rule 12b-25(b)", "rule 12b-25(c)", "Yes", "YES", "No", "NO", "None",
            "Yesterday", "Form 10-K", "FORM 10-KSB", "form 20-F", "Form 10-Q", "Form N-SAR", "10-K", " ", "   ", "\t",
            "x", "X", "a", "[", "]", "|", "(", ")", "\u{0B}", ".", "-", "the", "Name", "(d)",
        ]
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...9, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : "")
        }
    }

    @Test func marksReadAsCharacterByCharacterReadingDoes() {
        var checked = 0
        var unchecked = 0
        for line in Self.lines(count: 20_000, seed: 12) {
            let bytes = LateFilingExtractor.asciiMarks(line)
            #expect(bytes == LateFilingExtractor.characterMarks(line), "\(line)")
            checked += bytes?.filter(\.checked).count ?? 0
            unchecked += bytes?.filter { !$0.checked }.count ?? 0
        }
        #expect(checked > 5_000 && unchecked > 5_000, "\(checked) \(unchecked)")
        // A line beyond ASCII is left to the characters.
        #expect(LateFilingExtractor.asciiMarks("☒ Form 10-K [X]") == nil)
        #expect(LateFilingExtractor.marks("☒ Form 10-K [X]").map(\.offset) == [0, 12])
    }

    @Test func labelsAreFoundWhereCharacterByCharacterReadingFindsThem() {
        var found = 0
        for line in Self.lines(count: 20_000, seed: 13) {
            for (label, caseSensitive) in [
                ("(a)", false), ("(b)", false), ("Yes", true), ("NO", true), ("FORM 10-K", true), ("form 10-q", false),
            ] {
                let bytes = LateFilingExtractor.asciiOffsets(of: label, in: line, caseSensitive: caseSensitive)
                let characters = LateFilingExtractor.characterOffsets(of: label, in: line, caseSensitive: caseSensitive)
                #expect(bytes == characters, "\(label) in \(line)")
                found += characters.count
            }
        }
        #expect(found > 10_000, "\(found)")
        #expect(LateFilingExtractor.asciiOffsets(of: "Yes", in: "Ÿes Yes", caseSensitive: true) == nil)
        #expect(LateFilingExtractor.offsets(of: "Yes", in: "Ÿes Yes", caseSensitive: true) == [4])
    }

    /// A paragraph that starts with a heading, in any case, whatever follows it; characters beyond ASCII where the
    /// heading ends ("PART I" and a combining accent) are read as characters.
    @Test func headingsOpenParagraphsAsInUpperCase() {
        let cases: [(String, Bool)] = [
            ("PART III -- NARRATIVE", true), ("Part iii narrative", true), ("PART II", false), ("PART III", true),
            ("PART I\u{301}II", false), ("PART II\u{301}", false), ("PART IIIé", true), ("part iiI\u{301}", false),
            ("PART III\u{301} NARRATIVE", false), ("Partial III", false), ("PART", false), ("", false),
            ("ßPART III", false),
        ]
        for (paragraph, expected) in cases {
            #expect(LateFilingExtractor.startsUpperCased(paragraph, with: "PART III") == expected, "\(paragraph)")
            #expect(paragraph.uppercased().hasPrefix("PART III") == expected, "\(paragraph)")
        }
    }
}
