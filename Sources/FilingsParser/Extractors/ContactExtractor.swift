internal import FilingsCore
internal import Foundation

/// Press-release contact blocks: role, name, organisation, phone, extension, e-mail; one column or several side
/// by side.
enum ContactExtractor: DocumentStage {
    /// A press release's contacts, and the titles under their names for the people stage. A text layer behind page
    /// images runs the columns of a page into one line ("Marcey Zwiebel Bryan Gill" under "MEDIA: INVESTORS:"): only
    /// the contacts whose every part can be paired with its column are read there (``layerContacts(_:)``).
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        guard reading.document.kind == .pressRelease else { return }
        guard !context.layout.textLayer else {
            reading.document.contacts = layerContacts(context.lineStrings)
            return
        }
        let found = extract(context)
        reading.document.contacts = found.contacts
        reading.contactTitles = found.titles
    }

    /// The first telephone number in `text`: "(508) 647-9782", "+1-617-682-4340", "1.650.607.0349", "1-866-417-7132".
    static func phone(in text: String) -> Range<String.Index>? {
        // Every form read has ten ASCII digits at least (a digit beyond ASCII only ends a number): a text with fewer
        // is not searched.
        var digits = 0
        var beyondASCII = 0
        for byte in text.utf8 {
            if ASCII.isDigit(byte) {
                digits += 1
            } else if byte >= 0x80 {
                beyondASCII += 1
            }
        }
        guard digits >= 10 else { return nil }
        if beyondASCII == 0 {
            // In ASCII a character is its byte (CR LF is one character, and neither byte can be in a number).
            var text = text
            guard let match = text.withUTF8({ phone(inCodes: $0) }) else { return nil }
            let utf8 = text.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: match.lowerBound)
            return start..<utf8.index(start, offsetBy: match.count)
        }
        let codes = text.map { character -> UInt8 in
            if character.isASCII, let value = character.asciiValue { return value }
            return character.isNumber ? PhoneCode.number : character.isLetter ? PhoneCode.letter : PhoneCode.other
        }
        guard let match = codes.withUnsafeBufferPointer({ phone(inCodes: $0) }) else { return nil }
        let start = text.index(text.startIndex, offsetBy: match.lowerBound)
        return start..<text.index(start, offsetBy: match.count)
    }

    /// What ``phone(in:)`` reads of a character: an ASCII character is its byte, any other one of these.
    private enum PhoneCode {
        static let number: UInt8 = 0x80
        static let letter: UInt8 = 0x81
        static let other: UInt8 = 0x82
        static func isNumber(_ code: UInt8) -> Bool { ASCII.isDigit(code) || code == number }
        static func isLetter(_ code: UInt8) -> Bool { ASCII.isLetter(code) || code == letter }
    }

    /// The offsets of the first telephone number in `c`, one ``PhoneCode`` a character.
    private static func phone(inCodes c: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var i = 0
        while i < c.count {
            let b = c[i]
            if b == 0x2B || b == ASCII.openParen || PhoneCode.isNumber(b),
                i == 0 || !(PhoneCode.isNumber(c[i - 1]) || PhoneCode.isLetter(c[i - 1]))
            {
                if let end = phoneEnd(c, i) { return i..<end }
            }
            i += 1
        }
        return nil
    }

    private static func phoneEnd(_ c: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var i = start
        func digits(_ n: Int) -> Bool {
            guard i + n <= c.count, c[i..<(i + n)].allSatisfy(ASCII.isDigit) else { return false }
            i += n
            return true
        }
        func isSeparator(_ b: UInt8) -> Bool { b == ASCII.hyphen || b == ASCII.period || b == ASCII.space }
        func separator(optional: Bool) -> Bool {
            if i < c.count, isSeparator(c[i]) {
                i += 1
                return true
            }
            return optional
        }
        if i < c.count, c[i] == 0x2B {
            i += 1
            guard digits(1) else { return nil }
            _ = separator(optional: true)
        } else if i + 1 < c.count, c[i] == 0x31, isSeparator(c[i + 1]) {
            let save = i
            i += 2
            if !(i < c.count && (PhoneCode.isNumber(c[i]) || c[i] == ASCII.openParen)) { i = save }
        }
        if i < c.count, c[i] == ASCII.openParen {
            i += 1
            guard digits(3), i < c.count, c[i] == ASCII.closeParen else { return nil }
            i += 1
            _ = separator(optional: true)
        } else {
            guard digits(3), separator(optional: false) else { return nil }
        }
        guard digits(3), separator(optional: false), digits(4) else { return nil }
        if i < c.count, PhoneCode.isNumber(c[i]) { return nil }
        return i
    }

    private static let roleWords: Set<String> = [
        "media", "investor", "investors", "press", "analysts", "relations", "analyst", "financial", "public",
        "communications", "corporate", "contact", "contacts", "inquiries",
    ]

    /// ``roleWords`` in any case: a line without one has no cell that ``isRole(_:)`` accepts and is no block label
    /// (``isBlockLabel(_:)``), and a byte search says so without lower-casing it or splitting it into cells. (No
    /// character outside ASCII lower-cases into one of these words.)
    private static let roleWordNeedles = NeedleSet(roleWords)

    /// Whether `byte` is one of the characters around a role: "(Media)", "Investors:", "- Press -".
    private static func isRoleEdge(_ byte: UInt8) -> Bool {
        byte == ASCII.openParen || byte == ASCII.closeParen || byte == ASCII.colon || byte == ASCII.hyphen
            || byte == ASCII.space
    }

    private static func isRole(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isRoleEdge($0) }),
            let last = utf8.lastIndex(where: { !isRoleEdge($0) })
        else { return false }
        // The edges are ASCII, so both ends fall between characters.
        let stripped = Substring(utf8[first...last])
        // Under 50 characters, counted no further than the 50th (a whole line of prose comes here as a cell);
        // "#ACME_Financial" is a hashtag, not a role.
        guard stripped.dropFirst(49).isEmpty, !stripped.hasPrefix("#") else { return false }
        let words = lowercasedWords(stripped)
        guard !words.isEmpty else { return false }
        let known = words.filter { roleWords.contains(String($0)) }.count
        return known >= 1 && words.count - known <= 2
            && words.allSatisfy {
                roleWords.contains(String($0)) || $0 == "and" || $0 == "or" || $0.dropFirst(3).isEmpty
            }
    }

    /// The contacts of a press release, and the titles written under their names ("Sr. Manager, Investor
    /// Relations"), which a contact has no field for, keyed by the lower-cased name.
    struct Found {
        var contacts: [Contact] = []
        var titles: [String: String] = [:]
    }

    static func extract(_ context: DocumentContext) -> Found {
        let lines = context.lineStrings
        var contacts: [Contact] = []
        var titles: [String: String] = [:]
        var index = 0
        while index < lines.count {
            // Both ways to open a block need a role word on the line (a block label needs "contact", "investors:" or
            // "media:"): a byte search first, then the work.
            guard lines.line(index, holds: roleWordNeedles) else {
                index += 1
                continue
            }
            let line = lines[index]
            let cellsHere = TitleExtractor.cells(line)
            let rolesHere =
                !cellsHere.isEmpty && cellsHere.allSatisfy(isRole)
                && lines[(index + 1)...].prefix(12).contains {
                    phone(in: $0) != nil
                }
            let labelled = isBlockLabel(line)
            guard rolesHere || labelled else {
                index += 1
                continue
            }
            // The block: lines until a blank run, prose, or another section.
            var block: [String] = []
            // A line of roles ("Investor Relations    Media") heads the columns under it: it belongs to the block.
            if rolesHere && !labelled && !line.utf8.contains(ASCII.colon) { block.append(line) }
            let afterColon = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            var headerRole = ""
            if afterColon.count == 2 {
                let head = String(afterColon[0]).trimmingSpaces()
                if isRole(head) && !isContactLabel(head) { headerRole = head }
                let rest = String(afterColon[1]).trimmingSpaces()
                if !rest.isEmpty {
                    // "CONTACT: Investors: Steve Weber, (800) 213-5542, investor@fico.com; Media: …" on one line.
                    for entry in rest.split(separator: ";") {
                        block.append(contentsOf: entry.split(separator: ",").map { String($0).trimmingSpaces() })
                        block.append("")
                    }
                }
            }
            var k = index + 1
            var blanks = 0
            while k < lines.count, k < index + 30 {
                let candidate = lines[k]
                k += 1
                if candidate.trimmingSpaces().isEmpty {
                    blanks += 1
                    if blanks >= 2 && !block.isEmpty { break }
                    block.append("")
                    continue
                }
                blanks = 0
                let collapsed = TitleExtractor.collapse(candidate)
                // "SOURCE: Acme Corp." closes a wire-service release, after its contacts.
                if collapsed.lowercased().hasPrefix("source:") { break }
                if collapsed.count > 90 && collapsed.containsBytes(". ") { break }
                // A headline in capitals ends the block.
                if TitleExtractor.cells(candidate).count == 1, collapsed.split(separator: " ").count >= 4,
                    collapsed.unicodeScalars.allSatisfy({ !$0.properties.isAlphabetic || $0.properties.isUppercase }),
                    !isRole(collapsed)
                {
                    break
                }
                if collapsed.count > 140 { break }
                block.append(candidate)
            }
            contacts.append(contentsOf: parseBlock(block, role: headerRole, titles: &titles))
            index = k
        }
        // Deduplicate by name.
        var seen = Set<String>()
        let unique = contacts.filter { !$0.name.isEmpty && seen.insert($0.name.lowercased()).inserted }
        return Found(contacts: unique, titles: titles)
    }

    private static func parseBlock(_ block: [String], role: String, titles: inout [String: String]) -> [Contact] {
        // Columns side by side.
        let split = block.map { TitleExtractor.cells($0) }
        let columns = split.map(\.count).max() ?? 1
        var streams: [[String]] = Array(repeating: [], count: max(1, columns))
        for cells in split {
            if cells.isEmpty {
                for c in streams.indices { streams[c].append("") }
            } else if cells.count == columns {
                for (c, cell) in cells.enumerated() { streams[c].append(cell) }
            } else {
                streams[0].append(contentsOf: cells)
            }
        }
        var contacts: [Contact] = []
        for stream in streams {
            contacts.append(contentsOf: parseStream(deinterleaved(stream), role: role, titles: &titles))
        }
        return contacts
    }

    /// The contacts of a text layer, where a row of columns is one line: two roles or more, each ending in a colon, on
    /// lines of their own after "Contacts" or nothing ("CONTACTS", "MEDIA:", "INVESTORS:", or all on one line), and
    /// on the lines after them one name of two words for each role, then one telephone number for each or none, then
    /// one e-mail address for each or none, column by column ("Marcey Zwiebel Bryan Gill", "(412) 762-4550
    /// (412) 768-4143 media@… investors@…"). Any other layout gives none: its parts could not be told apart or
    /// paired with their columns.
    static func layerContacts(_ lines: LineStrings) -> [Contact] {
        var index = 0
        while index < lines.count {
            var roles: [String] = []
            var afterRoles = index
            // A line of roles holds a role word, or "Contacts" (one too): a byte search says so before the line's
            // string is made.
            while afterRoles < lines.count, lines.line(afterRoles, holds: roleWordNeedles),
                let found = layerRoles(lines[afterRoles])
            {
                roles += found
                afterRoles += 1
            }
            defer { index = max(index + 1, afterRoles) }
            guard roles.count >= 2 else { continue }
            // The row may run over a few lines of the layer.
            var row = ""
            var next = afterRoles
            while next < lines.count, next < afterRoles + 4 {
                let line = lines[next].trimmingSpaces()
                next += 1
                guard !line.isEmpty else { continue }
                row += row.isEmpty ? line : " " + line
                if let contacts = layerRow(row, roles: roles) { return contacts }
            }
        }
        return []
    }

    /// The roles on a line that holds nothing but them, each ending in a colon, after "Contacts" or nothing (no
    /// role for "Contacts" alone); nil for any other line.
    private static func layerRoles(_ line: String) -> [String]? {
        var segments = line.split(separator: ":", omittingEmptySubsequences: false).map {
            String($0).trimmingSpaces()
        }
        if segments.count == 1 { segments.append("") }  // "Contacts", without its colon
        guard segments.removeLast().isEmpty else { return nil }
        var first = segments[0].split(separator: " ")
        if let label = first.first, isContactLabel(label) { first.removeFirst() }
        segments[0] = first.joined(separator: " ")
        if segments.count > 1, segments[0].isEmpty { segments.removeFirst() }  // "Contacts: Media: Investors:"
        if segments == [""] { return line.contains(where: \.isLetter) ? [] : nil }
        return segments.allSatisfy({ !$0.isEmpty && isRole($0) }) ? segments : nil
    }

    /// The contacts of `roles`' columns run into `line`: names, then telephone numbers, then e-mail addresses.
    private static func layerRow(_ line: String, roles: [String]) -> [Contact]? {
        var words = line.split(separator: " ").map(String.init)
        var emails: [String] = []
        while let last = words.last, last.utf8.contains(ASCII.at) {
            emails.insert(emailAddress(last), at: 0)
            words.removeLast()
        }
        let rest = words.joined(separator: " ")
        // The numbers follow the names, one after another, up to the addresses.
        var phones: [String] = []
        var namePart = Substring(rest)
        if let first = phone(in: rest) {
            namePart = rest[..<first.lowerBound]
            var tail = String(rest[first.lowerBound...])
            while !tail.isEmpty {
                guard let range = phone(in: tail), range.lowerBound == tail.startIndex else { return nil }
                phones.append(String(tail[range]))
                tail = String(tail[range.upperBound...]).trimmingSpaces()
            }
        }
        let k = roles.count
        let names = namePart.split(separator: " ").map(String.init)
        guard names.count == 2 * k, phones.isEmpty || phones.count == k, emails.isEmpty || emails.count == k,
            !(phones.isEmpty && emails.isEmpty)
        else { return nil }
        var contacts: [Contact] = []
        for column in 0..<k {
            let name = names[2 * column] + " " + names[2 * column + 1]
            guard PeopleExtractor.looksLikePerson(name), !isOrganization(name) else { return nil }
            var contact = Contact(role: roles[column])
            contact.name = name
            if !phones.isEmpty { contact.phone = phones[column] }
            if !emails.isEmpty { contact.email = emails[column] }
            contacts.append(contact)
        }
        return contacts
    }

    private enum CellKind { case role, name, title, phone, email, other }

    private static func kind(_ cell: String) -> CellKind {
        if cell.utf8.contains(ASCII.at) { return .email }
        if phone(in: cell) != nil { return .phone }
        if isRole(cell) { return .role }
        if PeopleExtractor.containsTitleWord(cell) { return .title }
        if PeopleExtractor.looksLikePerson(PeopleExtractor.writtenName(cell)) && !isOrganization(cell) {
            return .name
        }
        return .other
    }

    /// A table of contacts read cell by cell comes out interleaved ("Investor Relations", "Media", "Stephen Vather",
    /// "Jim Crawford", …): regroup it contact by contact when every kind comes in runs of the same length.
    private static func deinterleaved(_ stream: [String]) -> [String] {
        let cells = stream.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        guard cells.count >= 4 else { return stream }
        var runs: [[String]] = []
        var lastKind: CellKind?
        for cell in cells {
            let k = kind(cell)
            if k == lastKind, k != .other { runs[runs.count - 1].append(cell) } else { runs.append([cell]) }
            lastKind = k
        }
        guard let width = runs.first?.count, width >= 2, runs.count >= 2,
            runs.allSatisfy({ $0.count == width })
        else { return stream }
        var result: [String] = []
        for column in 0..<width {
            for run in runs { result.append(run[column]) }
            result.append("")
        }
        return result
    }

    private static func parseStream(_ stream: [String], role: String, titles: inout [String: String]) -> [Contact] {
        var contacts: [Contact] = []
        var current = Contact(role: role)
        var blockOrganization = ""
        var pendingRole = ""
        var sawBlank = false
        // Where the contacts under the current organisation or role begin: a number on a line of its own after
        // several of them ("Jane Roe, CEO, jane@acme.com" / "John Doe, CFO, john@acme.com" / "555-0100") is theirs.
        var groupStart = 0
        func finish() {
            if !current.name.isEmpty {
                if current.organization.isEmpty { current.organization = blockOrganization }
                contacts.append(current)
            }
            current = Contact(role: pendingRole.isEmpty ? role : pendingRole)
            pendingRole = ""
        }
        for raw in stream {
            var cell = raw.trimmingSpaces()
            if cell.isEmpty {
                sawBlank = true
                continue
            }
            defer { sawBlank = false }
            // "Media: Jim Crawford" / "Investor Relations: …".
            if let colon = cell.firstIndex(of: ":") {
                let head = String(cell[..<colon])
                if isRole(head) {
                    if !current.name.isEmpty { finish() }
                    groupStart = contacts.count
                    current.role = head.trimmingSpaces()
                    cell = String(cell[cell.index(after: colon)...]).trimmingSpaces()
                    if cell.isEmpty { continue }
                } else if ["email", "e-mail", "phone", "tel", "telephone", "office", "mobile", "cell"].contains(
                    head.lowercased().trimmingSpaces()
                ) {
                    cell = String(cell[cell.index(after: colon)...]).trimmingSpaces()
                }
            }
            if cell.utf8.contains(ASCII.at) {
                let tokens = cell.split(separator: " ")
                // "Jane Roe, CEO, jroe@acme.com" / "Ken Doe / ken@agency.com": a contact of its own.
                if let name = leadingName(tokens.prefix { !$0.utf8.contains(ASCII.at) }.joined(separator: " ")) {
                    if !current.name.isEmpty, current.name != name { finish() }
                    current.name = name
                }
                if let email = tokens.first(where: { $0.utf8.contains(ASCII.at) }) {
                    current.email = emailAddress(email)
                }
                continue
            }
            if let range = phone(in: cell) {
                if !current.phone.isEmpty && !current.name.isEmpty { continue }
                current.phone = String(cell[range])
                let rest = cell[range.upperBound...].lowercased()
                if let ext = rest.range(of: "ext") ?? rest.range(of: "x") {
                    let digits = rest[ext.upperBound...].drop(while: { !$0.isNumber }).prefix(while: \.isNumber)
                    if !digits.isEmpty { current.`extension` = String(digits) }
                }
                let before = String(cell[..<range.lowerBound]).trimmingCharacters(in: CharacterSet(charactersIn: " ,:"))
                if current.name.isEmpty, let name = leadingName(before) {
                    current.name = name
                } else if before.isEmpty, !current.name.isEmpty {
                    for k in contacts.indices where k >= groupStart && contacts[k].phone.isEmpty {
                        contacts[k].phone = current.phone
                        contacts[k].`extension` = current.`extension`
                    }
                }
                continue
            }
            if isRole(cell) || (cell.hasPrefix("(") && cell.hasSuffix(")")) {
                let role = cell.trimmingCharacters(in: CharacterSet(charactersIn: "():"))
                if !current.name.isEmpty {
                    if current.role.isEmpty || current.role == "" {
                        current.role = role
                    } else {
                        pendingRole = role; finish()
                        groupStart = contacts.count
                    }
                } else {
                    current.role = role
                    groupStart = contacts.count
                }
                continue
            }
            // "Michael B. Lavigne, CEO": a name, and the title after it.
            if let comma = cell.firstIndex(of: ","), PeopleExtractor.containsTitleWord(String(cell[comma...])),
                let name = leadingName(cell)
            {
                if !current.name.isEmpty, current.name != name { finish() }
                current.name = name
                let title = cell[cell.index(after: comma)...].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
                if titles[name.lowercased()] == nil { titles[name.lowercased()] = title }
                continue
            }
            let name = PeopleExtractor.writtenName(cell)
            if PeopleExtractor.looksLikePerson(name) && !isOrganization(cell)
                && !PeopleExtractor.containsTitleWord(cell)
                && (current.name.isEmpty || !current.phone.isEmpty || !current.email.isEmpty
                    || sawBlank && current.organization.isEmpty == false)
            {
                if !current.name.isEmpty { finish() }
                current.name = name
                continue
            }
            if PeopleExtractor.containsTitleWord(cell) && (!isOrganization(cell) || startsWithTitle(cell)) {
                // The line under a name: "Sr. Manager, Investor Relations" (a title that names a department).
                if !current.name.isEmpty, current.phone.isEmpty, current.email.isEmpty,
                    titles[current.name.lowercased()] == nil
                {
                    titles[current.name.lowercased()] = cell
                }
                continue
            }
            if current.name.isEmpty {
                if blockOrganization.isEmpty { blockOrganization = cell }
            } else if !current.email.isEmpty && !current.phone.isEmpty {
                // After a contact with an address and a number, an organisation heads the next group ("Dennard
                // Lascar Investor Relations" over its people).
                finish()
                blockOrganization = cell
                groupStart = contacts.count
            } else if current.organization.isEmpty {
                current.organization = cell
            }
        }
        finish()
        return contacts
    }

    /// Whether a line labels a contact block: "Contacts:", "Media Contact", "Investors & Reporters May Contact:",
    /// "Media: …". Every label holds "contact", "investors:" or "media:": a byte search says so before the line is
    /// lower-cased.
    static func isBlockLabel(_ line: String) -> Bool {
        guard blockLabelNeedles.isFound(in: line) else { return false }
        let lower = line.trimmingSpaces().lowercased()
        return
            (lower.count < 70 && !lower.containsBytes(". ")
            && (lower.containsBytes("contact") || lower.hasPrefix("investors:") || lower.hasPrefix("media:")))
            || lower.hasPrefix("contact:") || lower.hasPrefix("contacts:")
    }

    /// What every block label holds, in any case: one search of the line for the three.
    private static let blockLabelNeedles = NeedleSet(["contact", "investors:", "media:"])

    /// The address of a token that holds one, without the punctuation around it: "<jroe@acme.example>," →
    /// "jroe@acme.example".
    private static func emailAddress(_ token: some StringProtocol) -> String {
        token.trimmingCharacters(in: CharacterSet(charactersIn: "<>(),;:."))
    }

    /// Whether `word` is "Contact" or "Contacts", in any case: the label over a block, not one of its roles.
    private static func isContactLabel(_ word: some StringProtocol) -> Bool {
        ["contact", "contacts"].contains(word.lowercased())
    }

    /// Whether a line carries an e-mail address or a telephone number.
    static func hasAddressOrNumber(_ line: String) -> Bool {
        line.utf8.contains(ASCII.at) || phone(in: line) != nil
    }

    /// The person named before the first comma or slash: "Jane Roe, CEO," → "Jane Roe", "Ken Doe /" → "Ken Doe".
    private static func leadingName(_ text: String) -> String? {
        guard let first = text.split(whereSeparator: { $0 == "," || $0 == "/" || $0 == "|" }).first else { return nil }
        let name = PeopleExtractor.writtenName(String(first).trimmingSpaces())
        return PeopleExtractor.looksLikePerson(name) && !isOrganization(name) ? name : nil
    }

    /// Whether a cell opens with a title: "Vice President, Strategy and …", "Sr. Manager, …" (not "Oracle Corporate
    /// Communications", whose second word only qualifies a title).
    private static func startsWithTitle(_ text: String) -> Bool {
        text.split(separator: " ").prefix(2).contains {
            titleNouns.contains($0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".,")))
        }
    }

    /// The title words that are a title by themselves.
    private static let titleNouns: Set<String> = [
        "president", "officer", "director", "manager", "head", "counsel", "secretary", "treasurer", "chair",
        "chairman", "chairwoman", "vp", "svp", "evp", "ceo", "cfo", "coo", "controller", "spokesperson", "partner",
    ]

    private static func isOrganization(_ text: String) -> Bool {
        // Words are letters and periods; a word's periods at either end do not count ("Inc." is "inc").
        lowercasedWords(text, keepingPeriods: true).contains { word in
            var word = word.drop { $0 == "." }
            while word.last == "." { word.removeLast() }
            return organizationWords.contains(String(word))
        }
    }

    /// The runs of letters of `text` (and, `keepingPeriods`, of periods) in lower case.
    ///
    /// Text in ASCII, nearly every line, is read byte by byte; any other is read by `Character` and its Unicode
    /// properties, which give the same runs for ASCII.
    static func lowercasedWords(_ text: some StringProtocol, keepingPeriods: Bool = false) -> [Substring] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split(whereSeparator: { !$0.isLetter && !(keepingPeriods && $0 == ".") })
        }
        var words: [Substring] = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            if ASCII.isLetter(byte) || keepingPeriods && byte == ASCII.period {
                word.append(ASCII.lower(byte))
            } else if !word.isEmpty {
                words.append(Substring(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(Substring(decoding: word, as: UTF8.self)) }
        return words
    }

    private static let organizationWords: Set<String> = [
        "inc", "corp", "llc", "ltd", "group", "associates", "company", "partners", "communications", "relations",
        "plc", "l.p",
    ]
}

extension Contact {
    fileprivate init(role: String) {
        self.init()
        self.role = role
    }
}
