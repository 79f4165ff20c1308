import FilingsTestSupport
import Testing

@testable import FilingsParser

/// `Array<UInt8>.firstAnswer(atLetter:or:in:_:)`: the offsets of two letters in a range, eight bytes at a time.
@Suite struct FirstAnswerTests {
    /// Every offset of the two letters in the range, in order, and no other, on random bytes and ranges: bytes
    /// that differ from the letters by one bit or by case, and non-ASCII bytes, around every alignment.
    @Test func visitsEveryOffsetOfTheLettersInOrder() {
        let alphabet: [UInt8] = Array("kKbBjcx ".utf8) + [0x0B, 0x4A, 0xCB, 0xEB, 0xC3, 0x00, 0xFF]
        var random = SplitMix64(seed: 5)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                alphabet.randomElement(using: &random)!
            }
            let lower = Int.random(in: 0...bytes.count, using: &random)
            let range = lower..<Int.random(in: lower...bytes.count, using: &random)
            var visited: [Int] = []
            let none: Int? = bytes.firstAnswer(atLetter: 0x6B, or: 0x62, in: range) { offset in
                visited.append(offset)
                return nil
            }
            let expected = range.filter { bytes[$0] | 0x20 == 0x6B || bytes[$0] | 0x20 == 0x62 }
            #expect(none == nil)
            #expect(visited == expected, "\(bytes) \(range)")
            // The search stops at the first answer.
            if let stop = expected.randomElement(using: &random) {
                var seen: [Int] = []
                let answer = bytes.firstAnswer(atLetter: 0x6B, or: 0x62, in: range) { offset in
                    seen.append(offset)
                    return offset == stop ? offset : nil
                }
                #expect(answer == stop)
                #expect(seen == expected.filter { $0 <= stop })
            }
        }
    }
}
