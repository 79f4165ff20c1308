import Testing

@testable import FilingsParser

/// `WordSet`: the byte-level word look-up the extractors use for every token.
@Suite struct WordSetTests {
    @Test func exactSetsMatchCaseAndWholeWordsOnly() {
        let set = WordSet(["Mr.", "Jr", "Ph.D."], ignoringCase: false)
        for word in ["Mr.", "Jr", "Ph.D."] { #expect(set.contains(word), "\(word)") }
        for word in ["mr.", "MR.", "Mr", "Jr.", "J", "Ph.D", "", "Mrs."] { #expect(!set.contains(word), "\(word)") }
    }

    @Test func caseInsensitiveSetsFoldASCIIOnly() {
        let set = WordSet(["said", "Chief", "co-founder"], ignoringCase: true)
        for word in ["said", "Said", "SAID", "sAiD", "chief", "CHIEF", "Co-Founder"] {
            #expect(set.contains(word), "\(word)")
        }
        // Same length and first letter, other bytes; a prefix; a longer word; letters beyond ASCII.
        for word in ["sail", "saids", "sai", "chiefs", "co_founder", "saïd"] { #expect(!set.contains(word), "\(word)") }
    }

    @Test func bytesAtARangeAreTheWordThere() {
        let text = Array("Acme CEO said today".utf8)
        let verbs = WordSet(["said"], ignoringCase: true)
        #expect(verbs.contains(text, 9..<13))
        #expect(!verbs.contains(text, 9..<12))
        #expect(!verbs.contains(text, 5..<9))
        #expect(!verbs.contains(text, 0..<0))
    }

    @Test func wordsLongerThanTheBucketsStillCompareInFull() {
        // Words beyond the bucketed lengths are compared in full.
        let long = String(repeating: "a", count: 40)
        let set = WordSet([long], ignoringCase: false)
        #expect(set.contains(long))
        #expect(!set.contains(String(repeating: "a", count: 39) + "b"))
        #expect(!set.contains(String(repeating: "a", count: 35)))
        #expect(WordSet([long], ignoringCase: true).contains(long.uppercased()))
    }

    @Test func randomLookUpsAgreeWithASetOfStrings() {
        // Short words share buckets (length and first letter) and are compared a word at a time: lengths 1 to 12
        // cross the eight-byte edge, and near misses differ in one byte anywhere.
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abAB.-".utf8)
        func word(_ n: Int) -> String {
            String(decoding: (0..<n).map { _ in letters.randomElement(using: &rng)! }, as: UTF8.self)
        }
        for ignoringCase in [false, true] {
            for _ in 0..<50 {
                let words = (0..<40).map { _ in word(Int.random(in: 1...12, using: &rng)) }
                let set = WordSet(words, ignoringCase: ignoringCase)
                let known = Set(words.map { ignoringCase ? $0.lowercased() : $0 })
                for probe in words + (0..<400).map({ _ in word(Int.random(in: 1...12, using: &rng)) }) {
                    #expect(
                        set.contains(probe) == known.contains(ignoringCase ? probe.lowercased() : probe),
                        "\(probe) in \(words), ignoring case: \(ignoringCase)"
                    )
                }
            }
        }
    }
}
