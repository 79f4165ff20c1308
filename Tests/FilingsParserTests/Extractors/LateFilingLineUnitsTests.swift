import FilingsTestSupport
import Testing

@testable import FilingsParser

/// The 12b-25 reader's check boxes, labels and headings, read by bytes or by scalars where those are the characters,
/// against the same read by `Character`s (`LateFilingExtractor.marks`, `offsets`, `startsUpperCased`).
@Suite struct LateFilingLineUnitsTests {
    /// Random lines from the pieces of a 12b-25's Part II and Part IV: boxes of every kind, checked and not, labels,
    /// words that hold a label's letters, the bytes around them that decide a box or a word's edge, and characters
    /// beyond ASCII: symbols that are boxes, letters, and scalars that are not characters on their own (a combining
    /// accent, a variation selector, a joiner) or change their length in lower case ("İ").
    private static func lines(count: Int, seed: UInt64, beyondASCII: Bool) -> [String] {
        var pieces = [
            "[X]", "[ ]", "[]", "[x]", "|X|", "| |", "||", "(X)", "( )", "()", "(x)", "[  X  ]", "[ X X]", "[o]", "(o)",
            "(a)", "(b)", "(c)", "(A)", "(B)", "Rule 12b-25(b)", "rule 12b-25(c)", "Yes", "YES", "No", "NO", "None",
            "Yesterday", "Form 10-K", "FORM 10-KSB", "form 20-F", "Form 10-Q", "Form N-SAR", "10-K", " ", "   ", "\t",
            "x", "X", "a", "[", "]", "|", "(", ")", "\u{0B}", ".", "-", "the", "Name", "(d)",
        ]
        if beyondASCII {
            pieces += [
                "☒", "☐", "☑", "✔", "■", "□", "¨", "þ", "ý", "⌧", "√", "[☒]", "(☒)", "[ ☐ ]", "é", "Zoë", "ß", "İ",
                "\u{301}", "\u{FE0F}", "\u{200D}", "✔\u{FE0F}", "[\u{301}]", "( \u{301})", "a\u{301}", "Ÿes", "Ño",
                "\u{A0}", "—", "€", "™", "Ⅻ",
            ]
        }
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...9, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : "")
        }
    }

    @Test(arguments: [false, true])
    func marksAreThoseOfTheCharacters(beyondASCII: Bool) {
        var checked = 0
        var unchecked = 0
        var readings = [0, 0, 0]  // lines of ASCII, of scalars that are characters, of other characters
        for line in Self.lines(count: 20_000, seed: 12, beyondASCII: beyondASCII) {
            readings[
                line.utf8.allSatisfy { $0 < 0x80 } ? 0 : LineUnits.scalarsAreCharacters(line) ? 1 : 2
            ] += 1
            let marks = LateFilingExtractor.marks(line)
            let reference = line.utf8.contains { $0 == 0x5B || $0 == 0x7C || $0 == 0x28 || $0 >= 0x80 }
            #expect(marks == (reference ? LateFilingExtractor.marks(Array(line)) : []), "\(line)")
            checked += marks.filter(\.checked).count
            unchecked += marks.filter { !$0.checked }.count
        }
        #expect(checked > 5_000 && unchecked > 5_000, "\(checked) \(unchecked)")
        // Each reading is compared, not just the first.
        #expect(beyondASCII ? readings.allSatisfy { $0 > 2_000 } : readings[0] == 20_000, "\(readings)")
    }

    @Test(arguments: [false, true])
    func labelsAreFoundWhereTheCharactersHoldThem(beyondASCII: Bool) async {
        // 240,000 look-ups: off the test process's small pool, where the other tests' servers and timers run.
        let (found, wrong) = await heavyWork { () -> (Int, [String]) in
            var found = 0
            var wrong: [String] = []
            for line in Self.lines(count: 20_000, seed: 13, beyondASCII: beyondASCII) {
                for (label, caseSensitive) in [
                    ("(a)", false), ("(b)", false), ("Yes", true), ("NO", true), ("FORM 10-K", true),
                    ("form 10-q", false),
                ] {
                    let text = caseSensitive ? line : line.lowercased()
                    let needle = caseSensitive ? label : label.lowercased()
                    let reference = LateFilingExtractor.offsets(of: Array(needle), in: Array(text))
                    let offsets = LateFilingExtractor.offsets(of: label, in: line, caseSensitive: caseSensitive)
                    if offsets != reference { wrong.append("\(label) in \(line): \(offsets), not \(reference)") }
                    found += reference.count
                }
            }
            return (found, wrong)
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong, first \(wrong.prefix(5))")
        #expect(found > 5_000, "\(found)")
    }

    /// A label is a whole word; one that ends in ")" may run into the word after it ("(a)The reasons").
    @Test func labelsAreWholeWords() {
        #expect(LateFilingExtractor.offsets(of: "(a)", in: "[X] (a)The reasons") == [4])
        #expect(LateFilingExtractor.offsets(of: "(a)", in: "☒ (A)The reasons ☐ (a) x") == [2, 19])
        #expect(LateFilingExtractor.offsets(of: "Yes", in: "Yesterday: [ ] Yes [X] No", caseSensitive: true) == [15])
        #expect(LateFilingExtractor.offsets(of: "No", in: "Zoë:No ÑNo No", caseSensitive: true) == [4, 11])
        #expect(LateFilingExtractor.offsets(of: "Yes", in: "XYes Yes.", caseSensitive: true) == [5])
    }

    /// Where scalars are read as characters, and where they are not.
    @Test func scalarsThatAreCharacters() {
        for text in ["☒ Form 10-K [X]", "Zoë Widgets Corp.", "Net sales €5 — up 3%", "Ⅻ ™ √ ⌧", ""] {
            #expect(LineUnits.scalarsAreCharacters(text), "\(text)")
            #expect(text.unicodeScalars.count == text.count)
        }
        for text in ["Zoe\u{308}", "✔\u{FE0F} Yes", "a\u{200D}b", "한국", "\u{1F1FA}\u{1F1F8}"] {
            #expect(!LineUnits.scalarsAreCharacters(text), "\(text)")
        }
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
