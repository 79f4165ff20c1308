import FilingsCore
import FilingsParser
import Testing

/// Listed securities in the prose and in a cover page's table (`SecurityExtractor`).
@Suite struct SecurityExtractorTests {
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
        // Family 5: names with commas and "and" inside; a defined term between the name and the listing.
        ("Sears, Roebuck and Co. (NYSE: S) said", "NYSE", "S", "Sears, Roebuck and Co."),
        (
            "WALLACE, ID / ACCESSWIRE / Apex Copper and Gold Corp. (OTCID: APXG) said", "OTCID", "APXG",
            "Apex Copper and Gold Corp."
        ),
        (
            "Lulu\u{2019}s Fashion Holdings, Inc. (\u{201C}Lulus\u{201D} or the \u{201C}Company\u{201D}) (Nasdaq: LVLU) said",
            "Nasdaq", "LVLU", "Lulu\u{2019}s Fashion Holdings, Inc."
        ),
        ("Acme Widgets, Inc. (\"Acme\") (NYSE: ACME) said", "NYSE", "ACME", "Acme Widgets, Inc."),
        // "and" between two companies joins no name.
        ("a merger of Beta Inc. and Gamma Holdings Corp. (NYSE: GHC) said", "NYSE", "GHC", "Gamma Holdings Corp."),
        ("Beta, Delta, and Gamma Corp. (NYSE: GC) said", "NYSE", "GC", "Gamma Corp."),
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
