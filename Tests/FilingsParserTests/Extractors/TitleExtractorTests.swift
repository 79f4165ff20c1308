import FilingsCore
import FilingsParser
import Testing

/// Headlines, form titles and issuers (`TitleExtractor`).
@Suite struct TitleExtractorTests {
    @Test func headlineDatelineIssuerAndKind() throws {
        let doc = try document(pressRelease("Sales rose."))
        #expect(doc.type == "EX-99.1")
        #expect(doc.kind == .pressRelease)
        #expect(doc.title == "ACME WIDGETS REPORTS RECORD THIRD QUARTER RESULTS")
        #expect(doc.dateline == Dateline(city: "SPRINGFIELD", state: "Ill.", date: "2003-03-03"))
        #expect(doc.issuer?.name == "Acme Widgets, Inc.")
        #expect(doc.issuer?.symbol == "ACME")
    }

    /// The registrant's name on the line of its cover-page label, however many characters before the label change
    /// length in lower case ("İ", 2 bytes, is "i̇", 3): the label is found in the line, not in its lower case.
    @Test(arguments: [1, 60])
    func registrantNameBeforeTheLabel(dottedCapitals: Int) throws {
        let name = "AKT" + String(repeating: "İ", count: dottedCapitals) + "F HOLDİNG A.Ş."
        let doc = try document(
            """
                                     FORM 10-K

            \(name)      (Exact name of registrant as specified in its charter)

            The company makes widgets and sells them in many countries around the world.
            """
        )
        #expect(doc.issuer?.name == name)
    }

    /// The label's opening "(Exact" or "(exact" is not part of the name before it.
    @Test(arguments: ["(Exact", "(exact", "(EXACT"])
    func registrantNameBeforeTheLabelInAnyCase(opening: String) throws {
        let doc = try document(
            """
                                     FORM 10-K

            Zoë Widgets Corp. \(opening) name of registrant as specified in its charter)

            The company makes widgets and sells them in many countries around the world.
            """
        )
        #expect(doc.issuer?.name == "Zoë Widgets Corp.")
    }

    /// A contact block above the headline is not the headline, however its lines read.
    @Test(arguments: [
        "Investors & Reporters May Contact:\n\nJoe Smith\n\nSr. Manager, Investor Relations\n\n(770) 555-0100"
            + "\n\nir@acme.example",
        "NEWS RELEASE\n\nContacts:\n\nAcme Widgets, Inc.\n\nJane Roe, CEO, jroe@acme.example\n\n713-555-0100"
            + "\n\nDennard Lascar Investor Relations\n\nKen Doe / ken@agency.example\n\n713-555-0101",
    ])
    func headlineAfterAContactBlock(block: String) throws {
        let doc = try document(
            "EXHIBIT 99.1\n\n\(block)\n\nAcme Widgets Appoints New Director to Its Board\n\n"
                + "ATLANTA, GA. (February 4, 2026) — Acme Widgets, Inc. (NYSE: ACME) announced a director.\n"
        )
        #expect(doc.kind == .pressRelease)
        #expect(doc.title == "Acme Widgets Appoints New Director to Its Board")
    }

    @Test func aLetterheadAddressIsNotTheHeadline() throws {
        let doc = try document(
            """
            Exhibit 99

            Acme Widgets Companies

            350 North 5th Street, Suite 1000

            Springfield, IL 62701

            Contact

            Jane Roe

            Chief Financial Officer

            Tel: 217 555-7799

            investors@acme.example

            FOR IMMEDIATE RELEASE

            Acme Widgets Companies Elects John Q. Public to
            Board of Directors

            SPRINGFIELD – February 4, 2026 – Acme Widgets Companies (NYSE: ACME) is pleased to announce a director.
            """
        )
        #expect(doc.kind == .pressRelease)
        #expect(doc.title == "Acme Widgets Companies Elects John Q. Public to Board of Directors")
    }
}
