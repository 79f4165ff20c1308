import Testing

@testable import FilingsParser

/// The whole-input scans read words of eight bytes: what they find must not depend on where a byte falls.
@Suite struct InputScanTests {
    /// Each eight-byte mask flags exactly the bytes it names, whatever their place and their neighbours: the bytes
    /// below 0x20; those that end a plain-text run copied verbatim (beyond ASCII, or a control character other than
    /// a line feed or a tab); those that may start an amount (beyond ASCII, 0x24…0x39: `$`, `.`, digits); and those
    /// that may start a date (0x30…0x5A: digits, capitals).
    @Test func eachMaskFlagsExactlyItsBytes() {
        let masks: [(String, (UInt64) -> UInt64, (UInt8) -> Bool)] = [
            ("control", ASCII.controlBytes, { $0 < 0x20 }),
            ("verbatim stop", PlainText.stopBytes, { $0 >= 0x80 || $0 < 0x20 && $0 != 0x0A && $0 != 0x09 }),
            ("amount", AmountExtractor.mayStart, { $0 >= 0x80 || (0x24...0x39).contains($0) }),
            ("date", DateExtractor.mayStart, { (0x30...0x5A).contains($0) }),
        ]
        let fillers: [UInt8] = [
            0x00, 0x09, 0x0A, 0x1F, 0x20, 0x23, 0x24, 0x2F, 0x30, 0x39, 0x3A, 0x5A, 0x5B, 0x7F, 0x80, 0xFF,
        ]
        for (name, mask, flagged) in masks {
            for value in 0...255 {
                for position in 0..<8 {
                    for filler in fillers {
                        let shift = 8 * UInt64(position)
                        var word = UInt64(filler) &* 0x0101_0101_0101_0101
                        word = word & ~(0xFF << shift) | UInt64(value) << shift
                        var expected: UInt64 = 0
                        for i in 0..<8 where flagged(UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))) {
                            expected |= 1 << (8 * UInt64(i))
                        }
                        #expect(mask(word) == expected, "\(name): \(value) at \(position) among \(filler)")
                    }
                }
            }
        }
    }

    /// One byte that breaks UTF-8 makes the input Latin-1 wherever it is, inside or after a run of ASCII words.
    @Test func aBrokenSequenceIsFoundAtEveryOffset() {
        let text = Array("Acme\u{2019}s results for the third quarter of fiscal 2026 were strong; revenue rose.\n".utf8)
        #expect(Input.isValidUTF8(text))
        for offset in text.indices where text[offset] < 0x80 {
            var bytes = text
            bytes[offset] = 0xE9  // "é" in Latin-1: a lead byte without its continuation.
            #expect(!Input.isValidUTF8(bytes), "at \(offset)")
            bytes[offset] = 0x80  // A continuation byte without a lead.
            #expect(!Input.isValidUTF8(bytes), "at \(offset)")
        }
    }

    /// The input check gives the offset of the first byte beyond ASCII, where the UTF-8 check starts, wherever that
    /// byte falls in the check's 32-byte steps, and the input's length when there is none.
    @Test func theInputCheckFindsTheFirstByteBeyondASCII() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let count = Int.random(in: 1...100, using: &rng)
            var bytes = (0..<count).map { _ in Int.random(in: 0..<12, using: &rng) == 0 ? 0x0A : UInt8(0x61) }
            // None, one, or several bytes beyond ASCII.
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                bytes[Int.random(in: 0..<count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng)
            }
            let expected = bytes.firstIndex { $0 >= 0x80 } ?? count
            #expect(try InputCheck.check(bytes, limit: 1 << 20) == expected, "\(bytes)")
        }
    }

    /// The UTF-8 check from an offset judges only what follows it.
    @Test func theUTF8CheckReadsFromWhereItIsTold() {
        let text = Array("caf\u{E9} au lait".utf8)
        var latin1 = text
        latin1[1] = 0xE9
        #expect(!Input.isValidUTF8(latin1))
        #expect(Input.isValidUTF8(latin1, from: 2))
        #expect(Input.isValidUTF8(text, from: 3))
        #expect(!Input.isValidUTF8(text, from: 4), "a continuation byte is not where a character begins")
        #expect(Input(latin1).latin1)
        #expect(!Input(text, asciiPrefix: 3).latin1)
    }

    /// The HTML renderer's run of plain words, read eight bytes at a time, never passes the byte at which reading
    /// byte by byte would stop, and reading on from where it stops ends where reading byte by byte from the start
    /// does: random texts of words, single and double spaces, markup, entities, control bytes and bytes beyond ASCII.
    @Test func plainHTMLRunsEndWhereByteByByteReadingEnds() {
        // The loop of HTMLText.run, byte by byte.
        func runEnd(_ bytes: [UInt8], from start: Int, end: Int) -> Int {
            func inRun(_ b: UInt8) -> Bool { b > 0x20 && b < 0x80 && b != ASCII.lessThan && b != ASCII.ampersand }
            var j = start
            while j < end {
                if bytes[j] == ASCII.space, j + 1 < end {
                    guard inRun(bytes[j + 1]) else { break }
                    j += 2
                    continue
                }
                guard inRun(bytes[j]) else { break }
                j += 1
            }
            return j
        }
        let alphabet: [UInt8] =
            Array("aZ09.,;-".utf8) + [0x20, 0x20, 0x20, 0x3C, 0x26, 0x0A, 0x09, 0x1F, 0x21, 0x7E, 0x7F, 0x80, 0xC3]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &rng)
            // Mostly letters, so that runs are long enough to cross words.
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<4, using: &rng) == 0 ? alphabet.randomElement(using: &rng)! : 0x61
            }
            let start = Int.random(in: 0...count, using: &rng)
            let end = Int.random(in: start...count, using: &rng)
            let fast = HTMLText.plainRunEnd(bytes, from: start, end: end)
            let slow = runEnd(bytes, from: start, end: end)
            #expect(fast >= start && fast <= slow, "\(bytes) \(start)..<\(end): \(fast) past \(slow)")
            #expect(runEnd(bytes, from: fast, end: end) == slow, "\(bytes) \(start)..<\(end) from \(fast)")
        }
    }
}
