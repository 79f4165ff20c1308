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

        init(range: Range<Int>, word: String, trailing: String, leadingQuote: Bool) {
            self.range = range
            self.word = word
            self.trailing = trailing
            self.leadingQuote = leadingQuote
            self.nameWord = PeopleExtractor.isNameWord(word)
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
            var trailing = [UInt8]()
            while hi > lo {
                let b = bytes[hi - 1]
                if b == ASCII.comma || b == ASCII.semicolon || b == ASCII.colon || b == ASCII.closeParen
                    || b == ASCII.quote
                    || b == 0x21 || b == 0x3F
                {
                    trailing.insert(b, at: 0)
                    hi -= 1
                } else if b == 0x9D || b == 0x99, hi - 3 >= lo, bytes[hi - 3] == 0xE2, bytes[hi - 2] == 0x80 {
                    trailing.insert(ASCII.quote, at: 0)
                    hi -= 3
                } else if b == ASCII.period {
                    // Keep the period of initials and abbreviations ("J.", "Inc.", "Ph.D."); drop a sentence end.
                    let word = bytes[lo..<(hi - 1)]
                    let keeps =
                        word.count <= 1 || word.contains(ASCII.period)
                        || PeopleExtractor.honorifics.contains(String(decoding: bytes[lo..<hi], as: UTF8.self))
                        || PeopleExtractor.suffixes.contains(String(decoding: bytes[lo..<hi], as: UTF8.self))
                    if keeps { break }
                    trailing.insert(b, at: 0)
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
                    trailing: String(decoding: trailing, as: UTF8.self),
                    leadingQuote: leadingQuote
                )
            )
        }
        return tokens
    }

    /// "said", "Said", "SAID", … (the speech verbs are 4 to 10 letters long).
    static func isSpeechVerb(_ word: String) -> Bool {
        (4...10).contains(word.utf8.count) && speechVerbs.contains(word.lowercased())
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
