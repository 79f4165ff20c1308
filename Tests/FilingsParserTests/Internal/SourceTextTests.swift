import FilingsTestSupport
import Testing

@testable import FilingsParser

/// `SourceText`: each byte's origin, kept in runs, is the one an offset kept for each byte gives.
@Suite struct SourceTextTests {
    /// The text as it was kept before runs: the bytes, and an origin for each.
    private struct Reference {
        var bytes: [UInt8] = []
        var origins: [Int] = []
    }

    /// Random edits as the renderers and the layout make them: single bytes from the next input offset, from the
    /// same offset as the byte before (an entity's bytes) or from anywhere; input copied verbatim; ranges of
    /// another text; trailing spaces and line breaks removed.
    @Test func originsAreThoseOfEachByteAfterRandomEdits() async {
        // Over 500,000 look-ups: off the test process's small pool, where the other tests' servers and timers run.
        let (checked, wrong) = await heavyWork { Self.randomEdits() }
        #expect(wrong.isEmpty, "\(wrong.count) of \(checked) origins wrong, first \(wrong.prefix(5))")
        #expect(checked > 500_000)
    }

    /// Makes the edits of ``originsAreThoseOfEachByteAfterRandomEdits()``: how many origins were checked, and what
    /// was wrong.
    private static func randomEdits() -> (checked: Int, wrong: [String]) {
        var random = SplitMix64(seed: 21)
        let input = (0..<4_096).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }
        var checked = 0
        var wrong: [String] = []
        for _ in 0..<150 {
            var other = SourceText()
            var otherReference = Reference()
            for _ in 0..<40 {
                let lower = Int.random(in: 0..<input.count - 64, using: &random)
                let range = lower..<(lower + Int.random(in: 0...64, using: &random))
                other.append(verbatim: input, range)
                otherReference.bytes += input[range]
                otherReference.origins += Array(range)
            }
            var text = SourceText()
            var reference = Reference()
            for _ in 0..<200 {
                switch Int.random(in: 0..<7, using: &random) {
                case 0, 1:
                    let origin =
                        switch Int.random(in: 0..<3, using: &random) {
                        case 0: (reference.origins.last ?? 0) + 1
                        case 1: reference.origins.last ?? 0
                        default: Int.random(in: 0..<input.count, using: &random)
                        }
                    let byte: UInt8 = Bool.random(using: &random) ? ASCII.space : 0x61
                    text.append(byte, origin: origin)
                    reference.bytes.append(byte)
                    reference.origins.append(origin)
                case 2:
                    let lower = Int.random(in: 0..<input.count - 32, using: &random)
                    let range = lower..<(lower + Int.random(in: 0...32, using: &random))
                    text.append(verbatim: input, range)
                    reference.bytes += input[range]
                    reference.origins += Array(range)
                case 3, 4:
                    let lower = Int.random(in: 0...other.count, using: &random)
                    let range = lower..<Int.random(in: lower...min(other.count, lower + 200), using: &random)
                    if Bool.random(using: &random) {
                        text.append(other, range)
                    } else {
                        // Any run to start from gives the same bytes and origins; it only saves a search.
                        var run = Int.random(in: -1...60, using: &random)
                        text.append(other, range, run: &run)
                    }
                    reference.bytes += otherReference.bytes[range]
                    reference.origins += otherReference.origins[range]
                case 5:
                    let n = Int.random(in: 0...min(3, reference.bytes.count), using: &random)
                    text.removeLast(n)
                    reference.bytes.removeLast(n)
                    reference.origins.removeLast(n)
                default:
                    text.removeTrailingSpaces()
                    while let last = reference.bytes.last, last == ASCII.space || last == ASCII.tab {
                        reference.bytes.removeLast()
                        reference.origins.removeLast()
                    }
                }
                guard text.bytes == reference.bytes else {
                    wrong.append("the bytes differ from the reference's")
                    return (checked, wrong)
                }
                // Every offset after the last edits, and a few spread over the text after the others.
                let offsets =
                    reference.bytes.isEmpty
                    ? [] : (0..<4).map { _ in Int.random(in: 0..<reference.bytes.count, using: &random) }
                for index in offsets + Array(max(0, reference.bytes.count - 40)..<reference.bytes.count) {
                    var run = Int.random(in: -1...300, using: &random)
                    if text.origin(at: index) != reference.origins[index]
                        || text.origin(at: index, run: &run) != reference.origins[index]
                    {
                        wrong.append("byte \(index)")
                    }
                    checked += 1
                }
            }
        }
        return (checked, wrong)
    }
}
