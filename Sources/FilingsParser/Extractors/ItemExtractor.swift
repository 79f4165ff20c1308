internal import FilingsCore

/// The Items an 8-K's body reports: "Item 2.02 Results of Operations…" (2004 on) or "Item 5. Other Events".
enum ItemExtractor: DocumentStage {
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        guard reading.document.kind == .currentReport else { return }
        reading.document.items = extract(context, filedAt: reading.submission?.filedAt ?? "")
    }

    static func extract(_ context: DocumentContext, filedAt: String) -> [Item] {
        var items: [Item] = []
        let bytes = context.text.bytes
        let paragraphs = context.layout.paragraphs
        for (p, paragraph) in paragraphs.enumerated() {
            // An item heading opens a paragraph or one of its lines.
            var lineStart = paragraph.lowerBound
            while lineStart < paragraph.upperBound {
                var lineEnd = lineStart
                while lineEnd < paragraph.upperBound, bytes[lineEnd] != ASCII.newline { lineEnd += 1 }
                if let item = heading(bytes, lineStart..<paragraph.upperBound, context: context) {
                    let following = p + 1 < paragraphs.count ? context.paragraph(p + 1) : ""
                    if !items.contains(where: { $0.number == item.number }),
                        !isEmptyItem(remainder: item.remainder, following: following)
                    {
                        items.append(item.item)
                    }
                }
                lineStart = lineEnd + 1
            }
        }
        return items
    }

    private struct Heading {
        var item: Item
        var number: String
        var remainder: String
    }

    private static func heading(_ bytes: [UInt8], _ range: Range<Int>, context: DocumentContext) -> Heading? {
        var i = range.lowerBound
        guard bytes.matchesIgnoringCase("item", at: i), i + 5 < range.upperBound else { return nil }
        // "Item" or "ITEM" but not "Items"/"itemized".
        guard ASCII.isUpper(bytes[i]) else { return nil }
        i += 4
        guard bytes[i] == ASCII.space || bytes[i] == ASCII.tab else { return nil }
        while i < range.upperBound, bytes[i] == ASCII.space || bytes[i] == ASCII.tab { i += 1 }
        let numberStart = i
        while i < range.upperBound, ASCII.isDigit(bytes[i]) || bytes[i] == ASCII.period { i += 1 }
        var numberEnd = i
        while numberEnd > numberStart, bytes[numberEnd - 1] == ASCII.period { numberEnd -= 1 }
        guard numberEnd > numberStart else { return nil }
        let number = String(decoding: bytes[numberStart..<numberEnd], as: UTF8.self)
        guard EightKItems.isKnown(number) else { return nil }
        let table = number.contains(".") ? EightKItems.current : EightKItems.legacy
        let title = table.first(where: { $0.0 == number })?.1 ?? ""
        if i < range.upperBound, ASCII.isLetter(bytes[i]) {
            // "Item 9.01Financial Statements" (two elements of a page with no space between them) is the item when
            // its title follows; "Item 5a" is not.
            let end = min(range.upperBound, i + title.utf8.count + 8)
            let following = EightKItems.normalized(String(decoding: bytes[i..<end], as: UTF8.self))
            guard number.contains("."), !title.isEmpty, following.hasPrefix(EightKItems.normalized(title)) else {
                return nil
            }
        }
        while i < range.upperBound,
            bytes[i] == ASCII.space || bytes[i] == ASCII.tab || bytes[i] == ASCII.colon
                || bytes[i] == ASCII.hyphen || bytes[i] == ASCII.period
        {
            i += 1
        }
        var lineEnd = i
        while lineEnd < range.upperBound, bytes[lineEnd] != ASCII.newline { lineEnd += 1 }
        let rest = String(decoding: bytes[i..<range.upperBound], as: UTF8.self)
        // What follows the title.
        let restKey = EightKItems.normalized(rest)
        let titleKey = EightKItems.normalized(title)
        var remainder = restKey
        if restKey.hasPrefix(titleKey) {
            remainder = String(restKey.dropFirst(titleKey.count)).trimmingSpaces()
        } else {
            // A title written differently: the remainder is what follows its first line/sentence.
            let line = EightKItems.normalized(String(decoding: bytes[i..<lineEnd], as: UTF8.self))
            remainder = String(restKey.dropFirst(line.count)).trimmingSpaces()
        }
        let item = Item(number: number, title: title, span: context.span(range.lowerBound..<lineEnd))
        return Heading(item: item, number: number, remainder: remainder)
    }

    /// "None." / "Not applicable." alone under the heading means the item is not reported.
    private static func isEmptyItem(remainder: String, following: String) -> Bool {
        let body = remainder.isEmpty ? EightKItems.normalized(following) : remainder
        return body == "none" || body == "not applicable" || body == "n a"
    }
}
