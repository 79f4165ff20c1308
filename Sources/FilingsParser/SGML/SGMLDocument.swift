internal import FilingsCore

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// One `<DOCUMENT>` of a submission, located but not yet read.
struct SGMLDocument {
    var type = ""
    var sequence: UInt32 = 0
    var filename = ""
    var description = ""
    /// The `<TEXT>` body (or everything after the wrapper lines when there is no `<TEXT>`).
    var body: Range<Int>
    /// The `<DOCUMENT>` or `<TEXT>` was opened and never closed.
    var truncated = false
}

/// Finds the SGML structure of an EDGAR file: the header's extent and the `<DOCUMENT>` blocks.
enum SGMLScanner {
    /// The index of the next `<word>` (case-insensitive, `word` lower case with its angle brackets) in `range`.
    static func find(_ word: StaticString, in bytes: [UInt8], _ range: Range<Int>) -> Int? {
        let first = word.utf8Start[1]
        let last = range.upperBound - word.utf8CodeUnitCount
        guard range.lowerBound <= last else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var i = range.lowerBound
            while i <= last {
                // memchr finds the next "<" many bytes at a time.
                guard let found = memchr(base + i, Int32(ASCII.lessThan), last + 1 - i) else { return nil }
                i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if ASCII.lower(buffer[i + 1]) == first, bytes.matchesIgnoringCase(word, at: i) { return i }
                i += 1
            }
            return nil
        }
    }

    /// Every `<DOCUMENT>` block in `range`.
    ///
    /// Each block's bytes are read once: its wrapper lines, then one pass that finds the body's `</TEXT>`, the
    /// block's `</DOCUMENT>`, or the next `<DOCUMENT>` when the block was never closed.
    static func documents(_ bytes: [UInt8], _ range: Range<Int>) -> [SGMLDocument] {
        var documents: [SGMLDocument] = []
        var cursor = range.lowerBound
        while let open = find("<document>", in: bytes, cursor..<range.upperBound) {
            let contentStart = open + 10
            var document = SGMLDocument(body: contentStart..<contentStart)
            let wrapper = readWrapper(bytes, contentStart..<range.upperBound, into: &document)
            let end = blockEnd(bytes, wrapper.bodyStart..<range.upperBound, textClose: wrapper.text)
            let contentEnd = end.nextOpen ?? end.close ?? range.upperBound
            // blockEnd looks for `</TEXT>` only after a `<TEXT>`.
            document.body = min(wrapper.bodyStart, contentEnd)..<(end.textClose ?? contentEnd)
            // A `<TEXT>` never closed inside its block, or a block never closed.
            document.truncated = (wrapper.text && end.textClose == nil) || end.close == nil || end.nextOpen != nil
            documents.append(document)
            cursor = end.nextOpen ?? (end.close.map { $0 + 11 } ?? range.upperBound)
        }
        return documents
    }

    /// In one pass over `range`: the first `</TEXT>` (when `textClose`), and where the block ends, at its
    /// `</DOCUMENT>` or at the next `<DOCUMENT>`, whichever comes first.
    private static func blockEnd(
        _ bytes: [UInt8],
        _ range: Range<Int>,
        textClose: Bool
    ) -> (textClose: Int?, close: Int?, nextOpen: Int?) {
        bytes.withUnsafeBufferPointer { buffer -> (Int?, Int?, Int?) in
            guard let base = buffer.baseAddress, !range.isEmpty else { return (nil, nil, nil) }
            var wantText = textClose
            var text: Int?
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                // memchr finds the next "<" many bytes at a time.
                guard let found = memchr(base + i, Int32(ASCII.lessThan), end - i) else { break }
                i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                guard i + 1 < end else { break }
                let next = buffer[i + 1]
                if next == ASCII.slash {
                    if bytes.matchesIgnoringCase("</document>", at: i), i + 11 <= end { return (text, i, nil) }
                    if wantText, bytes.matchesIgnoringCase("</text>", at: i), i + 7 <= end {
                        text = i
                        wantText = false
                    }
                } else if next | 0x20 == 0x64, bytes.matchesIgnoringCase("<document>", at: i), i + 10 <= end {
                    return (text, nil, i)
                }
                i += 1
            }
            return (text, nil, nil)
        }
    }

    /// Reads `<TYPE>`, `<SEQUENCE>`, `<FILENAME>`, `<DESCRIPTION>` at the start of `range`, up to the `<TEXT>` that
    /// opens the body or the first line that is not a wrapper tag: where the body starts, and whether `<TEXT>`
    /// opened it.
    private static func readWrapper(
        _ bytes: [UInt8],
        _ range: Range<Int>,
        into document: inout SGMLDocument
    ) -> (bodyStart: Int, text: Bool) {
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if ASCII.isWhitespace(b) {
                i += 1
                continue
            }
            guard b == ASCII.lessThan else { break }
            if bytes.matchesIgnoringCase("<text>", at: i) { return (i + 6, true) }
            var j = i + 1
            while j < range.upperBound, bytes[j] != ASCII.greaterThan, j - i < 20 { j += 1 }
            guard j < range.upperBound, bytes[j] == ASCII.greaterThan else { break }
            let name = String(decoding: bytes[(i + 1)..<j].map(ASCII.lower), as: UTF8.self)
            var k = j + 1
            while k < range.upperBound, bytes[k] != ASCII.newline, bytes[k] != ASCII.lessThan { k += 1 }
            let value = String(decoding: bytes[bytes.trimmed((j + 1)..<k)], as: UTF8.self)
            switch name {
            case "type": document.type = value
            case "sequence": document.sequence = UInt32(value) ?? 0
            case "filename": document.filename = value
            case "description": document.description = value
            default:
                // Not a wrapper tag: the body starts here (no <TEXT>).
                return (i, false)
            }
            i = k
        }
        return (i, false)
    }
}
