internal import FilingsCore

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Byte-level character classes for ASCII text; the parser works on UTF-8 bytes throughout.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let ampersand: UInt8 = 0x26
    static let apostrophe: UInt8 = 0x27
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let comma: UInt8 = 0x2C
    static let hyphen: UInt8 = 0x2D
    static let period: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let greaterThan: UInt8 = 0x3E
    static let dollar: UInt8 = 0x24
    static let percent: UInt8 = 0x25
    static let at: UInt8 = 0x40
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) }
    /// A byte that can continue a word: letters, digits and any non-ASCII byte.
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b >= 0x80 }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == space || b == tab }
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
        b == space || b == tab || b == newline || b == carriageReturn || b == 0x0C || b == 0x0B
    }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }
    @inline(__always) static func upper(_ b: UInt8) -> UInt8 { isLower(b) ? b & ~0x20 : b }

    // Eight bytes at a time, for the scans that every byte of a document passes through: byte k of a word is the
    // input's byte at offset + k, and a byte's flag is the word's bit 8k.

    /// The eight bytes at `offset` of `raw` as one word.
    @inline(__always) static func word(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Eight copies of `b`: a word of them, XORed with a word of text, is 0 where the text is `b`.
    @inline(__always) static func repeated(_ b: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(b) }

    /// The flag of each byte of `word` that is 0, exactly (no carry crosses from one byte to the next).
    @inline(__always) static func zeroBytes(_ word: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return (~(((word & low) &+ low) | word | low)) >> 7
    }

    /// The first offset from `start` at which `flags` marks a byte, read eight bytes at a time; when no whole word
    /// before `end` holds one, the offset after the last whole word (fewer than eight bytes from `end`), where the
    /// caller goes on byte by byte.
    @inline(__always) static func nextFlagged(
        _ raw: UnsafeRawBufferPointer,
        from start: Int,
        before end: Int,
        _ flags: (UInt64) -> UInt64
    ) -> Int {
        var i = start
        while i + 8 <= end {
            let found = flags(word(raw, at: i))
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        return i
    }

    /// The first offset from `start` whose byte is whitespace (``isWhitespace(_:)``), or `end`: eight bytes a step,
    /// for the end of a word, where a byte loop would take a step per letter.
    @inline(__always) static func nextWhitespace(_ raw: UnsafeRawBufferPointer, from start: Int, before end: Int) -> Int
    {
        var i = start
        while i + 8 <= end {
            // Every byte up to 0x20 is flagged; the control bytes that are not whitespace are passed over.
            let word = word(raw, at: i)
            var flags = controlBytes(word) | zeroBytes(word ^ repeated(space))
            while flags != 0 {
                let at = i + flags.trailingZeroBitCount / 8
                if isWhitespace(raw[at]) { return at }
                flags &= flags &- 1
            }
            i += 8
        }
        while i < end, !isWhitespace(raw[i]) { i += 1 }
        return i
    }

    /// The flag of each byte of `word` below 0x20 (a control character), exactly: a byte's low seven bits plus
    /// 0x60 carry into its high bit when they are 0x20 or more, and never into the next byte.
    @inline(__always) static func controlBytes(_ word: UInt64) -> UInt64 {
        (~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x6060_6060_6060_6060) | word) & 0x8080_8080_8080_8080) >> 7
    }
}

