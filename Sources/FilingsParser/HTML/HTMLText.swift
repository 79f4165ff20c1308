internal import FilingsCore

/// Renders an HTML (or inline XBRL) body to text: tags stripped, entities decoded, hidden content dropped,
/// block elements as paragraph breaks, `<br>` and table rows as line breaks, table cells separated by tabs.
///
/// One pass over the bytes; skipping a hidden element scans forward for its end tag, so the whole run stays
/// linear in the input size.
struct HTMLText {
    private let input: Input
    private var text: SourceText
    private var preDepth = 0

    private init(input: Input, capacity: Int) {
        self.input = input
        self.text = SourceText(reservingCapacity: capacity)
    }

    /// The text of `range` of the input.
    static func render(_ input: Input, _ range: Range<Int>) -> SourceText {
        var renderer = HTMLText(input: input, capacity: range.count / 3)
        renderer.run(range)
        renderer.text.removeTrailingSpaces()
        while renderer.text.last == ASCII.newline {
            renderer.text.bytes.removeLast()
            renderer.text.origins.removeLast()
        }
        return renderer.text
    }

    private enum Break { case none, cell, line, paragraph }

    private static func breakKind(_ name: TagName, closing: Bool) -> Break {
        switch breaks[name] {
        case .cell?: return closing ? .none : .cell
        case let kind?: return kind
        case nil: return .none
        }
    }

    /// The elements that break the text, by name.
    private static let breaks: [TagName: Break] = {
        var breaks: [TagName: Break] = [:]
        for name in ["br", "tr", "li", "dt", "dd", "caption"] { breaks[TagName(name)] = .line }
        for name in ["td", "th"] { breaks[TagName(name)] = .cell }
        for name in [
            "p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "center", "blockquote", "ul", "ol", "dl",
            "pre", "section", "article", "header", "footer", "form", "body", "page", "document", "text", "address",
            "tbody", "thead", "tfoot",
        ] {
            breaks[TagName(name)] = .paragraph
        }
        return breaks
    }()

    /// Elements whose content is never shown.
    private static let hiddenElements: Set<TagName> = Set(
        ["script", "style", "head", "title", "ix:header", "noscript"].map(TagName.init)
    )

    private static let pre = TagName("pre")

    private mutating func lineBreak(origin: Int) {
        text.removeTrailingSpaces()
        guard let last = text.last, last != ASCII.newline else { return }
        text.append(ASCII.newline, origin: origin)
    }

    private mutating func paragraphBreak(origin: Int) {
        text.removeTrailingSpaces()
        guard !text.isEmpty else { return }
        let n = text.count
        if text.bytes[n - 1] != ASCII.newline {
            text.append(ASCII.newline, origin: origin)
            text.append(ASCII.newline, origin: origin)
        } else if n < 2 || text.bytes[n - 2] != ASCII.newline {
            text.append(ASCII.newline, origin: origin)
        }
    }

    private mutating func cell(origin: Int) {
        text.removeTrailingSpaces()
        guard let last = text.last, last != ASCII.newline, last != ASCII.tab else { return }
        text.append(ASCII.tab, origin: origin)
    }

