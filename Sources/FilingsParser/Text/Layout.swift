internal import FilingsCore

/// A document's readable text, and the line view the form and contact extractors read.
struct Layout {
    /// The body: page furniture removed, paragraphs reflowed, separated by one blank line.
    var text = SourceText()
    /// The paragraphs of `text`.
    var paragraphs: [Range<Int>] = []
    /// The text the layout was made from, before reflowing.
    let raw: SourceText
    /// Whether the text is a text layer behind page images (see ``init(raw:hardLines:textLayer:)``).
    let textLayer: Bool
    /// The lines of `raw`, furniture removed, leading spacing kept and trailing spacing cut (blank lines kept, as
    /// empty ranges).
    var lineRanges: [Range<Int>] = []

    /// Lays out plain text (`hardLines` false) or rendered HTML (`hardLines` true: every line break is meant).
    /// `textLayer`: the text is the invisible layer behind page images (``HTMLText/render(_:_:)``), plain lines
    /// without blank lines between paragraphs, whose headlines and dateline also start paragraphs.
    init(raw: SourceText, hardLines: Bool, textLayer: Bool = false) {
        self.raw = raw
        self.textLayer = textLayer
        text = SourceText(reservingCapacity: raw.count)
        var infos: [LineInfo] = []
        let bytes = raw.bytes
        var start = 0
        while start <= bytes.count {
            let end = bytes.nextIndex(of: ASCII.newline, from: start) ?? bytes.count
            infos.append(LineInfo(bytes, start..<end))
            start = end + 1
        }
        // The line view.
        lineRanges.reserveCapacity(infos.count)
        for info in infos where info.kind != .furniture {
            lineRanges.append(info.content.isEmpty ? info.content : info.range.lowerBound..<info.content.upperBound)
        }
        buildParagraphs(raw, infos, hardLines: hardLines, textLayer: textLayer)
    }

    private mutating func buildParagraphs(_ raw: SourceText, _ infos: [LineInfo], hardLines: Bool, textLayer: Bool) {
        let byLine = !hardLines && !textLayer && Layout.isWrittenByParagraph(raw.bytes, infos)
        var current: [LineInfo] = []
        var pendingBreak = false
        var sawFurniture = false
        for var info in infos {
            switch info.kind {
            case .furniture:
                sawFurniture = true
                continue
            case .blank, .rule:
                if !current.isEmpty { pendingBreak = true }
                continue
            case .content:
                break
            }
            if let previous = current.last {
                let joins: Bool
                if pendingBreak {
                    joins = Layout.continuesSentence(raw.bytes, previous, info, acrossFurniture: sawFurniture)
                } else if hardLines {
                    joins = true
                } else if byLine {
                    // Text written a paragraph to a line, with no blank line between paragraphs.
                    joins = false
                } else if textLayer && Layout.startsLayerParagraph(raw.bytes, previous, info) {
                    joins = false
                } else {
                    joins = !Layout.startsParagraph(raw.bytes, previous, info)
                }
                if !joins {
                    emit(raw, current, hardLines: hardLines)
                    current.removeAll(keepingCapacity: true)
                } else if pendingBreak, sawFurniture, let last = previous.lastByte(raw.bytes),
                    ASCII.isLower(last) || last == ASCII.comma, let first = info.firstByte(raw.bytes),
                    ASCII.isLower(first)
                {
                    // A sentence a page break cut in mid-phrase ("a private equity fund" / page 1 / "that invests").
                    info.continuesAcrossBreak = true
                }
            }
            current.append(info)
            pendingBreak = false
            sawFurniture = false
        }
        emit(raw, current, hardLines: hardLines)
    }

    /// Whether plain text was written a paragraph to a line, never wrapped: it has lines of prose wider than any
    /// printed page, and few lines of a page's width that stop in mid-sentence, as wrapped lines do.
    private static func isWrittenByParagraph(_ bytes: [UInt8], _ infos: [LineInfo]) -> Bool {
        var unwrapped = 0
        var wrapped = 0
        for info in infos where info.kind == .content && !info.isLayout {
            if info.isUnwrapped {
                unwrapped += 1
            } else if info.width >= 60, let last = info.lastByte(bytes), ASCII.isLower(last) || last == ASCII.comma {
                wrapped += 1
            }
        }
        return unwrapped >= 2 && wrapped * 2 < unwrapped
    }

