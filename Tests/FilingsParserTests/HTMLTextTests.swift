import FilingsCore
import FilingsParser
import Testing

/// HTML rendered to text (`HTMLText`) and text laid out in paragraphs (`Layout`).
@Suite struct HTMLTextTests {
    @Test func tagsEntitiesHiddenContentAndTables() throws {
        let html = """
            <html><head><title>EX-99.1</title><style>p{}</style></head><body>
            <div style="display:none"><ix:header>hidden facts 2099</ix:header></div>
            <p>Exhibit&nbsp;99.1</p>
            <p><b>Acme&#8217;s&#160;Widgets &amp; Gears Report Results</b></p>
            <p>SPRINGFIELD, Ill., March 3, 2003 &#8212; Acme Widgets, Inc. (NYSE: ACME) today
            announced results.</p>
            <table><tr><td>Revenue</td><td>&nbsp;</td><td>$1.5 million</td></tr>
            <tr><td>Margin</td><td>12%</td></tr></table>
            <p>12</p>
            <script>var x = "<p>not text</p>";</script>
            </body></html>
            """
        let filing = try parse(html)
        #expect(filing.format == .html)
        let doc = filing.documents[0]
        #expect(doc.title == "Acme’s Widgets & Gears Report Results")
        #expect(doc.text.contains("Revenue\t$1.5 million\nMargin\t12%"))
        for absent in ["hidden facts", "not text", "&nbsp;", "<p", "\n12\n", "EX-99.1\n"] {
            #expect(!doc.text.contains(absent), "\(absent) left in the text")
        }
        #expect(doc.dateline?.date == "2003-03-03")
        #expect(doc.money.map(\.value) == [1_500_000])
    }

    @Test func furnitureIsRemovedAndSentencesJoinAcrossPages() throws {
        let doc = try document(
            pressRelease(
                """
                     The company, which makes widgets, said that demand in the
                                                                         more...

                                                                               2
                <PAGE>
                second half was strong.

                [ACME LOGO]

                                                - 3 -
                                                # # #
                """
            )
        )
        #expect(doc.text.contains("said that demand in the second half was strong."))
        for furniture in ["more...", "# # #", "[ACME LOGO]", "<PAGE>", "- 3 -", "\n2\n"] {
            #expect(!doc.text.contains(furniture), "\(furniture) left in the text")
        }
    }
}
