import FilingsTestSupport
import Testing

@testable import FilingsParser

/// `Classifier.isForwardLooking`: a caution about forward-looking statements, or a safe harbor, anywhere in a text.
@Suite struct ForwardLookingTests {
    @Test func findsTheCautionInAnyCaseAndPlace() {
        for text in [
            "This release contains forward-looking statements within the meaning of the Act.",
            "FORWARD LOOKING INFORMATION",
            "Forward-Looking  -- Statements",
            "the safe harbor provisions",
            "SAFE HARBOR STATEMENT",
        ] {
            #expect(Classifier.isForwardLooking(Array(text.utf8)), "\(text)")
        }
        for text in [
            "", "forward-looking", "We are looking forward to the statement.", "forward-looking guidance",
            "safe harbour", "a safe-harbor", "forwardlooking statements",
        ] {
            #expect(!Classifier.isForwardLooking(Array(text.utf8)), "\(text)")
        }
    }

    /// The answer of a test at every offset of the text, which is what the caution means.
    private static func testedAtEveryOffset(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 12 < bytes.count {
            if bytes.matchesIgnoringCase("forward", at: i),
                bytes[i + 7] == ASCII.hyphen || bytes[i + 7] == ASCII.space,
                bytes.matchesIgnoringCase("looking", at: i + 8)
            {
                var j = i + 15
                while j < bytes.count, !ASCII.isLetter(bytes[j]), j < i + 20 { j += 1 }
                if bytes.matchesIgnoringCase("statement", at: j) || bytes.matchesIgnoringCase("information", at: j) {
                    return true
                }
            } else if bytes.matchesIgnoringCase("safe harbor", at: i) {
                return true
            }
            i += 1
        }
        return false
    }

    /// Random texts of the phrases' pieces, near misses and other bytes, of every length around the eight bytes
    /// the search reads at a time, so that phrases start, end and break at every offset.
    @Test func agreesWithATestAtEveryOffset() {
        let pieces = [
            "forward", "FORWARD", "Forward", "-", " ", "  ", "looking", "LOOKING", "statement", "Information",
            "safe harbor", "SAFE HARBOR", "safe", "harbor", "k", "K", "b", "x", ".", "\u{e9}", "\n",
        ]
        var random = SplitMix64(seed: 3)
        var found = 0
        for _ in 0..<30_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                bytes += pieces.randomElement(using: &random)!.utf8
            }
            let expected = Self.testedAtEveryOffset(bytes)
            if expected { found += 1 }
            #expect(Classifier.isForwardLooking(bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
        }
        // Both answers are common, or the comparison would say little.
        #expect(found > 1_000 && found < 29_000)
    }
}
