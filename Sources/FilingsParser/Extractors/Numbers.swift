internal import FilingsCore

/// Reads numbers as EDGAR text writes them: "1,234", "12.5", ".05".
enum Numbers {
    /// The number starting at `i` in `bytes` (up to `end`): its value and the index after it.
    static func parse(_ bytes: [UInt8], at i: Int, end: Int) -> (value: Double, end: Int)? {
        var j = i
        var integer: Double = 0
        var digits = 0
        var groupDigits = -1  // digits since the last comma; -1 before any comma
        while j < end {
            let b = bytes[j]
            if ASCII.isDigit(b) {
                integer = integer * 10 + Double(b - 0x30)
                digits += 1
                if groupDigits >= 0 { groupDigits += 1 }
                j += 1
            } else if b == ASCII.comma, digits > 0, groupDigits == -1 ? digits <= 3 : groupDigits == 3,
                Numbers.isGroup(bytes, j + 1, end)
            {
                groupDigits = 0
                j += 1
            } else {
                break
            }
        }
        var value = integer
        if j + 1 < end, bytes[j] == ASCII.period, ASCII.isDigit(bytes[j + 1]) {
            j += 1
            var scale = 0.1
            while j < end, ASCII.isDigit(bytes[j]) {
                value += Double(bytes[j] - 0x30) * scale
                scale /= 10
                digits += 1
                j += 1
            }
        }
        guard digits > 0 else { return nil }
        // Round away binary noise: 3.125 stays 3.125.
        return ((value * 1e6).rounded() / 1e6, j)
    }

    /// Whether `bytes[i..<i+3]` are three digits not followed by a fourth.
    static func isGroup(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Bool {
        guard i + 3 <= end else { return false }
        guard ASCII.isDigit(bytes[i]), ASCII.isDigit(bytes[i + 1]), ASCII.isDigit(bytes[i + 2]) else { return false }
        return i + 3 == end || !ASCII.isDigit(bytes[i + 3])
    }

    /// Whether the byte before `i` lets a number start there (not inside a word or another number).
    @inline(__always)
    static func startsToken(_ bytes: [UInt8], _ i: Int, lowerBound: Int = 0) -> Bool {
        guard i > lowerBound else { return true }
        let p = bytes[i - 1]
        return
            !(ASCII.isAlphanumeric(p) || p == ASCII.period || p == ASCII.comma && i >= 2 && ASCII.isDigit(bytes[i - 2])
            || p == ASCII.hyphen && i >= 2 && ASCII.isAlphanumeric(bytes[i - 2]) || p == ASCII.slash)
    }
}

/// Money and percentages in a document's text.
enum AmountExtractor: DocumentStage {
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        let amounts = extract(context.text, context.input)
        reading.document.money = amounts.money
        reading.document.percentages = amounts.percentages
    }

    static func extract(_ text: SourceText, _ input: Input) -> (money: [Money], percentages: [Percentage]) {
        var money: [Money] = []
        var percentages: [Percentage] = []
        let bytes = text.bytes
        let n = bytes.count
        var i = 0
        bytes.withUnsafeBytes { raw in
            while i < n {
                // Most of a text is letters and spaces: eight bytes a step to the next byte that may start an amount.
                i = ASCII.nextFlagged(raw, from: i, before: n, AmountExtractor.mayStart)
                guard i < n else { break }
                let b = bytes[i]
                if b == ASCII.dollar || (b == 0xE2 && i + 2 < n && bytes[i + 1] == 0x82 && bytes[i + 2] == 0xAC)
                    || (b == 0xC2 && i + 1 < n && bytes[i + 1] == 0xA3)
                {
                    if let found = moneyAt(bytes, i) {
                        let span = input.span(of: found.range, in: text)
                        money.append(
                            Money(text: input.written(span), value: found.value, currency: found.currency, span: span)
                        )
                        i = found.range.upperBound
                        continue
                    }
                } else if ASCII.isDigit(b) || (b == ASCII.period && i + 1 < n && ASCII.isDigit(bytes[i + 1])) {
                    guard Numbers.startsToken(bytes, i) else {
                        i += 1
                        continue
                    }
                    if let (value, end) = Numbers.parse(bytes, at: i, end: n) {
                        if let percentEnd = percentSuffix(bytes, end) {
                            var start = i
                            if start > 0, bytes[start - 1] == ASCII.hyphen || bytes[start - 1] == 0x2B { start -= 1 }
                            let negative = bytes[start] == ASCII.hyphen
                            let span = input.span(of: start..<percentEnd, in: text)
                            percentages.append(
                                Percentage(text: input.written(span), value: negative ? -value : value, span: span)
                            )
                            i = percentEnd
                            continue
                        }
                        i = end
                        continue
                    }
                }
                i += 1
            }
        }
        return (money, percentages)
    }