    /// Whether `next`, after a blank line or page break, carries on the sentence `previous` left unfinished.
    private static func continuesSentence(
        _ bytes: [UInt8],
        _ previous: LineInfo,
        _ next: LineInfo,
        acrossFurniture: Bool
    ) -> Bool {
        guard let last = previous.lastByte(bytes), let first = next.firstByte(bytes) else { return false }
        if acrossFurniture {
            // "…shares of" <PAGE> "Junglee Capital Stock…": an unfinished sentence goes on.
            return !isTerminal(last) && (ASCII.isLower(first) || ASCII.isLower(last))
                && !next.isLayout && !previous.isLayout
        }
        guard ASCII.isLower(first) else { return false }
        return ASCII.isLower(last) || last == ASCII.comma
    }

    /// Whether `next`, directly below `previous` in plain text, begins a new paragraph.
    private static func startsParagraph(_ bytes: [UInt8], _ previous: LineInfo, _ next: LineInfo) -> Bool {
        guard let last = previous.lastByte(bytes) else { return true }
        guard isTerminal(last) else { return false }
        if next.indent > previous.indent + 1 && next.indent <= 12 { return true }
        if previous.isLayout || next.isLayout { return false }
        // A short line ending a sentence, under a full-width one, ends its paragraph.
        return previous.width < 48 && next.width > 60 && next.indent >= previous.indent
    }

    /// In a text layer, where no blank line separates paragraphs: a line in capitals (a headline) is a paragraph
    /// of its own, and a dateline ("PITTSBURGH, June 1, 2021 - …") opens one.
    private static func startsLayerParagraph(_ bytes: [UInt8], _ previous: LineInfo, _ next: LineInfo) -> Bool {
        let capitals = isCapitals(bytes, previous.content)
        if capitals != isCapitals(bytes, next.content) { return true }
        return !capitals && DatelineExtractor.parse(bytes, next.content)?.0.date.isEmpty == false
    }

    /// Letters, all in capitals: "PNC COMPLETES ACQUISITION OF BBVA USA".
    private static func isCapitals(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var letters = 0
        for b in bytes[range] where ASCII.isLetter(b) {
            guard ASCII.isUpper(b) else { return false }
            letters += 1
        }
        return letters >= 4
    }

    /// Whether `b` ends a sentence or a clause: . ! ? : " or the last byte of ” (E2 80 9D).
    static func isTerminal(_ b: UInt8) -> Bool {
        b == ASCII.period || b == 0x21 || b == 0x3F || b == ASCII.colon || b == ASCII.quote || b == 0x9D
    }

    private mutating func emit(_ raw: SourceText, _ lines: [LineInfo], hardLines: Bool) {
        guard !lines.isEmpty else { return }
        if !text.isEmpty {
            text.append(ASCII.newline, origin: text.origin(at: text.count - 1))
            text.append(ASCII.newline, origin: text.origin(at: text.count - 1))
        }
        let start = text.count
        var previous: LineInfo?
        var run = 0  // where the lines' origins are in `raw`'s runs: the lines are read in order
        for line in lines {
            if let previous {
                if (hardLines && !line.continuesAcrossBreak) || previous.isLayout || line.isLayout {
                    text.removeTrailingSpaces()
                    text.append(
                        ASCII.newline,
                        origin: line.content.lowerBound > 0 ? raw.origin(at: line.content.lowerBound, run: &run) : 0
                    )
                } else if let last = previous.lastByte(raw.bytes), last == ASCII.hyphen,
                    previous.content.count >= 2, ASCII.isLetter(raw.bytes[previous.content.upperBound - 2]),
                    let first = line.firstByte(raw.bytes), ASCII.isLower(first)
                {
                    // "in-\nlicensing": the hyphen stays, the break goes.
                } else {
                    text.appendSpace(origin: raw.origin(at: line.content.lowerBound, run: &run))
                }
            }
            // A line of words with single spaces between them is copied as it is.
            if line.isPlain {
                text.append(raw, line.content, run: &run)
                previous = line
                continue
            }
            var i = line.content.lowerBound
            let end = line.content.upperBound
            while i < end {
                let b = raw.bytes[i]
                if b == ASCII.space {
                    // One space for the run: after its first, the text ends in whitespace and the others add nothing.
                    text.appendSpace(origin: raw.origin(at: i, run: &run))
                    i += 1
                    while i < end, raw.bytes[i] == ASCII.space { i += 1 }
                } else if b == ASCII.tab {
                    if hardLines {
                        text.removeTrailingSpaces()
                        if text.last != ASCII.tab { text.append(ASCII.tab, origin: raw.origin(at: i, run: &run)) }
                    } else {
                        text.appendSpace(origin: raw.origin(at: i, run: &run))
                    }
                    i += 1
                } else {
                    // A run of other bytes is copied whole, with its origins.
                    var j = i + 1
                    while j < end, raw.bytes[j] != ASCII.space, raw.bytes[j] != ASCII.tab { j += 1 }
                    text.append(raw, i..<j, run: &run)
                    i = j
                }
            }
            text.removeTrailingSpaces()
            previous = line
        }
        if text.count > start {
            paragraphs.append(start..<text.count)
        }
    }
}

