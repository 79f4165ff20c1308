import FilingsCore
import FilingsParser
import Testing

/// A current report's items (`ItemExtractor`).
@Suite struct ItemExtractorTests {
    @Test func itemsInBothSchemesAndEmptyItemsSkipped() throws {
        let modern = try document(
            """
            FORM 8-K

            Item 2.02 Results of Operations and Financial Condition.

            On May 1, 2020 Acme reported.

            Item 7.01 Regulation FD Disclosure.

            None.

            Item 9.01 Financial Statements and Exhibits.

            (d) Exhibits.
            """
        )
        #expect(modern.kind == .currentReport)
        #expect(modern.items.map(\.number) == ["2.02", "9.01"])
        #expect(modern.items.first?.title == "Results of Operations and Financial Condition")

        let legacy = try document(
            "FORM 8-K\n\nITEM 5.  OTHER EVENTS.\n\nThe Company moved.\n\nItem 7. Financial Statements and Exhibits\n\n"
                + "Not applicable.\n"
        )
        #expect(legacy.items.map(\.number) == ["5"])
    }

    /// A stand-alone HTML 8-K: items written "Item&#160;7.01", "ITEM 2.02", or run into their titles by adjacent
    /// elements with no space between them ("Item 9.01Financial Statements").
    @Test func itemsOfAnHTMLCurrentReportHoweverWritten() throws {
        let doc = try document(
            """
            <html><body><p style="text-align:center">FORM 8-K</p><p>CURRENT REPORT</p>
            <p><span>ITEM 2.02</span><span> Results of Operations and Financial Condition.</span></p>
            <p>On May 1, 2020 Acme reported.</p>
            <p><b>Item&#160;7.01</b>&#160;Regulation FD Disclosure.</p><p>Acme presented.</p>
            <p><span>Item 9.01</span><span>Financial Statements and Exhibits.</span></p><p>(d) Exhibits.</p>
            <p>Item 5Any other words are not an item.</p>
            </body></html>
            """
        )
        #expect(doc.kind == .currentReport)
        #expect(doc.items.map(\.number) == ["2.02", "7.01", "9.01"])
    }
}
