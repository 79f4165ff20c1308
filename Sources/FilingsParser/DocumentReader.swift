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
        let rendered = html ? HTMLText.render(input, raw.body) : PlainText.decode(input, raw.body)
        try input.checkCancelled()
        let layout = Layout(raw: rendered, hardLines: html)
        document.text = layout.text.string
        if isXML(bytes, raw.body) && !html {
            document.kind = .other
            if document.type.isEmpty { document.type = "XML" }
            return document
        }
        try input.checkCancelled()
        let context = DocumentContext(input: input, layout: layout)

        // What the document is.
        let lateFiling =
            LateFilingExtractor.looksLikeLateFiling(context, type: document.type)
            ? LateFilingExtractor.extract(context) : nil
        if document.type.isEmpty {
            document.type = Classifier.inferType(context, lateFiling: lateFiling)
        }
        if document.type.isEmpty {
            warnings.add(
                "UNKNOWN_DOCUMENT_TYPE",
                "No document type was given or could be inferred for document \(document.sequence)."
            )
        }
        let dateline = DatelineExtractor.extract(context)
        document.kind = Classifier.kind(type: document.type, dateline: dateline, context: context)
        if document.kind == .pressRelease { document.dateline = dateline?.dateline }

        // Facts anywhere in the text.
        try input.checkCancelled()
        let amounts = AmountExtractor.extract(layout.text, input)
        document.money = amounts.money
        document.percentages = amounts.percentages
        var seenDates = Set<String>()
        for found in DateExtractor.scan(layout.text.bytes, 0..<layout.text.count)
        where seenDates.insert(found.iso).inserted {
            let span = input.span(of: found.range, in: layout.text)
            document.dates.append(DateMention(text: input.written(span), date: found.iso, span: span))
        }
        try input.checkCancelled()
        document.urls = URLExtractor.extract(layout.text)
        document.forwardLooking = Classifier.isForwardLooking(layout.text.bytes)
        document.securities = SecurityExtractor.extract(context)

        // Who.
        try input.checkCancelled()
        let contacts = document.kind == .pressRelease ? ContactExtractor.extract(context) : ContactExtractor.Found()
        document.contacts = contacts.contacts
        var people = PeopleExtractor(context: context)
        people.extract()
        for contact in document.contacts where !contact.name.isEmpty {
            people.add(
                Person(
                    name: contact.name,
                    title: contacts.titles[contact.name.lowercased()] ?? "",
                    organization: contact.organization,
                    span: contact.span
                )
            )
        }
        if let lateFiling, let signer = lateFiling.signer {
            people.add(signer)
        }
        document.people = people.people
        document.quotes = people.quotes

        // The form-specific parts.
        try input.checkCancelled()
        switch document.kind {
        case .pressRelease:
            document.issuer = document.securities.first
            document.title = TitleExtractor.pressReleaseTitle(context, before: dateline?.paragraph)
        case .lateFilingNotice:
            if let lateFiling {
                document.lateFiling = lateFiling.lateFiling
                if !lateFiling.lateFiling.registrantName.isEmpty {
                    document.issuer = Security(name: lateFiling.lateFiling.registrantName)
                }
                let period = lateFiling.lateFiling.periodEnded
                if !period.isEmpty, !lateFiling.lateFiling.signatureDate.isEmpty,
                    lateFiling.lateFiling.signatureDate < period
                {
                    warnings.add(
                        "SIGNATURE_BEFORE_PERIOD_END",
                        "The notification is signed \(lateFiling.lateFiling.signatureDate), before the period it "
                            + "reports on ended (\(period)); one of the dates is probably a typo."
                    )
                }
            }
            document.title = "NOTIFICATION OF LATE FILING"
        default:
            if let registrant = TitleExtractor.registrantName(context) {
                document.issuer = Security(name: registrant)
            } else if let filer = submission?.filers.first, !filer.companyName.isEmpty, document.kind != .other {
                document.issuer = Security(name: filer.companyName)
            }
            document.title = TitleExtractor.formTitle(context)
        }
        if document.kind == .currentReport {
            let filedAt = submission?.filedAt ?? ""
            document.items = ItemExtractor.extract(context, filedAt: filedAt)
        }
        return document
    }

    static func looksLikeHTML(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let end = min(range.upperBound, range.lowerBound + 8192)
        var i = range.lowerBound
        while i + 3 < end {
            if bytes[i] == ASCII.lessThan {
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
            }
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
    let lineStrings: [String]

    init(input: Input, layout: Layout) {
        self.input = input
        self.layout = layout
        self.lineStrings = layout.lineRanges.map { layout.raw.string($0) }
    }

    var text: SourceText { layout.text }

    func span(_ range: Range<Int>) -> FilingsCore.Span { input.span(of: range, in: layout.text) }

    func string(_ range: Range<Int>) -> String { layout.text.string(range) }

    /// The text of paragraph `index`.
    func paragraph(_ index: Int) -> String { layout.text.string(layout.paragraphs[index]) }

}
