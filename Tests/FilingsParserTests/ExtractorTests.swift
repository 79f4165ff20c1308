import FilingsCore
import FilingsParser
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("a loss of $(3.4) million in the quarter", "$(3.4) million", -3_400_000.0, "USD"),
        ("revenue of $1.2 billion for the year", "$1.2 billion", 1_200_000_000, "USD"),
        ("a dividend of $.05 per share", "$.05", 0.05, "USD"),
        ("a fee of US$ 12,500 was paid", "US$ 12,500", 12_500, "USD"),
        ("net loss of approximately $28 million for", "$28 million", 28_000_000, "USD"),
        ("a price of $57.125 per share", "$57.125", 57.125, "USD"),
        ("valued at $3,192,441,444.", "$3,192,441,444", 3_192_441_444, "USD"),
        ("sales of €2.5 million in Europe", "€2.5 million", 2_500_000, "EUR"),
    ])
    func money(sentence: String, text: String, value: Double, currency: String) throws {
        let doc = try document(pressRelease(sentence))
        let found = try #require(doc.money.first)
        #expect(found.text == text)
        #expect(found.value == value)
        #expect(found.currency == currency)
    }

    @Test func percentages() throws {
        let doc = try document(pressRelease("Margins rose 12.5 percent, sales 80%, and costs fell 3 per cent."))
        #expect(doc.percentages.map(\.value) == [12.5, 80, 3])
        #expect(doc.percentages.map(\.text) == ["12.5 percent", "80%", "3 per cent"])
    }

    @Test func numbersInsideWordsAreNotAmounts() throws {
        let doc = try document(pressRelease("Model X100% and part A-5% are names; the 10-K is a form."))
        #expect(doc.percentages.isEmpty)
    }
}

@Suite struct DateTests {
    @Test(arguments: [
        ("on Dec. 20, 2001 the", "Dec. 20, 2001", "2001-12-20"),
        ("on December 20th, 2001 the", "December 20th, 2001", "2001-12-20"),
        ("on 12/20/2001 the", "12/20/2001", "2001-12-20"),
        ("on 20 December 2001 the", "20 December 2001", "2001-12-20"),
        ("on DECEMBER 31, 2000 the", "DECEMBER 31, 2000", "2000-12-31"),
        ("on March 26,2001 the", "March 26,2001", "2001-03-26"),
        ("on Sept. 30, 2020 the", "Sept. 30, 2020", "2020-09-30"),
    ])
    func date(sentence: String, text: String, iso: String) throws {
        let doc = try document("A memo.\n\nWe met \(sentence) board.\n")
        let found = try #require(doc.dates.first)
        #expect(found.text == text)
        #expect(found.date == iso)
    }

    @Test func factsInHTMLReadAsWrittenAtTheirSpans() throws {
        let html = """
            <html><body><p>On July&nbsp;3, 2019 we paid $&#160;&#160;23,505 for 12.5&nbsp;percent of it,
            and on September&nbsp;30,
            2027 nothing.</p></body></html>
            """
        let input = Array(html.utf8)
        let doc = try #require(try EDGARParser().parse(input).documents.first)
        let facts =
            doc.dates.map { ($0.text, $0.span) } + doc.money.map { ($0.text, $0.span) }
            + doc.percentages.map { ($0.text, $0.span) }
        #expect(
            facts.map(\.0) == [
                "July&nbsp;3, 2019", "September&nbsp;30,\n2027", "$&#160;&#160;23,505", "12.5&nbsp;percent",
            ]
        )
        for (text, span) in facts {
            let span = try #require(span)
            #expect(String(decoding: input[Int(span.start)..<Int(span.end)], as: UTF8.self) == text)
        }
        #expect(doc.dates.map(\.date) == ["2019-07-03", "2027-09-30"])
        #expect(doc.money.map(\.value) == [23_505])
    }

    @Test func partialAndImpossibleDatesAreNotDates() throws {
        let doc = try document(
            "A memo.\n\nOn Aug. 9 we met; February 30, 2001 is no day; 13/01/2001 neither; we may 5 times.\n"
        )
        #expect(doc.dates.isEmpty)
    }
}

