internal import FilingsCore

/// What a document is: its type when not given, its kind, and whether it carries a forward-looking caution.
enum Classifier: DocumentStage {
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        if reading.document.type.isEmpty {
            reading.document.type = inferType(context, lateFiling: reading.lateFiling)
        }
        if reading.document.type.isEmpty {
            reading.warnings.add(
                "UNKNOWN_DOCUMENT_TYPE",
                "No document type was given or could be inferred for document \(reading.document.sequence)."
            )
        }
        reading.document.kind = kind(type: reading.document.type, dateline: reading.dateline, context: context)
        if reading.document.kind == .pressRelease { reading.document.dateline = reading.dateline?.dateline }
        reading.document.forwardLooking = isForwardLooking(context.text.bytes)
    }

    static func kind(type: String, dateline: DatelineExtractor.Found?, context: DocumentContext) -> Kind {
        let upper = type.uppercased()
        if upper.hasPrefix("NT ") || upper.hasPrefix("NT-") { return .lateFilingNotice }
        if upper.hasPrefix("8-K") { return .currentReport }
        for annual in ["10-K", "20-F", "40-F", "11-K", "N-CSR"] where upper.hasPrefix(annual) { return .annualReport }
        if upper.hasPrefix("10-Q") { return .quarterlyReport }
        if let dateline, !dateline.dateline.date.isEmpty || dateline.wire || dateline.opensAnnouncement {
            return .pressRelease
        }
        return .other
    }

    /// The type of a document that has no `<TYPE>`: "EXHIBIT 99.1" → "EX-99.1", a 12b-25 → "NT 10-K", a cover
    /// page "FORM 8-K" → "8-K".
    static func inferType(_ context: DocumentContext, lateFiling: LateFilingExtractor.Result?) -> String {
        if let lateFiling { return "NT " + (lateFiling.lateFiling.forms.first ?? "10-K") }
        let paragraphs = context.layout.paragraphs.prefix(40)
        for range in paragraphs.prefix(6) {
            let words = context.string(range).split(separator: " ", maxSplits: 3)
            if words.count >= 2, words[0].uppercased() == "EXHIBIT" {
                let number = words[1].trimmingCharacters(in: ",:")
                if let first = number.first, first.isNumber { return "EX-" + number }
            }
        }
        for range in paragraphs {
            let paragraph = context.string(range)
            guard paragraph.count < 40 else { continue }
            let upper = paragraph.uppercased()
            if upper.hasPrefix("FORM ") {
                let form = upper.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
                if form.first?.isNumber == true || ["S-1", "S-3", "S-4", "S-8", "F-1", "N-CSR"].contains(form) {
                    return form
                }
            }
        }
        return ""
    }

    /// Whether `bytes` speak of forward-looking statements or information, or of a safe harbor.
    static func isForwardLooking(_ bytes: [UInt8]) -> Bool {
        // Nearly every document is read to its end: the phrases are tested only around the "k" of "looking" and the
        // "b" of "harbor".
        bytes.firstAnswer(atLetter: 0x6B, or: 0x62, in: 0..<bytes.count) { phraseHolds(bytes, around: $0) ? true : nil }
            ?? false
    }

    /// Whether the byte at `letter` is the "k" of "forward-looking statement" (or "forward looking", or
    /// "information") or the "b" of "safe harbor", in any case.
    private static func phraseHolds(_ bytes: [UInt8], around letter: Int) -> Bool {
        switch ASCII.lower(bytes[letter]) {
        case 0x6B:
            let i = letter - 11
            guard i >= 0, i + 12 < bytes.count, bytes.matchesIgnoringCase("forward", at: i),
                bytes[i + 7] == ASCII.hyphen || bytes[i + 7] == ASCII.space,
                bytes.matchesIgnoringCase("looking", at: i + 8)
            else { return false }
            var j = i + 15
            while j < bytes.count, !ASCII.isLetter(bytes[j]), j < i + 20 { j += 1 }
            return bytes.matchesIgnoringCase("statement", at: j) || bytes.matchesIgnoringCase("information", at: j)
        case 0x62:
            let i = letter - 8
            return i >= 0 && i + 12 < bytes.count && bytes.matchesIgnoringCase("safe harbor", at: i)
        default:
            return false
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        return String(s)
    }
}
