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
    static func documents(_ bytes: [UInt8], _ range: Range<Int>) -> [SGMLDocument] {
        var documents: [SGMLDocument] = []
        var cursor = range.lowerBound
        while let open = find("<document>", in: bytes, cursor..<range.upperBound) {
            let contentStart = open + 10
            let close = find("</document>", in: bytes, contentStart..<range.upperBound)
            let nextOpen = find("<document>", in: bytes, contentStart..<(close ?? range.upperBound))
            let contentEnd = nextOpen ?? close ?? range.upperBound
            var document = SGMLDocument(body: contentEnd..<contentEnd)
            document.truncated = close == nil || nextOpen != nil
            readWrapper(bytes, contentStart..<contentEnd, into: &document)
            documents.append(document)
            cursor = nextOpen ?? (close.map { $0 + 11 } ?? range.upperBound)
        }
        return documents
    }

    /// Reads `<TYPE>`, `<SEQUENCE>`, `<FILENAME>`, `<DESCRIPTION>` and finds the `<TEXT>` body.
    private static func readWrapper(_ bytes: [UInt8], _ range: Range<Int>, into document: inout SGMLDocument) {
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if ASCII.isWhitespace(b) {
                i += 1
                continue
            }
            guard b == ASCII.lessThan else { break }
            if bytes.matchesIgnoringCase("<text>", at: i) {
                let start = i + 6
                if let end = find("</text>", in: bytes, start..<range.upperBound) {
                    document.body = start..<end
                } else {
                    document.body = start..<range.upperBound
                    document.truncated = true
                }
                return
            }
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
                document.body = i..<range.upperBound
                return
            }
            i = k
        }
        document.body = i..<range.upperBound
    }
}
