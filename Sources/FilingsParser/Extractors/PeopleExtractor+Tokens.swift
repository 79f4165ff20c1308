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
        /// Whether the word can be part of a name (``PeopleExtractor/isNameWord(_:_:)``), read once per token.
        var nameWord: Bool
        /// Whether the word is a speech verb in any case ("said", "Said", "SAID"), read once per token.
        var speechVerb: Bool

        init(range: Range<Int>, word: String, trailing: String, leadingQuote: Bool, nameWord: Bool, speechVerb: Bool) {
            self.range = range
            self.word = word
            self.trailing = trailing
            self.leadingQuote = leadingQuote
            self.nameWord = nameWord
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
                        || PeopleExtractor.dottedForms.contains(bytes, lo..<hi)
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
                    nameWord: isNameWord(bytes, lo..<hi),
                    speechVerb: isSpeechVerb(bytes, lo..<hi)
                        || ASCII.isLower(bytes[lo]) && hi - lo >= 6 && opensQuote(bytes, end)
                            && quotingVerbs.contains(bytes, lo..<hi)
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
        if range.count == 1 {
            // Most tokens end in one mark: a literal, not a new string.
            switch bytes[range.lowerBound] {
            case ASCII.comma: return ","
            case ASCII.period: return "."
            case ASCII.semicolon: return ";"
            case ASCII.colon: return ":"
            case ASCII.closeParen: return ")"
            case ASCII.quote: return "\""
            default: break
            }
        }
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
    static let dottedForms = WordSet(
        (honorificWords + suffixWords).filter { $0.hasSuffix(".") },
        ignoringCase: false
    )

    /// "said", "Said", "SAID", … at `range` of `bytes`.
    static func isSpeechVerb(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        speechVerbs.contains(bytes, range)
    }

    static func isNameWord(_ token: Token) -> Bool { token.nameWord }

    /// Whether the word at `range` of `bytes` can be part of a name: capitalised, letters, periods, apostrophes and
    /// hyphens, not a word that never names a person. A string is made only of a word with letters beyond ASCII.
    static func isNameWord(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard !range.isEmpty, ASCII.isUpper(bytes[range.lowerBound]), range.count <= 24,
            !notNames.contains(bytes, range)
        else { return false }
        for i in range {
            let b = bytes[i]
            if b >= 0x80 { return isNameWordBeyondASCII(String(decoding: bytes[range], as: UTF8.self)) }
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

    static func isInitial(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        return bytes.count >= 2 && bytes.last == ASCII.period && bytes.filter { $0 != ASCII.period }.count <= 3
            && bytes.filter { $0 == ASCII.period }.count >= 1
            && bytes.allSatisfy { ASCII.isUpper($0) || $0 == ASCII.period }
    }
}
