internal import FilingsCore

/// Reads one document: renders its body to text and runs every extractor over it.
enum DocumentReader {
    static func read(
        _ raw: SGMLDocument,
        input: Input,
        submission: Submission?,
        lone: Bool,
        warnings: inout Warnings
    ) throws(ParseError) -> Document {
        var document = Document()
        document.type = raw.type
        document.sequence = raw.sequence == 0 && lone ? 1 : raw.sequence
        document.filename = raw.filename
        document.description = raw.description
        let bytes = input.bytes
        if isBinary(raw, bytes) {
            document.binary = true
            document.kind = .other
            return document
        }
        let html = looksLikeHTML(bytes, raw.body)
        let (rendered, textLayer) =
            html ? HTMLText.render(input, raw.body) : (PlainText.decode(input, raw.body), false)
        try input.checkCancelled()
        // A text layer's lines break where the printed page's did: laid out as plain text is.
        let layout = Layout(raw: rendered, hardLines: html && !textLayer, textLayer: textLayer)
        document.text = layout.text.string
        if isXML(bytes, raw.body) && !html {
            document.kind = .other
            if document.type.isEmpty { document.type = "XML" }
            return document
        }
        var reading = DocumentReading(document: document, warnings: warnings, submission: submission)
        let context = DocumentContext(input: input, layout: layout)
        for stage in stages {
            try input.checkCancelled()
            stage.run(context, &reading)
        }
        warnings = reading.warnings
        return reading.document
    }

    /// The extractors, in the order they run over a text document; each reads what the ones before it found.
    static let stages: [any DocumentStage.Type] = [
        SignatureReader.self,  // signature blocks, for the people and a 12b-25's signer
        LateFilingExtractor.self,  // a 12b-25's fields, which also name its type when none is given
        DatelineExtractor.self,  // a press release's dateline
        Classifier.self,  // the type when none is given, the kind, the forward-looking caution
        AmountExtractor.self,  // money and percentages
        DateExtractor.self,  // dates
        URLExtractor.self,  // web addresses
        SecurityExtractor.self,  // listed securities
        ContactExtractor.self,  // a press release's contacts
        PeopleExtractor.self,  // people, their titles and quotes; the contacts and a 12b-25's signer among them
        TitleExtractor.self,  // the issuer and the title, by kind
        ItemExtractor.self,  // a current report's items
    ]

    static func looksLikeHTML(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let end = min(range.upperBound, range.lowerBound + 8192)
        var i = range.lowerBound
        // From one '<' to the next.
        while let found = bytes.nextIndex(of: ASCII.lessThan, from: i, before: end), found + 3 < end {
            i = found
            let next = ASCII.lower(bytes[i + 1])
            if next == 0x68 && (bytes.matchesIgnoringCase("<html", at: i)) { return true }
            if next == 0x62
                && (bytes.matchesIgnoringCase("<body", at: i) || bytes.matchesIgnoringCase("<br>", at: i))
            {
                return true
            }
            if next == 0x64 && bytes.matchesIgnoringCase("<div", at: i) { return true }
            if next == 0x74 && bytes.matchesIgnoringCase("<table", at: i) && !bytes.matches("<TABLE>", at: i) {
                return true
            }
            if next == 0x70 && (bytes[i + 2] == ASCII.greaterThan || bytes[i + 2] == ASCII.space) { return true }
            if next == 0x66 && bytes.matchesIgnoringCase("<font", at: i) { return true }
            i += 1
        }
        return false
    }

    private static func isXML(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let content = bytes.trimmed(range.lowerBound..<min(range.upperBound, range.lowerBound + 64))
        return bytes.matchesIgnoringCase("<xml>", at: content.lowerBound)
            || bytes.matchesIgnoringCase("<?xml", at: content.lowerBound)
            || bytes.matchesIgnoringCase("<xbrl>", at: content.lowerBound)
    }

