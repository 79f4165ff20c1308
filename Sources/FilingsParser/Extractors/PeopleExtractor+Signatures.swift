internal import FilingsCore
internal import Foundation

// Signature blocks: "By: /s/ NAME" with the title below or beside it.
extension PeopleExtractor {
    /// "By: /s/ Larry R. Carter" with the title on the lines below, or "Name:"/"Title:" lines.
    mutating func scanSignatures() {
        let lines = context.lineStrings
        // A byte search first: lines with a slash are many (dates, URLs), signatures few.
        for (index, line) in lines.enumerated() where line.containsIgnoringASCIICase("/s/") {
            guard let marker = line.range(of: "/s/") ?? line.range(of: "/S/") else { continue }
            var rest = TitleExtractor.cells(String(line[marker.upperBound...]))
            var name = rest.first ?? ""
            rest = Array(rest.dropFirst())
            var next = index + 1
            if name.isEmpty {
                while next < lines.count, lines[next].trimmingSpaces().isEmpty, next < index + 3 { next += 1 }
                guard next < lines.count else { continue }
                name = TitleExtractor.cells(lines[next]).first ?? ""
                next += 1
            }
            name = PeopleExtractor.cleanSignatureName(name)
            // What follows "/s/" is a signature: "Dean" there is a given name, not a title.
            guard PeopleExtractor.looksLikePerson(name, signed: true) else { continue }
            var title = ""
            // A title in the next column on the same line (a 10-K's signature table).
            if let cell = rest.first, PeopleExtractor.containsTitleWord(cell) { title = cell }
            var k = next
            var consumed = 0
            var blankBefore = false
            while k < lines.count, consumed < 6 {
                let cells = TitleExtractor.cells(lines[k])
                k += 1
                guard let cell = cells.first else {
                    blankBefore = true
                    if title.isEmpty || PeopleExtractor.titleContinues(title) { continue }
                    // "General Counsel" / "" / "and Corporate Secretary": a table cell's second line.
                    if let following = lines[k...].prefix(2).first(where: { !$0.trimmingSpaces().isEmpty }),
                        following.trimmingSpaces().unicodeScalars.first?.properties.isLowercase == true
                    {
                        continue
                    }
                    break
                }
                if cell.allSatisfy({ "-_=* ".contains($0) }) { continue }
                consumed += 1
                if cell.contains("/s/") || cell.hasPrefix("Date") { break }
                let lower = cell.lowercased()
                if lower.hasPrefix("name:") { continue }
                if title.isEmpty, cells.count > 1,
                    cells.contains(where: {
                        PeopleExtractor.cleanSignatureName($0.replacingOccurrences(of: "By:", with: "")) == name
                    })
                {
                    continue
                }
                if lower.hasPrefix("title:") || lower.hasPrefix("its:") {
                    title = String(cell.drop(while: { $0 != ":" }).dropFirst()).trimmingSpaces()
                    if title.isEmpty, cells.count > 1 { title = cells[1] }
                    blankBefore = false
                    continue
                }
                if title.isEmpty, lower.hasPrefix(name.lowercased()) {
                    // "SAMUEL GULKO, CHIEF FINANCIAL OFFICER" or "Larry R. Carter,".
                    let after = cell.dropFirst(name.count).drop(while: { $0 == "," || $0 == " " })
                    if !after.isEmpty { title = String(after) }
                    blankBefore = false
                    continue
                }
                if !title.isEmpty, cell == cell.uppercased(), title != title.uppercased() { break }
                if title.isEmpty {
                    guard PeopleExtractor.containsTitleWord(cell) else { break }
                    title = cell
                } else if PeopleExtractor.titleContinues(title)
                    || cell.unicodeScalars.first.map({ $0.properties.isLowercase }) == true
                    || (!blankBefore && !lower.hasPrefix("exhibit") && cell != cell.uppercased())
                {
                    title += " " + cell
                } else {
                    break
                }
                blankBefore = false
            }
            // A date in the next column is not part of the title.
            if let date = DateExtractor.firstMonthName(in: title) { title = String(title[..<date]).trimmingSpaces() }
            add(Person(name: name, title: PeopleExtractor.signedTitle(title), organization: ""))
        }
    }

    /// A signature's title without what follows it on the page: the capacity the rules ask signers to state
    /// ("… Officer (principal financial officer)") and a heading run into it ("… and Secretary EXHIBIT INDEX").
    static func signedTitle(_ written: String) -> String {
        var title = written.trimmingSpaces()
        if title.hasSuffix(")"), let open = title.lastIndex(of: "(") {
            let inside = title[open...].lowercased()
            if inside.contains("principal") || inside.contains("authorized") || inside.contains("duly") {
                title = String(title[..<open]).trimmingSpaces()
            }
        }
        title = withoutTrailingHeading(title)
        while title.hasSuffix(",") { title.removeLast() }
        return title
    }

    /// A title without the heading in capitals that a page break ran into it: "Chief Financial Officer and
    /// Secretary EXHIBIT INDEX". Capitals that name whose title it is ("President of ACME CORP") or that are title
    /// words ("Vice President and CFO") stay.
    static func withoutTrailingHeading(_ title: String) -> String {
        let words = title.split(separator: " ")
        guard words.contains(where: { $0.contains(where: \.isLowercase) }) else { return title }
        var cut = words.count
        while cut > 1, words[cut - 1].count > 1, words[cut - 1].allSatisfy({ !$0.isLowercase }),
            words[cut - 1].contains(where: \.isLetter)
        {
            cut -= 1
        }
        // The capitals after "of", "at", … name whose title it is.
        guard cut < words.count, !["of", "at", "for", "and", "&", "with"].contains(words[cut - 1].lowercased()),
            words[cut...].contains(where: { !titleWords.contains($0.lowercased()) })
        else { return title }
        return words[..<cut].joined(separator: " ")
    }

    /// Whether a title line leaves its phrase open: "Senior Vice President," / "Vice President and".
    static func titleContinues(_ title: String) -> Bool {
        if title.hasSuffix(",") || title.hasSuffix("&") { return true }
        let last = title.split(separator: " ").last.map { $0.lowercased() } ?? ""
        return ["and", "of", "the", "for", "vice", "chief", "&"].contains(last)
    }

    static func cleanSignatureName(_ raw: String) -> String {
        var name = raw.trimmingSpaces()
        while let last = name.last, last == "," || last == "_" || last == "-" { name.removeLast() }
        if let comma = name.firstIndex(of: ",") {
            let after = String(name[name.index(after: comma)...]).trimmingSpaces()
            if !suffixes.contains(after) { name = String(name[..<comma]) }
        }
        var words = name.split(separator: " ").map(String.init)
        while let last = words.last, suffixes.contains(last) || suffixes.contains(last + ".") { words.removeLast() }
        if let first = words.first, honorifics.contains(first) { words.removeFirst() }
        return words.joined(separator: " ")
    }
}