@Suite struct SecurityTests {
    @Test(arguments: [
        ("Acme Corp. (Nasdaq NM: ABCD) said", "Nasdaq NM", "ABCD", "Acme Corp."),
        ("Beta Inc (NYSE:XYZ) said", "NYSE", "XYZ", "Beta Inc"),
        ("Gamma, Inc. (OTCBB: ABCD.OB) said", "OTCBB", "ABCD.OB", "Gamma, Inc."),
        ("Delta Ltd. (AMEX: ABC) said", "AMEX", "ABC", "Delta Ltd."),
        (
            "J.B. Chemicals & Pharmaceuticals, Ltd. (Bombay Stock Exchange: JBCPL) said", "Bombay Stock Exchange",
            "JBCPL",
            "J.B. Chemicals & Pharmaceuticals, Ltd."
        ),
    ])
    func ticker(sentence: String, exchange: String, symbol: String, name: String) throws {
        let doc = try document("A memo.\n\nToday \(sentence) hello.\n")
        let security = try #require(doc.securities.first { $0.symbol == symbol })
        #expect(security.exchange == exchange)
        #expect(security.name == name)
    }

    @Test func twoListingsInOneParenthesis() throws {
        let doc = try document("A memo.\n\nToday Epsilon Mines Ltd. (TSX: ABC; NASDAQ: ABCD) said hello.\n")
        #expect(doc.securities.map(\.symbol) == ["ABC", "ABCD"])
        #expect(doc.securities.map(\.exchange) == ["TSX", "NASDAQ"])
        #expect(doc.securities.allSatisfy { $0.name == "Epsilon Mines Ltd." })
    }

    @Test func parenthesesThatAreNotListingsAreIgnored() throws {
        let doc = try document("A memo.\n\nThe plan (Note: see below) and (Investors and Media: call us) stand.\n")
        #expect(doc.securities.isEmpty)
    }
}

@Suite struct PressReleaseTests {
    @Test func headlineDatelineIssuerAndKind() throws {
        let doc = try document(pressRelease("Sales rose."))
        #expect(doc.type == "EX-99.1")
        #expect(doc.kind == .pressRelease)
        #expect(doc.title == "ACME WIDGETS REPORTS RECORD THIRD QUARTER RESULTS")
        #expect(doc.dateline == Dateline(city: "SPRINGFIELD", state: "Ill.", date: "2003-03-03"))
        #expect(doc.issuer?.name == "Acme Widgets, Inc.")
        #expect(doc.issuer?.symbol == "ACME")
    }

    @Test(arguments: [
        ("SAN JOSE, Calif.--(BUSINESS WIRE)--April 29, 2020--Acme", "SAN JOSE", "Calif.", "2020-04-29"),
        ("HERNDON, Va., April 29, 2020 (GLOBE NEWSWIRE) – Acme", "HERNDON", "Va.", "2020-04-29"),
        ("San Jose, CA (August 10, 1995) -- Acme", "San Jose", "CA", "1995-08-10"),
        ("CAMBRIDGE, Mass.— July 24, 2023 — Acme", "CAMBRIDGE", "Mass.", "2023-07-24"),
        ("NEW YORK, July 24 /PRNewswire/ -- Acme", "NEW YORK", "", ""),
        // Undated: an upper-case city and a dash opening an announcement.
        ("SILVER SPRING, Md. — Acme Inc. (Nasdaq: ACME), a maker of widgets, today", "SILVER SPRING", "Md.", ""),
        ("ATLANTA – Acme Corp. today", "ATLANTA", "", ""),
        (
            "Wallingford, Connecticut, February 4, 2026. Acme Corp. (NYSE: ACME) today", "Wallingford", "Connecticut",
            "2026-02-04"
        ),
        ("GLENDALE, California — Acme, Inc. (NYSE:ACME) reported results;", "GLENDALE", "California", ""),
    ])
    func datelines(opening: String, city: String, state: String, date: String) throws {
        let doc = try document("EXHIBIT 99.1\n\nACME BUYS A COMPANY TODAY\n\n\(opening) announced a deal.\n")
        #expect(doc.dateline == Dateline(city: city, state: state, date: date))
    }

