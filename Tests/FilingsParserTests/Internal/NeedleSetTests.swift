import FilingsTestSupport
import Testing

@testable import FilingsParser

/// `NeedleSet`: several phrases looked for in one pass, ignoring ASCII case.
@Suite struct NeedleSetTests {
    @Test func findsAnyPhraseAnywhereInAnyCase() {
        let set = NeedleSet(["media", "investor", "title of each class", "ox"])
        for text in ["MEDIA:", "(Investors)", "  Title Of Each Class", "box", "multimedia"] {
            #expect(set.isFound(in: text), "\(text)")
        }
        for text in ["", "medi", "invest or", "investoZ", "title of each", "Title of each clasX", "médi"] {
            #expect(!set.isFound(in: text), "\(text)")
        }
    }

    /// Phrases of which none holds another, so that every byte of each one counts.
    private let needles = ["abc", "bca", "cab a", "aab"]

    /// Up to `longest` random bytes of `alphabet`: a small one, so that near misses, overlaps and phrases at both
    /// ends are common.
    private func randomBytes(_ alphabet: String, longest: Int, _ random: inout SplitMix64) -> [UInt8] {
        let alphabet = Array(alphabet.utf8)
        return (0..<Int.random(in: 0...longest, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
    }

    /// The same answer as testing each phrase with `containsIgnoringASCIICase`, on random lines.
    @Test func agreesWithOnePhraseAtATime() {
        let set = NeedleSet(needles)
        var random = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            let bytes = randomBytes("abAB c\u{e9}", longest: 9, &random)
            let line = String(decoding: bytes, as: UTF8.self)
            let expected = needles.contains { needle in
                line.containsIgnoringASCIICase(needle.utf8.map { $0 })
            }
            #expect(set.isFound(in: line) == expected, "\(line)")
        }
    }

    /// `firstMatch(in:from:)` is where the earliest phrase at or after the start begins, found byte by byte: with
    /// phrases looked for eight bytes at a time by one or two anchors at different places in them (the pairs "bc"
    /// and "ab"; "/s" and "s/"; "sb" across the eight-byte steps), by one or two anchor bytes when the pairs are
    /// more, and with more anchors, byte by byte.
    @Test(arguments: [
        ["abc", "bca", "cab a", "aab"], ["abc", "aab", "b a"], ["ab", "aab"], ["ca", "a a", "bb"], ["/s/", "s/"],
        ["aaaaaaaaaab", "ba"], ["sb"], ["asb", "c/"], ["ab", "bc", "ca"],
    ])
    func firstMatchIsTheEarliestPhraseFromTheStart(needles: [String]) {
        let set = NeedleSet(needles)
        var random = SplitMix64(seed: 12)
        for _ in 0..<5_000 {
            let bytes = randomBytes("abAB c/s\u{e9}", longest: 40, &random)
            let start = Int.random(in: 0...bytes.count, using: &random)
            let expected = (start..<bytes.count).first { i in
                needles.contains { needle in
                    let phrase = Array(needle.utf8)
                    return i + phrase.count <= bytes.count
                        && zip(bytes[i...], phrase).allSatisfy { ASCII.lower($0) == $1 }
                }
            }
            let found = bytes.withUnsafeBufferPointer { set.firstMatch(in: $0, from: start) }
            #expect(found == expected, "\(String(decoding: bytes, as: UTF8.self)) from \(start)")
        }
    }

    /// A phrase found by its anchor is not the answer while a phrase whose anchor comes later can start before it:
    /// in "eecceeb", "ec" (anchor "c") is found first, at 1, but "eecceeb" (anchor "b") starts at 0.
    @Test func aPhraseWithALaterAnchorCanStartEarlier() {
        let set = NeedleSet(["eecceeb", "ec"])
        for prefix in 0..<10 {
            for suffix in [0, 3, 12] {
                let text =
                    Array(String(repeating: "z", count: prefix).utf8) + Array("eEcCeeB".utf8)
                    + Array(String(repeating: "z", count: suffix).utf8)
                #expect(text.withUnsafeBufferPointer { set.firstMatch(in: $0, from: 0) } == prefix)
                #expect(text.withUnsafeBufferPointer { set.firstMatch(in: $0, from: prefix + 1) } == prefix + 1)
            }
        }
    }

    /// `DocumentContext.firstLine(holding:)`, one search of the whole text, names the line that testing each line of
    /// the line view names: page furniture ("[TRADING SYMBOL LOGO]") is not a line of it.
    @Test func firstLineIsTheFirstLineOfTheLineViewHoldingAPhrase() {
        func context(_ text: String) -> DocumentContext { Self.context(Array(text.utf8)) }
        let header = NeedleSet(["trading symbol", "title of each class"])
        let cover = context(
            "FORM 10-K\n\n[TRADING SYMBOL LOGO]\n   Title of each class   Trading Symbol(s)\nStock  ABC\n"
        )
        #expect(
            cover.firstLine(holding: header).map { cover.lineStrings[$0] }
                == "   Title of each class   Trading Symbol(s)"
        )
        #expect(context("").firstLine(holding: header) == nil)
        #expect(context("trading\nsymbol\n").firstLine(holding: header) == nil)

        let set = NeedleSet(["ab", "ca"])
        var random = SplitMix64(seed: 13)
        let pieces = ["a", "b", "c", " ", "  ", "\n", "\n\n", "[ab logo]\n", "<PAGE>\n", "\t"]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...16, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            let context = context(text)
            #expect(
                context.firstLine(holding: set) == context.lineStrings.firstIndex(where: set.isFound(in:)),
                "\(text.debugDescription)"
            )
        }
    }

    /// A line's byte search (`LineStrings.line(_:holds:)`) says what searching its string says, lines beyond ASCII
    /// and lines of bytes that are not UTF-8 (a Windows-1252 document's, decoded) included.
    @Test func aLineHoldsAPhraseWhenItsStringDoes() {
        let set = NeedleSet(["/s/", "egistrant"])
        var random = SplitMix64(seed: 29)
        let pieces = [
            "/s/", "/S/", "/s", "s/", "REGİSTRANT", "egistrant", "Registrant", "é", "\u{2014}", " ", "\n", "x",
        ]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            var bytes = Array(text.utf8)
            if Bool.random(using: &random), !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = 0x93  // a Windows-1252 curly quote
            }
            let lines = Self.context(bytes).lineStrings
            for index in lines.indices {
                #expect(lines.line(index, holds: set) == set.isFound(in: lines[index]), "\(text.debugDescription)")
            }
        }
    }

    /// `LineStrings.lines(holding:before:)`, one search of the text, names the lines that testing each line names,
    /// page furniture and a phrase across a line break included.
    @Test func linesHoldingAPhraseAreTheLinesThatHoldOne() {
        for set in [NeedleSet(["ab", "ca"]), NeedleSet(["/s/"]), NeedleSet(["a b", "bc"])] {
            var random = SplitMix64(seed: 31)
            let pieces = ["a", "b", "c", "/s/", "/", "s", " ", "  ", "\n", "\n\n", "[ab logo]\n", "<PAGE>\n", "\t"]
            for _ in 0..<3_000 {
                let text = (0..<Int.random(in: 0...16, using: &random)).map { _ in
                    pieces.randomElement(using: &random)!
                }
                .joined()
                let lines = Self.context(Array(text.utf8)).lineStrings
                let end = Int.random(in: 0...(lines.count + 1), using: &random)
                #expect(
                    lines.lines(holding: set) == lines.indices.filter { lines.line($0, holds: set) },
                    "\(text.debugDescription)"
                )
                #expect(
                    lines.lines(holding: set, before: end)
                        == lines.indices.prefix(end).filter { lines.line($0, holds: set) },
                    "\(text.debugDescription) before \(end)"
                )
            }
        }
    }

    /// The context of a plain-text document of `bytes`.
    private static func context(_ bytes: [UInt8]) -> DocumentContext {
        let input = Input(bytes)
        return DocumentContext(
            input: input,
            layout: Layout(raw: PlainText.decode(input, 0..<bytes.count), hardLines: false)
        )
    }
}
