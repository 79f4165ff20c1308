internal import FilingsCore

/// A press release's dateline: "IRVINE, Calif., December 20, 2001 --", "San Jose, CA (August 10, 1995) --",
/// "SAN JOSE, Calif.--(BUSINESS WIRE)--April 29, 2020--", "CAMBRIDGE, Mass.— July 24, 2023 —", and undated ones
/// that open an announcement: "SILVER SPRING, Md. — Acme Inc. (Nasdaq: ACME) today announced …".
enum DatelineExtractor: DocumentStage {
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        reading.dateline = extract(context)
    }

    struct Found {
        var dateline: Dateline
        /// The paragraph it opens.
        var paragraph: Int
        /// Carries a wire-service marker ("(BUSINESS WIRE)", "/PRNewswire/").
        var wire: Bool
        /// An upper-case city and a dash open a paragraph that announces or lists a ticker: a release's dateline
        /// even without a date.
        var opensAnnouncement: Bool = false
    }

    static func extract(_ context: DocumentContext) -> Found? {
        let bytes = context.text.bytes
        for (index, range) in context.layout.paragraphs.prefix(80).enumerated() {
            if let found = parse(bytes, range) {
                return Found(dateline: found.0, paragraph: index, wire: found.1, opensAnnouncement: found.2)
            }
        }
        return nil
    }

    private static func isDash(_ bytes: [UInt8], _ i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        if bytes[i] == ASCII.hyphen { return 1 }
        if bytes[i] == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x94 || bytes[i + 2] == 0x93 {
            return 3
        }
        return nil
    }

    /// "BUSINESS WIRE", "PRNewswire", "GLOBE NEWSWIRE", "Marketwired": a news service's name.
    private static func isWireService(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.count < 40 else { return false }
        var i = range.lowerBound
        while i + 4 <= range.upperBound {
            if bytes.matchesIgnoringCase("wire", at: i) || bytes.matchesIgnoringCase("news", at: i) { return true }
            i += 1
        }
        return false
    }

    /// Whether the start of a paragraph reads as an announcement: it lists a ticker ("(NYSE: ABC)",
    /// "(Nasdaq: ABC)"), or says the company "today announced" or "reported today".
    private static func announces(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        func word(_ text: StaticString, at i: Int) -> Bool {
            let end = i + text.utf8CodeUnitCount
            return bytes.matchesIgnoringCase(text, at: i) && (i == range.lowerBound || !ASCII.isLetter(bytes[i - 1]))
                && (end >= range.upperBound || !ASCII.isLetter(bytes[end]))
        }
        var i = range.lowerBound
        while i + 4 <= range.upperBound {
            switch ASCII.lower(bytes[i]) {
            case ASCII.openParen:
                // "(NYSE: ABC)", "(Nasdaq GS: ABC)", "(OTCQX:ABC)": an upper-case exchange before a colon.
                var k = i + 1
                while k < range.upperBound, k < i + 40, bytes[k] != ASCII.closeParen, bytes[k] != ASCII.colon {
                    k += 1
                }
                if k < range.upperBound, bytes[k] == ASCII.colon, k > i + 2, ASCII.isUpper(bytes[i + 1]) {
                    return true
                }
            case 0x61:  // a
                if word("announced today", at: i) || word("announces today", at: i) { return true }
            case 0x72:  // r
                if word("reported today", at: i) || word("reports today", at: i) { return true }
            case 0x74:  // t
                if word("today announced", at: i) || word("today reported", at: i) || word("today reports", at: i)
                    || word("today announces", at: i)
                {
                    return true
                }
            default:
                break
            }
            i += 1
        }
        return false
    }

    /// The dateline opening the paragraph at `range`, whether it carries a wire marker, and whether it is an undated
    /// dateline that opens an announcement.
    static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> (Dateline, Bool, Bool)? {
        let end = min(range.upperBound, range.lowerBound + 240)
        var i = range.lowerBound
        // City: capitalised words up to a comma or a dash.
        let cityStart = i
        var words = 0
        while i < end {
            guard ASCII.isUpper(bytes[i]) else { return nil }
            while i < end, ASCII.isLetter(bytes[i]) || bytes[i] == ASCII.period || bytes[i] == ASCII.apostrophe {
                i += 1
            }
            words += 1
            if i < end, bytes[i] == ASCII.space, i + 1 < end, ASCII.isUpper(bytes[i + 1]), words < 4 {
                i += 1
                continue
            }
            break
        }
        guard words >= 1, i > cityStart + 1, i < end else { return nil }
        let city = String(decoding: bytes[cityStart..<i], as: UTF8.self)
        let cityIsUpperCase = bytes[cityStart..<i].allSatisfy { !ASCII.isLetter($0) || ASCII.isUpper($0) }
        var state = ""
        var sawSeparatorAfterCity = false
        if bytes[i] == ASCII.comma {
            i += 1
            if i < end, bytes[i] == ASCII.space { i += 1 }
            let stateStart = i
            var stateWords = 0
            while i < end, ASCII.isUpper(bytes[i]), stateWords < 3, DateExtractor.month(bytes, at: i) == nil {
                while i < end, ASCII.isLetter(bytes[i]) || bytes[i] == ASCII.period { i += 1 }
                stateWords += 1
                if i + 1 < end, bytes[i] == ASCII.space, ASCII.isUpper(bytes[i + 1]),
                    DateExtractor.month(bytes, at: i + 1) == nil
                {
                    i += 1
                } else {
                    break
                }
            }
            // "NEW YORK, July 24 /PRNewswire/": no state, the date follows the city.
            let noState = i == stateStart && DateExtractor.month(bytes, at: i) != nil
            guard i > stateStart || noState else { return nil }
            state = noState ? "" : String(decoding: bytes[stateStart..<i], as: UTF8.self)
            sawSeparatorAfterCity = noState
        }
        // Separators, wire markers, then the date.
        var wire = false
        var sawDash = false
        var sawSeparator = sawSeparatorAfterCity
        var date = ""
        var guardCount = 0
        while i < end, guardCount < 12 {
            guardCount += 1
            let b = bytes[i]
            if b == ASCII.space || b == ASCII.comma {
                sawSeparator = sawSeparator || b == ASCII.comma
                i += 1
            } else if let n = isDash(bytes, i) {
                sawSeparator = true
                sawDash = true
                i += n
            } else if b == ASCII.slash, let close = bytes.firstIndex(of: ASCII.slash, in: (i + 1)..<end),
                isWireService(bytes, (i + 1)..<close)
            {
                wire = true
                sawSeparator = true
                i = close + 1
            } else if b == ASCII.openParen {
                if let (found, _) = DateExtractor.monthFirst(bytes, at: i + 1) {
                    date = found?.iso ?? ""
                    return (Dateline(city: city, state: state, date: date), wire, false)
                }
                guard let close = bytes.firstIndex(of: ASCII.closeParen, in: (i + 1)..<end),
                    isWireService(bytes, (i + 1)..<close)
                else { return nil }
                wire = true
                sawSeparator = true
                i = close + 1
            } else if ASCII.isUpper(b), sawSeparator, let (found, dayEnd) = DateExtractor.monthFirst(bytes, at: i) {
                date = found?.iso ?? ""
                var k = found?.range.upperBound ?? dayEnd
                while k < end, bytes[k] == ASCII.space || bytes[k] == ASCII.closeParen { k += 1 }
                // "April 29, 2020 (GLOBE NEWSWIRE) –".
                if k < end, bytes[k] == ASCII.openParen,
                    let close = bytes.firstIndex(of: ASCII.closeParen, in: (k + 1)..<end),
                    isWireService(bytes, (k + 1)..<close)
                {
                    wire = true
                    k = close + 1
                    while k < end, bytes[k] == ASCII.space { k += 1 }
                }
                if k < end, bytes[k] == ASCII.slash,
                    let close = bytes.firstIndex(of: ASCII.slash, in: (k + 1)..<end),
                    isWireService(bytes, (k + 1)..<close)
                {
                    wire = true
                }
                // "Wallingford, Connecticut, February 4, 2026. Acme Corp. (NYSE: ACME) today announced …": a period
                // ends the dateline when the sentence after it announces.
                let periodOpensAnnouncement =
                    k + 2 < end && bytes[k] == ASCII.period && bytes[k + 1] == ASCII.space
                    && ASCII.isUpper(bytes[k + 2]) && announces(bytes, (k + 2)..<min(range.upperBound, k + 402))
                guard isDash(bytes, k) != nil || wire || periodOpensAnnouncement else { return nil }
                return (Dateline(city: city, state: state, date: date), wire, false)
            } else {
                // "ATLANTA – Acme Inc. (NYSE: ACME) today announced …": no date, but a release's opening.
                if !wire, sawDash, cityIsUpperCase, ASCII.isUpper(b),
                    announces(bytes, i..<min(range.upperBound, i + 400))
                {
                    return (Dateline(city: city, state: state, date: ""), false, true)
                }
                break
            }
        }
        // A wire dateline without a date: "SAN JOSE, Calif.--(BUSINESS WIRE)--Cisco Systems…".
        if wire { return (Dateline(city: city, state: state, date: ""), true, false) }
        return nil
    }
}
