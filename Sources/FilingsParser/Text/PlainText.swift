internal import FilingsCore

/// Decodes a plain-text body into raw lines: line ends normalised, control characters dropped, spacing kept.
enum PlainText {
    static func decode(_ input: Input, _ range: Range<Int>) -> SourceText {
        var text = SourceText(reservingCapacity: range.count)
        let bytes = input.bytes
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if b >= 0x80 {
                i = input.appendCharacter(at: i, to: &text)
                continue
            }
            if b == ASCII.carriageReturn {
                if i + 1 < range.upperBound, bytes[i + 1] == ASCII.newline {
                    i += 1
                    continue
                }
                text.append(ASCII.newline, origin: i)
            } else if b == 0x0C {
                text.append(ASCII.newline, origin: i)  // form feed: a page break
            } else if b >= 0x20 || b == ASCII.newline || b == ASCII.tab {
                // A run of ASCII that needs no decoding is copied whole; found eight bytes at a time.
                var j = i + 1
                j = bytes.withUnsafeBytes {
                    ASCII.nextFlagged($0, from: j, before: range.upperBound, PlainText.stopBytes)
                }
                while j < range.upperBound {
                    let c = bytes[j]
                    guard c < 0x80, c >= 0x20 || c == ASCII.newline || c == ASCII.tab else { break }
                    j += 1
                }
                text.append(verbatim: bytes, i..<j)
                i = j
                continue
            }
            i += 1
        }
        return text
    }

    /// The flag of each byte of `word` that ends a run copied verbatim: a byte beyond ASCII, or a control
    /// character other than a line feed or a tab.
    @inline(__always)
    static func stopBytes(_ word: UInt64) -> UInt64 {
        let kept =
            ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.newline)) | ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.tab))
        return (word & 0x8080_8080_8080_8080) >> 7 | ASCII.controlBytes(word) & ~kept
    }
}
