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
    /// Inside a text layer (``hasTinyFont(_:_:)``): a run of spaces there is a line break.
    private var layerDepth = 0
    /// How many bytes of `text` came from text layers.
    private var layerBytes = 0
    /// Whether an element in tiny type was found never closed.
    private var unclosedLayer = false
    /// The height of the last line box of a page laid out line by line (``positionedLine(_:_:)``).
    private var lastLineTop: Double?
    /// The smallest step down from one positioned line box to the next seen so far, for boxes of one line height.
    private var linePitch: (height: Double, step: Double)?

    private init(input: Input, capacity: Int) {
        self.input = input
        self.text = SourceText(reservingCapacity: capacity)
    }

    /// The text of `range` of the input, and whether most of it is the text layer of page images: the text a
    /// tool writes in invisible type behind a picture of each page ("font-size:1pt;color:white"), one printed line
    /// after another with runs of spaces between them, which reads as plain text does, not as HTML.
    static func render(_ input: Input, _ range: Range<Int>) -> (text: SourceText, textLayer: Bool) {
        var renderer = HTMLText(input: input, capacity: range.count / 3)
        renderer.run(range)
        renderer.text.removeTrailingSpaces()
        while renderer.text.last == ASCII.newline {
            renderer.text.removeLast()
        }
        let textLayer = renderer.layerBytes * 2 > renderer.text.count
        if textLayer { setCapitalsApart(&renderer.text.bytes) }
        return (renderer.text, textLayer)
    }

    /// Puts a run of three or more words in capitals that shares a line of a text layer with other words on a line
    /// of its own: a layer often runs a headline into the line before it with a single space
    /// ("investor.relations@pnc.com PNC COMPLETES ACQUISITION OF BBVA USA"). A space becomes a line break, so
    /// every byte keeps its place.
    static func setCapitalsApart(_ bytes: inout [UInt8]) {
        // Words of the current line: (start, end, in capitals).
        var words: [(start: Int, end: Int, capitals: Bool)] = []
        func splitLine() {
            var k = 0
            while k < words.count {
                guard words[k].capitals else {
                    k += 1
                    continue
                }
                var end = k
                var letters = 0
                while end < words.count, words[end].capitals {
                    letters += bytes[words[end].start..<words[end].end].count(where: ASCII.isLetter)
                    end += 1
                }
                if end - k >= 3, letters >= 12 {
                    if k > 0 { bytes[words[k].start - 1] = ASCII.newline }
                    if end < words.count { bytes[words[end].start - 1] = ASCII.newline }
                }
                k = end
            }
            words.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < bytes.count {
            if bytes[i] == ASCII.newline {
                splitLine()
                i += 1
                continue
            }
            if bytes[i] == ASCII.space {
                i += 1
                continue
            }
            let start = i
            var upper = 0
            var lower = 0
            while i < bytes.count, bytes[i] != ASCII.space, bytes[i] != ASCII.newline {
                if ASCII.isUpper(bytes[i]) { upper += 1 } else if ASCII.isLower(bytes[i]) { lower += 1 }
                i += 1
            }
            // A space right before the word is where a line break can go.
            let capitals = upper > 0 && lower == 0 && (words.isEmpty || bytes[start - 1] == ASCII.space)
            words.append((start, i, capitals || upper == 0 && lower == 0 && words.last?.capitals == true))
        }
        splitLine()
    }

    private enum Break { case none, cell, line, paragraph }

    private static func breakKind(_ element: Element, closing: Bool) -> Break {
        element.breaks == .cell && closing ? .none : element.breaks
    }

    /// What rendering does with an element of one name: looked up once per tag.
    private struct Element {
        /// The break it makes in the text.
        var breaks = Break.none
        /// Whether its content is never shown.
        var hidden = false
        /// Whether it can hold a text layer (``hasTinyFont(_:_:)``); a table row in tiny type is a spacer, and its
        /// end tag is often left out.
        var layer = false
    }

    /// The elements that break the text, hide their content, or can hold a text layer, by name.
    private static let elements: TagTable<Element> = {
        var elements = TagTable<Element>()
        for name in ["br", "tr", "li", "dt", "dd", "caption"] {
            elements[TagName(name), default: Element()].breaks = .line
        }
        for name in ["td", "th"] { elements[TagName(name), default: Element()].breaks = .cell }
        for name in [
            "p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "center", "blockquote", "ul", "ol", "dl",
            "pre", "section", "article", "header", "footer", "form", "body", "page", "document", "text", "address",
            "tbody", "thead", "tfoot",
        ] {
            elements[TagName(name), default: Element()].breaks = .paragraph
        }
        for name in ["script", "style", "head", "title", "ix:header", "noscript"] {
            elements[TagName(name), default: Element()].hidden = true
        }
        for name in ["font", "span", "div", "p"] { elements[TagName(name), default: Element()].layer = true }
        return elements
    }()

    private static let pre = TagName("pre")
    private static let div = TagName("div")
    /// The length in bytes from which a positioned line is a wrapped line of a paragraph: a printed page's line of
    /// body text holds 80 to 120 characters.
    private static let wrappedLine = 64

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
                    if layerDepth > 0, i + 1 < end, ASCII.isWhitespace(bytes[i + 1]) {
                        // A text layer's line ends at a run of spaces.
                        lineBreak(origin: i)
                        while i < end, ASCII.isWhitespace(bytes[i]) { i += 1 }
                        continue
                    }
                    if preDepth > 0 && b == ASCII.newline {
                        text.removeTrailingSpaces()
                        text.append(ASCII.newline, origin: i)
                    } else {
                        text.appendSpace(origin: i)
                    }
                    i += 1
                } else if b >= 0x20 {
                    // A run of printable ASCII without markup or entities is copied whole, with the single spaces
                    // between its words: each is the one space `appendSpace` would add after a word.
                    var j = HTMLText.plainRunEnd(bytes, from: i + 1, end: end)
                    while j < end {
                        let c = bytes[j]
                        if c == ASCII.space, j + 1 < end {
                            let d = bytes[j + 1]
                            guard d > 0x20, d < 0x80, d != ASCII.lessThan, d != ASCII.ampersand else { break }
                            j += 2
                            continue
                        }
                        guard c > 0x20, c < 0x80, c != ASCII.lessThan, c != ASCII.ampersand else { break }
                        j += 1
                    }
                    text.append(verbatim: bytes, i..<j)
                    i = j
                } else {
                    i += 1
                }
            } else {
                i = input.appendCharacter(at: i, to: &text)
            }
        }
    }

    /// How far from `start` a run of printable ASCII goes without markup or an entity, and with single spaces
    /// between its words, as far as whole words of eight bytes tell: the first byte that may end the run (a space
    /// at a word's end among them), or the offset after the last whole word. `run` reads on from there byte by byte.
    static func plainRunEnd(_ bytes: [UInt8], from start: Int, end: Int) -> Int {
        precondition(start >= 0 && end <= bytes.count, "range outside the bytes")
        return bytes.withUnsafeBytes { raw in
            let ones = ASCII.repeated(1)
            var j = start
            while j + 8 <= end {
                let word = ASCII.word(raw, at: j)
                let spaces = ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.space))
                // A byte that cannot be in a run: a control byte, a space, a byte above ASCII, '<' or '&'.
                let outside =
                    ASCII.controlBytes(word) | spaces | (word >> 7) & ones
                    | ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.lessThan))
                    | ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.ampersand))
                // A space is in the run when the byte after it is (the word's last byte has no byte after it here).
                let stops = outside & ~(spaces & ((~outside & ones) >> 8))
                if stops != 0 { return j + stops.trailingZeroBitCount / 8 }
                j += 8
            }
            return j
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
            if quote != 0 {
                // Inside a quoted value (a long style, often) only its closing quote counts.
                guard let close = bytes.nextIndex(of: quote, from: i, before: end) else {
                    i = end
                    break
                }
                quote = 0
                i = close + 1
                continue
            }
            // Eight bytes at a time to the next quote or angle bracket.
            i = bytes.withUnsafeBytes { raw in
                ASCII.nextFlagged(raw, from: i, before: end) { word in
                    ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.quote))
                        | ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.apostrophe))
                        | ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.greaterThan))
                        | ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.lessThan))
                }
            }
            guard i < end else { break }
            let c = bytes[i]
            if c == ASCII.quote || c == ASCII.apostrophe {
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
        let element = HTMLText.elements[name] ?? Element()
        if !closing && !selfClosing && (hidden || element.hidden) {
            paragraphBreak(origin: start)
            return skipElement(bytes[nameStart..<(nameStart + name.count)].map(ASCII.lower), from: after, end: end)
                .after
        }
        if name == HTMLText.pre { preDepth = max(0, preDepth + (closing ? -1 : 1)) }
        if !closing && name == HTMLText.div, let line = HTMLText.positionedLine(bytes, attributesStart..<tagEnd) {
            // A page laid out line by line, each line a box at its own height ("position:absolute;top:99pt"): the
            // next line of the same paragraph is one line-height or so below the last. It goes on a sentence
            // wrapped in mid-phrase (a long line ending in a lower-case word or a comma), and otherwise (a heading,
            // a cover page's centred lines, a sentence's end) starts a line of its own.
            defer {
                if let last = lastLineTop, line.top > last {
                    let step = line.top - last
                    if let known = linePitch, known.height == line.height {
                        linePitch = (line.height, min(known.step, step))
                    } else {
                        linePitch = (line.height, step)
                    }
                }
                lastLineTop = line.top
            }
            // The pitch of lines of one line height is the smallest step seen between them, where the stated
            // height is smaller than the type ("line-height:8.32pt" for lines 15pt apart); a step of twice the line
            // height or more is a paragraph's, not a pitch.
            let pitch = linePitch.map { $0.height == line.height && $0.step <= line.height * 2 ? $0.step : 0 } ?? 0
            if let last = lastLineTop, line.top > last, line.top - last <= max(line.height * 1.5, pitch * 1.4),
                text.count >= 2,
                text.bytes[text.count - 1] == ASCII.newline, text.bytes[text.count - 2] == ASCII.newline
            {
                text.removeLast(2)
                var lineStart = text.count
                while lineStart > 0, text.bytes[lineStart - 1] != ASCII.newline { lineStart -= 1 }
                let wrapped =
                    text.count - lineStart >= HTMLText.wrappedLine
                    && (ASCII.isLower(text.bytes[text.count - 1]) || text.bytes[text.count - 1] == ASCII.comma)
                text.append(wrapped ? ASCII.space : ASCII.newline, origin: start)
                return after
            }
        }
        applyBreak(HTMLText.breakKind(element, closing: closing), origin: start)
        // Not inside a layer (its nested elements are read as it is: no recursion), and not again once an element
        // in tiny type was never closed (each such search reads to the end: the time stays linear).
        if layerDepth == 0 && !unclosedLayer && !closing && !selfClosing && element.layer
            && HTMLText.hasTinyFont(bytes, attributesStart..<tagEnd)
        {
            // Type too small to read: a text layer behind a page image, or a spacer.
            let layer = skipElement(
                bytes[nameStart..<(nameStart + name.count)].map(ASCII.lower),
                from: after,
                end: end
            )
            if layer.contentEnd < end {
                let before = text.count
                layerDepth += 1
                run(after..<layer.contentEnd)
                layerDepth -= 1
                layerBytes += text.count - before
                applyBreak(HTMLText.breakKind(element, closing: true), origin: layer.contentEnd)
                return layer.after
            }
            unclosedLayer = true
        }
        return after
    }

    private mutating func applyBreak(_ kind: Break, origin: Int) {
        switch kind {
        case .none: break
        case .cell: cell(origin: origin)
        case .line: lineBreak(origin: origin)
        case .paragraph: paragraphBreak(origin: origin)
        }
    }

    /// Whether the first "display" of `range` (a tag's attributes) is "display: none".
    private static func hasDisplayNone(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        // Every byte of every tag's attributes passes here: "display" is tested only where its "y" is.
        bytes.firstAnswer(atLetter: 0x79, or: 0x79, in: range) { y in
            let i = y - 6
            guard i >= range.lowerBound, bytes.matchesIgnoringCase("display", at: i) else { return nil }
            var j = i + 7
            while j < range.upperBound, bytes[j] == ASCII.space || bytes[j] == ASCII.colon { j += 1 }
            return bytes.matchesIgnoringCase("none", at: j)
        } ?? false
    }

    /// The height and line height of a positioned line box: a style with "position", "top:99pt" and
    /// "line-height:10pt" (points or pixels).
    private static func positionedLine(_ bytes: [UInt8], _ range: Range<Int>) -> (top: Double, height: Double)? {
        guard let top = styleLength(bytes, range, "top"), let height = styleLength(bytes, range, "line-height"),
            height > 0, range.contains(where: { bytes.matchesIgnoringCase("position:", at: $0) })
        else { return nil }
        return (top, height)
    }

    /// The length of `property` ("top", "font-size") in a style, in points or pixels: the property's name starts
    /// the style or follows ";", "=", a quote or a space (so "margin-top" is not "top"), then ":" and a number.
    private static func styleLength(_ bytes: [UInt8], _ range: Range<Int>, _ property: StaticString) -> Double? {
        let count = property.utf8CodeUnitCount
        guard range.upperBound - count > range.lowerBound else { return nil }
        let first = property.utf8Start[0]
        // Every byte of a styled tag's attributes passes here: only the offsets of the first letter are tested. The
        // answer is nil to go on, and the value (nil when it is no length) at the first use of the property.
        let found: Double?? = bytes.firstAnswer(
            atLetter: first,
            or: first,
            in: range.lowerBound..<(range.upperBound - count)
        ) { i in
            guard bytes.matchesIgnoringCase(property, at: i),
                i == range.lowerBound || bytes[i - 1] == ASCII.semicolon || bytes[i - 1] == ASCII.equals
                    || bytes[i - 1] == ASCII.quote || bytes[i - 1] == ASCII.apostrophe || bytes[i - 1] == ASCII.space
            else { return nil }
            var j = i + count
            while j < range.upperBound, bytes[j] == ASCII.space { j += 1 }
            guard j < range.upperBound, bytes[j] == ASCII.colon else { return nil }  // another word: "valign=top"
            j += 1
            while j < range.upperBound, bytes[j] == ASCII.space { j += 1 }
            var value = 0.0
            var scale = 0.0
            let start = j
            while j < range.upperBound, ASCII.isDigit(bytes[j]) || bytes[j] == ASCII.period && scale == 0 {
                if bytes[j] == ASCII.period {
                    scale = 1
                } else if scale > 0 {
                    scale /= 10
                    value += Double(bytes[j] - 0x30) * scale
                } else {
                    value = value * 10 + Double(bytes[j] - 0x30)
                }
                j += 1
            }
            guard j > start, bytes.matchesIgnoringCase("pt", at: j) || bytes.matchesIgnoringCase("px", at: j) else {
                return .some(nil)
            }
            return value
        }
        return found ?? nil
    }

    /// A style of type 2 points (or pixels) high or smaller: "font-size:1pt", "font-size: 0.5px".
    private static func hasTinyFont(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        styleLength(bytes, range, "font-size").map { $0 <= 2 } ?? false
    }

    /// Where the content ends and the index after the end tag, for the element named `name` whose content starts
    /// at `from` (both `end` when it is never closed).
    private func skipElement(_ name: [UInt8], from: Int, end: Int) -> (contentEnd: Int, after: Int) {
        let bytes = input.bytes
        var depth = 1
        var i = from
        while let tag = bytes.nextIndex(of: ASCII.lessThan, from: i, before: end) {
            i = tag
            let closing = i + 1 < end && bytes[i + 1] == ASCII.slash
            let nameAt = closing ? i + 2 : i + 1
            if nameAt + name.count <= end, HTMLText.nameMatches(bytes, at: nameAt, name) {
                let next = nameAt + name.count
                if next >= end || !(ASCII.isAlphanumeric(bytes[next]) || bytes[next] == ASCII.colon) {
                    if closing {
                        depth -= 1
                        if depth == 0 { return (i, indexAfter(">", from: next, end: end)) }
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
        return (end, end)
    }

    private static func nameMatches(_ bytes: [UInt8], at i: Int, _ name: [UInt8]) -> Bool {
        for (k, c) in name.enumerated() where ASCII.lower(bytes[i + k]) != c { return false }
        return true
    }

    private func indexAfter(_ terminator: StaticString, from: Int, end: Int) -> Int {
        let bytes = input.bytes
        let first = terminator.utf8Start[0]
        var i = from
        while let found = bytes.nextIndex(of: first, from: i, before: end) {
            if bytes.matches(terminator, at: found) {
                return found + terminator.utf8CodeUnitCount
            }
            i = found + 1
        }
        return end
    }
}

/// An element's name (or another short word) in lower case, packed into two words: compared and looked up
/// (``TagTable``) without an allocation. Names longer than 16 bytes keep only their first 16 and their length, enough
/// to tell them from every name the renderer and ``Furniture`` know, all shorter.
struct TagName: Equatable {
    private var head: UInt64 = 0
    private var tail: UInt64 = 0
    private(set) var count = 0

    init() {}

    /// `name`, in lower case.
    init(_ name: String) {
        for byte in name.utf8 { append(byte) }
    }

    /// The name's bits mixed into one word, for ``TagTable``: its high bits depend on every byte.
    @inline(__always)
    var mixed: UInt64 {
        (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F)
            ^ (UInt64(truncatingIfNeeded: count) &* 0x1656_67B1_9E37_79F9)
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

/// A fixed table of tag names, looked up once per tag of a document: open addressing on a multiplicative hash of the
/// packed name, without the seeded hasher a `Dictionary` runs for every look-up.
struct TagTable<Value: Sendable>: Sendable {
    private var keys: [TagName?]
    private var values: [Value?]
    private static var shift: UInt64 { 64 - 8 }

    /// An empty table with room for 128 names (the renderer knows about 50).
    init() {
        keys = Array(repeating: nil, count: 1 << 8)
        values = Array(repeating: nil, count: 1 << 8)
    }

    @inline(__always)
    private func slot(_ name: TagName) -> Int {
        Int(truncatingIfNeeded: name.mixed >> Self.shift)
    }

    /// The value of `name`, nil when the table has none.
    subscript(name: TagName) -> Value? {
        get {
            var i = slot(name)
            while let key = keys[i] {
                if key == name { return values[i] }
                i = (i + 1) & (keys.count - 1)
            }
            return nil
        }
        set {
            var i = slot(name)
            while let key = keys[i], key != name { i = (i + 1) & (keys.count - 1) }
            precondition(keys.filter { $0 != nil }.count < keys.count / 2, "TagTable is for a few dozen names")
            keys[i] = name
            values[i] = newValue
        }
    }

    /// The value of `name`, or `defaultValue` when the table has none (for updates in place).
    subscript(name: TagName, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[name] ?? defaultValue() }
        set { self[name] = newValue }
    }
}
