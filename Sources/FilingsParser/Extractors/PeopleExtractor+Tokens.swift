internal import FilingsCore

// The words of a paragraph as the people extractor reads them: tokens with their trailing punctuation.
extension PeopleExtractor {
    /// A word of the text: its range and its bytes without trailing punctuation.
    struct Token {
        var range: Range<Int>
        var word: String
        /// The punctuation that followed the word inside the token ("," "." "," + quote, …).
        var trailing: String
        var leadingQuote: Bool
        /// Whether the word can be part of a name (``PeopleExtractor/isNameWord(_:)``), read once per token.
        var nameWord: Bool
        /// Whether the word is a speech verb in any case ("said", "Said", "SAID"), read once per token.
        var speechVerb: Bool

        init(range: Range<Int>, word: String, trailing: String, leadingQuote: Bool, speechVerb: Bool) {
            self.range = range
            self.word = word
            self.trailing = trailing
            self.leadingQuote = leadingQuote
            self.nameWord = PeopleExtractor.isNameWord(word)
            self.speechVerb = speechVerb
        }
    }

    static func tokenize(_ bytes: [UInt8], _ range: Range<Int>) -> [Token] {
        var tokens: [Token] = []
        var i = range.lowerBound
        while i < range.upperBound {
            while i < range.upperBound, ASCII.isWhitespace(bytes[i]) { i += 1 }
            let start = i
            while i < range.upperBound, !ASCII.isWhitespace(bytes[i]) { i += 1 }
            guard i > start else { break }
            var lo = start
            var hi = i
            var leadingQuote = false
            // Leading quotes and parentheses.
            while lo < hi {
                if bytes[lo] == ASCII.quote || bytes[lo] == ASCII.openParen {
                    leadingQuote = leadingQuote || bytes[lo] == ASCII.quote
                    lo += 1
                } else if bytes[lo] == 0xE2, lo + 2 < hi, bytes[lo + 1] == 0x80,
                    bytes[lo + 2] == 0x9C || bytes[lo + 2] == 0x98
                {
                    leadingQuote = true
                    lo += 3
                } else if bytes[lo] == 0xE2, lo + 2 < hi, bytes[lo + 1] == 0x80, bytes[lo + 2] == 0xA2 {
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
                let b = bytes[hi - 1]
                if b == ASCII.comma || b == ASCII.semicolon || b == ASCII.colon || b == ASCII.closeParen
                    || b == ASCII.quote
                    || b == 0x21 || b == 0x3F
                {
                    hi -= 1
                } else if b == 0x9D || b == 0x99, hi - 3 >= lo, bytes[hi - 3] == 0xE2, bytes[hi - 2] == 0x80 {
                    curlyQuote = true
                    hi -= 3
                } else if b == ASCII.period {
                    // Keep the period of initials and abbreviations ("J.", "Inc.", "Ph.D."); drop a sentence end.
                    let word = bytes[lo..<(hi - 1)]
                    let keeps =
                        word.count <= 1 || word.contains(ASCII.period)
                        || hi - lo <= PeopleExtractor.longestDottedForm
                            && PeopleExtractor.dottedForms.contains(String(decoding: bytes[lo..<hi], as: UTF8.self))
                    if keeps { break }
                    hi -= 1
                } else {
                    break
                }
            }
            guard hi > lo else { continue }
            tokens.append(
                Token(
                    range: lo..<hi,
                    word: String(decoding: bytes[lo..<hi], as: UTF8.self),
                    trailing: trailing(bytes, hi..<end, curlyQuote: curlyQuote),
                    leadingQuote: leadingQuote,
                    speechVerb: isSpeechVerb(bytes, lo..<hi)
                        || ASCII.isLower(bytes[lo]) && hi - lo >= 6 && opensQuote(bytes, end)
                            && quotingVerbs.contains(String(decoding: bytes[lo..<hi], as: UTF8.self))
                )
            )
        }
        return tokens
    }

    /// Whether a quotation opens at `i`, after spaces: `"` or “.
    private static func opensQuote(_ bytes: [UInt8], _ i: Int) -> Bool {
        var i = i
        while i < bytes.count, ASCII.isWhitespace(bytes[i]) { i += 1 }
        return bytes.opensQuotation(at: i)
    }

    /// A token's trailing punctuation as the grammar reads it: a closing curly quote (”, ’) as `"`.
    private static func trailing(_ bytes: [UInt8], _ range: Range<Int>, curlyQuote: Bool) -> String {
        if range.isEmpty { return "" }
        guard curlyQuote else { return String(decoding: bytes[range], as: UTF8.self) }
        var ascii: [UInt8] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if bytes[i] == 0xE2 {
                ascii.append(ASCII.quote)
                i += 3
            } else {
                ascii.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: ascii, as: UTF8.self)
    }

    /// The honorifics and suffixes whose final period belongs to them ("Mr.", "Jr.", "Esq."): the words with a
    /// period inside ("Ph.D.") keep theirs anyway.
    static let dottedForms: Set<String> = honorifics.union(suffixes).filter { $0.hasSuffix(".") }
    /// The longest of ``dottedForms`` in bytes: a longer word ending in a period is a sentence's end.
    static let longestDottedForm = dottedForms.map(\.utf8.count).max() ?? 0

    /// The speech verbs as bytes, for a comparison without a lower-cased copy of every word.
    private static let speechVerbBytes: [[UInt8]] = speechVerbs.map { Array($0.utf8) }.sorted {
        $0.lexicographicallyPrecedes($1)
    }

    /// "said", "Said", "SAID", … at `range` of `bytes`.
    static func isSpeechVerb(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let n = range.count
        guard n >= 4, n <= 10 else { return false }
        let first = bytes[range.lowerBound] | 0x20
        verbs: for verb in speechVerbBytes where verb.count == n && verb[0] == first {
            for offset in 1..<n where bytes[range.lowerBound + offset] | 0x20 != verb[offset] { continue verbs }
            return true
        }
        return false
    }

    static func isNameWord(_ token: Token) -> Bool { token.nameWord }

    /// Whether `w` can be part of a name: capitalised, letters, periods, apostrophes and hyphens, not a word that
    /// never names a person.
    static func isNameWord(_ w: String) -> Bool {
        guard let first = w.utf8.first, ASCII.isUpper(first), w.utf8.count <= 24 else { return false }
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

    static func isInitial(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        return bytes.count >= 2 && bytes.last == ASCII.period && bytes.filter { $0 != ASCII.period }.count <= 3
            && bytes.filter { $0 == ASCII.period }.count >= 1
            && bytes.allSatisfy { ASCII.isUpper($0) || $0 == ASCII.period }
    }
}