/// One line of raw text, classified.
struct LineInfo {
    enum Kind { case blank, rule, furniture, content }

    let range: Range<Int>
    /// `range` without leading and trailing whitespace.
    let content: Range<Int>
    /// Leading columns (a tab counts eight).
    let indent: Int
    let kind: Kind
    /// True for a line laid out in columns (a run of three or more spaces inside it).
    let isLayout: Bool
    /// True when no tab and no two spaces in a row are inside the line: its text needs no spacing collapsed.
    let isPlain: Bool
    /// True when the line carries on, in mid-phrase, the sentence of the line before it across a page break: it
    /// joins that line with a space, even where line breaks are meant (rendered HTML).
    var continuesAcrossBreak = false

    var width: Int { indent + content.count }

    /// Lines of plain text are wrapped at 80 columns or so; one of prose over this many bytes was not wrapped (a
    /// line laid out in columns may be wider, and is not prose).
    static let unwrappedWidth = 120

    /// True for a line of prose wider than any printed page: a paragraph written on one line.
    var isUnwrapped: Bool { !isLayout && width > LineInfo.unwrappedWidth }

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.range = range
        var indent = 0
        var i = range.lowerBound
        while i < range.upperBound, ASCII.isSpace(bytes[i]) {
            indent += bytes[i] == ASCII.tab ? 8 : 1
            i += 1
        }
        self.indent = indent
        let content = bytes.trimmed(range)
        self.content = content
        (self.isLayout, self.isPlain) = Self.spacing(bytes, content)
        if content.isEmpty {
            kind = .blank
        } else if Furniture.isRule(bytes, content) {
            kind = .rule
        } else if Furniture.isFurniture(bytes, content) {
            kind = .furniture
        } else {
            kind = .content
        }
    }

    /// Whether `content` of `bytes` is laid out (a tab, or three spaces in a row) and whether it is plain (no tab,
    /// no two spaces in a row).
    static func spacing(_ bytes: [UInt8], _ content: Range<Int>) -> (isLayout: Bool, isPlain: Bool) {
        precondition(content.lowerBound >= 0 && content.upperBound <= bytes.count, "range outside the bytes")
        // Every byte of every line passes here, so eight at a time: a flag for each space, and for each tab.
        return bytes.withUnsafeBytes { raw in
            var pair = false
            // The spaces that end what was read so far (counted up to 2, all the next word needs).
            var run = 0
            var i = content.lowerBound
            while i + 8 <= content.upperBound {
                let word = ASCII.word(raw, at: i)
                if ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.tab)) != 0 { return (true, false) }
                let spaces = ASCII.zeroBytes(word ^ ASCII.repeated(ASCII.space))
                let pairs = spaces & (spaces >> 8)
                // Spaces at k, k + 1 and k + 2; and the runs that start in the word before.
                if pairs & (spaces >> 16) != 0 || (run >= 2 && spaces & 1 != 0) || (run >= 1 && pairs & 1 != 0) {
                    return (true, false)
                }
                if pairs != 0 || (run >= 1 && spaces & 1 != 0) { pair = true }
                // The spaces above the word's last other byte (there is one: eight spaces hold three in a row).
                let lastOther = (63 - (~spaces & ASCII.repeated(1)).leadingZeroBitCount) / 8
                run = min(2, 7 - lastOther)
                i += 8
            }
            while i < content.upperBound {
                let byte = raw[i]
                if byte == ASCII.tab { return (true, false) }
                if byte == ASCII.space {
                    run += 1
                    if run >= 3 { return (true, false) }
                    if run >= 2 { pair = true }
                } else {
                    run = 0
                }
                i += 1
            }
            return (false, !pair)
        }
    }

    func lastByte(_ bytes: [UInt8]) -> UInt8? { content.isEmpty ? nil : bytes[content.upperBound - 1] }
    func firstByte(_ bytes: [UInt8]) -> UInt8? { content.isEmpty ? nil : bytes[content.lowerBound] }
}
