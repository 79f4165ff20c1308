import FilingsTestSupport
import Testing

@testable import FilingsParser

/// `LineInfo.spacing`: whether a line is laid out in columns, and whether its spacing needs collapsing.
@Suite struct LineSpacingTests {
    /// The answer read a byte at a time: laid out at a tab or a third space in a row, not plain at a tab or a second.
    private static func byteAtATime(_ bytes: [UInt8], _ content: Range<Int>) -> (isLayout: Bool, isPlain: Bool) {
        var run = 0
        var layout = false
        var plain = true
        for byte in bytes[content] {
            if byte == ASCII.space {
                run += 1
                if run >= 2 { plain = false }
                if run >= 3 { layout = true }
            } else if byte == ASCII.tab {
                layout = true
                plain = false
            } else {
                run = 0
            }
        }
        return (layout, plain)
    }

    @Test func examples() {
        let cases: [(String, Bool, Bool)] = [
            ("", false, true), ("a b c", false, true), ("a  b", false, false), ("a   b", true, false),
            ("a\tb", true, false), ("Revenue            $1.5 million", true, false),
            ("one two three four five six seven eight  nine", false, false),
            ("one two three four five six seven eight   nine", true, false),
        ]
        for (text, layout, plain) in cases {
            let bytes = Array(text.utf8)
            let answer = LineInfo.spacing(bytes, 0..<bytes.count)
            #expect(answer.isLayout == layout && answer.isPlain == plain, "\(text)")
        }
    }

    /// The same answers as a byte at a time, on random lines and ranges: runs of spaces of every length across
    /// every alignment, tabs, and bytes one bit away from a space or a tab (including those with the high bit).
    @Test func agreesWithAByteAtATime() {
        let alphabet: [UInt8] = [0x20, 0x20, 0x20, 0x20, 0x09, 0x61, 0x61, 0x21, 0x08, 0xA0, 0x89, 0x00, 0x30]
        var random = SplitMix64(seed: 9)
        var counts = [0, 0, 0]
        for _ in 0..<40_000 {
            var bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)!
            }
            // Lines without tabs too, or most would be laid out.
            if Bool.random(using: &random) { bytes = bytes.map { $0 == 0x09 ? 0x61 : $0 } }
            let lower = Int.random(in: 0...bytes.count, using: &random)
            let content = lower..<Int.random(in: lower...bytes.count, using: &random)
            let expected = Self.byteAtATime(bytes, content)
            let answer = LineInfo.spacing(bytes, content)
            #expect(answer == expected, "\(bytes) \(content)")
            counts[expected.isLayout ? 0 : expected.isPlain ? 2 : 1] += 1
        }
        // Each answer is common, or the comparison would say little.
        #expect(counts.allSatisfy { $0 > 4_000 }, "\(counts)")
    }
}
