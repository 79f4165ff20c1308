import FilingsCore
import FilingsParser
import Testing

/// People, titles and quotes in the prose (`PeopleExtractor`).
@Suite struct PeopleExtractorTests {
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

    /// Capitalised words after a speech verb that run on past a name ("announced Community Benefits Plan") name a
    /// plan, a program or a place, not a speaker; a name that ends there, or before a title, is one.
    @Test func capitalisedWordsRunningOnPastANameAreNotASpeaker() throws {
        let doc = try document(
            pressRelease(
                """
                     "We are proud," said Jane Roe. The commitment is outlined in its previously announced
                Community Benefits Plan developed with the acquisition, and Acme announced Harbor Point Tower
                Renewal Project funding.

                     "It was a good year," said Tom Reddin Chief Financial Officer of Acme.
                """
            )
        )
        #expect(Set(doc.people.map(\.name)) == ["Jane Roe", "Tom Reddin"])
        #expect(Set(doc.quotes.map(\.speaker)) == ["Jane Roe", "Tom Reddin"])
    }

    /// A title written in lower case goes on past its commas as one in capitals does, and ends at the first word
    /// that is not a title's.
    @Test func aTitleInLowerCaseGoesOnPastItsCommas() throws {
        let doc = try document(
            pressRelease(
                """
                     "We are pleased," said Jane Roe, Acme's chairman, president and chief executive officer.

                     "Customers agree," said Bob Lin, chief financial officer, who joined in 2001.
                """
            )
        )
        #expect(doc.people.first { $0.name == "Jane Roe" }?.title == "chairman, president and chief executive officer")
        #expect(doc.people.first { $0.name == "Bob Lin" }?.title == "chief financial officer")
    }

    /// "X, title, reports, “…”" and other verbs of speech than "said"; a title that ends a list with ", and".
    @Test func speakersWhoReportExplainOrShare() throws {
        let doc = try document(
            pressRelease(
                """
                     Mary Poe, the Company\u{2019}s President, CEO, and Chairman, reports, \u{201C}We grew in
                every quarter.\u{201D}

                     \u{201C}Margins held,\u{201D} explains Tom Lin, Chief Financial Officer.

                     Ann Roe shared, \u{201C}Our customers stayed with us.\u{201D}
                """
            )
        )
        #expect(doc.quotes.map(\.speaker) == ["Mary Poe", "Tom Lin", "Ann Roe"])
        #expect(doc.people.first { $0.name == "Mary Poe" }?.title == "President, CEO, and Chairman")
        // "reported" that introduces no quotation introduces no one.
        let report = try document(pressRelease("All Reports Book All. Registration Statement reported results."))
        #expect(report.people.isEmpty)
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
}
