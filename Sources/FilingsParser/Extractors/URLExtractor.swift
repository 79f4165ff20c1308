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

    static func extract(_ text: SourceText) -> [String] {
        var urls: [String] = []
        var seen = Set<String>()
        let bytes = text.bytes
        var i = 0
        let n = bytes.count
        // The two tokens before the current one, for ``sendsTheReader(_:_:_:)``.
        var previous: [Range<Int>] = [0..<0, 0..<0]
        while i < n {
            // Tokens are runs of non-space characters.
            while i < n, ASCII.isWhitespace(bytes[i]) { i += 1 }
            let start = i
            while i < n, !ASCII.isWhitespace(bytes[i]) { i += 1 }
            defer { previous = [previous[1], start..<i] }
            guard i - start >= 5, let url = candidate(bytes, start..<i, after: previous) else { continue }
            if seen.insert(url.lowercased()).inserted { urls.append(url) }
        }
        return urls
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

    /// The address `token` holds, if any; `after` are the two tokens before it.
    private static func candidate(_ bytes: [UInt8], _ token: Range<Int>, after: [Range<Int>]) -> String? {
        var lo = token.lowerBound
        var hi = token.upperBound
        // Strip surrounding punctuation.
        while lo < hi, !ASCII.isAlphanumeric(bytes[lo]) { lo += 1 }
        while hi > lo, !(ASCII.isAlphanumeric(bytes[hi - 1]) || bytes[hi - 1] == ASCII.slash) { hi -= 1 }
        // A host has two labels or more: a word without a period inside is no address (most words; no copy).
        guard hi - lo >= 5, bytes.firstIndex(of: ASCII.period, in: lo..<hi) != nil else { return nil }
        var slice = Array(bytes[lo..<hi])
        if slice.contains(ASCII.at) { return nil }
        var explicit = false
        for scheme: StaticString in ["https://", "http://"] where slice.matchesIgnoringCase(scheme, at: 0) {
            slice.removeFirst(scheme.utf8CodeUnitCount)
            explicit = true
        }
        if slice.matchesIgnoringCase("www.", at: 0) { explicit = true }
        // Host and path.
        let hostEnd = slice.firstIndex(of: ASCII.slash) ?? slice.count
        let host = slice[0..<hostEnd]
        let labels = host.split(separator: ASCII.period, omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return nil }
        guard host.allSatisfy({ ASCII.isAlphanumeric($0) || $0 == ASCII.hyphen || $0 == ASCII.period }) else {
            return nil
        }
        let tld = String(decoding: labels.last!.map(ASCII.lower), as: UTF8.self)
        guard topLevelDomains.contains(tld) else { return nil }
        if !explicit && !sendsTheReader(bytes, after[0], after[1]) {
            // A bare domain: "investor.mantech.com" or "twitter.com/fico", but not a company name like "Amazon.com".
            guard labels.count >= 3 || hostEnd < slice.count else { return nil }
            guard host.allSatisfy({ !ASCII.isUpper($0) }) else { return nil }
            guard !labels.dropLast().contains(where: { $0.allSatisfy(ASCII.isDigit) }) else { return nil }
        }
        while let last = slice.last, last == ASCII.slash { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
