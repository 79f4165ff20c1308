import Testing

@testable import FilingsParser

/// `Furniture`: the lines of a page that are not part of its text.
@Suite struct FurnitureTests {
    private static func isFurniture(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        return Furniture.isFurniture(bytes, 0..<bytes.count)
    }

    /// A page's "more" marker, alone or with the page's footer after it on the same line, as a text layer runs them.
    @Test(arguments: [
        "-more-", "- more -", "- MORE -", "(more)", "( More )", "more...", "- more", "--more--", "– more –", "—MORE—",
        "- more - Exhibit 99.1", "-more- Page 1 of 3", "(more) 2", "– more – Acme Widgets, Inc.",
    ])
    func moreMarkers(line: String) {
        #expect(Self.isFurniture(line))
    }

    /// Prose that starts with "more", or a marker followed by more than a footer. (A line of nothing but the word,
    /// "More" or "(more", is furniture: its letters are those of a marker.)
    @Test(arguments: [
        "More-than-expected demand lifted sales.", "-more-than-expected demand", "moreover, the Company",
        "- more than 40 stores opened", "(more than 5% of revenue)", "more - see the table below",
        "- more - The Company also announced that its board approved", "more than", "- moreover -",
    ])
    func notMoreMarkers(line: String) {
        #expect(!Self.isFurniture(line))
    }

    /// The marker's rest is the footer after it; an empty line has no marker.
    @Test func theFooterAfterTheMarker() {
        let bytes = Array("  - more -  Exhibit 99.1".utf8)
        #expect(Furniture.afterMoreMarker(bytes, 2..<bytes.count) == 12..<bytes.count)
        #expect(Furniture.afterMoreMarker(bytes, 2..<2) == nil)
    }
}
