internal import FilingsCore

/// Page furniture: what a printed page carries that is not part of the text.
enum Furniture {
    /// A line drawn with `-`, `=`, `_` or `*`.
    static func isRule(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.count >= 3 else { return false }
        for i in range {
            let b = bytes[i]
            guard b == ASCII.hyphen || b == 0x3D || b == 0x5F || b == 0x2A || ASCII.isSpace(b) else { return false }
        }
        return true
    }

    /// `<PAGE>`, SGML table markup, "more...", "-more-", lone page numbers, "Page 2 of 5", "# # #", "-30-",
    /// logo placeholders like "[COMPANY LOGO]", and a page's "- more -" with the page's footer after it on the same
    /// line ("- more - Exhibit 99.1", as a text layer writes it).
    static func isFurniture(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let first = bytes[range.lowerBound]
        if first == ASCII.lessThan { return isMarkupOnly(bytes, range) }
        if first == ASCII.openBracket && bytes[range.upperBound - 1] == ASCII.closeBracket && range.count < 80 {
            return containsWord(bytes, range, "logo") || containsWord(bytes, range, "graphic")
                || containsWord(bytes, range, "photo") || containsWord(bytes, range, "picture")
        }
        if range.count <= 48, let footer = afterMoreMarker(bytes, range) {
            return footer.count <= 24
        }
        guard range.count <= 24 else { return false }
        // The line's letters in lower case, packed (no allocation: most short lines are not furniture).
        var letters = TagName()
        var digits = 0
        var hashes = 0
        for i in range {
            let b = bytes[i]
            if ASCII.isLetter(b) {
                letters.append(ASCII.lower(b))
            } else if ASCII.isDigit(b) {
                digits += 1
            } else if b == 0x23 {
                hashes += 1
            } else if !(ASCII.isSpace(b) || b == ASCII.hyphen || b == ASCII.period || b == ASCII.openParen
                || b == ASCII.closeParen || b >= 0x80)
            {
                return false
            }
        }
        if hashes > 0 { return letters.count == 0 && digits == 0 }
        let parenthesised = bytes[range].contains(ASCII.openParen)
        if letters.count == 0 { return !parenthesised && digits > 0 && digits <= 3 }
        if letters == Words.more || letters == Words.continued { return true }
        if parenthesised { return false }
        // "Page 2", "Page 2 of 5", "- 2 -".
        if (letters == Words.page || letters == Words.pageOf) && digits > 0 { return true }
        return false
    }

    /// The rest of a line that starts with a page's "more" marker: "-more-", "- more -", "(more)", "more...",
    /// "– MORE –" (en or em dashes), "- more" ending the line; nil when the line does not start with one.
    static func afterMoreMarker(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int>? {
        guard let first = range.first.map({ bytes[$0] }),
            first == ASCII.hyphen || first == ASCII.openParen || first | 0x20 == 0x6D || first == 0xE2
        else { return nil }  // most lines, on one look
        let end = range.upperBound
        var i = range.lowerBound
        let parenthesised = first == ASCII.openParen
        if parenthesised { i += 1 }
        let opening = parenthesised ? i : afterDashes(bytes, i, end)
        let dashed = opening > i
        i = afterSpaces(bytes, opening, end)
        guard i + 4 <= end, bytes.matchesIgnoringCase("more", at: i) else { return nil }
        i += 4
        guard i == end || !ASCII.isLetter(bytes[i]) else { return nil }  // "moreover"
        i = afterSpaces(bytes, i, end)
        if parenthesised {
            guard i < end, bytes[i] == ASCII.closeParen else { return nil }
            i += 1
        } else if dashed {
            // "- more -", or "- more" where the line ends.
            let closing = afterDashes(bytes, i, end)
            guard closing > i || i == end else { return nil }
            i = closing
        } else {
            // Without a dash or a parenthesis before it, only "more...": "More-than-expected…" is prose.
            guard i + 3 <= end, bytes[i..<(i + 3)].allSatisfy({ $0 == ASCII.period }) else { return nil }
            i += 3
        }
        guard i == end || ASCII.isSpace(bytes[i]) else { return nil }  // "-more-than-expected"
        return afterSpaces(bytes, i, end)..<end
    }

    /// Where the run of spaces and tabs at `i` ends, before `end`.
    private static func afterSpaces(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Int {
        var i = i
        while i < end, ASCII.isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// Where the run of hyphens, en dashes and em dashes (E2 80 93, E2 80 94) at `i` ends, before `end`.
    private static func afterDashes(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Int {
        var i = i
        while i < end {
            if bytes[i] == ASCII.hyphen {
                i += 1
            } else if i + 2 < end, bytes[i] == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0x93 || bytes[i + 2] == 0x94
            {
                i += 3
            } else {
                break
            }
        }
        return i
    }

    /// The letters of the furniture lines that have some, as ``isFurniture(_:_:)`` packs a line's.
    private enum Words {
        static let more = TagName("more")
        static let continued = TagName("continued")
        static let page = TagName("page")
        static let pageOf = TagName("pageof")
    }

    private static func isMarkupOnly(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if ASCII.isSpace(b) {
                i += 1
                continue
            }
            guard b == ASCII.lessThan else {
                // "<PAGE>   1": a page marker with its number.
                return bytes.matchesIgnoringCase("<page>", at: range.lowerBound)
                    && bytes[i..<range.upperBound].allSatisfy { ASCII.isDigit($0) || ASCII.isSpace($0) }
            }
            var j = i + 1
            while j < range.upperBound, bytes[j] != ASCII.greaterThan, j - i < 12 { j += 1 }
            guard j < range.upperBound, bytes[j] == ASCII.greaterThan else { return false }
            var name = TagName()
            for k in (bytes[i + 1] == ASCII.slash ? i + 2 : i + 1)..<j { name.append(ASCII.lower(bytes[k])) }
            guard Furniture.markup.contains(name) else { return false }
            i = j + 1
        }
        return true
    }

    private static let markup: [TagName] = [
        "page", "s", "c", "table", "caption", "fn", "f1", "f2", "f3", "f4", "f5", "r", "l", "text", "pre",
    ].map(TagName.init)

    private static func containsWord(_ bytes: [UInt8], _ range: Range<Int>, _ word: StaticString) -> Bool {
        var i = range.lowerBound
        while i + word.utf8CodeUnitCount <= range.upperBound {
            if bytes.matchesIgnoringCase(word, at: i) { return true }
            i += 1
        }
        return false
    }
}
