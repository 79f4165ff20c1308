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
}
