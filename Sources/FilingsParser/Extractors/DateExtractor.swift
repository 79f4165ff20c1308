internal import FilingsCore

/// Full calendar dates written in text: "December 20, 2001", "Dec. 20, 2001", "December 20th, 2001",
/// "20 December 2001", "12/20/2001".
enum DateExtractor: DocumentStage {
    /// Every date of the text, each once, as written at its first mention.
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        var seen = Set<String>()
        for found in scan(context.text.bytes, 0..<context.text.count) where seen.insert(found.iso).inserted {
            let span = context.span(found.range)
            reading.document.dates.append(
                DateMention(text: context.input.written(span), date: found.iso, span: span)
            )
        }
    }

    struct Found {
        var range: Range<Int>
        var iso: String
    }

    private static let months: [(StaticString, Int)] = [
        ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7),
        ("august", 8), ("september", 9), ("october", 10), ("november", 11), ("december", 12), ("sept", 9),
        ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9),
        ("oct", 10), ("nov", 11), ("dec", 12),
    ]

    /// ``months`` by the letter they start with (`a` is 0), each list in the order of ``months``: the first that
    /// matches wins ("march" before "mar").
    private static let monthsByLetter: [[(StaticString, Int)]] = (0..<26).map { letter in
        months.filter { $0.0.utf8Start[0] == 0x61 + UInt8(letter) }
    }

    /// The month name at `i` (capitalised or upper case, whole word, abbreviations with an optional period).
    static func month(_ bytes: [UInt8], at i: Int) -> (month: Int, end: Int)? {
        guard i < bytes.count, ASCII.isUpper(bytes[i]), Numbers.startsToken(bytes, i) else { return nil }
        for (name, number) in monthsByLetter[Int(bytes[i] - 0x41)] where bytes.matchesIgnoringCase(name, at: i) {
            var end = i + name.utf8CodeUnitCount
            if end < bytes.count, ASCII.isLetter(bytes[end]) { continue }
            // "MAY" in upper case inside upper-case prose is still a month; "May" needs a day after it anyway.
            if name.utf8CodeUnitCount <= 4, number != 5, end < bytes.count, bytes[end] == ASCII.period { end += 1 }
            return (number, end)
        }
        return nil
    }

    /// The date whose month name starts at `i` ("December 20, 2001"), or nil.
    /// The found date is nil when the day has no year after it ("July 24"); `dayEnd` is where the day ends.
    static func monthFirst(_ bytes: [UInt8], at i: Int) -> (Found?, dayEnd: Int)? {
        guard let (month, monthEnd) = month(bytes, at: i) else { return nil }
        let n = bytes.count
        var j = monthEnd
        // The parts of a date may be on two lines of a paragraph: "May 31,\n2012".
        guard j < n, bytes[j] == ASCII.space || bytes[j] == ASCII.newline else { return nil }
        j += 1
        var day = 0
        let dayStart = j
        while j < n, ASCII.isDigit(bytes[j]), j - dayStart < 2 {
            day = day * 10 + Int(bytes[j] - 0x30)
            j += 1
        }
        guard j > dayStart, day >= 1, day <= 31, j >= n || !ASCII.isDigit(bytes[j]) else { return nil }
        for suffix: StaticString in ["st", "nd", "rd", "th"] where bytes.matchesIgnoringCase(suffix, at: j) {
            j += 2
            break
        }
        let dayEnd = j
        if j < n, bytes[j] == ASCII.comma { j += 1 }
        if j < n, bytes[j] == ASCII.space || bytes[j] == ASCII.newline { j += 1 }
        guard let year = year(bytes, at: j) else { return (nil, dayEnd) }
        guard let iso = iso(year, month, day) else { return nil }
        return (Found(range: i..<(j + 4), iso: iso), dayEnd)
    }

    private static func year(_ bytes: [UInt8], at j: Int) -> Int? {
        guard j + 4 <= bytes.count, (j + 4 == bytes.count || !ASCII.isAlphanumeric(bytes[j + 4])) else { return nil }
        var year = 0
        for k in j..<(j + 4) {
            guard ASCII.isDigit(bytes[k]) else { return nil }
            year = year * 10 + Int(bytes[k] - 0x30)
        }
        return (1900...2099).contains(year) ? year : nil
    }

    static func iso(_ year: Int, _ month: Int, _ day: Int) -> String? {
        let days = [
            31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31,
            30, 31,
        ]
        guard (1...12).contains(month), day >= 1, day <= days[month - 1] else { return nil }
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    /// Every date in `range` of `bytes`, in order.
    static func scan(_ bytes: [UInt8], _ range: Range<Int>) -> [Found] {
        var found: [Found] = []
        var i = range.lowerBound
        bytes.withUnsafeBytes { raw in
            while i < range.upperBound {
                // Eight bytes a step to the next digit or capital: only there can a date start.
                i = ASCII.nextFlagged(raw, from: i, before: range.upperBound, DateExtractor.mayStart)
                guard i < range.upperBound else { break }
                let b = bytes[i]
                if ASCII.isUpper(b) {
                    if let (date, _) = monthFirst(bytes, at: i), let date {
                        found.append(date)
                        i = date.range.upperBound
                        continue
                    }
                } else if ASCII.isDigit(b), Numbers.startsToken(bytes, i) {
                    if let date = dayFirst(bytes, at: i) ?? numeric(bytes, at: i) {
                        found.append(date)
                        i = date.range.upperBound
                        continue
                    }
                    while i < range.upperBound, ASCII.isDigit(bytes[i]) { i += 1 }
                    continue
                }
                i += 1
            }
        }
        return found
    }

    /// The flag of each byte of `word` that may start a date: a digit or a capital, or one of `: ; < = > ? @`
    /// between them (0x30…0x5A); no other byte does.
    @inline(__always)
    static func mayStart(_ word: UInt64) -> UInt64 {
        let low = word & 0x7F7F_7F7F_7F7F_7F7F
        // The high bit of a byte's low seven bits plus 0x50 is set from 0x30 up, plus 0x25 from 0x5B up.
        let inRange = (low &+ 0x5050_5050_5050_5050) & ~(low &+ 0x2525_2525_2525_2525) & ~word
        return (inRange & 0x8080_8080_8080_8080) >> 7
    }

    /// "20 December 2001".
    private static func dayFirst(_ bytes: [UInt8], at i: Int) -> Found? {
        var j = i
        var day = 0
        while j < bytes.count, ASCII.isDigit(bytes[j]), j - i < 2 {
            day = day * 10 + Int(bytes[j] - 0x30)
            j += 1
        }
        guard j < bytes.count, bytes[j] == ASCII.space, let (month, monthEnd) = month(bytes, at: j + 1),
            monthEnd < bytes.count, bytes[monthEnd] == ASCII.space || bytes[monthEnd] == ASCII.comma
        else { return nil }
        var k = monthEnd
        if bytes[k] == ASCII.comma { k += 1 }
        if k < bytes.count, bytes[k] == ASCII.space { k += 1 }
        guard let year = year(bytes, at: k), let iso = iso(year, month, day) else { return nil }
        return Found(range: i..<(k + 4), iso: iso)
    }

    /// "12/20/2001" (month first, as US filings write it).
    private static func numeric(_ bytes: [UInt8], at i: Int) -> Found? {
        var parts = (0, 0, 0)
        var j = i
        for index in 0..<3 {
            let start = j
            var value = 0
            while j < bytes.count, ASCII.isDigit(bytes[j]), j - start < (index == 2 ? 4 : 2) {
                value = value * 10 + Int(bytes[j] - 0x30)
                j += 1
            }
            guard j > start else { return nil }
            if index == 2 {
                guard j - start == 4, j >= bytes.count || !ASCII.isAlphanumeric(bytes[j]) else { return nil }
            } else {
                guard j < bytes.count, bytes[j] == ASCII.slash else { return nil }
                j += 1
            }
            switch index {
            case 0: parts.0 = value
            case 1: parts.1 = value
            default: parts.2 = value
            }
        }
        guard (1900...2099).contains(parts.2), let iso = iso(parts.2, parts.0, parts.1) else { return nil }
        return Found(range: i..<j, iso: iso)
    }

    /// Where the first full date in `text` starts, if any.
    static func firstMonthName(in text: String) -> String.Index? {
        let bytes = Array(text.utf8)
        guard let found = scan(bytes, 0..<bytes.count).first else { return nil }
        return text.utf8.index(text.utf8.startIndex, offsetBy: found.range.lowerBound)
    }

    /// The first date in `text` as an ISO string, or "".
    static func firstISO(_ text: String) -> String {
        let bytes = Array(text.utf8)
        return scan(bytes, 0..<bytes.count).first?.iso ?? ""
    }
}
