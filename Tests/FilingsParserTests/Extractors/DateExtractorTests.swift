import FilingsCore
import FilingsParser
import Testing

/// Dates (`DateExtractor`).
@Suite struct DateExtractorTests {
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

    /// A date broken over two lines of one paragraph ("May 31,<br>2012") is one date; over two paragraphs it is not.
    @Test func aDateOverTwoLinesOfAParagraph() throws {
        let doc = try document("<html><body><p>Filed on May 31,<br>2012 and on June<br>4, 2013.</p></body></html>")
        #expect(doc.dates.map(\.date) == ["2012-05-31", "2013-06-04"])
        let apart = try document("<html><body><p>Filed on May 31,</p><p>2012 was a year.</p></body></html>")
        #expect(apart.dates.isEmpty)
    }
}
