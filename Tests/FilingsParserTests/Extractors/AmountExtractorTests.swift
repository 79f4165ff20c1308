import FilingsCore
import FilingsParser
import Testing

/// Money and percentages (`AmountExtractor`).
@Suite struct AmountExtractorTests {
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
