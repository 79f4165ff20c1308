import FilingsCore
import FilingsParser
import Testing

/// Plain text written a paragraph to a line, with no blank line between paragraphs (as some filers' software saves
/// a document): every line is a paragraph of its own, so a headline, a dateline, a cover page's lines and a contacts
/// block are read as they are when blank lines separate them (`Layout`).
@Suite struct UnwrappedTextTests {
    private static let paragraphs = [
        "EXHIBIT 99.1",
        "Acme Widgets Names Jane Roe Chief Financial Officer",
        "SPRINGFIELD, Ill., March 3, 2003 -- Acme Widgets, Inc. (NYSE: ACME), a maker of widgets for the aerospace "
            + "industry, today announced that its board of directors has named Jane Roe as Chief Financial Officer, "
            + "effective April 1, 2003.",
        "\"Jane brings two decades of experience in finance and operations to Acme,\" said John Smith, Chief "
            + "Executive Officer of Acme Widgets. \"We are delighted to welcome her to the leadership team.\"",
        "Ms. Roe joins Acme from Beta Industries, where she served as Vice President, Finance, and led the company's "
            + "investor relations program through two acquisitions.",
        "About Acme Widgets",
        "Acme Widgets, Inc. designs and manufactures precision widgets for aerospace and defense customers in more "
            + "than 30 countries. For more information, visit www.acmewidgets.com.",
        "Contact:",
        "Mary Major",
        "Investor Relations",
        "(555) 010-2000",
    ]

    /// The same release, a blank line between its paragraphs.
    private static var withBlankLines: String { paragraphs.joined(separator: "\n\n") + "\n" }

    /// The same release, a paragraph to a line.
    private static var aParagraphToALine: String { paragraphs.joined(separator: "\n") + "\n" }

    @Test func aReleaseWrittenAParagraphToALineReadsAsOneWithBlankLines() throws {
        let expected = try document(Self.withBlankLines)
        let doc = try document(Self.aParagraphToALine)
        #expect(expected.kind == .pressRelease)
        #expect(doc.kind == expected.kind)
        #expect(doc.title == "Acme Widgets Names Jane Roe Chief Financial Officer")
        #expect(doc.title == expected.title)
        #expect(doc.dateline == expected.dateline)
        #expect(doc.dateline?.city == "SPRINGFIELD")
        #expect(doc.issuer?.name == expected.issuer?.name)
        #expect(doc.issuer?.symbol == "ACME")
        #expect(doc.people.map(\.name) == expected.people.map(\.name))
        #expect(doc.quotes.map(\.speaker) == expected.quotes.map(\.speaker))
        #expect(doc.contacts.map(\.name) == expected.contacts.map(\.name))
        #expect(doc.text == expected.text, "the same paragraphs")
    }

    /// A current report's cover page, a line to each of its parts, with its items in unwrapped paragraphs.
    @Test func aCoverPageWrittenALineToAPartIsACurrentReport() throws {
        let lines = [
            "UNITED STATES",
            "SECURITIES AND EXCHANGE COMMISSION",
            "Washington, D.C. 20549",
            "FORM 8-K",
            "CURRENT REPORT",
            "Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934",
            "Date of Report (Date of earliest event reported): March 3, 2003",
            "ACME WIDGETS, INC.",
            "(Exact name of registrant as specified in its charter)",
            "Item 5.02. Departure of Directors or Certain Officers; Election of Directors; Appointment of Certain "
                + "Officers; Compensatory Arrangements of Certain Officers.",
            "On March 3, 2003, the Board of Directors of Acme Widgets, Inc. (the \"Company\") appointed Jane Roe as "
                + "the Company's Chief Financial Officer, effective April 1, 2003.",
            "Item 9.01. Financial Statements and Exhibits.",
            "Exhibit 99.1 Press release of Acme Widgets, Inc. dated March 3, 2003, announcing the appointment of "
                + "Jane Roe as Chief Financial Officer.",
        ]
        let expected = try document(lines.joined(separator: "\n\n") + "\n")
        let doc = try document(lines.joined(separator: "\n") + "\n")
        #expect(expected.kind == .currentReport)
        #expect(doc.kind == .currentReport)
        #expect(doc.items.map(\.number) == expected.items.map(\.number))
        #expect(doc.items.map(\.number) == ["5.02", "9.01"])
        #expect(doc.issuer?.name == expected.issuer?.name)
    }

    /// Text wrapped at a page's width keeps its paragraphs whole, even with a line or two wider than a page in it
    /// (a long web address): only text with more lines over a page's width than lines wrapped in mid-sentence is
    /// read a paragraph to a line.
    @Test func wrappedTextWithALongLineKeepsItsParagraphs() throws {
        let wrapped = """
            SPRINGFIELD, Ill., March 3, 2003 -- Acme Widgets, Inc. (NYSE: ACME), a maker of
            widgets for the aerospace industry, today announced that its board of directors
            has named Jane Roe as Chief Financial Officer, effective April 1, 2003. The full
            announcement is at
            https://www.acmewidgets.com/investors/news/2003/03/acme-widgets-names-jane-roe-chief-financial-officer.html
            and in the company's current report on Form 8-K.

            """
        let doc = try document("EXHIBIT 99.1\n\nACME NAMES A CHIEF FINANCIAL OFFICER\n\n" + wrapped)
        #expect(
            doc.text.hasSuffix(
                "has named Jane Roe as Chief Financial Officer, effective April 1, 2003. The full "
                    + "announcement is at https://www.acmewidgets.com/investors/news/2003/03/acme-widgets-names-jane-roe-chief-"
                    + "financial-officer.html and in the company's current report on Form 8-K."
            )
        )
    }
}
