import Testing

@testable import FilingsParser

/// The whole-input scans read words of eight bytes: what they find must not depend on where a byte falls.
@Suite struct InputScanTests {
    /// The mask of bytes below 0x20 marks exactly those bytes, whatever their neighbours.
    @Test func theControlByteMaskIsExact() {
        for value in 0...255 {
            for position in 0..<8 {
                for filler: UInt8 in [0x00, 0x1F, 0x20, 0x7F, 0x80, 0xFF] {
                    let shift = 8 * UInt64(position)
                    var word = UInt64(filler) &* 0x0101_0101_0101_0101
                    word = word & ~(0xFF << shift) | UInt64(value) << shift
                    var expected: UInt64 = 0
                    for i in 0..<8 where (word >> (8 * UInt64(i))) & 0xFF < 0x20 { expected |= 1 << (8 * UInt64(i)) }
                    #expect(ASCII.controlBytes(word) == expected, "\(value) at \(position) among \(filler)")
                }
            }
        }
    }

    /// A plain-text run copied verbatim stops at exactly the bytes beyond ASCII and the control characters other
    /// than a line feed or a tab.
    @Test func aVerbatimRunStopsAtExactlyTheBytesToDecode() {
        for value in 0...255 {
            for position in 0..<8 {
                for filler: UInt8 in [0x00, 0x09, 0x0A, 0x1F, 0x20, 0x7F, 0x80, 0xFF] {
                    let shift = 8 * UInt64(position)
                    var word = UInt64(filler) &* 0x0101_0101_0101_0101
                    word = word & ~(0xFF << shift) | UInt64(value) << shift
                    var expected: UInt64 = 0
                    for i in 0..<8 {
                        let b = UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))
                        if b >= 0x80 || b < 0x20 && b != 0x0A && b != 0x09 { expected |= 1 << (8 * UInt64(i)) }
                    }
                    #expect(PlainText.stopBytes(word) == expected, "\(value) at \(position) among \(filler)")
                }
            }
        }
    }

    /// The amount extractor stops at exactly the bytes that may start an amount: beyond ASCII, and 0x24…0x39.
    @Test func anAmountMayStartAtExactlyItsBytes() {
        for value in 0...255 {
            for position in 0..<8 {
                for filler: UInt8 in [0x00, 0x23, 0x24, 0x39, 0x3A, 0x7F, 0x80, 0xFF] {
                    let shift = 8 * UInt64(position)
                    var word = UInt64(filler) &* 0x0101_0101_0101_0101
                    word = word & ~(0xFF << shift) | UInt64(value) << shift
                    var expected: UInt64 = 0
                    for i in 0..<8 {
                        let b = UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))
                        if b >= 0x80 || (0x24...0x39).contains(b) { expected |= 1 << (8 * UInt64(i)) }
                    }
                    #expect(AmountExtractor.mayStart(word) == expected, "\(value) at \(position) among \(filler)")
                }
            }
        }
    }

    /// The date extractor stops at exactly the bytes that may start a date: 0x30…0x5A (digits, capitals).
    @Test func aDateMayStartAtExactlyItsBytes() {
        for value in 0...255 {
            for position in 0..<8 {
                for filler: UInt8 in [0x00, 0x2F, 0x30, 0x5A, 0x5B, 0x7F, 0x80, 0xB0, 0xFF] {
                    let shift = 8 * UInt64(position)
                    var word = UInt64(filler) &* 0x0101_0101_0101_0101
                    word = word & ~(0xFF << shift) | UInt64(value) << shift
                    var expected: UInt64 = 0
                    for i in 0..<8 {
                        let b = UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))
                        if (0x30...0x5A).contains(b) { expected |= 1 << (8 * UInt64(i)) }
                    }
                    #expect(DateExtractor.mayStart(word) == expected, "\(value) at \(position) among \(filler)")
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
}