extension Array where Element == UInt8 {
    /// The first non-nil answer of `body` for the offsets in `range` whose byte is the letter `a` or `b` in either
    /// case, in order; nil when there is none.
    ///
    /// For searches that would otherwise test every byte for a phrase: `a` and `b`, letters of the phrases that
    /// text seldom has, are found eight bytes at a time, and only their offsets are tested.
    func firstAnswer<Answer>(
        atLetter a: UInt8,
        or b: UInt8,
        in range: Range<Int>,
        _ body: (Int) -> Answer?
    ) -> Answer? {
        precondition(ASCII.isLower(a) && ASCII.isLower(b), "lower-case letters")
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the bytes")
        @inline(__always) func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 == a || byte | 0x20 == b }
        return withUnsafeBytes { raw in
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                // With bit 0x20 set, a letter in either case reads as its lower case, and no other byte does.
                let lower = ASCII.word(raw, at: i) | ASCII.repeated(0x20)
                var found = ASCII.zeroBytes(lower ^ ASCII.repeated(a)) | ASCII.zeroBytes(lower ^ ASCII.repeated(b))
                while found != 0 {
                    if let answer = body(i + found.trailingZeroBitCount / 8) { return answer }
                    found &= found &- 1
                }
                i += 8
            }
            while i < range.upperBound {
                if isLetter(self[i]), let answer = body(i) { return answer }
                i += 1
            }
            return nil
        }
    }

    /// Whether the bytes at `offset` equal `word`, ignoring ASCII case (`word` must be lower case).
    @inline(__always)
    func matchesIgnoringCase(_ word: StaticString, at offset: Int) -> Bool {
        let n = word.utf8CodeUnitCount
        guard offset >= 0, offset + n <= count else { return false }
        let w = word.utf8Start
        for i in 0..<n where ASCII.lower(self[offset + i]) != w[i] { return false }
        return true
    }

    /// Whether the bytes at `offset` equal `word` exactly.
    @inline(__always)
    func matches(_ word: StaticString, at offset: Int) -> Bool {
        let n = word.utf8CodeUnitCount
        guard offset >= 0, offset + n <= count else { return false }
        let w = word.utf8Start
        for i in 0..<n where self[offset + i] != w[i] { return false }
        return true
    }

    /// Whether a quotation opens at `i`: `"` or “ (E2 80 9C).
    @inline(__always)
    func opensQuotation(at i: Int) -> Bool {
        guard i >= 0, i < count else { return false }
        return self[i] == ASCII.quote || self[i] == 0xE2 && i + 2 < count && self[i + 1] == 0x80 && self[i + 2] == 0x9C
    }

    /// The first index of `byte` in `range`, or nil.
    @inline(__always)
    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i < range.upperBound {
            if self[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// The first index of `byte` at or after `start` and before `end` (the end of the array when nil), or nil: a
    /// `memchr`, many bytes at a time.
    func nextIndex(of byte: UInt8, from start: Int, before end: Int? = nil) -> Int? {
        let end = Swift.min(end ?? count, count)
        guard start < end else { return nil }
        return withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base + start, Int32(byte), end - start) else {
                return nil
            }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Whether `needle` occurs, byte for byte, within `range`.
    func contains(_ needle: [UInt8], in range: Range<Int>) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        guard range.count >= n else { return false }
        return withUnsafeBufferPointer { bytes in
            needle.withUnsafeBufferPointer { w in
                guard let base = bytes.baseAddress else { return false }
                let first = Int32(w[0])
                var i = range.lowerBound
                let last = range.upperBound - n
                // memchr finds each candidate for the first byte; a name's bytes are rare in a paragraph.
                while i <= last, let found = memchr(base + i, first, last - i + 1) {
                    i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + i + 1, w.baseAddress! + 1, n - 1) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// `range` without leading and trailing ASCII whitespace.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi, ASCII.isWhitespace(self[lo]) { lo += 1 }
        while hi > lo, ASCII.isWhitespace(self[hi - 1]) { hi -= 1 }
        return lo..<hi
    }
}

extension String {
    /// Whether the text is `word` (written in lower case), ignoring ASCII case, without a lower-cased copy.
    func equalsIgnoringASCIICase(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard utf8.count == n else { return false }
        let w = word.utf8Start
        var i = 0
        for b in utf8 {
            guard ASCII.lower(b) == w[i] else { return false }
            i += 1
        }
        return true
    }

    /// Whether the text starts with `prefix` (written in lower case), ignoring ASCII case.
    func hasPrefixIgnoringASCIICase(_ prefix: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return utf8.count >= expected.count && zip(utf8, expected).allSatisfy { ASCII.lower($0) == $1 }
    }

    /// Whether the text contains `needle` byte for byte: a search of the UTF-8 bytes, for the parser's ASCII
    /// labels ("PERIOD ENDED"), without Foundation's comparison of composed characters.
    func containsBytes(_ needle: StaticString) -> Bool {
        contains(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), ignoringCase: false)
    }

    /// ``containsBytes(_:)-(StaticString)`` with a needle made at run time.
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { contains($0, ignoringCase: false) }
    }

    /// Whether the text contains `needle` (written in lower case), ignoring ASCII case: a byte search, much
    /// cheaper than lowercasing the text first.
    func containsIgnoringASCIICase(_ needle: StaticString) -> Bool {
        contains(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), ignoringCase: true)
    }

    /// ``containsIgnoringASCIICase(_:)-(StaticString)`` with the needle's UTF-8 bytes (in lower case).
    func containsIgnoringASCIICase(_ needle: [UInt8]) -> Bool {
        needle.withUnsafeBufferPointer { contains($0, ignoringCase: true) }
    }

    /// The first place of `needle` in the text, byte for byte: the search of ``containsBytes(_:)-(StaticString)``,
    /// for the parser's ASCII markers (" of ", "/s/"), without Foundation's comparison of composed characters.
    func rangeOfBytes(_ needle: StaticString) -> Range<String.Index>? {
        range(of: needle, ignoringCase: false)
    }

    /// The first place of `needle` (written in lower case) in the text, ignoring ASCII case: a byte search that
    /// Foundation's case-insensitive `range(of:)` would do far more slowly. Folding ASCII case changes no
    /// character's length, so the range fits the text itself.
    func rangeIgnoringASCIICase(of needle: StaticString) -> Range<String.Index>? {
        range(of: needle, ignoringCase: true)
    }

    /// The UTF-8 offset of the first place of `needle` (its bytes in lower case) in the text, ignoring ASCII case.
    func utf8OffsetIgnoringASCIICase(of needle: [UInt8]) -> Int? {
        guard !needle.isEmpty else { return 0 }
        return needle.withUnsafeBufferPointer { firstOffset(of: $0, ignoringCase: true) }
    }

    /// The first place of `needle` (ASCII, not empty) in the text where nothing extends its last letter: the range
    /// Foundation's `range(of:)` gives, found by the needle's bytes without bridging the text.
    func characterRange(ofASCII needle: String) -> Range<String.Index>? {
        var needle = needle
        let n = needle.utf8.count
        var from = 0
        while let offset = needle.withUTF8({ firstOffset(of: $0, from: from, ignoringCase: false) }) {
            let start = utf8.index(utf8.startIndex, offsetBy: offset)
            let end = utf8.index(start, offsetBy: n)
            // The needle's last letter with a scalar after it that extends it (a combining accent, "E\u{301}", or
            // an emoji modifier) is another character, as Foundation compares them; a joiner or a spacing mark is
            // not.
            let extended = end < endIndex && unicodeScalars[end].properties.extendsCharacterInFoundation
            if !extended { return start..<end }
            from = offset + 1
        }
        return nil
    }

    /// Whether a byte of the text passes `test`: one loop over the text's bytes, where a loop over `utf8` steps
    /// through the view's index for each byte.
    @inline(__always)
    func containsUTF8(where test: (UInt8) -> Bool) -> Bool {
        var copy = self
        return copy.withUTF8 { $0.contains(where: test) }
    }

    /// Whether every byte of the text is ASCII.
    var isASCII: Bool {
        var copy = self
        return copy.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return true }
            let raw = UnsafeRawBufferPointer(start: base, count: bytes.count)
            var i = 0
            while i + 8 <= bytes.count {
                if ASCII.word(raw, at: i) & ASCII.repeated(0x80) != 0 { return false }
                i += 8
            }
            while i < bytes.count {
                if bytes[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
    }

    private func range(of needle: StaticString, ignoringCase: Bool) -> Range<String.Index>? {
        let n = needle.utf8CodeUnitCount
        guard n > 0,
            let offset = firstOffset(
                of: UnsafeBufferPointer(start: needle.utf8Start, count: n),
                ignoringCase: ignoringCase
            )
        else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: offset)
        return start..<utf8.index(start, offsetBy: n)
    }

    private func contains(_ w: UnsafeBufferPointer<UInt8>, ignoringCase: Bool) -> Bool {
        w.isEmpty || firstOffset(of: w, ignoringCase: ignoringCase) != nil
    }

    /// The search behind ``containsBytes(_:)`` and ``rangeIgnoringASCIICase(of:)``: the UTF-8 offset of the first
    /// match of `w`, which is not empty; with `ignoringCase`, each text byte is compared lower-cased with `w`,
    /// which is written in lower case.
    private func firstOffset(of w: UnsafeBufferPointer<UInt8>, from start: Int = 0, ignoringCase: Bool) -> Int? {
        let n = w.count
        var copy = self
        return copy.withUTF8 { bytes -> Int? in
            guard bytes.count >= n else { return nil }
            let first = w[0]
            // A letter's two cases differ in bit 0x20 only: one test per byte finds either.
            let fold: UInt8 = ignoringCase && ASCII.isLower(first) ? 0x20 : 0
            var i = start
            let last = bytes.count - n
            while i <= last {
                if fold == 0 {
                    // One case only ("/s/"): memchr goes to the next candidate.
                    guard let base = bytes.baseAddress,
                        let found = memchr(base + i, Int32(first), last - i + 1)
                    else { return nil }
                    i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                if bytes[i] | fold == first {
                    var j = 1
                    while j < n && (ignoringCase ? ASCII.lower(bytes[i + j]) : bytes[i + j]) == w[j] { j += 1 }
                    if j == n { return i }
                }
                i += 1
            }
            return nil
        }
    }
}

extension Unicode.Scalar.Properties {
    /// Whether Foundation's `range(of:)` reads the scalar as part of the character before it: the scalars that
    /// extend a grapheme (combining accents, variation selectors, the non-joiner, tags) and emoji modifiers.
    var extendsCharacterInFoundation: Bool { isGraphemeExtend || isEmojiModifier }
}