    private mutating func run(_ range: Range<Int>) {
        let bytes = input.bytes
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b == ASCII.lessThan {
                i = tag(at: i, end: end)
            } else if b == ASCII.ampersand {
                if let next = HTMLEntities.decode(bytes, at: i, end: end, into: &text) {
                    i = next
                } else {
                    text.append(b, origin: i)
                    i += 1
                }
            } else if b < 0x80 {
                if ASCII.isWhitespace(b) {
                    if preDepth > 0 && b == ASCII.newline {
                        text.removeTrailingSpaces()
                        text.append(ASCII.newline, origin: i)
                    } else {
                        text.appendSpace(origin: i)
                    }
                } else if b >= 0x20 {
                    text.append(b, origin: i)
                }
                i += 1
            } else {
                i = input.appendCharacter(at: i, to: &text)
            }
        }
    }

    /// Handles the markup at `i` (a `<`); returns the index after it.
    private mutating func tag(at start: Int, end: Int) -> Int {
        let bytes = input.bytes
        var i = start + 1
        guard i < end else {
            text.append(ASCII.lessThan, origin: start)
            return end
        }
        if bytes[i] == 0x21 {  // '!': comment, doctype, CDATA
            if bytes.matches("<!--", at: start) {
                return indexAfter("-->", from: start + 4, end: end)
            }
            return indexAfter(">", from: i, end: end)
        }
        if bytes[i] == 0x3F { return indexAfter(">", from: i, end: end) }  // '?'
        let closing = bytes[i] == ASCII.slash
        if closing { i += 1 }
        let nameStart = i
        var name = TagName()
        while i < end,
            ASCII.isAlphanumeric(bytes[i]) || bytes[i] == ASCII.colon || bytes[i] == ASCII.hyphen
                || bytes[i] == 0x5F
        {
            name.append(ASCII.lower(bytes[i]))
            i += 1
        }
        guard name.count > 0, name.count < 40 else {
            // A lone '<' in text.
            text.append(ASCII.lessThan, origin: start)
            return start + 1
        }
        // Find the end of the tag, minding quoted attribute values.
        var quote: UInt8 = 0
        var hidden = false
        let attributesStart = i
        while i < end {
            let c = bytes[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == ASCII.quote || c == ASCII.apostrophe {
                quote = c
            } else if c == ASCII.greaterThan {
                break
            } else if c == ASCII.lessThan && i > nameStart + name.count {
                break  // a broken tag: resume at the next one
            }
            i += 1
        }
        let tagEnd = i
        let after = i < end && bytes[i] == ASCII.greaterThan ? i + 1 : i
        if !closing && tagEnd > attributesStart {
            hidden = HTMLText.hasDisplayNone(bytes, attributesStart..<tagEnd)
        }
        let selfClosing = tagEnd > attributesStart && bytes[tagEnd - 1] == ASCII.slash
        if !closing && !selfClosing && (hidden || HTMLText.hiddenElements.contains(name)) {
            paragraphBreak(origin: start)
            return skipElement(bytes[nameStart..<(nameStart + name.count)].map(ASCII.lower), from: after, end: end)
        }
        if name == HTMLText.pre { preDepth = max(0, preDepth + (closing ? -1 : 1)) }
        switch HTMLText.breakKind(name, closing: closing) {
        case .none: break
        case .cell: cell(origin: start)
        case .line: lineBreak(origin: start)
        case .paragraph: paragraphBreak(origin: start)
        }
        return after
    }

    private static func hasDisplayNone(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i + 7 <= range.upperBound {
            if bytes.matchesIgnoringCase("display", at: i) {
                var j = i + 7
                while j < range.upperBound, bytes[j] == ASCII.space || bytes[j] == ASCII.colon { j += 1 }
                return bytes.matchesIgnoringCase("none", at: j)
            }
            i += 1
        }
        return false
    }

    /// The index after the end tag matching an element named `name` whose content starts at `from`.
    private func skipElement(_ name: [UInt8], from: Int, end: Int) -> Int {
        let bytes = input.bytes
        var depth = 1
        var i = from
        while i < end {
            guard bytes[i] == ASCII.lessThan else {
                i += 1
                continue
            }
            let closing = i + 1 < end && bytes[i + 1] == ASCII.slash
            let nameAt = closing ? i + 2 : i + 1
            if nameAt + name.count <= end, HTMLText.nameMatches(bytes, at: nameAt, name) {
                let next = nameAt + name.count
                if next >= end || !(ASCII.isAlphanumeric(bytes[next]) || bytes[next] == ASCII.colon) {
                    if closing {
                        depth -= 1
                        if depth == 0 { return indexAfter(">", from: next, end: end) }
                    } else {
                        // A self-closing tag of the same name does not nest.
                        var k = next
                        while k < end, bytes[k] != ASCII.greaterThan { k += 1 }
                        if !(k > next && bytes[k - 1] == ASCII.slash) { depth += 1 }
                    }
                }
            }
            i += 1
        }
        return end
    }

    private static func nameMatches(_ bytes: [UInt8], at i: Int, _ name: [UInt8]) -> Bool {
        for (k, c) in name.enumerated() where ASCII.lower(bytes[i + k]) != c { return false }
        return true
    }

    private func indexAfter(_ terminator: StaticString, from: Int, end: Int) -> Int {
        let bytes = input.bytes
        var i = from
        while i < end {
            if bytes.matches(terminator, at: i) { return i + terminator.utf8CodeUnitCount }
            i += 1
        }
        return end
    }
}

/// An element's name in lower case, packed into two words: compared and hashed without an allocation. Names longer
/// than 16 bytes keep only their first 16 and their length, enough to tell them from every name the renderer
/// knows, all shorter.
struct TagName: Hashable {
    private var head: UInt64 = 0
    private var tail: UInt64 = 0
    private(set) var count = 0

    init() {}

    /// `name`, in lower case.
    init(_ name: String) {
        for byte in name.utf8 { append(byte) }
    }

    mutating func append(_ byte: UInt8) {
        if count < 8 {
            head |= UInt64(byte) << (8 * UInt64(count))
        } else if count < 16 {
            tail |= UInt64(byte) << (8 * UInt64(count - 8))
        }
        count += 1
    }
}
