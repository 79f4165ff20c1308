/// A full-text search, parsed from what a user typed.
///
/// The grammar: words, `"quoted phrases"`, `prefix*`, `OR` between two terms, and `-term` to exclude. Terms next
/// to each other must all match. Punctuation inside words is dropped as the index drops it (`AT&T` is the phrase
/// `at t`). Anything else is refused with a ``StoreError`` of code ``StoreError/Code/invalidQuery`` that says why;
/// no input reaches the database as syntax.
///
/// ```swift
/// let search = try SearchQuery(parsing: #"merger "definitive agreement" -terminated acqui*"#)
/// ```
public struct SearchQuery: Sendable, Hashable {
    /// One term: a word (perhaps a prefix) or a phrase, each a list of index tokens.
    public struct Term: Sendable, Hashable {
        /// The lowercased tokens, in order: one for a word, several for a phrase or a word with inner punctuation.
        public var tokens: [String]
        /// The last token matches any word it begins.
        public var isPrefix: Bool
    }

    /// Terms that must all match; each inner array is a set of alternatives joined by `OR`.
    public var required: [[Term]]
    /// Terms that must not match.
    public var excluded: [Term]

    /// The longest search text accepted, in UTF-8 bytes.
    public static let maximumLength = 2048
    /// The most terms accepted.
    public static let maximumTerms = 64

    /// Parses `text`.
    ///
    /// - Throws: ``StoreError`` (INVALID_ARGUMENT) that names the problem and its position.
    public init(parsing text: String) throws(StoreError) {
        func invalid(_ message: String) -> StoreError {
            StoreError(code: .invalidQuery, message: "search text: \(message)")
        }
        guard text.utf8.count <= Self.maximumLength else {
            throw invalid("\(text.utf8.count) bytes is longer than the limit of \(Self.maximumLength)")
        }
        if let control = text.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" }) {
            throw invalid(
                "contains the control character U+\(String(control.value, radix: 16, uppercase: true).leftPadded(to: 4))"
            )
        }

