import FilingsCore
import FilingsParser
import Testing

/// A press release's contacts (`ContactExtractor`).
@Suite struct ContactExtractorTests {
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
}

/// Contacts in a text layer behind page images, where the columns of a row run into one line.
@Suite struct LayerContactTests {
    /// A release whose layer holds `contacts` (runs of two spaces are the printed line breaks).
    private func layerRelease(_ contacts: String) throws -> Document {
        let layer = [
            contacts,
            "ACME COMPLETES ACQUISITION OF WIDGETCO",
            "PITTSBURGH, June 1, 2021 - Acme Widgets, Inc. (NYSE: ACME) today  announced the completion of",
            "its acquisition of WidgetCo, Inc.",
        ].joined(separator: "  ")
        return try document(
            """
            <html><body><div><img src="page1.jpg">
            <div><font size="1" style="font-size:1pt;color:white">\(layer)</font></div></div></body></html>
            """
        )
    }

    @Test func columnsArePairedInOrderWhenEveryPartCounts() throws {
        let doc = try layerRelease(
            "CONTACTS  MEDIA:  INVESTOR RELATIONS:  Ann Poe Bob Lin  (412) 555-0100 (412) 555-0101 "
                + "media@acme.example ir@acme.example"
        )
        #expect(doc.kind == .pressRelease)
        #expect(
            doc.contacts.map { [$0.role, $0.name, $0.phone, $0.email] } == [
                ["MEDIA", "Ann Poe", "(412) 555-0100", "media@acme.example"],
                ["INVESTOR RELATIONS", "Bob Lin", "(412) 555-0101", "ir@acme.example"],
            ]
        )
        #expect(Set(doc.people.map(\.name)).isSuperset(of: ["Ann Poe", "Bob Lin"]))
    }

    @Test func rolesOnOneLineAndNoNumbers() throws {
        let doc = try layerRelease("Contacts: Media: Investors:  Ann Poe Bob Lin  media@acme.example ir@acme.example")
        #expect(doc.contacts.map(\.name) == ["Ann Poe", "Bob Lin"])
        #expect(doc.contacts.map(\.phone) == ["", ""])
        #expect(doc.contacts.map(\.role) == ["Media", "Investors"])
    }

    /// Nothing is read where a part cannot be told apart or paired with its column.
    @Test(arguments: [
        // A name of three words: where the first name ends is not known.
        "CONTACTS  MEDIA:  INVESTORS:  Ann Marie Poe Bob Lin  (412) 555-0100 (412) 555-0101",
        // One number for two columns.
        "CONTACTS  MEDIA:  INVESTORS:  Ann Poe Bob Lin  (412) 555-0100 media@acme.example",
        // Neither numbers nor addresses.
        "CONTACTS  MEDIA:  INVESTORS:  Ann Poe Bob Lin",
        // One role.
        "CONTACTS  MEDIA:  Ann Poe  (412) 555-0100",
        // Not names.
        "CONTACTS  MEDIA:  INVESTORS:  Acme Inc. Widget Corp.  (412) 555-0100 (412) 555-0101",
    ])
    func nothingWhereColumnsCannotBePaired(contacts: String) throws {
        #expect(try layerRelease(contacts).contacts.isEmpty)
    }
}
