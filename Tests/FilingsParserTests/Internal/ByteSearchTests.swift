import Foundation
import Testing

@testable import FilingsParser

/// The byte searches on strings that replace Foundation's `range(of:)` for the parser's ASCII markers.
@Suite struct ByteSearchTests {
    @Test func theRangeIsTheFirstPlaceInTheTextItself() {
        // Characters of two, three and four bytes before the marker: the range still fits the string.
        let line = "Zoë İ — 😀 Acme Corp (Exact NAME of Registrant as specified), name of registrant"
        let range = line.rangeIgnoringASCIICase(of: "name of registrant")
        #expect(range.map { String(line[$0]) } == "NAME of Registrant")
        #expect(range.map { String(line[..<$0.lowerBound]) } == "Zoë İ — 😀 Acme Corp (Exact ")
        #expect(line.rangeOfBytes("name of registrant").map { String(line[$0.upperBound...]) } == "")
        #expect(line.rangeOfBytes("Name of") == nil)
        #expect(line.rangeIgnoringASCIICase(of: "registrant as specifiedx") == nil)
        #expect("".rangeOfBytes(" of ") == nil && "of".rangeOfBytes(" of ") == nil)
    }

    /// The same answer as a brute-force search of the bytes, exactly and with ASCII case folded.
    @Test func agreesWithABruteForceSearch() {
        let words = ["of", "OF", "Of", " ", "ended", "ENDED", "x", "é", "/s/", "/S/"]
        var state: UInt64 = 42
        for _ in 0..<2_000 {
            var line = ""
            for _ in 0..<12 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line += words[Int(state >> 33) % words.count]
            }
            let bytes = Array(line.utf8)
            for needle: StaticString in [" of ", "/s/", "ended"] {
                let n = Array(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount))
                let exact = bytes.indices.first { bytes[$0...].starts(with: n) }
                let folded = bytes.indices.first { bytes[$0...].map(ASCII.lower).starts(with: n) }
                #expect(
                    line.rangeOfBytes(needle).map { line.utf8.distance(from: line.startIndex, to: $0.lowerBound) }
                        == exact
                )
                #expect(
                    line.rangeIgnoringASCIICase(of: needle).map {
                        line.utf8.distance(from: line.startIndex, to: $0.lowerBound)
                    } == folded
                )
            }
        }
    }

    /// `isASCII`, `containsUTF8(where:)` and `utf8OffsetIgnoringASCIICase(of:)` say what a loop over `utf8` says,
    /// wherever a byte beyond ASCII falls among the eight read at a time.
    @Test func asciiTestsAgreeWithALoopOverTheBytes() {
        let pieces = ["a", "B", " ", "é", "☒", "😀", "ﬁ", "[", "Name", "NAME", "\t", "\u{7F}"]
        var state: UInt64 = 7
        for _ in 0..<5_000 {
            var line = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 60) + Int(state >> 33) % 20 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line += pieces[Int(state >> 33) % pieces.count]
            }
            let bytes = Array(line.utf8)
            #expect(line.isASCII == bytes.allSatisfy { $0 < 0x80 }, "\(line)")
            #expect(line.containsUTF8 { $0 == 0x5B } == bytes.contains(0x5B))
            let needle = Array("name".utf8)
            let folded = bytes.indices.first { bytes[$0...].map(ASCII.lower).starts(with: needle) }
            #expect(line.utf8OffsetIgnoringASCIICase(of: needle) == folded, "\(line)")
        }
    }

    /// `ASCII.nextWhitespace` finds the first whitespace byte a loop finds, from any start and before any end,
    /// past the control bytes that are not whitespace (which its eight-byte step flags too).
    @Test func nextWhitespaceAgreesWithALoopOverTheBytes() {
        let pieces: [[UInt8]] = [
            Array("word".utf8), [0x20], [0x09], [0x0A], [0x0B], [0x0C], [0x0D], [0x00], [0x01], [0x08], [0x0E], [0x1F],
            [0x21], [0x7F], Array("é".utf8), Array("A".utf8),
        ]
        var state: UInt64 = 5
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(next() % 24) { bytes += pieces[next() % pieces.count] }
            let start = bytes.isEmpty ? 0 : next() % (bytes.count + 1)
            let end = start + next() % (bytes.count - start + 1)
            let loop = (start..<end).first { ASCII.isWhitespace(bytes[$0]) } ?? end
            let found = bytes.withUnsafeBytes { ASCII.nextWhitespace($0, from: start, before: end) }
            #expect(found == loop, "\(bytes) from \(start) before \(end)")
        }
    }

    /// `characterRange(ofASCII:)` finds what Foundation's `range(of:)` finds, in lines with accents, combining marks
    /// after the label's letters (nonspacing, spacing, enclosing), letters whose upper case is longer, emoji,
    /// modifiers, flags, joiners, prepended signs and tags.
    @Test func characterRangeIsFoundationsRange() {
        let pieces = [
            "NAME", "NAM", "E", " ", "\u{301}", "\u{A0}", "É", "E\u{301}", "SS", "ß", "😀", "\u{200D}", "☒", "ﬁ", "(",
            "\u{903}", "\u{20DD}", "\u{FE0F}", "\u{200C}", "\u{1F3FB}", "\u{1F1FA}", "\u{600}", "\r", "\n", "\u{E0041}",
            "NA\u{301}ME", "\u{1100}", "\u{1161}", "क", "\u{94D}", "\u{FF9E}",
        ]
        var state: UInt64 = 11
        for _ in 0..<5_000 {
            var line = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<(1 + Int(state >> 33) % 14) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line += pieces[Int(state >> 33) % pieces.count]
            }
            let foundation = line.range(of: "NAME")
            let ours = line.characterRange(ofASCII: "NAME")
            #expect(ours == foundation, "\(line.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
