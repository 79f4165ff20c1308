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
}
