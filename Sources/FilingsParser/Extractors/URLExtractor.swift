internal import FilingsCore

/// Web addresses as written, without the scheme: "www.neot.com", "investor.mantech.com", "twitter.com/fico", and a
/// bare domain where the text sends the reader to it ("visit CuriosityStream.com", "can be found at tylertech.com").
enum URLExtractor: DocumentStage {
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        reading.document.urls = extract(context.text)
    }

    private static let topLevelDomains: Set<String> = [
        "com", "net", "org", "gov", "edu", "io", "co", "us", "biz", "info", "ca", "uk", "de", "fr", "jp", "cn", "in",
        "au", "ch", "nl", "eu", "ai", "tv", "me", "mil", "int",
    ]

    /// The lengths of ``topLevelDomains``, from the shortest to the longest (all are letters).
    private static let tldLengths = topLevelDomains.map(\.utf8.count).min()!...topLevelDomains.map(\.utf8.count).max()!

    static func extract(_ text: SourceText) -> [String] {
        var urls: [String] = []
        var seen = Set<String>()
        let bytes = text.bytes
        let n = bytes.count
        var i = 0
        // Tokens are runs of non-space characters, and only one with a period can hold an address: find the
        // periods, then the tokens around them.
        while let period = bytes.nextIndex(of: ASCII.period, from: i) {
            var start = period
            while start > 0, !ASCII.isWhitespace(bytes[start - 1]) { start -= 1 }
            var end = period + 1
            while end < n, !ASCII.isWhitespace(bytes[end]) { end += 1 }
            i = end
            guard end - start >= 5, let url = candidate(bytes, start..<end) else { continue }
            if seen.insert(url.lowercased()).inserted { urls.append(url) }
        }
        return urls
    }

    /// The token that ends before `index`, past the spaces there; empty at the start of the text.
    private static func tokenBefore(_ bytes: [UInt8], _ index: Int) -> Range<Int> {
        var end = index
        while end > 0, ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
        var start = end
        while start > 0, !ASCII.isWhitespace(bytes[start - 1]) { start -= 1 }
        return start..<end
    }

    /// Words that send the reader to an address: "visit", "see", "website", or "at" / "to" after "found",
    /// "available", "online", "go" and the like ("can be found at", "go to").
    private static func sendsTheReader(_ bytes: [UInt8], _ before: Range<Int>, _ last: Range<Int>) -> Bool {
        func word(_ range: Range<Int>) -> String {
            String(decoding: bytes[range].filter(ASCII.isLetter).map(ASCII.lower), as: UTF8.self)
        }
        guard last.count >= 2, last.count <= 10 else { return false }
        let cue = word(last)
        if ["visit", "visiting", "see", "website", "site", "online", "web"].contains(cue) { return true }
        guard cue == "at" || cue == "to", before.count <= 12 else { return false }
        return ["found", "available", "online", "website", "site", "go", "located", "accessed", "visit", "us"]
            .contains(word(before))
    }

    /// The address `token` holds, if any. Works on the text's bytes and copies only an address found: most tokens
    /// are words or numbers.
    private static func candidate(_ bytes: [UInt8], _ token: Range<Int>) -> String? {
        var lo = token.lowerBound
        var hi = token.upperBound
        // Strip surrounding punctuation.
        while lo < hi, !ASCII.isAlphanumeric(bytes[lo]) { lo += 1 }
        while hi > lo, !(ASCII.isAlphanumeric(bytes[hi - 1]) || bytes[hi - 1] == ASCII.slash) { hi -= 1 }
        // A host has two labels or more: a word without a period inside is no address (most words).
        guard hi - lo >= 5, bytes.firstIndex(of: ASCII.period, in: lo..<hi) != nil,
            bytes.firstIndex(of: ASCII.at, in: lo..<hi) == nil
        else { return nil }
        var explicit = false
        for scheme: StaticString in ["https://", "http://"]
        where hi - lo >= scheme.utf8CodeUnitCount && bytes.matchesIgnoringCase(scheme, at: lo) {
            lo += scheme.utf8CodeUnitCount
            explicit = true
        }
        if hi - lo >= 4, bytes.matchesIgnoringCase("www.", at: lo) { explicit = true }
        // Host and path; the host's labels are not empty, and there are two or more.
        let hostEnd = bytes.firstIndex(of: ASCII.slash, in: lo..<hi) ?? hi
        guard hostEnd > lo, bytes[lo] != ASCII.period, bytes[hostEnd - 1] != ASCII.period else { return nil }
        var periods = 0
        var lastPeriod = lo
        var digitsOnly = true  // the label being read, so far
        var numericLabel = false  // a label before the last is all digits
        for k in lo..<hostEnd {
            let b = bytes[k]
            if b == ASCII.period {
                if k == lastPeriod + 1 && periods > 0 { return nil }
                if digitsOnly { numericLabel = true }
                periods += 1
                lastPeriod = k
                digitsOnly = true
            } else if ASCII.isAlphanumeric(b) || b == ASCII.hyphen {
                if !ASCII.isDigit(b) { digitsOnly = false }
            } else {
                return nil
            }
        }
        // A top-level domain is letters, of a length some known one has: numbers ("1.5") and most words end here.
        let tldRange = (lastPeriod + 1)..<hostEnd
        guard periods >= 1, tldLengths.contains(tldRange.count), bytes[tldRange].allSatisfy(ASCII.isLetter) else {
            return nil
        }
        let tld = String(decoding: bytes[tldRange].map(ASCII.lower), as: UTF8.self)
        guard topLevelDomains.contains(tld) else { return nil }
        // The two tokens before the address, for ``sendsTheReader(_:_:_:)``.
        let last = tokenBefore(bytes, token.lowerBound)
        if !explicit && !sendsTheReader(bytes, tokenBefore(bytes, last.lowerBound), last) {
            // A bare domain: "investor.mantech.com" or "twitter.com/fico", but not a company name like "Amazon.com".
            guard periods >= 2 || hostEnd < hi else { return nil }
            guard !bytes[lo..<hostEnd].contains(where: ASCII.isUpper) else { return nil }
            guard !numericLabel else { return nil }
        }
        while hi > lo, bytes[hi - 1] == ASCII.slash { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}
