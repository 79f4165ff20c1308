import FilingsCore
import FilingsTestSupport
import Foundation
import Testing

@testable import FilingsParser

/// The people extractor skips a paragraph without a trigger word (`PeopleExtractor.mayNamePeople`): that must
/// never lose a person or a quote.
@Suite struct PeopleTriggerWordsTests {
    @Test func aParagraphWithATriggerWordInAnyCaseOrPunctuationIsRead() {
        for text in [
            "“We are pleased,” SAID Jane Roe.", "Jane Roe, Chief Financial Officer, joined.", "(Treasurer) Bob Lin",
            "the appointment of Jane Roe", "Jane Roe resigned.", "Jane Roe will step down", "•Director Jane Roe",
            "Jane Roe, co-founder", "“Growth,” Jane Roe explained.",
        ] {
            #expect(mayName(text), "\(text)")
        }
    }

    @Test func aParagraphWithoutOneIsSkipped() {
        for text in [
            "Revenue rose 5% to $10.2 million in the Third Quarter.", "Jane Roe and Bob Lin", "", "  \n ",
            "presidential saidx chiefs", "PRESIDENTIAL-ELECTION 2004",
        ] {
            #expect(!mayName(text), "\(text)")
        }
    }

    /// Every paragraph of the seeds (and of the dev corpus, when `../shared` is beside the repository), read with
    /// and without the test: the same people and quotes.
    @Test func skippingParagraphsChangesNothingOnRealDocuments() throws {
        var texts = try ["000_317536f23785ae8a.txt", "001_0a7d444e1954de15.txt", "002_655c329adbf5cb37.txt"].map {
            try fixture($0)
        }
        texts += try DevCorpus.files.map { Array(try Data(contentsOf: $0)) }
        var skipped = 0
        var people = 0
        for bytes in texts {
            let input = Input(bytes)
            let html = DocumentReader.looksLikeHTML(bytes, 0..<bytes.count)
            let raw = html ? HTMLText.render(input, 0..<bytes.count).text : PlainText.decode(input, 0..<bytes.count)
            let context = DocumentContext(input: input, layout: Layout(raw: raw, hardLines: html))
            var gated = PeopleExtractor(context: context)
            gated.extract()
            var everyParagraph = PeopleExtractor(context: context)
            for paragraph in context.layout.paragraphs {
                let tokens = PeopleExtractor.tokenize(context.text.bytes, paragraph)
                guard tokens.count >= 2 else { continue }
                everyParagraph.scanAttributions(tokens, paragraph)
                if !PeopleExtractor.mayNamePeople(context.text.bytes, paragraph) { skipped += 1 }
            }
            #expect(gated.people == everyParagraph.people)
            #expect(gated.quotes == everyParagraph.quotes)
            people += everyParagraph.people.count
        }
        #expect(skipped > 0 && people > 0)
    }

    private func mayName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return PeopleExtractor.mayNamePeople(bytes, 0..<bytes.count)
    }
}
