internal import FilingsCore

/// The input file's bytes and how its characters are decoded.
struct Input {
    let bytes: [UInt8]
    /// True when the input is not valid UTF-8 and is read as Windows-1252 / Latin-1.
    let latin1: Bool
    /// Set when the caller gave up: the parser stops at its next checkpoint.
    let cancellation: CancellationFlag?

    /// The input `bytes`, of which the first `asciiPrefix` are known to be ASCII (``InputCheck/check(_:limit:)``
    /// says how many).
    init(_ bytes: [UInt8], asciiPrefix: Int = 0, cancellation: CancellationFlag? = nil) {
        self.bytes = bytes
        self.latin1 = !Input.isValidUTF8(bytes, from: asciiPrefix)
        self.cancellation = cancellation
    }

    /// A checkpoint between stages: throws ``ParseError/Code/cancelled`` once the caller gave up.
    func checkCancelled() throws(ParseError) {
        if cancellation?.isCancelled == true {
            throw ParseError(code: .cancelled, message: "the parse was cancelled")
        }
    }

    /// Windows-1252's characters for 0x80...0x9F (undefined positions map to themselves).
    static let windows1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// The character of byte `b` of a Windows-1252 / Latin-1 input.
    @inline(__always)
    static func latin1Scalar(_ b: UInt8) -> UInt32 {
        b >= 0x80 && b < 0xA0 ? windows1252[Int(b - 0x80)] : UInt32(b)
    }

    /// Whether `bytes` are UTF-8, read from `start`, where a character begins.
    static func isValidUTF8(_ bytes: [UInt8], from start: Int = 0) -> Bool {
        precondition(start >= 0 && start <= bytes.count, "start outside the bytes")
        return bytes.withUnsafeBufferPointer { p in
            var i = start
            let n = p.count
            let raw = UnsafeRawBufferPointer(p)
            while i < n {
                // ASCII 32 bytes at a time, then eight.
                if i + 32 <= n,
                    (ASCII.word(raw, at: i) | ASCII.word(raw, at: i + 8) | ASCII.word(raw, at: i + 16)
                        | ASCII.word(raw, at: i + 24)) & 0x8080_8080_8080_8080 == 0
                {
                    i += 32
                    continue
                }
                if i + 8 <= n, ASCII.word(raw, at: i) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                let b = p[i]
                if b < 0x80 {
                    i += 1
                    continue
                }
                let length: Int
                let minimum: UInt32
                var scalar: UInt32
                if b & 0xE0 == 0xC0 {
                    length = 2
                    minimum = 0x80
                    scalar = UInt32(b & 0x1F)
                } else if b & 0xF0 == 0xE0 {
                    length = 3
                    minimum = 0x800
                    scalar = UInt32(b & 0x0F)
                } else if b & 0xF8 == 0xF0 {
                    length = 4
                    minimum = 0x10000
                    scalar = UInt32(b & 0x07)
                } else {
                    return false
                }
                guard i + length <= n else { return false }
                for j in 1..<length {
                    let c = p[i + j]
                    guard c & 0xC0 == 0x80 else { return false }
                    scalar = scalar << 6 | UInt32(c & 0x3F)
                }
                guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
                i += length
            }
            return true
        }
    }

    /// Decodes the non-ASCII character at `i` into `text`, normalised (no-break space to space, C1 controls to
    /// their Windows-1252 characters, zero-width characters dropped); returns the index after it.
    @inline(__always)
    func appendCharacter(at i: Int, to text: inout SourceText) -> Int {
        let b = bytes[i]
        if latin1 {
            Input.appendScalar(Input.latin1Scalar(b), origin: i, to: &text)
            return i + 1
        }
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        if length == 2 && b == 0xC2 {
            let c = bytes[i + 1]
            if c == 0xA0 {
                text.appendSpace(origin: i)
                return i + 2
            }
            if c < 0xA0 {
                Input.appendScalar(Input.windows1252[Int(c - 0x80)], origin: i, to: &text)
                return i + 2
            }
        }
        if length == 3 && b == 0xE2 && bytes[i + 1] == 0x80 {
            let c = bytes[i + 2]
            // U+200B...U+200D zero-width characters: not shown.
            if c >= 0x8B && c <= 0x8D { return i + 3 }
            // U+2002...U+200A spaces.
            if c >= 0x82 && c <= 0x8A {
                text.appendSpace(origin: i)
                return i + 3
            }
        }
        if length == 3 && b == 0xEF && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF { return i + 3 }  // BOM
        for j in 0..<length { text.append(bytes[i + j], origin: i) }
        return i + length
    }

    /// Appends `scalar` as UTF-8 with every byte pointing at `origin`; spaces collapse.
    static func appendScalar(_ scalar: UInt32, origin: Int, to text: inout SourceText) {
        switch scalar {
        case 0..<0x80:
            if scalar == 0x20 {
                text.appendSpace(origin: origin)
            } else {
                text.append(UInt8(scalar), origin: origin)
            }
        case 0xA0, 0x2002...0x200A, 0x202F, 0x3000:
            text.appendSpace(origin: origin)
        case 0x200B...0x200D, 0xFEFF, 0xAD:
            break
        case 0x80..<0x800:
            text.append(UInt8(0xC0 | scalar >> 6), origin: origin)
            text.append(UInt8(0x80 | scalar & 0x3F), origin: origin)
        case 0x800..<0x10000:
            text.append(UInt8(0xE0 | scalar >> 12), origin: origin)
            text.append(UInt8(0x80 | (scalar >> 6) & 0x3F), origin: origin)
            text.append(UInt8(0x80 | scalar & 0x3F), origin: origin)
        default:
            guard scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return }
            text.append(UInt8(0xF0 | scalar >> 18), origin: origin)
            text.append(UInt8(0x80 | (scalar >> 12) & 0x3F), origin: origin)
            text.append(UInt8(0x80 | (scalar >> 6) & 0x3F), origin: origin)
            text.append(UInt8(0x80 | scalar & 0x3F), origin: origin)
        }
    }

    /// The input offset just past the character that starts at `origin`.
    func characterEnd(at origin: Int) -> Int {
        guard origin < bytes.count else { return bytes.count }
        let b = bytes[origin]
        if b == ASCII.ampersand {
            var j = origin + 1
            while j < bytes.count, j < origin + 12 {
                if bytes[j] == ASCII.semicolon { return j + 1 }
                if !ASCII.isAlphanumeric(bytes[j]) && bytes[j] != 0x23 { break }
                j += 1
            }
            return origin + 1
        }
        if b < 0x80 || latin1 { return origin + 1 }
        return min(bytes.count, origin + (b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2))
    }

    /// The input's characters within `span`, exactly as they are written there: entity references, markup and line
    /// breaks included. A fact's `text` is this, so that a reader finds it verbatim at its span.
    func written(_ span: FilingsCore.Span) -> String {
        let range = Int(span.start)..<Int(span.end)
        guard !range.isEmpty, range.upperBound <= bytes.count else { return "" }
        guard latin1 else { return String(decoding: bytes[range], as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for b in bytes[range] { scalars.append(Unicode.Scalar(Input.latin1Scalar(b)) ?? "\u{FFFD}") }
        return String(scalars)
    }

    /// The span in the input of `range` of `text`.
    func span(of range: Range<Int>, in text: SourceText) -> FilingsCore.Span {
        guard !range.isEmpty else { return FilingsCore.Span() }
        let start = text.origin(at: range.lowerBound)
        let end = characterEnd(at: text.origin(at: range.upperBound - 1))
        return FilingsCore.Span(start: UInt32(start), end: UInt32(max(start, end)))
    }
}
