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

    static func isForwardLooking(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 12 < bytes.count {
            let b = ASCII.lower(bytes[i])
            if b == 0x66, bytes.matchesIgnoringCase("forward", at: i),
                bytes[i + 7] == ASCII.hyphen || bytes[i + 7] == ASCII.space,
                bytes.matchesIgnoringCase("looking", at: i + 8)
            {
                var j = i + 15
                while j < bytes.count, !ASCII.isLetter(bytes[j]), j < i + 20 { j += 1 }
                if bytes.matchesIgnoringCase("statement", at: j) || bytes.matchesIgnoringCase("information", at: j) {
                    return true
                }
            } else if b == 0x73, bytes.matchesIgnoringCase("safe harbor", at: i) {
                return true
            }
            i += 1
        }
        return false
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
