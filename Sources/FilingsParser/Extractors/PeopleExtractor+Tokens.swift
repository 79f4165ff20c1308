internal import FilingsCore

// The words of a paragraph as the people extractor reads them: tokens with their trailing punctuation.
extension PeopleExtractor {
    /// A word of the text: where it and its trailing punctuation are, and what is read of it once. It holds no
    /// strings: ``Tokens`` spells a word only when a rule needs its text.
    struct Token {
        // Offsets as 32 bits and the flags in one byte: a token is 16 bytes, and a long document's paragraphs are
        // read as tens of thousands of them.
        private let lower: Int32
        private let upper: Int32
        private let trailing: Int32
        private let flags: UInt8

        private static let leadingQuoteFlag: UInt8 = 1
        private static let curlyQuoteFlag: UInt8 = 2
        private static let nameWordFlag: UInt8 = 4
        private static let speechVerbFlag: UInt8 = 8

        init(
            range: Range<Int>,
            trailingEnd: Int,
            leadingQuote: Bool,
            curlyQuote: Bool,
            nameWord: Bool,
            speechVerb: Bool
        ) {
            // The parser refuses inputs over 1 GiB (`EDGARParser.parse`), which keeps every offset below 2^31.
            lower = Int32(range.lowerBound)
            upper = Int32(range.upperBound)
            trailing = Int32(trailingEnd)
            flags =
                (leadingQuote ? Token.leadingQuoteFlag : 0) | (curlyQuote ? Token.curlyQuoteFlag : 0)
                | (nameWord ? Token.nameWordFlag : 0) | (speechVerb ? Token.speechVerbFlag : 0)
        }

        /// The word, without leading quotes and trailing punctuation.
        var range: Range<Int> { Int(lower)..<Int(upper) }
        /// Where the punctuation that followed the word inside the token ends: it runs from `range.upperBound` to
        /// here ("," "." "," + quote, …).
        var trailingEnd: Int { Int(trailing) }
        /// Whether a quote opened the token.
        var leadingQuote: Bool { flags & Token.leadingQuoteFlag != 0 }
        /// Whether the trailing punctuation holds a closing curly quote (”, ’), which the grammar reads as `"`.
        var curlyQuote: Bool { flags & Token.curlyQuoteFlag != 0 }
        /// Whether the word can be part of a name (``PeopleExtractor/isNameWord(_:notNames:)``).
        var nameWord: Bool { flags & Token.nameWordFlag != 0 }
        /// Whether the word is a speech verb in any case ("said", "Said", "SAID").
        var speechVerb: Bool { flags & Token.speechVerbFlag != 0 }

        /// Whether nothing followed the word inside the token.
        var hasNoTrailing: Bool { trailing == upper }
    }

    /// The tokens of one paragraph over the text's bytes.
    struct Tokens {
        let bytes: [UInt8]
        private let items: [Token]

        init(_ bytes: [UInt8], _ items: [Token]) {
            self.bytes = bytes
            self.items = items
        }

        var count: Int { items.count }
        var indices: Range<Int> { items.indices }
        subscript(_ k: Int) -> Token { items[k] }

        /// The word of token `k` as a string.
        func word(_ k: Int) -> String { String(decoding: bytes[items[k].range], as: UTF8.self) }

        /// The words of the tokens in `range`, one space apart.
        func phrase(_ range: Range<Int>) -> String { range.map(word).joined(separator: " ") }

        /// Whether the word of token `k` is in `set`.
        func word(_ k: Int, in set: WordSet) -> Bool { set.contains(bytes, items[k].range) }

        /// Whether the word of token `k` is `word`; with `ignoringCase`, in any ASCII case (`word` in lower case).
        func word(_ k: Int, is word: StaticString, ignoringCase: Bool = false) -> Bool {
            let range = items[k].range
            guard range.count == word.utf8CodeUnitCount else { return false }
            return ignoringCase
                ? bytes.matchesIgnoringCase(word, at: range.lowerBound) : bytes.matches(word, at: range.lowerBound)
        }

        /// Whether the word of token `k` is the UTF-8 of `word`.
        func word(_ k: Int, equals word: [UInt8]) -> Bool { bytes[items[k].range].elementsEqual(word) }

        /// Whether the word of token `k` is an acronym of three letters or more ("KPMG"), which names a firm.
        func isAcronym(_ k: Int) -> Bool {
            let range = items[k].range
            return range.count >= 3 && bytes[range].allSatisfy(ASCII.isUpper)
        }

        /// The first byte of the word of token `k`.
        func firstByte(_ k: Int) -> UInt8 { bytes[items[k].range.lowerBound] }

        /// The length of the word of token `k` in bytes.
        func byteCount(_ k: Int) -> Int { items[k].range.count }

        /// Whether the trailing punctuation of token `k` starts with `mark` (an ASCII byte other than `"`).
        func trailing(_ k: Int, startsWith mark: UInt8) -> Bool {
            !items[k].hasNoTrailing && bytes[items[k].range.upperBound] == mark
        }

        /// Whether the trailing punctuation of token `k` is just `mark` (an ASCII byte other than `"`).
        func trailing(_ k: Int, is mark: UInt8) -> Bool {
            items[k].trailingEnd == items[k].range.upperBound + 1 && bytes[items[k].range.upperBound] == mark
        }
    }

