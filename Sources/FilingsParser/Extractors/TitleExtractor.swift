internal import FilingsCore
internal import Foundation

/// Headlines, form titles and the registrant's name on a cover page.
enum TitleExtractor: DocumentStage {
    /// The issuer and the title, each kind its own way: a release's headline and its first listed security, a
    /// 12b-25's registrant, a form's cover title and registrant (or the submission's first filer).
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        switch reading.document.kind {
        case .pressRelease:
            reading.document.issuer = reading.document.securities.first
            reading.document.title = pressReleaseTitle(context, before: reading.dateline?.paragraph)
        case .lateFilingNotice:
            if let registrant = reading.lateFiling?.lateFiling.registrantName, !registrant.isEmpty {
                reading.document.issuer = Security(name: registrant)
            }
            reading.document.title = "NOTIFICATION OF LATE FILING"
        default:
            if let registrant = registrantName(context) {
                reading.document.issuer = Security(name: registrant)
            } else if let filer = reading.submission?.filers.first, !filer.companyName.isEmpty,
                reading.document.kind != .other
            {
                reading.document.issuer = Security(name: filer.companyName)
            }
            reading.document.title = formTitle(context)
        }
    }

    /// A press release's headline: the first heading-like paragraph before the dateline that is not an exhibit
    /// label, release banner, contact block, or sub-headline.
    static func pressReleaseTitle(_ context: DocumentContext, before datelineParagraph: Int?) -> String {
        let limit = datelineParagraph ?? min(context.layout.paragraphs.count, 8)
        var index = 0
        while index < limit {
            defer { index += 1 }
            let paragraph = context.paragraph(index)
            // A contact block before the headline ("Investors & Reporters May Contact:", names, titles, phones,
            // e-mails): the headline comes after its last phone number or e-mail address.
            if ContactExtractor.isBlockLabel(paragraph) {
                var end = index
                var k = index + 1
                while k < limit, k <= end + 4 {
                    if ContactExtractor.hasAddressOrNumber(context.paragraph(k)) { end = k }
                    k += 1
                }
                index = end
                continue
            }
            guard isHeadlineCandidate(paragraph) else { continue }
            var title = collapse(paragraph)
            // A headline set in several blocks: "ManTech Announces Financial Results for" + "First Quarter of 2020",
            // or upper-case lines.
            var next = index + 1
            while next < limit, next < index + 4 {
                let following = collapse(context.paragraph(next))
                guard !following.isEmpty, following.count < 200, continuesHeadline(title, following) else { break }
                title += " " + following
                next += 1
            }
            return title
        }
        return ""
    }

    private static let joiningWords: Set<String> = [
        "for", "of", "and", "the", "to", "in", "with", "a", "an", "on", "at", "by", "from", "its", "as", "&",
    ]

    private static func continuesHeadline(_ title: String, _ next: String) -> Bool {
        if let first = next.unicodeScalars.first, "–—-•(*·".unicodeScalars.contains(first) { return false }
        if ContactExtractor.hasAddressOrNumber(next) { return false }
        let lastWord = title.split(separator: " ").last.map { $0.lowercased() } ?? ""
        if joiningWords.contains(lastWord) { return true }
        if let first = next.unicodeScalars.first, first.properties.isLowercase { return true }
        // Upper-case headline lines.
        let letters = (title + next).unicodeScalars.filter { $0.properties.isAlphabetic }
        return !letters.isEmpty && letters.allSatisfy { $0.properties.isUppercase }
            && !(title.last.map { ".!?".contains($0) } ?? false)
    }

    /// Whether the words are a letterhead's street address: "350 North 5th Street, Suite 1000", "P.O. Box 1000",
    /// "1 Main St., 4th Floor" (a number first, a word of streets, short).
    private static func isStreetAddress(_ words: [Substring]) -> Bool {
        guard let first = words.first, words.count <= 12 else { return false }
        let lower = words.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ",.")) }
        if lower.count >= 2, ["p.o", "po"].contains(lower[0]), lower[1] == "box" { return true }
        guard first.allSatisfy(\.isNumber) || first.first?.isNumber == true && first.count <= 6 else { return false }
        return lower.dropFirst().contains(where: streetWords.contains)
    }

    private static let streetWords: Set<String> = [
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "suite", "floor", "plaza",
        "parkway", "pkwy", "lane", "ln", "place", "court", "ct", "highway", "hwy", "square", "way",
    ]

    private static func isHeadlineCandidate(_ paragraph: String) -> Bool {
        let words = paragraph.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard words.count >= 4, paragraph.count <= 400 else { return false }
        let lower = paragraph.lowercased()
        for banner in [
            "exhibit", "for immediate release", "news release", "press release", "contact", "media contact",
            "investor contact", "source:", "for release", "financial contact", "page ", "for immediate",
        ] where lower.hasPrefix(banner) {
            return false
        }
        if ContactExtractor.hasAddressOrNumber(paragraph) { return false }
        if isStreetAddress(words) { return false }
        if let first = paragraph.unicodeScalars.first, "–—-•(*".unicodeScalars.contains(first) { return false }
        if let last = paragraph.unicodeScalars.last, "–—-".unicodeScalars.contains(last) { return false }
        // A paragraph of prose is not a headline.
        if words.count > 60 { return false }
        return true
    }

    /// The cells of a line: tab-separated (HTML tables) or separated by runs of three or more spaces (plain text).
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var line = line
        line.withUTF8 { bytes in
            var pieceStart = 0
            var spaces = 0
            func flush(_ end: Int) {
                var lo = pieceStart
                var hi = end
                while lo < hi, ASCII.isWhitespace(bytes[lo]) { lo += 1 }
                while hi > lo, ASCII.isWhitespace(bytes[hi - 1]) { hi -= 1 }
                guard lo < hi else { return }
                // The cell with its runs of spaces, tabs and line breaks collapsed to one space (other white space,
                // a carriage return, stays as it is).
                var cell: [UInt8] = []
                cell.reserveCapacity(end - pieceStart)
                var gap = false
                for i in pieceStart..<end {
                    let b = bytes[i]
                    if b == ASCII.space || b == ASCII.newline || b == ASCII.tab {
                        gap = true
                    } else {
                        if gap, !cell.isEmpty { cell.append(ASCII.space) }
                        gap = false
                        cell.append(b)
                    }
                }
                cells.append(String(decoding: cell, as: UTF8.self))
            }
            for i in 0..<bytes.count {
                let b = bytes[i]
                // A tab, or a third space in a row, ends a cell.
                if b == ASCII.tab || b == ASCII.space && spaces >= 2 {
                    flush(i)
                    pieceStart = i + 1
                }
                spaces = b == ASCII.space ? spaces + 1 : 0
            }
            flush(bytes.count)
        }
        return cells
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    /// A form's own title from its cover: "CURRENT REPORT", "ANNUAL REPORT", ….
    static func formTitle(_ context: DocumentContext) -> String {
        let bytes = context.text.bytes
        for range in context.layout.paragraphs.prefix(30) {
            // A byte comparison first: most paragraphs start otherwise, and some are long.
            for (title, lower) in formTitles where bytes.matchesIgnoringCase(lower, at: range.lowerBound) {
                let paragraph = context.string(range).uppercased()
                if paragraph.hasPrefix(title) && paragraph.count < 120 { return title }
            }
        }
        return ""
    }

    private static let formTitles: [(String, StaticString)] = [
        ("CURRENT REPORT", "current report"), ("QUARTERLY REPORT", "quarterly report"),
        ("ANNUAL REPORT", "annual report"), ("NOTIFICATION OF LATE FILING", "notification of late filing"),
    ]

    private static let registrantMark = NeedleSet(["egistrant"])

    /// The registrant's name on a cover page: the line above "(Exact name of registrant as specified in its
    /// charter)".
    static func registrantName(_ context: DocumentContext) -> String? {
        let lines = context.lineStrings
        // Cheap test before the case-insensitive search: the label always has "egistrant" in it.
        for index in lines.lines(holding: registrantMark, before: 400) {
            let line = lines[index]
            guard line.utf8.count > 15 else { continue }
            // Searched in the line itself: a range found in its lower case does not fit the line wherever lower case
            // changes a character's length ("İ", 2 bytes, is "i̇", 3).
            guard
                let marker = line.rangeIgnoringASCIICase(of: "name of registrant")
                    ?? line.rangeIgnoringASCIICase(of: "registrant as specified")
            else { continue }
            // The name on the same line, before the label.
            // Without the label's opening, in any case: "Acme Corp. (EXACT name of registrant …)".
            var before = String(line[..<marker.lowerBound])
            while let opening = before.rangeIgnoringASCIICase(of: "(exact") { before.removeSubrange(opening) }
            let sameLine = cleanName(before)
            if sameLine.count >= 3, !sameLine.lowercased().hasSuffix("exact") { return sameLine }
            var k = index - 1
            while k >= 0, k >= index - 6 {
                let candidate = cleanName(lines[k])
                if !candidate.isEmpty, candidate.contains(where: \.isLetter) {
                    if candidate.lowercased().contains("commission file") { return nil }
                    return candidate
                }
                k -= 1
            }
        }
        return nil
    }

    private static func cleanName(_ line: String) -> String {
        let cells = TitleExtractor.cells(line).filter { !$0.allSatisfy { "-_=*( )".contains($0) } }
        let best = cells.max(by: { $0.count < $1.count }) ?? ""
        return best.trimmingCharacters(in: .init(charactersIn: " ()"))
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        return String(s)
    }
}

extension Set where Element == Character {
    fileprivate init(charactersIn string: String) { self.init(string) }
}
