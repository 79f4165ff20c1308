internal import FilingsCore
internal import Foundation

/// Form 12b-25 (NT 10-K, NT 10-Q, …), in the old plain-text and the modern HTML layouts.
enum LateFilingExtractor: DocumentStage {
    /// Reads a document that is, or says it is, a notification of late filing; warns when it is signed before
    /// the period it reports on ended.
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        guard looksLikeLateFiling(context, type: reading.document.type) else { return }
        let found = extract(context, signatures: reading.signatures)
        reading.lateFiling = found
        reading.document.lateFiling = found.lateFiling
        let period = found.lateFiling.periodEnded
        let signed = found.lateFiling.signatureDate
        if !period.isEmpty, !signed.isEmpty, signed < period {
            reading.warnings.add(
                "SIGNATURE_BEFORE_PERIOD_END",
                "The notification is signed \(signed), before the period it reports on ended (\(period)); one of the "
                    + "dates is probably a typo."
            )
        }
    }

    struct Result {
        var lateFiling: LateFiling
        var signer: Person?
    }

    static func looksLikeLateFiling(_ context: DocumentContext, type: String) -> Bool {
        if type.uppercased().hasPrefix("NT ") { return true }
        guard type.isEmpty else { return false }
        let head = context.layout.paragraphs.prefix(20).map { context.string($0).uppercased() }
        return head.contains { $0.containsBytes("12B-25") || $0.containsBytes("NOTIFICATION OF LATE FILING") }
    }

    private static let formNames = [
        "10-KSB", "10-QSB", "10-K", "10-Q", "20-F", "11-K", "N-SAR", "10-D", "N-CEN", "N-CSR", "40-F",
    ]

    /// The forms named on `line` ("Form 10-K") with whether each is checked.
    private static func checkedForms(_ line: String) -> [(String, Bool)] {
        let marks = marks(line)
        let upper = line.uppercased()
        var labels: [(offset: Int, form: String)] = []
        for name in formNames {
            for offset in offsets(of: "FORM " + name, in: upper, caseSensitive: true)
            where !labels.contains(where: { abs($0.offset - offset) < 3 }) {
                labels.append((offset, name))
            }
        }
        labels.sort { $0.offset < $1.offset }
        guard !labels.isEmpty else { return [] }
        let marksFirst = (marks.first?.offset ?? Int.max) < labels[0].offset
        var result: [(String, Bool)] = []
        for (index, label) in labels.enumerated() {
            let checked: Bool
            if marksFirst {
                let lower = index == 0 ? -1 : labels[index - 1].offset
                checked = marks.last(where: { $0.offset < label.offset && $0.offset > lower })?.checked ?? false
            } else {
                let upperBound = index + 1 < labels.count ? labels[index + 1].offset : Int.max
                checked = marks.first(where: { $0.offset > label.offset && $0.offset < upperBound })?.checked ?? false
            }
            result.append((label.form, checked))
        }
        return result
    }

    /// The notification's fields; its signer is the first of `signatures` after the certification.
    static func extract(_ context: DocumentContext, signatures: [Signature]) -> Result {
        let lines = context.lineStrings.map(expandingTabs)
        let upperLines = UpperLines(lines)
        var filing = LateFiling()
        /// The first line from line `from` on that holds `label` in upper case: one search of the text's bytes, and
        /// of the few lines that upper case changes beyond ASCII.
        func firstLine(containing sought: SoughtLabel, from: Int = 0) -> Int? {
            let found = context.firstLine(holding: sought.phrase, from: from)
            return upperLines.firstChangedLine(holding: sought.label, in: from..<(found ?? lines.count)) ?? found
        }
        /// A section heading ("PART III -- NARRATIVE") opens its line; "Part III of this form" in prose is not one.
        func heading(_ text: String, from: Int = 0) -> Int? {
            let label = Label(text)
            return (from..<max(from, lines.count)).first { upperLines.line($0, opensWith: label) }
        }

        // SEC file number.
        if let i = firstLine(containing: Labels.secFileNumber) ?? firstLine(containing: Labels.commissionFileNumber) {
            for k in i..<min(lines.count, i + 4) {
                if let number = fileNumber(in: lines[k]) {
                    filing.secFileNumber = number
                    break
                }
            }
        }

        // Forms and transition reports: the check boxes before Part I.
        let partI = heading("PART I") ?? min(lines.count, 40)
        var forms: [String] = []
        var transitions: [String] = []
        let transitionReport = Label("TRANSITION REPORT")
        let form = Label("FORM ")
        let transitionPeriodEnded = Label("TRANSITION PERIOD ENDED")
        let periodEnded = Label("PERIOD ENDED")
        for k in 0..<partI {
            if upperLines.line(k, holds: transitionReport) {
                for (form, checked) in checkedForms(lines[k]) where checked && !transitions.contains(form) {
                    transitions.append(form)
                }
            } else if upperLines.line(k, holds: form) {
                for (form, checked) in checkedForms(lines[k]) where checked && !forms.contains(form) {
                    forms.append(form)
                }
            }
            if upperLines.line(k, holds: transitionPeriodEnded) {
                filing.transitionPeriodEnded = dateNear(lines, k)
            } else if upperLines.line(k, holds: periodEnded), filing.periodEnded.isEmpty {
                filing.periodEnded = dateNear(lines, k)
            }
        }
        filing.forms = forms
        filing.transitionReports = transitions

        // Part I.
        filing.registrantName = value(above: "FULL NAME OF REGISTRANT", upperLines)
        filing.formerName = value(above: "FORMER NAME IF APPLICABLE", upperLines)
        if ["N/A", "NA", "NONE", "NOT APPLICABLE"].contains(filing.formerName.uppercased()) { filing.formerName = "" }
        filing.address = value(above: "ADDRESS OF PRINCIPAL EXECUTIVE OFFICE", upperLines)
        filing.cityStateZip = value(above: "CITY, STATE AND ZIP CODE", upperLines)

        // Part II.
        if let start = heading("PART II") {
            let end = heading("PART III", from: start + 1) ?? min(lines.count, start + 40)
            filing.rule12b25b = rule12b25b(Array(lines[start..<end]))
        }

        // Part III.
        let paragraphs = context.layout.paragraphs.map { context.string($0) }
        filing.narrative = narrative(paragraphs)

        // Part IV.
        if let i = firstLine(containing: Labels.nameAndTelephone) {
            filing.contact = contact(lines, after: i)
        }
        if let i = firstLine(containing: Labels.otherReports) {
            let end = firstLine(containing: Labels.anticipated, from: i + 1) ?? min(lines.count, i + 12)
            filing.otherReportsFiled = yes(Array(lines[i..<end]))
        }
        if let i = firstLine(containing: Labels.anticipated) {
            let end = firstLine(containing: Labels.ifSo, from: i + 1) ?? min(lines.count, i + 10)
            filing.significantChangeExpected = yes(Array(lines[i..<max(i + 1, end)]))
        }
        filing.changeExplanation = changeExplanation(paragraphs)

        // Signature: the first one after "has caused this notification to be signed".
        var signer: Person?
        let signatureStart = firstLine(containing: Labels.caused) ?? max(0, lines.count - 30)
        let date = Label("DATE")
        for k in signatureStart..<lines.count where filing.signatureDate.isEmpty && upperLines.line(k, holds: date) {
            filing.signatureDate = DateExtractor.firstISO(lines[k])
        }
        if let signature = signatures.first(where: { $0.line >= signatureStart }) {
            filing.signerName = signature.name
            filing.signerTitle = signature.title
            // A signer with two titles keeps the first.
            if let comma = filing.signerTitle.firstIndex(of: ","),
                PeopleExtractor.containsTitleWord(String(filing.signerTitle[filing.signerTitle.index(after: comma)...]))
            {
                filing.signerTitle = String(filing.signerTitle[..<comma])
            }
        }
        if filing.signatureDate.isEmpty {
            filing.signatureDate = DateExtractor.firstISO(lines[signatureStart...].joined(separator: "\n"))
        }
        if !filing.signerName.isEmpty {
            signer = Person(
                name: filing.signerName,
                title: filing.signerTitle,
                organization: "",
                span: FilingsCore.Span()
            )
        }
        return Result(lateFiling: filing, signer: signer)
    }

    /// `line` with each tab written as three spaces, so that the columns of a form stay apart.
    private static func expandingTabs(_ line: String) -> String {
        let tab = UInt8(ascii: "\t")
        guard line.containsBytes("\t") else { return line }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.utf8.count + 8)
        for byte in line.utf8 {
            if byte == tab { bytes += [ASCII.space, ASCII.space, ASCII.space] } else { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func fileNumber(in line: String) -> String? {
        for token in line.split(whereSeparator: { $0 == " " || $0 == ":" }) {
            let parts = token.split(separator: "-")
            if parts.count == 2, parts.allSatisfy({ $0.allSatisfy(\.isNumber) && !$0.isEmpty }), parts[1].count >= 3 {
                return String(token)
            }
        }
        return nil
    }

    private static func dateNear(_ lines: [String], _ k: Int) -> String {
        for j in k..<min(lines.count, k + 3) {
            let text: String
            // Searched in the line itself: a range found in its upper case does not fit the line wherever upper case
            // changes a character's length ("ΐ", 2 bytes, is "Ϊ́", 6).
            if j == k, let colon = lines[j].rangeIgnoringASCIICase(of: "ended") {
                text = String(lines[j][colon.upperBound...])
            } else {
                text = lines[j]
            }
            let date = DateExtractor.firstISO(text)
            if !date.isEmpty { return date }
            if j > k, !lines[j].trimmingSpaces().isEmpty { break }
        }
        return ""
    }

    /// The value written above (or before) a Part I label such as "Full Name of Registrant".
    private static func value(above label: String, _ upperLines: UpperLines) -> String {
        let lines = upperLines.lines
        let byteLabel = Label(label)
        guard
            let k = lines.indices.first(where: {
                upperLines.line($0, holds: byteLabel)
                    && (lines[$0].isASCII || upperLines.upper($0).characterRange(ofASCII: label) != nil)
            })
        else { return "" }
        // The text before the label on its line: as many characters of the line as there are before the label in
        // upper case, less the spaces and opening parentheses around them.
        let original: String
        if lines[k].isASCII {
            // Upper case keeps each byte of ASCII in its place: the line's bytes are read without upper-casing it.
            let bytes = Array(lines[k].utf8)
            let offset = lines[k].utf8OffsetIgnoringASCIICase(of: byteLabel.lower)!
            let count = trimmedOfSpacesAndParentheses(bytes[..<offset]).count
            original = String(decoding: trimmedOfSpacesAndParentheses(bytes[..<count]), as: UTF8.self)
        } else {
            let upper = upperLines.upper(k)
            let labelRange = upper.characterRange(ofASCII: label)!
            let before = String(upper[..<labelRange.lowerBound]).trimmingCharacters(in: spacesAndParentheses)
            original =
                before.isEmpty
                ? "" : String(lines[k].prefix(before.count)).trimmingCharacters(in: spacesAndParentheses)
        }
        if original.contains(where: \.isLetter) { return TitleExtractor.collapse(original) }
        var j = k - 1
        while j >= 0, j >= k - 5 {
            let line = lines[j].trimmingSpaces()
            j -= 1
            if line.isEmpty || line.allSatisfy({ "-_=".contains($0) }) { continue }
            let u = line.uppercased()
            if ["REGISTRANT", "APPLICABLE", "PART I", "(NUMBER", "STREET AND NUMBER"].contains(where: {
                u.characterRange(ofASCII: $0) != nil
            }) || u.hasPrefix("(") {
                return ""
            }
            return TitleExtractor.collapse(line)
        }
        return ""
    }

    private static let spacesAndParentheses = CharacterSet(charactersIn: " (")

    /// `bytes` without the spaces and opening parentheses at either end.
    private static func trimmedOfSpacesAndParentheses(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func trimmed(_ byte: UInt8) -> Bool { byte == ASCII.space || byte == ASCII.openParen }
        var slice = bytes
        while let first = slice.first, trimmed(first) { slice.removeFirst() }
        while let last = slice.last, trimmed(last) { slice.removeLast() }
        return slice
    }

    /// The labels of Part II's statements, their kinds, and the rule cited with each.
    private static let rule12b25Labels: [(label: String, kind: Character, rule: StaticString)] = [
        ("(a)", "a", "rule 12b-25(a)"), ("(b)", "b", "rule 12b-25(b)"), ("(c)", "c", "rule 12b-25(c)"),
    ]

    private static func rule12b25b(_ lines: [String]) -> Rule12b25b {
        var events: [(kind: Character, checked: Bool)] = []  // "m" mark, "a" "b" "c" labels
        for line in lines {
            var lineEvents: [(Int, Character, Bool)] = []
            for mark in marks(line) { lineEvents.append((mark.offset, "m", mark.checked)) }
            let ascii = line.isASCII
            for (label, kind, rule) in rule12b25Labels {
                let found = offsets(of: label, in: line)
                guard !found.isEmpty else { continue }
                // "Rule 12b-25(b)" cites the rule: it is not the statement's label. A line of ASCII is searched for it
                // by its bytes, ignoring case; any other is lower-cased first.
                let cited =
                    ascii ? line.containsIgnoringASCIICase(rule) : line.lowercased().contains(rule.description)
                guard !cited else { continue }
                for offset in found {
                    // A label opens its statement: nothing but marks before it on the line.
                    let before = String(line.prefix(offset)).trimmingSpaces()
                    if before.isEmpty || marks(before).count > 0 && before.count <= 8 {
                        lineEvents.append((offset, kind, false))
                    }
                }
            }
            events.append(contentsOf: lineEvents.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) })
        }
        var result = Rule12b25b()
        let marks = events.filter { $0.kind == "m" }
        if marks.count == 1, let first = events.firstIndex(where: { $0.kind == "m" }),
            let a = events.firstIndex(where: { $0.kind == "a" }), first < a
        {
            let checked = marks[0].checked
            return Rule12b25b(a: checked, b: checked, c: checked)
        }
        var lastMark: Bool?
        for event in events {
            switch event.kind {
            case "m": lastMark = event.checked
            case "a": result.a = lastMark ?? false; lastMark = nil
            case "b": result.b = lastMark ?? false; lastMark = nil
            case "c": result.c = lastMark ?? false; lastMark = nil
            default: break
            }
        }
        return result
    }

    /// Whether "Yes" is the checked answer among the lines.
    private static func yes(_ lines: [String]) -> Bool {
        var events: [(kind: Character, checked: Bool)] = []
        for line in lines {
            var lineEvents: [(Int, Character, Bool)] = []
            for mark in marks(line) { lineEvents.append((mark.offset, "m", mark.checked)) }
            for label in ["Yes", "YES"] {
                for o in offsets(of: label, in: line, caseSensitive: true) { lineEvents.append((o, "y", false)) }
            }
            for label in ["No", "NO"] {
                for o in offsets(of: label, in: line, caseSensitive: true) { lineEvents.append((o, "n", false)) }
            }
            events.append(contentsOf: lineEvents.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) })
        }
        guard let firstLabel = events.firstIndex(where: { $0.kind != "m" }) else { return false }
        let marksFirst = events.firstIndex(where: { $0.kind == "m" }).map { $0 < firstLabel } ?? false
        for (index, event) in events.enumerated() where event.kind == "y" {
            let neighbour = marksFirst ? index - 1 : index + 1
            if neighbour >= 0, neighbour < events.count, events[neighbour].kind == "m" {
                return events[neighbour].checked
            }
        }
        return false
    }

    private static func contact(_ lines: [String], after k: Int) -> LateFilingContact {
        var cells: [String] = []
        var j = k + 1
        while j < lines.count, j < k + 10 {
            let upper = lines[j].uppercased()
            if ["(NAME)", "HAVE ALL OTHER", "(AREA CODE)"].contains(where: { upper.characterRange(ofASCII: $0) != nil })
            {
                break
            }
            cells.append(contentsOf: TitleExtractor.cells(lines[j]).filter { !$0.allSatisfy { "-_ ".contains($0) } })
            j += 1
        }
        if cells.count == 1 {
            // "NOTIFICATION" wrapped onto the next line, or everything on one line: split it.
            cells = cells[0].split(separator: " ").map(String.init)
        }
        cells = cells.filter { $0.lowercased() != "notification" }
        var contact = LateFilingContact()
        var nameParts: [String] = []
        for cell in cells {
            let digits = cell.filter(\.isNumber)
            if contact.areaCode.isEmpty, digits.count == 3, cell.count <= 5 {
                contact.areaCode = digits
            } else if contact.phone.isEmpty, digits.count >= 7, let range = localNumber(in: cell) {
                if contact.areaCode.isEmpty, digits.count == 10 {
                    contact.areaCode = String(digits.prefix(3))
                }
                contact.phone = String(cell[range])
            } else if contact.areaCode.isEmpty, contact.phone.isEmpty, digits.isEmpty {
                nameParts.append(cell)
            }
        }
        contact.name = nameParts.joined(separator: " ")
        return contact
    }

    /// The first local telephone number in `cell`: three decimal digits, a hyphen, dot or space, and four decimal
    /// digits ("555-0100"), of any script, as the regular expression `\d{3}[-. ]\d{4}` finds it.
    private static func localNumber(in cell: String) -> Range<String.Index>? {
        let scalars = cell.unicodeScalars
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType == .decimal }
        var start = scalars.startIndex
        while start != scalars.endIndex {
            var index = start
            var matched = 0
            while index != scalars.endIndex, matched < 8 {
                let scalar = scalars[index]
                guard matched == 3 ? "-. ".unicodeScalars.contains(scalar) : isDigit(scalar) else { break }
                matched += 1
                index = scalars.index(after: index)
            }
            if matched == 8 { return start..<index }
            start = scalars.index(after: start)
        }
        return nil
    }

    /// Whether `paragraph` in upper case starts with `prefix` (upper-case ASCII). A paragraph whose first byte is
    /// ASCII and not the prefix's first letter in either case is ruled out without upper-casing it: most of them.
    static func startsUpperCased(_ paragraph: String, with prefix: StaticString) -> Bool {
        guard let first = paragraph.utf8.first, first >= 0x80 || ASCII.upper(first) == prefix.utf8Start[0] else {
            return false
        }
        // Where the prefix's bytes and the byte after them are ASCII, the paragraph's first characters in upper case
        // are those bytes in upper case: the paragraph is not upper-cased whole to read them.
        let n = prefix.utf8CodeUnitCount
        let ascii = paragraph.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard bytes.count >= n, !bytes.prefix(n + 1).contains(where: { $0 >= 0x80 }) else { return nil }
            return (0..<n).allSatisfy { ASCII.upper(bytes[$0]) == prefix.utf8Start[$0] }
        }
        if let answer = ascii ?? nil { return answer }
        return paragraph.uppercased().hasPrefix(prefix.description)
    }

    private static func narrative(_ paragraphs: [String]) -> String {
        guard let start = paragraphs.firstIndex(where: { startsUpperCased($0, with: "PART III") }) else { return "" }
        var collected: [String] = []
        for paragraph in paragraphs[(start + 1)...] {
            if startsUpperCased(paragraph, with: "PART IV") { break }
            if collected.isEmpty
                && (startsUpperCased(paragraph, with: "STATE BELOW") || startsUpperCased(paragraph, with: "(ATTACH"))
            {
                continue
            }
            collected.append(paragraph)
        }
        return collected.joined(separator: "\n\n")
    }

    private static let registrantLabel = Label("NAME OF REGISTRANT AS SPECIFIED")
    private static let causedLabel = Labels.caused.label
    private static let forwardLookingLabel = Label("FORWARD-LOOKING")

    private static func changeExplanation(_ paragraphs: [String]) -> String {
        guard let start = paragraphs.firstIndex(where: { startsUpperCased($0, with: "IF SO, ATTACH") }) else {
            return ""
        }
        var collected: [String] = []
        let following = UpperLines(Array(paragraphs[(start + 1)...]))
        for (k, paragraph) in following.lines.enumerated() {
            if following.line(k, holds: registrantLabel) || following.line(k, holds: causedLabel)
                || startsUpperCased(paragraph, with: "SIGNATURE") || following.line(k, holds: forwardLookingLabel)
                || startsUpperCased(paragraph, with: "PART ")
            {
                break
            }
            collected.append(paragraph)
        }
        // The registrant's name above the signature is not part of the explanation.
        while let last = collected.last, last.split(separator: " ").count < 8, !last.hasSuffix(".") {
            collected.removeLast()
        }
        return collected.joined(separator: "\n\n")
    }

    /// The labels whose first line the reader looks for.
    private enum Labels {
        static let secFileNumber = SoughtLabel("SEC FILE NUMBER")
        static let commissionFileNumber = SoughtLabel("COMMISSION FILE NUMBER")
        static let nameAndTelephone = SoughtLabel("NAME AND TELEPHONE NUMBER")
        static let otherReports = SoughtLabel("HAVE ALL OTHER PERIODIC REPORTS")
        static let anticipated = SoughtLabel("IS IT ANTICIPATED")
        static let ifSo = SoughtLabel("IF SO")
        static let caused = SoughtLabel("HAS CAUSED THIS")
    }

    /// An upper-case ASCII label ("PERIOD ENDED"), with its bytes in lower case for a search that ignores ASCII case.
    private struct Label {
        let upper: String
        let lower: [UInt8]

        init(_ upper: String) {
            self.upper = upper
            lower = upper.utf8.map(ASCII.lower)
        }
    }

    /// A label whose first line is looked for in a whole text: the label, and the search for it.
    private struct SoughtLabel {
        let label: Label
        let phrase: NeedleSet

        init(_ upper: String) {
            label = Label(upper)
            phrase = NeedleSet([upper.lowercased()])
        }
    }

    /// A notification's lines, searched for labels as if each had been upper-cased. Upper case maps each ASCII letter
    /// to its capital and a few characters beyond ASCII to ASCII ("ﬁ" to "FI", "ß" to "SS"): a line without such a
    /// character holds a label in upper case exactly when it holds it ignoring ASCII case, so only a line with one is
    /// upper-cased, once.
    private struct UpperLines {
        let lines: [String]
        /// In upper case, each line with a character whose capital is ASCII but itself is not; nil for the others.
        private let upperCased: [String?]

        /// The lines that have an upper case (those with a character whose capital is ASCII but itself is not).
        private let changed: [Int]

        init(_ lines: [String]) {
            self.lines = lines
            let upperCased = lines.map { UpperLines.gainsASCII($0) ? $0.uppercased() : nil }
            self.upperCased = upperCased
            changed = upperCased.indices.filter { upperCased[$0] != nil }
        }

        /// The first line in `range` with an upper case that holds `label`, where a search of the lines' bytes
        /// ignoring ASCII case can miss it ("CERTIﬁCATE"); nil when there is none.
        func firstChangedLine(holding label: Label, in range: Range<Int>) -> Int? {
            changed.first { range.contains($0) && upperCased[$0]!.containsBytes(label.upper) }
        }

        /// Whether `line` has a character beyond ASCII whose upper case holds ASCII.
        private static func gainsASCII(_ line: String) -> Bool {
            guard !line.isASCII else { return false }
            return line.unicodeScalars.contains {
                !$0.isASCII && $0.properties.uppercaseMapping.utf8.contains { $0 < 0x80 }
            }
        }

        /// Line `k` in upper case.
        func upper(_ k: Int) -> String { upperCased[k] ?? lines[k].uppercased() }

        /// Whether line `k` in upper case holds `label`.
        func line(_ k: Int, holds label: Label) -> Bool {
            if let upper = upperCased[k] { return upper.containsBytes(label.upper) }
            return lines[k].containsIgnoringASCIICase(label.lower)
        }

        /// Whether line `k` in upper case, without the white space before it, starts with `label` (as characters:
        /// "PART I" followed by a combining accent does not).
        func line(_ k: Int, opensWith label: Label) -> Bool {
            if let upper = upperCased[k] { return upper.trimmingSpaces().hasPrefix(label.upper) }
            var line = lines[k]
            let bytesMatch = line.withUTF8 { bytes in
                guard let start = bytes.firstIndex(where: { !ASCII.isWhitespace($0) }) else {
                    return label.lower.isEmpty
                }
                return bytes.count - start >= label.lower.count
                    && zip(bytes[start...], label.lower).allSatisfy { ASCII.lower($0) == $1 }
            }
            // Matching bytes are the characters' bytes too unless a character beyond ASCII follows them.
            return bytesMatch
                && (line.isASCII || upper(k).trimmingSpaces().hasPrefix(label.upper))
        }
    }
}
