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

    /// The same answer as testing each phrase with `containsIgnoringASCIICase`, on random lines over a small
    /// alphabet (so that near misses, overlaps and phrases at both ends are common).
    @Test func agreesWithOnePhraseAtATime() {
        // No phrase holds another, so that every byte of each one counts.
        let needles = ["abc", "bca", "cab a", "aab"]
        let set = NeedleSet(needles)
        var random = SplitMix64(seed: 11)
        let alphabet = Array("abAB c\u{e9}".utf8)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...9, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let line = String(decoding: bytes, as: UTF8.self)
            let expected = needles.contains { needle in
                line.containsIgnoringASCIICase(needle.utf8.map { $0 })
            }
            #expect(set.isFound(in: line) == expected, "\(line)")
        }
    }

    /// `firstMatch(in:from:)` is where the earliest phrase at or after the start begins, found byte by byte.
    @Test func firstMatchIsTheEarliestPhraseFromTheStart() {
        let needles = ["abc", "bca", "cab a", "aab"]
        let set = NeedleSet(needles)
        var random = SplitMix64(seed: 12)
        let alphabet = Array("abAB c".utf8)
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...14, using: &random)).map { _ in alphabet.randomElement(using: &random)!
            }
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

    /// `DocumentContext.firstLine(holding:)`, one search of the whole text, names the line that testing each line of
    /// the line view names: page furniture ("[TRADING SYMBOL LOGO]") is not a line of it.
    @Test func firstLineIsTheFirstLineOfTheLineViewHoldingAPhrase() {
        func context(_ text: String) -> DocumentContext {
            let bytes = Array(text.utf8)
            let input = Input(bytes)
            return DocumentContext(
                input: input,
                layout: Layout(raw: PlainText.decode(input, 0..<bytes.count), hardLines: false)
            )
        }
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
}