    /// The flag of each byte of `word` that can start an amount: a byte beyond ASCII (€, £), or one of
    /// `$ % & ' ( ) * + , - . /` and the digits (0x24…0x39, which hold `$`, `.` and the digits); no other byte does.
    @inline(__always)
    static func mayStart(_ word: UInt64) -> UInt64 {
        let low = word & 0x7F7F_7F7F_7F7F_7F7F
        // The high bit of a byte's low seven bits plus 0x5C is set from 0x24 up, plus 0x46 from 0x3A up.
        let fromDollar = (low &+ 0x5C5C_5C5C_5C5C_5C5C) & ~((low &+ 0x4646_4646_4646_4646))
        return ((fromDollar | word) & 0x8080_8080_8080_8080) >> 7
    }

    private static func percentSuffix(_ bytes: [UInt8], _ end: Int) -> Int? {
        var j = end
        if j < bytes.count, bytes[j] == ASCII.percent { return j + 1 }
        if j < bytes.count, bytes[j] == ASCII.space || bytes[j] == ASCII.hyphen { j += 1 }
        if j < bytes.count, bytes[j] == ASCII.percent { return j + 1 }
        for word: StaticString in ["percent", "per cent"] where bytes.matchesIgnoringCase(word, at: j) {
            let after = j + word.utf8CodeUnitCount
            if after >= bytes.count || !ASCII.isLetter(bytes[after]) { return after }
        }
        return nil
    }

    private static func moneyAt(_ bytes: [UInt8], _ i: Int) -> (range: Range<Int>, value: Double, currency: String)? {
        var start = i
        var currency = "USD"
        var j: Int
        if bytes[i] == ASCII.dollar {
            j = i + 1
            // Prefixes: US$, U.S.$, C$, A$, NZ$, HK$, CDN$.
            let prefixes: [(StaticString, String)] = [
                ("U.S.", "USD"), ("US", "USD"), ("CDN", "CAD"), ("NZ", "NZD"), ("HK", "HKD"), ("C", "CAD"),
                ("A", "AUD"), ("S", "SGD"),
            ]
            for (prefix, code) in prefixes {
                let p = i - prefix.utf8CodeUnitCount
                if p >= 0, bytes.matches(prefix, at: p), Numbers.startsToken(bytes, p) {
                    start = p
                    currency = code
                    break
                }
            }
        } else if bytes[i] == 0xE2 {
            j = i + 3
            currency = "EUR"
        } else {
            j = i + 2
            currency = "GBP"
        }
        let n = bytes.count
        if j < n, bytes[j] == ASCII.space { j += 1 }
        var negative = false
        if j < n, bytes[j] == ASCII.openParen {
            negative = true
            j += 1
        } else if j < n, bytes[j] == ASCII.hyphen || (bytes[j] == 0xE2 && j + 2 < n && bytes[j + 1] == 0x88) {
            negative = true
            j += bytes[j] == ASCII.hyphen ? 1 : 3
        }
        guard j < n, ASCII.isDigit(bytes[j]) || (bytes[j] == ASCII.period && j + 1 < n && ASCII.isDigit(bytes[j + 1])),
            var (value, end) = Numbers.parse(bytes, at: j, end: n)
        else { return nil }
        if negative && bytes[j - 1] == ASCII.openParen {
            guard end < n, bytes[end] == ASCII.closeParen else { return nil }
            end += 1
        }
        // A scale word: "$1.2 billion", "$28 million", "$5.2M".
        var k = end
        if k < n, bytes[k] == ASCII.space { k += 1 }
        let scales: [(StaticString, Double)] = [
            ("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12), ("mln", 1e6), ("bln", 1e9),
        ]
        for (word, factor) in scales where bytes.matchesIgnoringCase(word, at: k) {
            let after = k + word.utf8CodeUnitCount
            if after >= n || !ASCII.isLetter(bytes[after]) {
                value *= factor
                end = after
            }
            break
        }
        if end == k - 1 || end == k, k < n, (bytes[k] == 0x4D || bytes[k] == 0x42 || bytes[k] == 0x4B),
            k + 1 >= n || !ASCII.isLetter(bytes[k + 1]), bytes[k - 1] != ASCII.space
        {
            value *= bytes[k] == 0x4D ? 1e6 : bytes[k] == 0x42 ? 1e9 : 1e3
            end = k + 1
        }
        if negative { value = -value }
        return (start..<end, (value * 1e6).rounded() / 1e6, currency)
    }
}
