import FilingsCore
import FilingsParser
import Testing

/// Web addresses and the forward-looking caution (`URLExtractor`, `Classifier`).
@Suite struct URLExtractorTests {
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

    /// A bare domain of two labels is an address where the text sends the reader to it, however it is capitalised;
    /// elsewhere it is more often a name ("Amazon.com is a customer").
    @Test func aBareDomainWhereTheTextSendsTheReaderToIt() throws {
        let doc = try document(
            pressRelease(
                """
                For more information, visit AcmeWidgets.com. Its filings can be found at acme.net; Gears.com is a
                customer, and the plan is at Gears.com headquarters. Go to ir.gears.com for details.
                """
            )
        )
        #expect(doc.urls == ["AcmeWidgets.com", "acme.net", "ir.gears.com"])
    }
}
