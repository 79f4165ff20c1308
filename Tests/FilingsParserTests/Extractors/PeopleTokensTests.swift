import Testing

@testable import FilingsParser

/// The people extractor's tokens are ranges over the text's bytes: what the rules read of them (words, trailing
/// punctuation, flags) must be what the text says.
@Suite struct PeopleTokensTests {
    @Test func wordsAreTheTextWithoutQuotesParenthesesAndTrailingPunctuation() {
        let tokens = tokenize("“Growth,” said (Jane Roe, Ph.D.), of KPMG. Dr. J. Smith: “Yes!”")
        #expect(
            tokens.indices.map(tokens.word)
                == ["Growth", "said", "Jane", "Roe", "Ph.D.", "of", "KPMG", "Dr.", "J.", "Smith", "Yes"]
        )
        #expect(tokens.phrase(2..<4) == "Jane Roe")
        #expect(tokens[0].leadingQuote && !tokens[2].leadingQuote && tokens[10].leadingQuote)
    }

    @Test func trailingPunctuationIsReadFromTheBytes() {
        let tokens = tokenize("Roe, Jane; Lin,” CEO said. Ph.D., KPMG")
        // "Roe," / "Jane;" / "Lin,”" / "CEO" / "said." / "Ph.D.," / "KPMG"
        #expect(tokens.trailing(0, is: ASCII.comma) && tokens.trailing(0, startsWith: ASCII.comma))
        #expect(!tokens.trailing(1, startsWith: ASCII.comma) && tokens.trailing(1, startsWith: ASCII.semicolon))
        // A comma before a closing curly quote starts the trailing punctuation but is not all of it.
        #expect(tokens.trailing(2, startsWith: ASCII.comma) && !tokens.trailing(2, is: ASCII.comma))
        #expect(tokens[2].curlyQuote && !tokens[0].curlyQuote)
        #expect(tokens[3].hasNoTrailing && !tokens[0].hasNoTrailing)
        // A sentence's period is trailing punctuation; the period of an abbreviation is part of the word.
        #expect(tokens.word(4) == "said" && tokens.trailing(4, is: ASCII.period))
        #expect(tokens.word(5) == "Ph.D." && tokens.trailing(5, is: ASCII.comma))
        #expect(tokens[6].hasNoTrailing)
    }

    @Test func wordsCompareByBytes() {
        let tokens = tokenize("Appoints the Dean of ACME as Chief, said Zoë")
        #expect(tokens.word(1, is: "the") && !tokens.word(1, is: "th") && !tokens.word(1, is: "The"))
        #expect(tokens.word(0, is: "appoints", ignoringCase: true) && !tokens.word(0, is: "appoints"))
        #expect(tokens.word(2, in: PeopleExtractor.titleWords) && tokens.word(6, in: PeopleExtractor.titleWords))
        #expect(!tokens.word(1, in: PeopleExtractor.titleWords))
        #expect(tokens.word(8, equals: Array("Zoë".utf8)) && !tokens.word(8, equals: Array("Zo".utf8)))
        #expect(tokens.isAcronym(4) && !tokens.isAcronym(2) && !tokens.isAcronym(5))
        #expect(tokens.firstByte(8) == UInt8(ascii: "Z") && tokens.byteCount(8) == 4)
        // "Dean" is a title word, but also a given name: it does not break a name.
        #expect(PeopleExtractor.breaksName(tokens, 0) && PeopleExtractor.breaksName(tokens, 6))
        #expect(!PeopleExtractor.breaksName(tokens, 2))
    }

    @Test func initialsAreCapitalsAndPeriods() {
        for initial in ["J.", "J.R.", "J.R.R.", "JR."] {
            #expect(PeopleExtractor.isInitial(ArraySlice(initial.utf8)), "\(initial)")
        }
        for word in ["J", "Jr.", "J.R.R.T.", "Inc.", ".", "j."] {
            #expect(!PeopleExtractor.isInitial(ArraySlice(word.utf8)), "\(word)")
        }
    }

    private func tokenize(_ text: String) -> PeopleExtractor.Tokens {
        let bytes = Array(text.utf8)
        return PeopleExtractor.tokenize(bytes, 0..<bytes.count)
    }

    /// A person's key is the name in lower case without the suffixes that end it, the same whichever way the
    /// name is written: one person, whether a block writes "Jane Roe, PhD" or the prose "JANE ROE".
    @Test func aPersonsKeyIsTheLowerCaseNameWithoutItsSuffixes() {
        let keys: [(String, String)] = [
            ("Jane Roe", "jane roe"), ("JANE ROE", "jane roe"), ("Jane Roe PhD", "jane roe"),
            ("John Smith Jr. CPA", "john smith"), ("Jane  Roe ", "jane roe"), (" Jane Roe", "jane roe"),
            ("Jane", "jane"), ("MD", ""), ("Anne-Marie O'Neil", "anne-marie o'neil"), ("Zoë Roe", "zoë roe"),
            ("Zoë Roe Sr.", "zoë roe"), ("Jr. Roe", "jr. roe"),
        ]
        for (name, key) in keys {
            #expect(PeopleExtractor.normalizedKey(name) == key, "\(name)")
        }
    }
}
