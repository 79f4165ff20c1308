internal import FilingsCore

/// Listed securities: "Name (EXCHANGE: SYMBOL)", "(TSX: ABC; NASDAQ: ABCD)", and the registered-securities table
/// on modern cover pages.
enum SecurityExtractor: DocumentStage {
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        reading.document.securities = extract(context)
    }

    private static let exchangeWords = [
        "nyse", "nasdaq", "amex", "otc", "tsx", "asx", "lse", "exchange", "bourse", "euronext", "six", "hkex", "sehk",
        "cboe", "bats", "arca", "pink", "bse", "nse", "market", "board", "aim", "cse", "nm", "nms",
    ]

    static func extract(_ context: DocumentContext) -> [Security] {
        var securities: [Security] = []
        var seen = Set<String>()
        func add(_ security: Security) {
            let key = security.exchange.lowercased().filter { $0.isLetter || $0.isNumber } + "|" + security.symbol
            if seen.insert(key).inserted { securities.append(security) }
        }
        let bytes = context.text.bytes
        var i = 0
        // Each opening parenthesis, found by memchr.
        while let open = bytes.nextIndex(of: ASCII.openParen, from: i) {
            i = open
            if let close = bytes.firstIndex(of: ASCII.closeParen, in: (i + 1)..<min(bytes.count, i + 120)),
                bytes.firstIndex(of: ASCII.colon, in: (i + 1)..<close) != nil
            {
                let listings = listings(bytes, (i + 1)..<close)
                if !listings.isEmpty {
                    let name = nameBefore(bytes, definedTermBefore(bytes, i) ?? i)
                    for (exchange, symbol) in listings {
                        let start = name?.lowerBound ?? i
                        add(
                            Security(
                                name: name.map { context.string($0) } ?? "",
                                exchange: exchange,
                                symbol: symbol,
                                span: context.span(start..<(close + 1))
                            )
                        )
                    }
                    i = close + 1
                    continue
                }
            }
            i += 1
        }
        for security in coverTable(context) { add(security) }
        return securities
    }

    /// "NASDAQ: NEOT" or "TSX: ABC; NASDAQ: ABCD".
    private static func listings(_ bytes: [UInt8], _ range: Range<Int>) -> [(String, String)] {
        var result: [(String, String)] = []
        for part in bytes[range].split(whereSeparator: { $0 == ASCII.semicolon || $0 == ASCII.comma }) {
            guard let colon = part.firstIndex(of: ASCII.colon) else { return [] }
            let exchange = String(decoding: part[part.startIndex..<colon], as: UTF8.self).trimmingSpaces()
            let symbol = String(decoding: part[(colon + 1)...], as: UTF8.self).trimmingSpaces()
            guard isExchange(exchange), isSymbol(symbol) else { return [] }
            result.append((exchange, symbol.uppercased()))
        }
        return result
    }

    static func isExchange(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 40, let first = text.utf8.first, ASCII.isUpper(first) else { return false }
        let words = text.split(separator: " ")
        guard words.count <= 5 else { return false }
        let lower = text.lowercased()
        if exchangeWords.contains(where: { word in
            lower.split(whereSeparator: { !$0.isLetter }).contains { $0 == word } || lower.contains("exchange")
        }) {
            return true
        }
        return words.count == 1 && text.count <= 6 && text.utf8.allSatisfy { ASCII.isUpper($0) }
            && !["INC", "CEO", "CFO", "USA", "US"].contains(text)
    }

    private static func isSymbol(_ text: String) -> Bool {
        guard (1...12).contains(text.utf8.count) else { return false }
        let bytes = Array(text.utf8)
        guard bytes.contains(where: ASCII.isLetter) else { return false }
        // Tickers are written in capitals ("ABCD.OB", "BRK.A"); a lower-case word is prose.
        guard bytes.filter(ASCII.isLetter).allSatisfy(ASCII.isUpper) || bytes.count <= 5 && ASCII.isUpper(bytes[0])
        else { return false }
        return bytes.allSatisfy { ASCII.isAlphanumeric($0) || $0 == ASCII.period || $0 == ASCII.hyphen }
    }

    private static let abbreviations: Set<String> = [
        "inc.", "corp.", "co.", "ltd.", "l.p.", "n.v.", "s.a.", "plc.", "llc.", "st.", "u.s.", "int'l.", "bros.",
        "mfg.", "ag.", "se.", "l.l.c.", "p.l.c.",
    ]

    /// Legal suffixes written in full, which end a company's name.
    private static let legalWords: Set<String> = ["inc", "corporation", "company", "limited", "llc", "lp", "plc"]

    /// Capitalised words that open sentences, not names.
    private static let sentenceWords: Set<String> = [
        "Today", "Yesterday", "Tomorrow", "Recently", "Also", "Meanwhile", "Additionally", "Separately", "Earlier",
        "Later", "Previously", "In", "On", "At", "By", "With", "For", "From", "And", "But", "Both", "As", "After",
        "Before", "When", "While", "If", "This", "That", "These", "Shares", "Stock", "About", "Visit", "Contact",
    ]

    /// The opening parenthesis of a defined term just before `open`: `Acme, Inc. ("Acme" or the "Company")
    /// (NYSE: ACME)` names the company before its short names.
    private static func definedTermBefore(_ bytes: [UInt8], _ open: Int) -> Int? {
        var close = open
        while close > 0, bytes[close - 1] == ASCII.space || bytes[close - 1] == ASCII.newline { close -= 1 }
        guard close > 0, bytes[close - 1] == ASCII.closeParen else { return nil }
        var p = close - 1
        while p > max(0, close - 120), bytes[p - 1] != ASCII.openParen, bytes[p - 1] != ASCII.closeParen { p -= 1 }
        guard p > 0, bytes[p - 1] == ASCII.openParen else { return nil }
        // A defined term is quoted: "Acme" or “Acme”.
        return (p..<(close - 1)).contains { bytes.opensQuotation(at: $0) } ? p - 1 : nil
    }

    /// The company name written just before `open` (a parenthesis): capitalised words, "&", "of", "and" between
    /// capitalised words ("Sears, Roebuck and Co."), "Inc.", ….
    static func nameBefore(_ bytes: [UInt8], _ open: Int) -> Range<Int>? {
        var end = open
        while end > 0, bytes[end - 1] == ASCII.space || bytes[end - 1] == ASCII.newline { end -= 1 }
        var start = end
        var words = 0
        var cursor = end
        while cursor > 0, words < 8 {
            var wordStart = cursor
            while wordStart > 0, !ASCII.isWhitespace(bytes[wordStart - 1]) { wordStart -= 1 }
            var word = Array(bytes[wordStart..<cursor])
            // "First!--Cisco" or "2023 —Alnylam": keep what follows a dash run.
            var cut = word.count
            while cut > 0 {
                if word[cut - 1] == ASCII.hyphen && cut >= 2 && word[cut - 2] == ASCII.hyphen { break }
                if word[cut - 1] == 0x94 && cut >= 3 && word[cut - 3] == 0xE2 { break }
                cut -= 1
            }
            if cut > 0 {
                if cut < word.count {
                    start = wordStart + cut
                    words += 1
                }
                break
            }
            while let last = word.last, last == ASCII.comma { word.removeLast() }
            guard let first = word.first else { break }
            let text = String(decoding: word, as: UTF8.self)
            let connector = text == "&" || text == "of" || text == "de" || text == "and"
            guard ASCII.isUpper(first) || ASCII.isDigit(first) || connector else { break }
            guard !sentenceWords.contains(text) else { break }
            if word.contains(ASCII.closeParen) || word.contains(ASCII.quote) { break }
            // A word that ends a sentence ("today. Acme") stops the name, unless it is an abbreviation or initial.
            if words > 0, word.last == ASCII.period, !abbreviations.contains(text.lowercased()), word.count > 2,
                !word.dropLast().contains(ASCII.period)
            {
                break
            }
            start = wordStart
            words += 1
            cursor = wordStart
            while cursor > 0, bytes[cursor - 1] == ASCII.space || bytes[cursor - 1] == ASCII.newline { cursor -= 1 }
            if cursor < wordStart, cursor > 0, bytes[cursor - 1] == ASCII.period || bytes[cursor - 1] == ASCII.colon {
                // The previous word ends a sentence or a label.
                var p = cursor - 1
                while p > 0, !ASCII.isWhitespace(bytes[p - 1]) { p -= 1 }
                let previous = String(decoding: bytes[p..<cursor], as: UTF8.self).lowercased()
                if !abbreviations.contains(previous) && !(previous.count <= 4 && previous.dropLast().contains(".")) {
                    break
                }
            }
        }
        // Leading connectors are not part of the name, nor is a company that "and" joins to it ("Beta Inc. and
        // Acme Corp."): within one name, "and" follows a word that is not a legal suffix.
        var previousWord = ""
        var scan = start
        while scan < end {
            var e = scan
            while e < end, !ASCII.isWhitespace(bytes[e]) { e += 1 }
            let word = String(decoding: bytes[scan..<e], as: UTF8.self)
            var next = e
            while next < end, ASCII.isWhitespace(bytes[next]) { next += 1 }
            if scan == start, word == "&" || word == "of" || word == "de" || word == "and" {
                start = next
            } else if word == "and",
                abbreviations.contains(previousWord.lowercased())
                    || previousWord.hasSuffix(",") || legalWords.contains(previousWord.lowercased())
            {
                start = next
            }
            previousWord = word
            scan = next
        }
        var trimmedEnd = end
        while trimmedEnd > start, bytes[trimmedEnd - 1] == ASCII.comma { trimmedEnd -= 1 }
        return trimmedEnd > start ? start..<trimmedEnd : nil
    }

    /// The cover-page table: Title of each class / Trading Symbol(s) / Name of each exchange on which registered,
    /// as tab-separated rows or as one cell per line, its header cells perhaps wrapped over several lines.
    private static func coverTable(_ context: DocumentContext) -> [Security] {
        let lines = context.lineStrings
        guard let header = context.firstLine(holding: coverTableHeader) else { return [] }
        var securities: [Security] = []
        // Cells on lines of their own, in order: title, symbol, exchange, title, ….
        var loneCells: [String] = []
        var index = header + 1
        var blanks = 0
        while index < lines.count, index < header + 40 {
            let line = lines[index]
            index += 1
            if line.isEmpty {
                blanks += 1
                if blanks > 1 && !securities.isEmpty { break }
                continue
            }
            let cells = line.utf8.split(separator: ASCII.tab).map { String(Substring($0)).trimmingSpaces() }
                .filter { !$0.isEmpty }
            // The prose after the table ends it.
            if cells.count < 2, line.hasPrefixIgnoringASCIICase("indicate") || line.utf8.count > 160 { break }
            if isHeaderCell(line) { continue }
            if cells.count == 1 {
                loneCells.append(cells[0])
                continue
            }
            guard cells.count >= 3, isSymbol(cells[1]) else { continue }
            securities.append(Security(name: cells[0], exchange: cells[2], symbol: cells[1].uppercased()))
        }
        guard securities.isEmpty else { return securities }
        return loneCellRows(loneCells)
    }

    /// Cover-table rows from cells on lines of their own, written row by row (title, symbol, exchange, title, …)
    /// or column by column (every title, then every symbol, then every exchange). Column by column, titles and
    /// symbols pair up when their numbers agree, or when there is one symbol (it belongs to the first class);
    /// otherwise which title a symbol belongs to is unknown, and none is reported.
    private static func loneCellRows(_ cells: [String]) -> [Security] {
        guard let firstSymbol = cells.firstIndex(where: isSymbol) else { return [] }
        var securities: [Security] = []
        if firstSymbol == 1 {
            var i = 0
            while i + 2 < cells.count, !isSymbol(cells[i]), isSymbol(cells[i + 1]) {
                securities.append(Security(name: cells[i], exchange: cells[i + 2], symbol: cells[i + 1].uppercased()))
                i += 3
            }
            return securities
        }
        // Every class has an exchange: what is neither a title nor an exchange is a symbol ("NYSE" may read as one).
        let titles = cells[..<firstSymbol]
        let symbolCount = cells.count - 2 * titles.count
        guard !titles.isEmpty, symbolCount == titles.count || symbolCount == 1 else { return [] }
        let symbols = cells[firstSymbol..<(firstSymbol + symbolCount)]
        let exchanges = cells[(firstSymbol + symbolCount)...]
        guard symbols.allSatisfy(isSymbol) else { return [] }
        for (offset, symbol) in symbols.enumerated() {
            let title = titles[titles.startIndex + offset]
            let exchange = exchanges[exchanges.startIndex + offset]
            securities.append(Security(name: title, exchange: exchange, symbol: symbol.uppercased()))
        }
        return securities
    }

    /// The words on the cover table's header line.
    private static let coverTableHeader = NeedleSet(["trading symbol", "title of each class"])

    /// A header cell of the cover table, or a piece of one: "Title of each class", "Trading", "Symbol(s)",
    /// "Name of each exchange on", "which registered".
    private static func isHeaderCell(_ line: String) -> Bool {
        line.containsIgnoringASCIICase("title of each class")
            || line.containsIgnoringASCIICase("name of each exchange")
            || line.containsIgnoringASCIICase("name of exchange") || line.hasPrefixIgnoringASCIICase("trading")
            || line.hasPrefixIgnoringASCIICase("symbol") || line.containsIgnoringASCIICase("which registered")
    }
}
