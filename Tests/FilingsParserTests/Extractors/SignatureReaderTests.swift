import FilingsCore
import FilingsParser
import Testing

/// Signature blocks and their signers (`SignatureReader`).
@Suite struct SignatureReaderTests {
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
