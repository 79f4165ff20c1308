internal import FilingsCore
internal import Foundation

/// A signature block: the signer's name as signed and the title written below or beside it.
struct Signature {
    /// The line (of the line view) that holds the "/s/".
    var line: Int
    var name: String
    var title: String
}

/// Signature blocks ("By: /s/ NAME" with the title below or beside it), read once for the stages that need a
/// signer: the people of any document, a 12b-25's signer.
enum SignatureReader: DocumentStage {
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        reading.signatures = read(context.lineStrings)
    }

    private static let signedMark = NeedleSet(["/s/"])

    /// Every "By: /s/ Larry R. Carter" with the title on the lines below or beside it, or on "Title:" lines.
    static func read(_ lines: LineStrings) -> [Signature] {
        var signatures: [Signature] = []
        // A byte search first: lines with a slash are many (dates, URLs), signatures few.
        for index in lines.lines(holding: signedMark) {
            let line = lines[index]
            guard let marker = line.rangeOfBytes("/s/") ?? line.rangeOfBytes("/S/") else { continue }
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
            name = PeopleExtractor.writtenName(name)
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
                    if title.isEmpty || titleContinues(title) { continue }
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
                if cell.containsBytes("/s/") || cell.hasPrefix("Date") { break }
                let lower = cell.lowercased()
                if lower.hasPrefix("name:") { continue }
                if title.isEmpty, cells.count > 1,
                    cells.contains(where: {
                        PeopleExtractor.writtenName($0.replacingOccurrences(of: "By:", with: "")) == name
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
                } else if titleContinues(title)
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
            signatures.append(Signature(line: index, name: name, title: signedTitle(title)))
        }
        return signatures
    }

    /// A signature's title without what follows it on the page: the capacity the rules ask signers to state
    /// ("… Officer (principal financial officer)") and a heading run into it ("… and Secretary EXHIBIT INDEX").
    static func signedTitle(_ written: String) -> String {
        var title = written.trimmingSpaces()
        if title.hasSuffix(")"), let open = title.lastIndex(of: "(") {
            let inside = title[open...].lowercased()
            if inside.containsBytes("principal") || inside.containsBytes("authorized") || inside.containsBytes("duly") {
                title = String(title[..<open]).trimmingSpaces()
            }
        }
        title = PeopleExtractor.withoutTrailingHeading(title)
        while title.hasSuffix(",") { title.removeLast() }
        return title
    }

    /// Whether a title line leaves its phrase open: "Senior Vice President," / "Vice President and".
    static func titleContinues(_ title: String) -> Bool {
        if title.hasSuffix(",") || title.hasSuffix("&") { return true }
        let last = title.split(separator: " ").last.map { $0.lowercased() } ?? ""
        return ["and", "of", "the", "for", "vice", "chief", "&"].contains(last)
    }

}