        enum Lexeme {
            case term(Term, excluded: Bool, column: Int)
            case or(column: Int)
        }
        var lexemes: [Lexeme] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                index += 1
                continue
            }
            let column = index + 1
            var excluded = false
            if scalar == "-", index + 1 < scalars.count, !scalars[index + 1].properties.isWhitespace {
                excluded = true
                index += 1
            }
            if scalars[index] == "\"" {
                guard let close = scalars[(index + 1)...].firstIndex(of: "\"") else {
                    throw invalid("the quote at column \(index + 1) is not closed")
                }
                let inner = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                index = close + 1
                var isPrefix = false
                if index < scalars.count, scalars[index] == "*" {
                    isPrefix = true
                    index += 1
                }
                let tokens = Self.tokens(of: inner)
                guard !tokens.isEmpty else {
                    throw invalid("the phrase at column \(column) has no words")
                }
                lexemes.append(.term(Term(tokens: tokens, isPrefix: isPrefix), excluded: excluded, column: column))
                continue
            }
            var end = index
            while end < scalars.count, !scalars[end].properties.isWhitespace, scalars[end] != "\"" {
                end += 1
            }
            var word = String(String.UnicodeScalarView(scalars[index..<end]))
            index = end
            if word == "OR", !excluded {
                lexemes.append(.or(column: column))
                continue
            }
            if word == "AND", !excluded { continue }
            var isPrefix = false
            if word.hasSuffix("*") {
                word.removeLast()
                isPrefix = true
                guard !word.contains("*") else {
                    throw invalid("'*' at column \(column) may only end a word")
                }
            }
            let tokens = Self.tokens(of: word)
            if tokens.isEmpty {
                if isPrefix { throw invalid("'*' at column \(column) must follow the beginning of a word") }
                continue  // Punctuation alone: the index holds no such token, so it cannot narrow a search.
            }
            lexemes.append(.term(Term(tokens: tokens, isPrefix: isPrefix), excluded: excluded, column: column))
        }

        var required: [[Term]] = []
        var excludedTerms: [Term] = []
        var joinNext = false
        var lastWasRequiredTerm = false
        for lexeme in lexemes {
            switch lexeme {
            case .or(let column):
                guard lastWasRequiredTerm, !joinNext else {
                    throw invalid("OR at column \(column) needs a term on each side")
                }
                joinNext = true
            case .term(let term, let excluded, let column):
                if excluded {
                    guard !joinNext else { throw invalid("OR at column \(column) cannot join an excluded term") }
                    excludedTerms.append(term)
                    lastWasRequiredTerm = false
                } else if joinNext {
                    required[required.count - 1].append(term)
                    joinNext = false
                    lastWasRequiredTerm = true
                } else {
                    required.append([term])
                    lastWasRequiredTerm = true
                }
            }
        }
        if joinNext { throw invalid("OR at the end needs a term after it") }
        guard !required.isEmpty else {
            throw invalid(
                excludedTerms.isEmpty
                    ? "there are no words to search for" : "a search needs at least one word that is not excluded"
            )
        }
        let count = required.reduce(0) { $0 + $1.count } + excludedTerms.count
        guard count <= Self.maximumTerms else {
            throw invalid("\(count) terms is more than the limit of \(Self.maximumTerms)")
        }
        self.required = required
        self.excluded = excludedTerms
    }

    /// Splits `text` into index tokens as the index's tokenizer does: runs of letters and digits, lowercased.
    package static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(in: text) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        return tokens
    }

    /// The index tokens of `text` (``tokens(of:)``) separated by single spaces, and how many there are.
    package static func joinedTokens(of text: String) -> (text: String, count: Int) {
        var joined: [UInt8] = []
        joined.reserveCapacity(text.utf8.count)
        var count = 0
        forEachToken(in: text) { token in
            if count > 0 { joined.append(0x20) }
            joined.append(contentsOf: token)
            count += 1
        }
        return (String(decoding: joined, as: UTF8.self), count)
    }

    /// Calls `body` with the UTF-8 bytes of each index token of `text`, lowercased.
    ///
    /// A token character is a letter, a digit or a combining mark (Unicode's properties). Tokens of ASCII letters and
    /// digits, most of an EDGAR text, are found and lowercased byte by byte; a token with any other character is
    /// lowercased by `String.lowercased()`.
    private static func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var lowered = [UInt8](repeating: 0, count: 64)
            var start = -1
            var asciiOnly = true
            func emit(_ end: Int) {
                if asciiOnly {
                    let length = end - start
                    if lowered.count < length { lowered = [UInt8](repeating: 0, count: length) }
                    lowered.withUnsafeMutableBufferPointer { buffer in
                        for offset in 0..<length {
                            let byte = bytes[start + offset]
                            buffer[offset] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                        }
                        body(UnsafeBufferPointer(rebasing: buffer[..<length]))
                    }
                } else {
                    var token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                        .lowercased()
                    token.withUTF8 { body($0) }
                }
                start = -1
            }
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                var length = 1
                let inToken: Bool
                if byte < 0x80 {
                    inToken = byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26
                } else {
                    var iterator = UnsafeBufferPointer(rebasing: bytes[i...]).makeIterator()
                    var parser = Unicode.UTF8.ForwardParser()
                    guard case .valid(let encoded) = parser.parseScalar(from: &iterator) else {
                        preconditionFailure("a String's UTF-8 is valid")
                    }
                    length = encoded.count
                    inToken = isTokenCharacter(Unicode.UTF8.decode(encoded))
                }
                if inToken {
                    if start < 0 {
                        start = i
                        asciiOnly = true
                    }
                    if byte >= 0x80 { asciiOnly = false }
                } else if start >= 0 {
                    emit(i)
                }
                i += length
            }
            if start >= 0 { emit(bytes.count) }
        }
    }

    /// Whether `scalar` belongs to a token: a letter, a digit or a combining mark.
    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