    /// Graphics, PDF, ZIP, Excel: listed with their type and filename, never decoded as text.
    private static func isBinary(_ raw: SGMLDocument, _ bytes: [UInt8]) -> Bool {
        let type = raw.type.uppercased()
        if ["GRAPHIC", "ZIP", "EXCEL", "PDF", "JPG", "GIF", "PNG", "XLSX", "XLS"].contains(type) { return true }
        let lowerName = raw.filename.lowercased()
        for ext in [".jpg", ".jpeg", ".gif", ".png", ".pdf", ".zip", ".xls", ".xlsx", ".doc", ".docx", ".bmp"]
        where lowerName.hasSuffix(ext) {
            return true
        }
        let content = bytes.trimmed(raw.body.lowerBound..<min(raw.body.upperBound, raw.body.lowerBound + 64))
        if bytes.matchesIgnoringCase("<pdf>", at: content.lowerBound) { return true }
        // uuencoded: "begin 644 name".
        if bytes.matches("begin ", at: content.lowerBound), content.count > 9,
            bytes[(content.lowerBound + 6)..<(content.lowerBound + 9)].allSatisfy({ $0 >= 0x30 && $0 <= 0x37 })
        {
            return true
        }
        return false
    }
}

/// What every extractor reads: the input (for spans) and the document's laid-out text.
struct DocumentContext {
    let input: Input
    let layout: Layout
    /// The lines of the line view as strings (empty strings for blank lines).
    let lineStrings: LineStrings

    init(input: Input, layout: Layout) {
        self.input = input
        self.layout = layout
        self.lineStrings = LineStrings(raw: layout.raw, ranges: layout.lineRanges)
    }

    var text: SourceText { layout.text }

    func span(_ range: Range<Int>) -> FilingsCore.Span { input.span(of: range, in: layout.text) }

    func string(_ range: Range<Int>) -> String { layout.text.string(range) }

    /// The text of paragraph `index`.
    func paragraph(_ index: Int) -> String { layout.text.string(layout.paragraphs[index]) }

    /// The index in `lineStrings` of the first line from line `start` on that holds one of `phrases` (which hold no
    /// line break), or nil.
    func firstLine(holding phrases: NeedleSet, from start: Int = 0) -> Int? {
        let ranges = layout.lineRanges
        guard start < ranges.count else { return nil }
        var from = ranges[max(0, start)].lowerBound
        // One search of the whole text; a phrase found on a line the line view leaves out (page furniture) is passed.
        while let found = layout.raw.bytes.withUnsafeBufferPointer({ phrases.firstMatch(in: $0, from: from) }) {
            // The last line that starts at or before the phrase.
            var lo = 0
            var hi = ranges.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if ranges[mid].lowerBound <= found { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0, ranges[lo - 1].contains(found) { return lo - 1 }
            from = found + 1
        }
        return nil
    }
}

/// The lines of a document's line view as strings, each made when it is read: most lines are only searched for a
/// few ASCII words, which ``line(_:holds:)`` does on their bytes.
struct LineStrings: RandomAccessCollection {
    private let raw: SourceText
    private let ranges: [Range<Int>]

    /// The lines `ranges` of `raw`.
    init(raw: SourceText, ranges: [Range<Int>]) {
        self.raw = raw
        self.ranges = ranges
    }

    var startIndex: Int { 0 }
    var endIndex: Int { ranges.count }

    subscript(position: Int) -> String { raw.string(ranges[position]) }

    /// Whether line `index` holds one of `phrases`, ignoring ASCII case: what `phrases.isFound(in: self[index])`
    /// says, without making the line's string.
    func line(_ index: Int, holds phrases: NeedleSet) -> Bool {
        raw.bytes.withUnsafeBufferPointer { phrases.isFound(in: UnsafeBufferPointer(rebasing: $0[ranges[index]])) }
    }

    /// The lines before `end` (all of them by default) that hold one of `phrases`, in order: those for which
    /// ``line(_:holds:)`` is true, found by one search of the text instead of one per line. Only a line in which a
    /// phrase found starts is tested.
    func lines(holding phrases: NeedleSet, before end: Int? = nil) -> [Int] {
        let end = Swift.min(end ?? ranges.count, ranges.count)
        guard end > 0 else { return [] }
        var found: [Int] = []
        raw.bytes.withUnsafeBufferPointer { bytes in
            let text = UnsafeBufferPointer(rebasing: bytes[..<ranges[end - 1].upperBound])
            var line = 0
            var from = 0
            while let start = phrases.firstMatch(in: text, from: from) {
                // The first line that ends after the phrase's start.
                while line < end, ranges[line].upperBound <= start { line += 1 }
                guard line < end else { break }
                if ranges[line].lowerBound <= start {
                    if self.line(line, holds: phrases) { found.append(line) }
                    from = ranges[line].upperBound
                    line += 1
                } else {
                    // Between lines (page furniture): on to the next line.
                    from = ranges[line].lowerBound
                }
            }
        }
        return found
    }
}
