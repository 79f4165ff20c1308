internal import FilingsCore

/// Refuses inputs that cannot be a filing, with a message that says why.
enum InputCheck {
    private static let signatures: [([UInt8], String)] = [
        (Array("%PDF".utf8), "a PDF file"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or an Office document)"),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF8".utf8), "a GIF image"),
        ([0x1F, 0x8B], "a gzip file"),
        ([0xD0, 0xCF, 0x11, 0xE0], "an OLE document (old Excel or Word)"),
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
    ]

    /// Whether the control byte `b` is one that text holds: tab, line feed, vertical tab, form feed, carriage
    /// return, or the end-of-file mark 0x1A.
    @inline(__always)
    static func isTextControl(_ b: UInt8) -> Bool {
        b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == 0x1A || b == 0x0B
    }

    /// Refuses `bytes` when they are empty, over `limit`, a known binary format, or binary by their NUL and control
    /// bytes; otherwise returns the offset of their first byte beyond ASCII (their count when there is none), where
    /// a check of their UTF-8 begins (``Input/isValidUTF8(_:from:)``).
    static func check(_ bytes: [UInt8], limit: Int) throws(ParseError) -> Int {
        guard !bytes.isEmpty else {
            throw ParseError(code: .emptyInput, message: "The input is empty: there is nothing to parse.")
        }
        guard bytes.count <= limit else {
            throw ParseError(
                code: .inputTooLarge,
                message: "The input is \(bytes.count) bytes, over the limit of \(limit) bytes."
            )
        }
        for (signature, name) in signatures where bytes.starts(with: signature) {
            throw ParseError(
                code: .binaryInput,
                message: "The input is \(name), not an EDGAR text or HTML filing."
            )
        }
        let result: (nul: Int?, controls: Int, beyondASCII: Int) = bytes.withUnsafeBufferPointer { p in
            var controls = 0
            let n = p.count
            let raw = UnsafeRawBufferPointer(p)
            var i = 0
            // The first byte beyond ASCII: found in the same reading, so that the UTF-8 check starts there.
            var beyondASCII = n
            // 32 bytes at a time: most hold no byte below 0x20, and the others one or two line breaks, whose
            // offsets the masks give without reading the other bytes.
            while i + 32 <= n {
                let w0 = ASCII.word(raw, at: i)
                let w1 = ASCII.word(raw, at: i + 8)
                let w2 = ASCII.word(raw, at: i + 16)
                let w3 = ASCII.word(raw, at: i + 24)
                if beyondASCII == n, (w0 | w1 | w2 | w3) & 0x8080_8080_8080_8080 != 0 {
                    beyondASCII = i + (0..<32).first { p[i + $0] >= 0x80 }!
                }
                let any =
                    ASCII.controlBytes(w0) | ASCII.controlBytes(w1) | ASCII.controlBytes(w2) | ASCII.controlBytes(w3)
                if any != 0 {
                    for word in stride(from: i, to: i + 32, by: 8) {
                        var mask = ASCII.controlBytes(ASCII.word(raw, at: word))
                        while mask != 0 {
                            let at = word + mask.trailingZeroBitCount >> 3
                            let b = p[at]
                            if b == 0 { return (at, controls, beyondASCII) }
                            if !InputCheck.isTextControl(b) { controls += 1 }
                            mask &= mask &- 1
                        }
                    }
                }
                i += 32
            }
            while i < n {
                let b = p[i]
                if b < 0x20 {
                    if b == 0 { return (i, controls, beyondASCII) }
                    if !InputCheck.isTextControl(b) { controls += 1 }
                } else if b >= 0x80 {
                    beyondASCII = min(beyondASCII, i)
                }
                i += 1
            }
            return (nil, controls, beyondASCII)
        }
        if let nul = result.nul {
            throw ParseError(
                code: .binaryInput,
                message: "The input is binary: it has a NUL byte at offset \(nul). Only text and HTML filings are "
                    + "parsed."
            )
        }
        if result.controls > 16 && result.controls * 100 > bytes.count {
            throw ParseError(
                code: .binaryInput,
                message: "The input is binary: \(result.controls) of its \(bytes.count) bytes are control "
                    + "characters. Only text and HTML filings are parsed."
            )
        }
        return result.beyondASCII
    }
}
