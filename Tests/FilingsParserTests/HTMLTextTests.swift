import FilingsCore
import FilingsParser
import Foundation
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

    /// An element is hidden by its style's first "display" when that is "none", in any case and spacing and after
    /// any other properties; the rest of the page stays.
    @Test func displayNoneHidesWhereverTheStyleSaysIt() throws {
        let hidden = [
            "display:none", "DISPLAY : NONE", "font-family: Yu Gothic; layout-grid: every; display: none",
            "color:gray;display:none;mystyle:yes",
        ]
        let shown = ["display:block", "display:block; display:none", "displays:none", "font-style: italic"]
        for (index, style) in (hidden + shown).enumerated() {
            let filing = try parse(
                """
                <html><body><p>Acme Widgets Reports Results</p>
                <div style="\(style)">styled words</div><p>After the element.</p></body></html>
                """
            )
            let text = filing.documents[0].text
            #expect(text.contains("styled words") == (index >= hidden.count), "\(style)")
            #expect(text.contains("After the element."), "\(style)")
        }
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

    /// A sentence an HTML page break cuts (page number, rule, next page) reads as one sentence, with a space.
    @Test func aSentenceAcrossAnHTMLPageBreakReadsAsOne() throws {
        let doc = try document(
            """
            <html><body><p>ACME WIDGETS REPORTS RECORD RESULTS</p>
            <div>Mr. Roe is a co-founder of Roe &amp; Co., which manages the Widget Fund, a private equity fund </div>
            <div style="text-align:center">1</div><hr style="page-break-after:always">
            <div>that invests in hotels; and the founder of Roe Properties.</div>
            <p>Second paragraph.<br>With a line break kept.</p></body></html>
            """
        )
        #expect(doc.text.contains("a private equity fund that invests in hotels;"), "\(doc.text)")
        #expect(doc.text.contains("Second paragraph.\nWith a line break kept."))
    }

    /// The text a publishing tool writes in invisible type behind a picture of each page: printed lines run
    /// together with two or more spaces between them, and no blank line between paragraphs.
    @Test func aTextLayerBehindPageImagesReadsAsPlainLines() throws {
        let layer = [
            // The headline runs into the contacts' line with a single space, as layers often write it.
            "CONTACTS  MEDIA:  INVESTORS:  Ann Poe Bob Lin  (412) 555-0100 media@acme.com ACME COMPLETES ACQUISITION "
                + "OF WIDGETCO  ",
            "PITTSBURGH, June 1, 2021 - Acme Widgets, Inc. (NYSE: ACME) today  announced the completion of",
            "its acquisition of WidgetCo, Inc.  &#8220;The combination makes us the leader,&#8221; said Jane Roe,",
            "Acme&#8217;s chairman, president and chief  executive officer.  Until conversion, customers will be",
            "served through their branches.  - more - Exhibit 99.1",
        ].joined(separator: "  ")
        let html = """
            <html><body><div><img src="page1.jpg">
            <div><font size="1" style="font-size:1pt;color:white">\(layer)</font></div></div></body></html>
            """
        let doc = try document(html)
        #expect(doc.kind == .pressRelease)
        #expect(doc.title == "ACME COMPLETES ACQUISITION OF WIDGETCO")
        #expect(doc.dateline?.date == "2021-06-01")
        #expect(doc.dateline?.city == "PITTSBURGH")
        let roe = try #require(doc.people.first { $0.name == "Jane Roe" })
        #expect(roe.title == "chairman, president and chief executive officer")
        #expect(doc.quotes.map(\.speaker) == ["Jane Roe"])
        // The page's "- more -" and its footer, run into a line of their own.
        #expect(doc.text.hasSuffix("customers will be served through their branches."), "\(doc.text)")
        // The layer runs a page's columns into one line: no contact can be paired with its role and phone.
        #expect(doc.contacts.isEmpty)
    }

    /// Elements in tiny type nested deep, or left unclosed by the thousand, are read without recursion and without
    /// searching to the end for each: the input is refused or read, never the end of the process.
    @Test func tinyTypeNestedDeepOrNeverClosed() throws {
        let open = "<span style=\"font-size:1pt\">"
        let nested =
            "<html><body>" + String(repeating: open, count: 100_000) + "deep  text"
            + String(repeating: "</span>", count: 100_000) + "</body></html>"
        #expect(try document(nested).text == "deep text")
        let unclosed =
            "<html><body><p>Acme reported results.</p>"
            + String(repeating: "<font style=\"font-size:1pt\">x ", count: 20_000) + "</body></html>"
        #expect(try document(unclosed).text.hasPrefix("Acme reported results."))
    }

    /// Tiny type that is not a text layer: a spacer row, whose end tag is left out, changes nothing.
    @Test func aSpacerRowInTinyTypeIsNotATextLayer() throws {
        let body = """
            <p>ACME WIDGETS REPORTS RECORD RESULTS</p>
            <p>SPRINGFIELD, Ill., March 3, 2003 -- Acme Widgets, Inc. today announced results.</p>
            <table><tr><td>Revenue</td><td>$1.5 million</td></tr></table>
            <p>The first line of a paragraph<br>and the second.</p>
            """
        let spacer = body.replacingOccurrences(
            of: "<table>",
            with: "<table><tr height=0 style=FONT-SIZE:0px><td width=266><td width=266>"
        )
        let plain = try document("<html><body>\(body)</body></html>")
        let spaced = try document("<html><body>\(spacer)</body></html>")
        #expect(spaced.text == plain.text)
        #expect(spaced.text.contains("a paragraph\nand the second."))
    }

    /// A page laid out line by line, each line a box at its own height: lines one line-height apart are joined
    /// into one paragraph, as hard-wrapped lines are; a wider gap starts the next.
    @Test func linesPositionedOnAPageMakeParagraphsByTheirGaps() throws {
        func line(_ top: Int, _ text: String) -> String {
            """
            <div style="line-height:10pt;position:absolute;top:\(top)pt;width:612pt"><span style="left:58pt">\(text)\
            </span></div>
            """
        }
        let html =
            "<html><body>"
            + [
                line(75, "FORM 8-K"),
                line(99, "On February 3, 2026, the Board appointed Jane Roe to serve on the audit committee of the"),
                line(111, "Board. The form was filed with the SEC on May 31,"),
                line(123, "2012 as an exhibit."),
                line(141, "Ms. Roe, age 45, has served as President of Acme Steel since 2022."),
            ].joined() + "</body></html>"
        let doc = try document(html)
        #expect(doc.text.contains("audit committee of the Board. The form was filed with the SEC on May 31, 2012 as"))
        #expect(doc.text.contains("exhibit.\n\nMs. Roe"))
        #expect(doc.dates.map(\.date).contains("2012-05-31"))

        // A stated line height smaller than the lines' pitch: the smallest step down so far is the pitch.
        let tight = [
            line(85, "ABOUT THE FUND"),
            line(100, "The Fund has partnered with entrepreneurs, business owners and management teams in the"),
            line(115, "lower middle market. Its portfolio companies generally have annual revenues between"),
            line(130, "$10 million and $150 million."),
            line(160, "ABOUT THE ADVISER"),
        ].joined().replacingOccurrences(of: "line-height:10pt", with: "line-height:8.32pt")
        let pitched = try document("<html><body>\(tight)</body></html>")
        #expect(pitched.text.contains("teams in the lower middle market. Its portfolio"))
        #expect(pitched.text.contains("ABOUT THE FUND\n"))
        #expect(pitched.text.contains("$150 million.\n\nABOUT THE ADVISER"))
    }
}
