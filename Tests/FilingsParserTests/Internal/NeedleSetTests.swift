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
}
