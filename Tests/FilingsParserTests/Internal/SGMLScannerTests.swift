import Testing

@testable import FilingsParser

/// `SGMLScanner.documents`: the `<DOCUMENT>` blocks of a submission, their wrapper fields and bodies.
@Suite struct SGMLScannerTests {
    private func documents(_ text: String) -> [(SGMLDocument, String)] {
        let bytes = Array(text.utf8)
        return SGMLScanner.documents(bytes, 0..<bytes.count).map {
            ($0, String(decoding: bytes[$0.body], as: UTF8.self))
        }
    }

    @Test func readsTheWrapperAndTheBodyOfEachBlock() {
        let found = documents(
            """
            <DOCUMENT>
            <TYPE>8-K
            <SEQUENCE>1
            <FILENAME>a.txt
            <DESCRIPTION>Current report
            <TEXT>first body</TEXT>
            </DOCUMENT>
            <document><type>EX-99.1<sequence>2<Text><p>second</p></text></Document>
            """
        )
        #expect(found.count == 2)
        #expect(found[0].0.type == "8-K" && found[0].0.sequence == 1 && found[0].0.filename == "a.txt")
        #expect(found[0].0.description == "Current report")
        #expect(found[0].1 == "first body" && !found[0].0.truncated)
        #expect(found[1].0.type == "EX-99.1" && found[1].0.sequence == 2)
        #expect(found[1].1 == "<p>second</p>" && !found[1].0.truncated)
    }

    /// The first `</TEXT>` ends the body; a later one is left in the block.
    @Test func theFirstTextCloseEndsTheBody() {
        let found = documents("<DOCUMENT>\n<TYPE>X\n<TEXT>\na</TEXT>b</TEXT>\n</DOCUMENT>")
        #expect(found.map(\.1) == ["\na"])
    }

    /// A block without `<TEXT>` has the rest of its block, from the first line that is not a wrapper tag, as body.
    @Test func withoutATextTagTheBodyStartsAtTheFirstOtherLine() {
        let found = documents("<DOCUMENT>\n<TYPE>X\n<HTML><p>hi</p></HTML>\n</DOCUMENT>")
        #expect(found.map(\.1) == ["<HTML><p>hi</p></HTML>\n"])
        #expect(!found[0].0.truncated)
    }

    /// A block that is never closed ends at the next `<DOCUMENT>` (or the end of the input), and says so.
    @Test func unclosedBlocksAndBodiesAreTruncated() {
        let found = documents("<DOCUMENT>\n<TYPE>A\n<TEXT>\nno close\n<DOCUMENT>\n<TYPE>B\n<TEXT>\nend")
        #expect(found.map(\.0.type) == ["A", "B"])
        #expect(found.map(\.1) == ["\nno close\n", "\nend"])
        #expect(found.map(\.0.truncated) == [true, true])
        // A `</TEXT>` after the next `<DOCUMENT>` is the next block's, not this one's.
        let next = documents("<DOCUMENT>\n<TEXT>\na\n<DOCUMENT>\n<TEXT>\nb</TEXT></DOCUMENT>")
        #expect(next.map(\.1) == ["\na\n", "\nb"])
        #expect(next.map(\.0.truncated) == [true, false])
    }

    /// A block closed before its wrapper ends, or cut off inside a tag, has an empty or a short body.
    @Test func blocksThatEndInsideTheirWrapper() {
        #expect(documents("<DOCUMENT>\n<TYPE>8-K\n</DOCUMENT>").map(\.1) == [""])
        #expect(documents("<DOCUMENT>\n<TYPE</DOCUMENT>").map(\.1) == ["<TYPE"])
        #expect(documents("<DOCUMENT>\n<TYPE>8-K\n<TEXT>").map(\.1) == [""])
        #expect(documents("<DOCUMENT>").map(\.1) == [""])
        #expect(documents("<DOCUMENT>\n<TEXT>x</TEX").map(\.0.truncated) == [true])
    }
}