    /// Without a date, an upper-case city and a dash make a dateline only where the paragraph announces.
    @Test(arguments: [
        "NOTE – Amounts are unaudited and the Company announced nothing else.",
        "Atlanta – Acme Corp. (NYSE: ACME) today announced a deal.",
        "ATLANTA, Acme Corp. (NYSE: ACME) today announced a deal.",
        "ARTICLE I – Offices of the Company, which announces its meetings.",
        "Wallingford, Connecticut, February 4, 2026. The parties agree as follows.",
    ])
    func undatedOpeningsThatAreNotDatelines(opening: String) throws {
        let doc = try document("EXHIBIT 99.2\n\nTERMS OF THE AGREEMENT TODAY\n\n\(opening)\n")
        #expect(doc.kind == .other)
        #expect(doc.dateline == nil)
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

    @Test func peopleQuotesAndSuffixes() throws {
        let doc = try document(
            pressRelease(
                """
                     "We are pleased," said Jane Q. Roe, Ph.D., Chief Executive Officer of Acme. "It is a
                good day."

                     John Smith Jr., Vice President, Sales, said, "Customers agree." Later Dr. Roe added
                that "the year looks strong," as Ms. Roe said before.

                     Alan Doe, M.D., Chairman, commented on the results.
                """
            )
        )
        let roe = try #require(doc.people.first { $0.name == "Jane Q. Roe" })
        #expect(roe.title == "Chief Executive Officer")
        #expect(roe.organization == "Acme")
        #expect(doc.people.contains { $0.name == "John Smith" && $0.title == "Vice President, Sales" })
        #expect(doc.people.contains { $0.name == "Alan Doe" && $0.title == "Chairman" })
        #expect(Set(doc.quotes.map(\.speaker)) == ["Jane Q. Roe", "John Smith"])
    }

    /// Words before a name that are not part of it: a title ("Board Chair", "CEO"), a headline's verb, a descriptor.
    @Test func titlesVerbsAndDescriptorsAreNotPartOfAName() throws {
        let doc = try document(
            pressRelease(
                """
                     "We welcome Jane," said Board Chair Tom Reddin.

                     CEO Mike Lavigne stated, "We are excited."

                     "It is a great team," said Roe.
                """,
                headline: "Acme Appoints Industry Veteran Jane Roe as Chief Commercial Officer"
            )
        )
        #expect(Set(doc.quotes.map(\.speaker)) == ["Tom Reddin", "Mike Lavigne", "Jane Roe"])
        #expect(!doc.people.contains { $0.name.contains("Chair") || $0.name.contains("CEO") })
        #expect(doc.people.first { $0.name == "Tom Reddin" }?.title == "Board Chair")
        #expect(doc.people.first { $0.name == "Mike Lavigne" }?.title == "CEO")
    }

    /// People named by what happens to them: appointed, elected, serving.
    @Test func appointedAndServingPeople() throws {
        let doc = try document(
            pressRelease(
                """
                     Acme Widgets, Inc. (NYSE: ACME) today announced the appointment of Nataly M. Marks as a new
                independent Director. The Board has appointed R. Adam Norwitt, currently serving as President, to the
                additional role of Chairman. David P. Falck, who has served as a Director since 2013, will continue.
                The Company appointed KPMG Peat Marwick as its auditors and elected Not To Use the extended period.
                """,
                headline: "Acme Appoints Heidi Crane as Permanent Chief Financial Officer"
            )
        )
        let people = Dictionary(doc.people.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        #expect(people["Heidi Crane"] == "Chief Financial Officer")
        #expect(people["Nataly M. Marks"] == "Director")
        #expect(people["R. Adam Norwitt"] == "President")
        #expect(people["David P. Falck"] == "Director")
        #expect(people["KPMG Peat Marwick"] == nil)
        #expect(people["Not To Use"] == nil)
    }

    /// Contacts one per line ("Name, Title, e-mail", "Name / e-mail"), in groups headed by their organisation.
    @Test func contactsOnePerLineInGroups() throws {
        let doc = try document(
            """
            EXHIBIT 99.1

            NEWS RELEASE

            Contacts:

            Acme Widgets, Inc.

            Jane Q. Roe, CEO, jroe@acme.example

            John Doe, CFO, jdoe@acme.example

            713-555-0100

            Dennard Lascar Investor Relations

            Ken Smith / ken@agency.example

            Zach Brown / zbrown@agency.example

            713-555-0101

            ACME WIDGETS APPOINTS A NEW DIRECTOR

            HOUSTON – February 4, 2026 – Acme Widgets, Inc. (NYSE: ACME) announced a director.

            """
        )
        let contacts = Dictionary(doc.contacts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(contacts.keys) == ["Jane Q. Roe", "John Doe", "Ken Smith", "Zach Brown"])
        #expect(contacts["Jane Q. Roe"]?.email == "jroe@acme.example")
        #expect(contacts["John Doe"]?.organization == "Acme Widgets, Inc.")
        #expect(contacts["Ken Smith"]?.email == "ken@agency.example")
        #expect(contacts["Zach Brown"]?.organization == "Dennard Lascar Investor Relations")
        #expect(contacts["Zach Brown"]?.phone == "713-555-0101")
        // A number on a line of its own after a group is the whole group's.
        #expect(contacts["Jane Q. Roe"]?.phone == "713-555-0100")
        #expect(contacts["Ken Smith"]?.phone == "713-555-0101")
        let people = Dictionary(doc.people.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        #expect(people["Jane Q. Roe"] == "CEO")
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

    @Test func contactsSideBySideUnderARowOfRoles() throws {
        let doc = try document(
            """
            <html><body>
            <p>ACME WIDGETS REPORTS RESULTS</p>
            <p>SPRINGFIELD, Ill., March 3, 2023 (GLOBE NEWSWIRE) -- Acme Widgets, Inc. (NYSE: ACME) today announced
            results.</p>
            <table>
            <tr><td><u>Investor Relations</u></td><td><u>Media</u></td></tr>
            <tr><td>Ann Lee</td><td>Bob Kim</td></tr>
            <tr><td>Vice President, Investor Relations</td><td>Director, External Communications</td></tr>
            <tr><td>(555) 218-6093</td><td>(555) 446-7550</td></tr>
            <tr><td>ann.lee@acme.example</td><td>bob.kim@acme.example</td></tr>
            </table>
            </body></html>
            """
        )
        let contacts = Dictionary(doc.contacts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(contacts["Ann Lee"]?.role == "Investor Relations")
        #expect(contacts["Ann Lee"]?.phone == "(555) 218-6093")
        #expect(contacts["Ann Lee"]?.email == "ann.lee@acme.example")
        #expect(contacts["Bob Kim"]?.role == "Media")
        #expect(contacts["Bob Kim"]?.email == "bob.kim@acme.example")
        #expect(contacts["Ann Lee"]?.organization == "")
        let people = Dictionary(doc.people.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        #expect(people["Ann Lee"] == "Vice President, Investor Relations")
        #expect(people["Bob Kim"] == "Director, External Communications")
    }

    @Test func contactLabelsNamesWithTitlesAndTheWireTrailer() throws {
        let doc = try document(
            pressRelease(
                """
                Media Contact:

                Vanessa Poe
                vanessa.poe@acme.example

                For more information, contact:

                Michael B. Stone, President and Chief Executive Officer
                Email: mstone@acme.example
                Phone: 206-555-4959

                SOURCE: Acme Widgets, Inc.

                #ACME_Financial
                """
            )
        )
        let contacts = Dictionary(doc.contacts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(contacts.keys) == ["Vanessa Poe", "Michael B. Stone"])
        #expect(contacts["Vanessa Poe"]?.role == "Media Contact")
        #expect(contacts["Michael B. Stone"]?.email == "mstone@acme.example")
        #expect(contacts["Michael B. Stone"]?.phone == "206-555-4959")
        #expect(doc.people.first { $0.name == "Michael B. Stone" }?.title == "President and Chief Executive Officer")
        #expect(!doc.people.contains { $0.name.contains("Source") })
    }

    @Test func titleBeforeNameResolvesAShortForm() throws {
        let doc = try document(
            pressRelease(
                """
                The unit is headed by Vice President and General Manager Don Listwin.

                "This rounds out our line," Listwin said.
                """
            )
        )
        #expect(doc.quotes.map(\.speaker) == ["Don Listwin"])
        #expect(doc.people.first { $0.name == "Don Listwin" }?.title == "Vice President and General Manager")
    }

    @Test func urlsAndForwardLooking() throws {
        let doc = try document(
            pressRelease(
                """
                Visit www.acme.com, http://investor.acme.com/news/ or ir.acme.com; write to ir@acme.com. Amazon.com
                is a customer.

                This release contains forward-looking statements.
                """
            )
        )
        #expect(doc.urls == ["www.acme.com", "investor.acme.com/news", "ir.acme.com"])
        #expect(doc.forwardLooking)
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

@Suite struct HTMLTests {
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

    @Test func coverTableBecomesSecurities() throws {
        let html = """
            <html><body><p>FORM 8-K</p><table>
            <tr><td>Title of each class</td><td>Trading Symbol(s)</td><td>Name of each exchange on which registered</td></tr>
            <tr><td>Common Stock, $0.01 par value</td><td>ACME</td><td>The Nasdaq Stock Market LLC</td></tr>
            </table></body></html>
            """
        let doc = try document(html)
        #expect(doc.type == "8-K")
        #expect(
            doc.securities == [
                Security(name: "Common Stock, $0.01 par value", exchange: "The Nasdaq Stock Market LLC", symbol: "ACME")
            ]
        )
    }

    /// The cover table as filers' tools write it: header cells wrapped by `<br>`, or every cell in a block of its
    /// own, row by row or column by column.
    @Test(arguments: [
        (
            "<table><tr><td>Title of Each Class</td><td>Trading<br>Symbol(s)</td><td>Name of Each Exchange on<br>"
                + "Which Registered</td></tr><tr><td>Common Stock</td><td>ACME</td><td>NYSE</td></tr></table>",
            [Security(name: "Common Stock", exchange: "NYSE", symbol: "ACME")]
        ),
        (
            "<div>Title of each class</div><div>Trading Symbol(s)</div><div>Name of each exchange on which "
                + "registered</div><div>Common Stock</div><div>ACME</div><div>NYSE</div><div>Warrants</div>"
                + "<div>ACMEW</div><div>NYSE</div>",
            [
                Security(name: "Common Stock", exchange: "NYSE", symbol: "ACME"),
                Security(name: "Warrants", exchange: "NYSE", symbol: "ACMEW"),
            ]
        ),
        (
            "<div>Title of each class</div><div>Trading Symbol(s)</div><div>Name of each exchange</div>"
                + "<div>Common Stock</div><div>2.25% notes due 2031</div><div>ACME</div><div>NYSE</div><div>NYSE</div>",
            [Security(name: "Common Stock", exchange: "NYSE", symbol: "ACME")]
        ),
        // Two symbols for three classes, column by column: which class a symbol is for is unknown.
        (
            "<div>Title of each class</div><div>Trading Symbol(s)</div><div>Name of each exchange</div>"
                + "<div>Common Stock</div><div>Notes due 2031</div><div>Notes due 2041</div><div>ACME</div>"
                + "<div>ACME41</div><div>NYSE</div><div>NYSE</div><div>NYSE</div>",
            []
        ),
        // A symbol with no class or exchange around it.
        ("<div>Title of each class</div><div>ACME</div>", []),
    ])
    func coverTableLayouts(table: String, securities: [Security]) throws {
        let doc = try document(
            "<html><body><p>FORM 8-K</p><p>Securities registered pursuant to Section 12(b) of the Act:</p>\(table)"
                + "<p>Indicate by check mark whether the registrant is an emerging growth company.</p></body></html>"
        )
        #expect(doc.securities == securities)
    }
}

@Suite struct CurrentReportTests {
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

    @Test func registrantAndSignature() throws {
        let doc = try document(
            """
            FORM 8-K

                                   ACME WIDGETS, INC.
                   (Exact name of registrant as specified in its charter)

            Item 8.01 Other Events.

            The Company moved.

                                                    By: /s/ Mary A. Jones
                                                        -----------------
                                                        Mary A. Jones
                                                        Senior Vice President and
                                                        Chief Financial Officer
            """
        )
        #expect(doc.issuer?.name == "ACME WIDGETS, INC.")
        #expect(
            doc.people == [Person(name: "Mary A. Jones", title: "Senior Vice President and Chief Financial Officer")]
        )
    }

    @Test func peopleWhoLeaveOrTakeAnOfficeInACurrentReport() throws {
        let doc = try document(
            """
            FORM 8-K

            Item 5.02 Departure of Directors or Certain Officers.

            On February 4, 2026, after five decades with the Company, including serving as Chairman of the Board
            since 1997, Martin H. Stone notified the Company that he intends to retire from the Board. Jane Q. Roe
            tendered her resignation as Treasurer, and Paul Smith resigned as Controller effective March 1.

            •Philip Moore notifies Board that he will not stand for re-election

            Acme Widgets notified its lenders of the change, and Springfield Savings resigned as trustee.
            """
        )
        let names = Set(doc.people.map(\.name))
        #expect(names == ["Martin H. Stone", "Jane Q. Roe", "Paul Smith", "Philip Moore"])
    }

    @Test func signaturesInTablesWithCapacitiesAndHeadingsAfterThem() throws {
        let doc = try document(
            """
            <html><body>
            <p>FORM 8-K</p>
            <p>Item 8.01 Other Events.</p>
            <p>The Company moved.</p>
            <table>
            <tr><td>Date: May 7, 2025</td><td>By:</td><td>/s/ Dean A. Stone</td></tr>
            <tr><td></td><td>Name:</td><td>Dean A. Stone</td></tr>
            <tr><td></td><td>Title:</td><td><div>Executive Vice President, General Counsel</div>
            <div>and Corporate Secretary</div></td></tr>
            </table>
            <table>
            <tr><td>/s/ Brian K. Hill</td></tr>
            <tr><td>May 7, 2025</td><td>By:</td><td>Brian K. Hill</td></tr>
            <tr><td>Executive Vice President and Chief Financial</td></tr>
            <tr><td>Officer (principal financial officer)</td></tr>
            </table>
            </body></html>
            """
        )
        let people = Dictionary(doc.people.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        #expect(people["Dean A. Stone"] == "Executive Vice President, General Counsel and Corporate Secretary")
        #expect(people["Brian K. Hill"] == "Executive Vice President and Chief Financial Officer")
    }

    @Test func aHeadingRunIntoASignedTitleIsNotPartOfIt() throws {
        let doc = try document(
            """
            FORM 8-K

            Item 8.01 Other Events.

            The Company moved.

                                                    By: /s/ Larry R. Stone

                                                    Larry R. Stone,
                                                    Chief Financial Officer
                                                    and Secretary

                                      4.
            <PAGE>   5
                                      EXHIBIT INDEX

            20.1  Press release of the Registrant
            """
        )
        #expect(doc.people.first { $0.name == "Larry R. Stone" }?.title == "Chief Financial Officer and Secretary")
    }
}

@Suite struct LateFilingTests {
    static func form(checkbox mark: String, periodic: String = "[X] Yes   [ ] No") -> String {
        """
                                      FORM 12b-25
                              NOTIFICATION OF LATE FILING
        (Check One):
        [ ] Form 10-K   [ ] Form 20-F   \(mark) Form 10-Q   [ ] Form N-SAR
                          For Period Ended: June 30, 2004

        PART I -- REGISTRANT INFORMATION

        ACME WIDGETS, INC.
        -----------------------------------------
        Full Name of Registrant

        PART II -- RULES 12b-25(b) AND (c)

             \(mark)   (a) The reasons described in reasonable detail in Part III of this form could not be
                      eliminated without unreasonable effort or expense;
             [ ]   (b) The subject report will be filed on or before the fifth calendar day; and
             [ ]   (c) The accountant's statement has been attached if applicable.

        PART III -- NARRATIVE

        The Company needs more time to finish its review.

        PART IV -- OTHER INFORMATION

        (1)  Name and telephone number of person to contact in regard to this notification
             JANE ROE                (217)          555-0100
        (2)  Have all other periodic reports been filed?    \(periodic)
        """
    }

    @Test(arguments: ["[X]", "[x]", "|X|", "(X)", "☒"])
    func checkBoxes(mark: String) throws {
        let doc = try document(Self.form(checkbox: mark))
        #expect(doc.type == "NT 10-Q")
        #expect(doc.kind == .lateFilingNotice)
        let late = try #require(doc.lateFiling)
        #expect(late.forms == ["10-Q"])
        #expect(late.periodEnded == "2004-06-30")
        #expect(late.registrantName == "ACME WIDGETS, INC.")
        #expect(late.rule12b25b == Rule12b25b(a: true, b: false, c: false))
        #expect(late.narrative == "The Company needs more time to finish its review.")
        #expect(late.contact == LateFilingContact(name: "JANE ROE", areaCode: "217", phone: "555-0100"))
        #expect(late.otherReportsFiled)
    }

    @Test func marksAfterLabels() throws {
        let doc = try document(Self.form(checkbox: "[X]", periodic: "Yes ☐ No ☒"))
        #expect(doc.lateFiling?.otherReportsFiled == false)
    }
}