    /// The tokens of the paragraph at `range` of `bytes`.
    static func tokenize(_ bytes: [UInt8], _ range: Range<Int>) -> Tokens {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "range outside the bytes")
        // The word sets, read once per paragraph rather than once per token (each read of a static checks that it
        // is initialised).
        let notNames = notNames
        let speechVerbs = speechVerbs
        let quotingVerbs = quotingVerbs
        let dottedForms = dottedForms
        var tokens: [Token] = []
        // About one token in six bytes of prose: one allocation for most paragraphs.
        tokens.reserveCapacity(range.count / 6 + 4)
        bytes.withUnsafeBufferPointer { p in
            let limit = range.upperBound
            var i = range.lowerBound
            while i < limit {
                while i < limit, ASCII.isWhitespace(p[i]) { i += 1 }
                let start = i
                i = ASCII.nextWhitespace(UnsafeRawBufferPointer(p), from: i, before: limit)
                guard i > start else { break }
                var lo = start
                var hi = i
                var leadingQuote = false
                // Leading quotes and parentheses.
                while lo < hi {
                    if p[lo] == ASCII.quote || p[lo] == ASCII.openParen {
                        leadingQuote = leadingQuote || p[lo] == ASCII.quote
                        lo += 1
                    } else if p[lo] == 0xE2, lo + 2 < hi, p[lo + 1] == 0x80, p[lo + 2] == 0x9C || p[lo + 2] == 0x98 {
                        leadingQuote = true
                        lo += 3
                    } else if p[lo] == 0xE2, lo + 2 < hi, p[lo + 1] == 0x80, p[lo + 2] == 0xA2 {
                        // A bullet run into its line's first word: "•Philip Maritz notifies …".
                        lo += 3
                    } else {
                        break
                    }
                }
                // Trailing punctuation: , . ; : ) " ” ’ — but a final period of an initial or abbreviation stays.
                let end = hi
                var curlyQuote = false
                while hi > lo {
                    let b = p[hi - 1]
                    if b == ASCII.comma || b == ASCII.semicolon || b == ASCII.colon || b == ASCII.closeParen
                        || b == ASCII.quote
                        || b == 0x21 || b == 0x3F
                    {
                        hi -= 1
                    } else if b == 0x9D || b == 0x99, hi - 3 >= lo, p[hi - 3] == 0xE2, p[hi - 2] == 0x80 {
                        curlyQuote = true
                        hi -= 3
                    } else if b == ASCII.period {
                        // Keep the period of initials and abbreviations ("J.", "Inc.", "Ph.D."); drop a sentence end.
                        let keeps =
                            hi - 1 - lo <= 1 || UnsafeBufferPointer(rebasing: p[lo..<(hi - 1)]).contains(ASCII.period)
                            || dottedForms.contains(UnsafeBufferPointer(rebasing: p[lo..<hi]))
                        if keeps { break }
                        hi -= 1
                    } else {
                        break
                    }
                }
                guard hi > lo else { continue }
                let word = UnsafeBufferPointer(rebasing: p[lo..<hi])
                tokens.append(
                    Token(
                        range: lo..<hi,
                        trailingEnd: end,
                        leadingQuote: leadingQuote,
                        curlyQuote: curlyQuote,
                        nameWord: isNameWord(word, notNames: notNames),
                        speechVerb: speechVerbs.contains(word)
                            || ASCII.isLower(p[lo]) && hi - lo >= 6 && opensQuote(bytes, end)
                                && quotingVerbs.contains(word)
                    )
                )
            }
        }
        return Tokens(bytes, tokens)
    }

    /// Whether a quotation opens at `i`, after spaces: `"` or “.
    private static func opensQuote(_ bytes: [UInt8], _ i: Int) -> Bool {
        var i = i
        while i < bytes.count, ASCII.isWhitespace(bytes[i]) { i += 1 }
        return bytes.opensQuotation(at: i)
    }

    /// The honorifics and suffixes whose final period belongs to them ("Mr.", "Jr.", "Esq."): the words with a
    /// period inside ("Ph.D.") keep theirs anyway.
    static let dottedForms = WordSet(
        (honorificWords + suffixWords).filter { $0.hasSuffix(".") },
        ignoringCase: false
    )

    /// Whether `word` can be part of a name: capitalised, letters, periods, apostrophes and hyphens, not a word
    /// that never names a person. A string is made only of a word with letters beyond ASCII.
    static func isNameWord(_ word: UnsafeBufferPointer<UInt8>, notNames: WordSet) -> Bool {
        guard let first = word.first, ASCII.isUpper(first), word.count <= 24, !notNames.contains(word) else {
            return false
        }
        for b in word {
            if b >= 0x80 { return isNameWordBeyondASCII(String(decoding: word, as: UTF8.self)) }
            guard ASCII.isLetter(b) || b == ASCII.period || b == 0x27 || b == 0x2D else { return false }
        }
        return true
    }

    private static func isNameWordBeyondASCII(_ w: String) -> Bool {
        guard !notNames.contains(w) else { return false }
        // Letters, periods (initials), apostrophes and hyphens only; Unicode's letters beyond ASCII.
        for scalar in w.unicodeScalars {
            if scalar.isASCII {
                let b = UInt8(scalar.value)
                guard ASCII.isLetter(b) || b == ASCII.period || b == 0x27 || b == 0x2D else { return false }
            } else if !(scalar.properties.isAlphabetic || scalar == "’") {
                return false
            }
        }
        return true
    }

    /// Whether `bytes` are initials: capitals and periods ending with a period, at most three capitals ("J.",
    /// "J.R.").
    static func isInitial(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 2 && bytes.last == ASCII.period && bytes.count(where: { $0 != ASCII.period }) <= 3
            && bytes.allSatisfy { ASCII.isUpper($0) || $0 == ASCII.period }
    }
}
