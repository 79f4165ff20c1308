internal import FilingsCore

/// The HTML character references EDGAR documents use.
enum HTMLEntities {
    /// The scalar for a named reference (without `&` and `;`), or nil.
    static func scalar(named name: ArraySlice<UInt8>) -> UInt32? {
        switch String(decoding: name, as: UTF8.self) {
        case "nbsp", "NBSP", "ensp", "emsp", "thinsp": 0x20
        case "amp", "AMP": 0x26
        case "lt", "LT": 0x3C
        case "gt", "GT": 0x3E
        case "quot", "QUOT": 0x22
        case "apos": 0x27
        case "rsquo": 0x2019
        case "lsquo": 0x2018
        case "rdquo": 0x201D
        case "ldquo": 0x201C
        case "sbquo": 0x201A
        case "bdquo": 0x201E
        case "ndash": 0x2013
        case "mdash": 0x2014
        case "hellip": 0x2026
        case "bull": 0x2022
        case "middot": 0x00B7
        case "copy", "COPY": 0x00A9
        case "reg", "REG": 0x00AE
        case "trade", "TRADE": 0x2122
        case "sect": 0x00A7
        case "para": 0x00B6
        case "deg": 0x00B0
        case "plusmn": 0x00B1
        case "times": 0x00D7
        case "divide": 0x00F7
        case "frac12": 0x00BD
        case "frac14": 0x00BC
        case "frac34": 0x00BE
        case "cent": 0x00A2
        case "pound": 0x00A3
        case "euro": 0x20AC
        case "yen": 0x00A5
        case "dagger": 0x2020
        case "Dagger": 0x2021
        case "laquo": 0x00AB
        case "raquo": 0x00BB
        case "iexcl": 0x00A1
        case "iquest": 0x00BF
        case "shy": 0x00AD
        case "zwsp", "ZeroWidthSpace": 0x200B
        case "eacute": 0x00E9
        case "Eacute": 0x00C9
        case "egrave": 0x00E8
        case "ecirc": 0x00EA
        case "euml": 0x00EB
        case "aacute": 0x00E1
        case "agrave": 0x00E0
        case "acirc": 0x00E2
        case "auml": 0x00E4
        case "Auml": 0x00C4
        case "atilde": 0x00E3
        case "aring": 0x00E5
        case "ccedil": 0x00E7
        case "Ccedil": 0x00C7
        case "iacute": 0x00ED
        case "iuml": 0x00EF
        case "ntilde": 0x00F1
        case "Ntilde": 0x00D1
        case "oacute": 0x00F3
        case "ouml": 0x00F6
        case "Ouml": 0x00D6
        case "ocirc": 0x00F4
        case "oslash": 0x00F8
        case "uacute": 0x00FA
        case "uuml": 0x00FC
        case "Uuml": 0x00DC
        case "szlig": 0x00DF
        case "rarr": 0x2192
        case "larr": 0x2190
        case "check": 0x2713
        case "#9744": 0x2610
        default: nil
        }
    }

    /// Decodes the reference at `i` (which holds `&`) into `text`; returns the index after it, or nil when the
    /// ampersand does not start a reference.
    static func decode(_ bytes: [UInt8], at i: Int, end: Int, into text: inout SourceText) -> Int? {
        var j = i + 1
        guard j < end else { return nil }
        if bytes[j] == 0x23 {  // '#'
            j += 1
            var value: UInt32 = 0
            var digits = 0
            let hex = j < end && (bytes[j] | 0x20) == 0x78
            if hex { j += 1 }
            while j < end, digits < 8 {
                let b = bytes[j]
                if ASCII.isDigit(b) {
                    value = value * (hex ? 16 : 10) + UInt32(b - 0x30)
                } else if hex, (b | 0x20) &- 0x61 < 6 {
                    value = value * 16 + UInt32((b | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                digits += 1
                j += 1
            }
            guard digits > 0 else { return nil }
            if j < end, bytes[j] == ASCII.semicolon { j += 1 }
            if value >= 0x80 && value < 0xA0 { value = Input.windows1252[Int(value - 0x80)] }
            if value == 0x09 || value == 0x0A || value == 0x0D { value = 0x20 }
            if value < 0x20 { return j }
            Input.appendScalar(value, origin: i, to: &text)
            return j
        }
        let nameStart = j
        while j < end, j - nameStart < 10, ASCII.isAlphanumeric(bytes[j]) { j += 1 }
        guard j > nameStart, let scalar = scalar(named: bytes[nameStart..<j]) else { return nil }
        if j < end, bytes[j] == ASCII.semicolon { j += 1 }
        Input.appendScalar(scalar, origin: i, to: &text)
        return j
    }
}
