internal import FilingsCore
internal import Foundation

/// People named with a role, and the statements they are quoted making.
///
/// Sources: quote attributions ("…," said Olivier Civelli, Ph.D., Principal Investigator for NeoGene; "Tom
/// Williams, President and CEO of Combinet, said"), appositions ("Jane Roe, Chief Financial Officer,"), titles
/// before names ("Vice President and General Manager Don Listwin"), and signature blocks ("By: /s/ NAME" with
/// the title below). A short form ("said Mr. Jobs", "Listwin said") names the person as first introduced.
struct PeopleExtractor {
    let context: DocumentContext
    private(set) var people: [Person] = []
    private(set) var quotes: [Quote] = []
    private var index: [String: Int] = [:]

    init(context: DocumentContext) {
        self.context = context
    }

    /// A word of the text: its range and its bytes without trailing punctuation.
    struct Token {
        var range: Range<Int>
        var word: String
        /// The punctuation that followed the word inside the token ("," "." "," + quote, …).
        var trailing: String
        var leadingQuote: Bool
        /// Whether the word can be part of a name (``PeopleExtractor/isNameWord(_:)``), read once per token.
        var nameWord: Bool

        init(range: Range<Int>, word: String, trailing: String, leadingQuote: Bool) {
            self.range = range
            self.word = word
            self.trailing = trailing
            self.leadingQuote = leadingQuote
            self.nameWord = PeopleExtractor.isNameWord(word)
        }
    }

    static let honorifics: Set<String> = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mr", "Ms", "Mrs", "Dr", "Sir"]
    static let suffixes: Set<String> = [
        "Ph.D.", "PhD", "Ph.D", "M.D.", "MD", "M.D", "Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "CPA", "CFA", "Esq.",
        "MBA", "MBChB", "D.Phil.", "DPhil", "J.D.", "JD", "FACC", "FRCP", "R.N.", "RN", "Pharm.D.", "PharmD",
    ]
    static let speechVerbs: Set<String> = [
        "said", "says", "stated", "states", "added", "adds", "commented", "comments", "noted", "notes", "explained",
        "continued", "remarked", "observed", "concluded", "announced", "emphasized", "stressed",
    ]
    static let titleWords: Set<String> = [
        "president", "chief", "officer", "ceo", "cfo", "coo", "cto", "cio", "cmo", "chairman", "chairwoman", "chair",
        "director", "manager", "vice", "secretary", "treasurer", "counsel", "founder", "co-founder", "head", "partner",
        "principal", "investigator", "analyst", "executive", "controller", "leader", "professor", "dean", "governor",
        "commissioner", "trustee", "spokesperson", "spokesman", "spokeswoman", "owner", "evp", "svp", "vp",
        "scientist", "physician", "chairperson", "general", "senior", "lead", "officers", "administrator",
        "assistant", "associate", "deputy", "interim", "acting", "corporate", "managing", "co-chief", "founding",
        "member", "chairs", "ceo,",
    ]
    /// After "Name,": the index where the title starts in "who has served as a Director", "currently serving as
    /// President", "who serves as the Company's Secretary"; nil when the words are not of that form.
    static func afterServingAs(_ tokens: [Token], from start: Int) -> Int? {
        var k = start
        if k < tokens.count, tokens[k].word == "who" || tokens[k].word == "currently" { k += 1 }
        while k < tokens.count, k < start + 4, tokens[k].trailing.isEmpty,
            ["has", "have", "had", "served", "serves", "serving", "currently", "been", "is", "was"].contains(
                tokens[k].word
            )
        {
            k += 1
        }
        guard k > start, k < tokens.count, tokens[k].word == "as", tokens[k].trailing.isEmpty,
            tokens[start..<k].contains(where: { $0.word.hasPrefix("serv") })
        else { return nil }
        return skippingArticles(tokens, from: k + 1)
    }

    /// A title written after "as": capitalised, and ending before "since 2013", "effective March 1", "from 1996".
    static func writtenTitle(_ tokens: [Token], from start: Int) -> Range<Int>? {
        guard start < tokens.count, ASCII.isUpper(tokens[start].word.utf8.first ?? 0),
            let end = titleEnd(tokens, from: start)
        else { return nil }
        var cut = start
        while cut < end,
            !["since", "effective", "from", "until", "through", "beginning", "starting"].contains(
                tokens[cut].word
            )
        {
            cut += 1
        }
        return cut > start ? start..<cut : nil
    }

    /// Past "a", "an", "new", "independent": where a title written after "as" starts ("as a new independent Director").
    static func skippingArticles(_ tokens: [Token], from start: Int) -> Int {
        var k = start
        while k < tokens.count, k < start + 3, ["a", "an", "new", "independent"].contains(tokens[k].word),
            tokens[k].trailing.isEmpty
        {
            k += 1
        }
        return k
    }

    /// Whether the words before `index` appoint the person named there: "appointed", "Appoints", "elects",
    /// "the appointment of", "promoted".
    static func isAppointed(_ tokens: [Token], before index: Int) -> Bool {
        guard index >= 1, tokens[index - 1].trailing.isEmpty else { return false }
        let previous = tokens[index - 1].word.lowercased()
        if appointingVerbs.contains(previous) { return true }
        guard previous == "of", index >= 2, tokens[index - 2].trailing.isEmpty else { return false }
        return ["appointment", "election", "promotion", "hiring", "nomination"].contains(
            tokens[index - 2].word.lowercased()
        )
    }

    /// Whether the words at `start` say that the person named before them leaves or takes an office, the way
    /// a current report's Item 5.02 does: "notified the Company", "informed the Board", "tendered his
    /// resignation", "resigned as", "intends to retire", "was appointed". The object is part of the rule, so that a
    /// company ("Acme Widgets notified its lenders") is not taken for a person.
    static func changesOffice(_ tokens: [Token], from start: Int) -> Bool {
        func word(_ offset: Int) -> String {
            start + offset < tokens.count ? tokens[start + offset].word.lowercased() : ""
        }
        func plain(_ offset: Int) -> Bool {
            start + offset < tokens.count && tokens[start + offset].trailing.isEmpty
        }
        let appointed: Set<String> = ["appointed", "elected", "named", "promoted"]
        let leaving: Set<String> = ["resign", "retire", "step"]
        switch word(0) {
        case "notified", "informed", "advised", "notifies", "informs", "advises":
            let object = word(1) == "the" && plain(1) ? word(2) : word(1)
            return plain(0) && ["company", "board", "registrant", "corporation"].contains(object)
        case "tendered", "submitted", "announced", "tenders", "submits", "announces":
            return plain(0) && ["his", "her", "their"].contains(word(1))
                && ["resignation", "retirement", "decision", "intention", "intent"].contains(word(2))
        case "resigned", "retired", "resigns", "retires":
            // An office is written with capitals ("resigned as Controller"); a bank "resigned as trustee".
            guard plain(0), start + 2 < tokens.count else { return false }
            switch word(1) {
            case "as": return tokens[start + 2].word.unicodeScalars.first?.properties.isUppercase == true
            case "from": return ["the", "his", "her"].contains(word(2))
            default: return word(1) == "effective"
            }
        case "intends", "plans", "decided":
            return word(1) == "to" && leaving.contains(word(2))
        case "will":
            return word(1) == "be" ? appointed.contains(word(2)) : leaving.contains(word(1))
        case "was":
            return appointed.contains(word(1))
        case "has":
            return word(1) == "been" && appointed.contains(word(2))
        default:
            return false
        }
    }

    static let appointingVerbs: Set<String> = [
        "appoints", "appointed", "elects", "elected", "names", "named", "promotes", "promoted", "hires", "hired",
        "nominates", "nominated", "welcomes", "welcomed",
    ]

    /// Words that end a run of capitalised words before a name: verbs of headlines and descriptors ("Acme Appoints
    /// Industry Veteran Jane Roe", "Board Chair Tom Reddin"). Title words do too, but for "Dean", a given name.
    static let nameBreakers: Set<String> = [
        "appoints", "names", "elects", "promotes", "hires", "welcomes", "announces", "adds", "taps", "selects",
        "nominates", "appointed", "named", "elected", "promoted", "veteran", "industry", "former", "longtime",
        "welcome", "congratulates", "mourns",
    ]

    static func breaksName(_ word: String) -> Bool {
        let lower = word.lowercased()
        return nameBreakers.contains(lower) || titleWords.contains(lower) && lower != "dean"
    }

    static let notNames: Set<String> = [
        "The", "This", "That", "These", "Those", "We", "Our", "Us", "It", "Its", "He", "She", "They", "His", "Her",
        "Their", "In", "On", "At", "For", "And", "But", "As", "By", "If", "A", "An", "Company", "Inc.", "Inc", "Corp.",
        "Corporation", "Board", "Directors", "Chief", "Executive", "Officer", "President", "Vice", "Senior",
        "Chairman", "Financial", "General", "Counsel", "Secretary", "Treasurer", "Director", "Manager", "LLC", "LLP",
        "L.P.", "Ltd.", "Co.", "Group", "Holdings", "Securities", "Exchange", "Commission", "United", "States",
        "Nasdaq", "NASDAQ", "NYSE", "Street", "Avenue", "Road", "Drive", "January", "February", "March", "April",
        "May", "June", "July", "August", "September", "October", "November", "December", "Item", "Exhibit", "Form",
        "Section", "Rule", "Act", "Report", "Annual", "Quarterly", "Current", "Registrant", "Date", "Dated", "Name",
        "Title", "Investor", "Investors", "Media", "Relations", "Contact", "Contacts", "Fund", "Trust", "Bank",
        "University", "Technologies", "Pharmaceuticals", "Systems", "Partners", "Capital", "Management", "Services",
        "International", "Global", "America", "American", "National", "New", "Phase", "Program", "Plan", "Agreement",
        "According", "Mr.", "Ms.", "Dr.", "Mrs.", "Today", "Tomorrow", "Yesterday", "Business", "Wire", "Washington",
        "D.C.", "Total", "Net", "Revenue", "Revenues", "Results", "First", "Second", "Third", "Fourth", "Fiscal",
        "Quarter", "Year", "Operations", "Operating", "Note", "Notes", "Forward-Looking", "Statements", "Committee",
        "Audit", "Compensation", "Nominating", "Governance", "Nomination", "Department", "Division", "Office",
    ]

    mutating func extract() {
        for paragraph in context.layout.paragraphs {
            let tokens = PeopleExtractor.tokenize(context.text.bytes, paragraph)
            guard tokens.count >= 2 else { continue }
            scanAttributions(tokens, paragraph)
        }
        scanSignatures()
    }

    static func tokenize(_ bytes: [UInt8], _ range: Range<Int>) -> [Token] {
        var tokens: [Token] = []
        var i = range.lowerBound
        while i < range.upperBound {
            while i < range.upperBound, ASCII.isWhitespace(bytes[i]) { i += 1 }
            let start = i
            while i < range.upperBound, !ASCII.isWhitespace(bytes[i]) { i += 1 }
            guard i > start else { break }
            var lo = start
            var hi = i
            var leadingQuote = false
            // Leading quotes and parentheses.
            while lo < hi {
                if bytes[lo] == ASCII.quote || bytes[lo] == ASCII.openParen {
                    leadingQuote = leadingQuote || bytes[lo] == ASCII.quote
                    lo += 1
                } else if bytes[lo] == 0xE2, lo + 2 < hi, bytes[lo + 1] == 0x80,
                    bytes[lo + 2] == 0x9C || bytes[lo + 2] == 0x98
                {
                    leadingQuote = true
                    lo += 3
                } else if bytes[lo] == 0xE2, lo + 2 < hi, bytes[lo + 1] == 0x80, bytes[lo + 2] == 0xA2 {
                    // A bullet run into its line's first word: "•Philip Maritz notifies …".
                    lo += 3
                } else {
                    break
                }
            }
            // Trailing punctuation: , . ; : ) " ” ’ — but a final period of an initial or abbreviation stays.
            var trailing = [UInt8]()
            while hi > lo {
                let b = bytes[hi - 1]
                if b == ASCII.comma || b == ASCII.semicolon || b == ASCII.colon || b == ASCII.closeParen
                    || b == ASCII.quote
                    || b == 0x21 || b == 0x3F
                {
                    trailing.insert(b, at: 0)
                    hi -= 1
                } else if b == 0x9D || b == 0x99, hi - 3 >= lo, bytes[hi - 3] == 0xE2, bytes[hi - 2] == 0x80 {
                    trailing.insert(ASCII.quote, at: 0)
                    hi -= 3
                } else if b == ASCII.period {
                    // Keep the period of initials and abbreviations ("J.", "Inc.", "Ph.D."); drop a sentence end.
                    let word = bytes[lo..<(hi - 1)]
                    let keeps =
                        word.count <= 1 || word.contains(ASCII.period)
                        || PeopleExtractor.honorifics.contains(String(decoding: bytes[lo..<hi], as: UTF8.self))
                        || PeopleExtractor.suffixes.contains(String(decoding: bytes[lo..<hi], as: UTF8.self))
                    if keeps { break }
                    trailing.insert(b, at: 0)
                    hi -= 1
                } else {
                    break
                }
            }
            guard hi > lo else { continue }
            tokens.append(
                Token(
                    range: lo..<hi,
                    word: String(decoding: bytes[lo..<hi], as: UTF8.self),
                    trailing: String(decoding: trailing, as: UTF8.self),
                    leadingQuote: leadingQuote
                )
            )
        }
        return tokens
    }

    /// "said", "Said", "SAID", … (the speech verbs are 4 to 10 letters long).
    static func isSpeechVerb(_ word: String) -> Bool {
        (4...10).contains(word.utf8.count) && speechVerbs.contains(word.lowercased())
    }

    static func isNameWord(_ token: Token) -> Bool { token.nameWord }

    /// Whether `w` can be part of a name: capitalised, letters, periods, apostrophes and hyphens, not a word that
    /// never names a person.
    static func isNameWord(_ w: String) -> Bool {
        guard let first = w.utf8.first, ASCII.isUpper(first), w.utf8.count <= 24 else { return false }
        guard !notNames.contains(w) else { return false }
        // Letters, periods (initials), apostrophes and hyphens only; Unicode's letters beyond ASCII.
        for scalar in w.unicodeScalars {
            if scalar.isASCII {
                let b = UInt8(scalar.value)
                guard ASCII.isLetter(b) || b == ASCII.period || b == 0x27 || b == 0x2D else { return false }
            } else if !(scalar.properties.isAlphabetic || scalar == "’") {
                return false
            }
        }
        return true
    }

    static func isInitial(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        return bytes.count >= 2 && bytes.last == ASCII.period && bytes.filter { $0 != ASCII.period }.count <= 3
            && bytes.filter { $0 == ASCII.period }.count >= 1
            && bytes.allSatisfy { ASCII.isUpper($0) || $0 == ASCII.period }
    }

    /// The longest person name starting at `start`: 2 to 4 name words (initials allowed, not last), ending at
    /// punctuation or before a non-name word. Returns the end index (exclusive).
    static func nameEnd(_ tokens: [Token], from start: Int) -> Int? {
        var k = start
        var words = 0
        while k < tokens.count, words < 4 {
            let token = tokens[k]
            let isParticle = particles.contains(token.word)
            guard isNameWord(token) || (isParticle && words > 0) else { break }
            if k > start, tokens[k].leadingQuote || suffixes.contains(token.word) { break }
            if !isParticle, breaksName(token.word) { break }
            words += 1
            k += 1
            if !token.trailing.isEmpty { break }
        }
        guard words >= 2 else { return nil }
        let last = tokens[k - 1].word
        if isInitial(last) { return nil }
        // All-caps words are headings ("ITEM 5. OTHER EVENTS"), unless the whole name is short.
        var longWords = 0
        var upperWords = 0
        for token in tokens[start..<k] where token.word.utf8.count > 3 && token.word.count > 3 {
            longWords += 1
            let ascii = token.word.utf8.allSatisfy { $0 < 0x80 }
            if ascii ? !token.word.utf8.contains(where: ASCII.isLower) : token.word == token.word.uppercased() {
                upperWords += 1
            }
        }
        if upperWords > 0 && upperWords == longWords { return nil }
        return k
    }

    /// A title phrase starting at `start`: words up to the end of the clause, containing a title word.
    static func titleEnd(_ tokens: [Token], from start: Int) -> Int? {
        var start = start
        // "the Company’s President", "our Chief Executive Officer", "its Secretary".
        if start < tokens.count, ["the", "our", "its", "their", "his", "her"].contains(tokens[start].word) {
            start += 1
            if start < tokens.count, tokens[start].word.hasSuffix("’s") || tokens[start].word.hasSuffix("'s") {
                start += 1
            }
        }
        guard start < tokens.count else { return nil }
        var k = start
        var hasTitleWord = false
        while k < tokens.count, k - start < 16 {
            let token = tokens[k]
            if token.leadingQuote && k > start { break }
            let lower = token.word.lowercased()
            if speechVerbs.contains(lower) { break }
            let t = token.trailing
            // "CEO Email: …": a label ends the title before it.
            if t.contains(":") && k > start { break }
            if titleWords.contains(lower) { hasTitleWord = true }
            k += 1
            if t.contains(".") || t.contains("\"") || t.contains(";") || t.contains(")") || t.contains(":") { break }
            if t.contains(",") {
                // "Senior Vice President, Chief Financial Officer" goes on; ", said" or ", will" ends the title.
                guard k < tokens.count, let first = tokens[k].word.utf8.first, ASCII.isUpper(first),
                    !tokens[k].leadingQuote, titleWords.contains(tokens[k].word.lowercased())
                else { break }
            }
        }
        guard hasTitleWord, k > start else { return nil }
        // The first word of a title is capitalised or a title word ("chief executive officer").
        guard let first = tokens[start].word.utf8.first,
            ASCII.isUpper(first) || titleWords.contains(tokens[start].word.lowercased())
        else { return nil }
        return k
    }

    private func phrase(_ tokens: [Token], _ range: Range<Int>) -> String {
        tokens[range].map(\.word).joined(separator: " ")
    }

    /// A title phrase as written ("the Company’s President and CEO", "ManTech Chief Financial Officer", "Chief
    /// Executive Officer of Alnylam") as a title and an organisation.
    static func cleanTitle(_ words: [String]) -> (String, String) {
        var words = words[...]
        var organization = ""
        if let first = words.first, ["the", "our", "its", "their", "his", "her"].contains(first) {
            words = words.dropFirst()
            if let possessive = words.first, possessive.hasSuffix("’s") || possessive.hasSuffix("'s") {
                let owner = possessive.dropLast(2)
                if owner != "Company" { organization = String(owner) }
                words = words.dropFirst()
            }
        }
        // Leading words that are not part of a title name the organisation: "ManTech Chief Financial Officer".
        var leading: [String] = []
        func isTitleWord(_ word: String) -> Bool {
            let lower = String(word.lowercased().filter { $0 != "," })
            // "Board Chair", "Board Member": the board is part of the title, not an organisation.
            return titleWords.contains(lower) || lower == "board"
        }
        while let first = words.first, !isTitleWord(first), words.count > 1,
            words.dropFirst().contains(where: isTitleWord),
            let c = first.unicodeScalars.first, c.properties.isUppercase
        {
            leading.append(first)
            words = words.dropFirst()
        }
        let (title, rest) = splitTitle(words.joined(separator: " "))
        if !rest.isEmpty {
            organization = rest
        } else if !leading.isEmpty {
            organization = leading.joined(separator: " ")
        }
        return (title, organization)
    }

    /// Splits "Chief Executive Officer of Alnylam" into title and organisation.
    static func splitTitle(_ title: String) -> (String, String) {
        for separator in [" of ", " for ", " at ", " with "] {
            guard let range = title.range(of: separator) else { continue }
            let rest = title[range.upperBound...]
            guard let first = rest.unicodeScalars.first, first.properties.isUppercase, !rest.hasPrefix("the "),
                !titleWords.contains(String(rest.split(separator: " ").first ?? "").lowercased())
            else { continue }
            return (String(title[..<range.lowerBound]), String(rest))
        }
        return (title, "")
    }

    private static func normalizedKey(_ name: String) -> String {
        var words = name.lowercased().split(separator: " ")
        while let last = words.last, suffixes.contains(where: { $0.lowercased() == last }) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// Adds `person`, or completes the one already known by that name.
    mutating func add(_ person: Person) {
        let key = PeopleExtractor.normalizedKey(person.name)
        guard !key.isEmpty else { return }
        if let existing = index[key] {
            let known = people[existing].title
            // A fuller statement of the same title wins: "Executive Vice President, General Counsel and Corporate
            // Secretary" over "Executive Vice President".
            if known.isEmpty || person.title.count > known.count && person.title.hasPrefix(known) {
                people[existing].title = person.title
            }
            if people[existing].organization.isEmpty { people[existing].organization = person.organization }
            return
        }
        index[key] = people.count
        people.append(person)
    }

    /// The full name for a short form ("Jobs", "Mr. Jobs"): the first person introduced with that last name.
    private func resolve(_ surname: String) -> String? {
        let lower = surname.lowercased()
        if let person = people.first(where: {
            $0.name.lowercased().split(separator: " ").last.map(String.init) == lower
        }) {
            return person.name
        }
        // Someone introduced in the text without a role: "Don Listwin".
        let bytes = context.text.bytes
        let needle = Array(surname.utf8)
        // Only a paragraph that holds the word's bytes can hold the word: a byte search before the tokenizer.
        for paragraph in context.layout.paragraphs where bytes.contains(needle, in: paragraph) {
            let tokens = PeopleExtractor.tokenize(bytes, paragraph)
            for k in tokens.indices where tokens[k].word == surname && k >= 1 {
                var start = k - 1
                while start > 0, PeopleExtractor.isNameWord(tokens[start - 1]), tokens[start - 1].trailing.isEmpty,
                    k - start < 3
                {
                    start -= 1
                }
                // The earliest start that makes a name ending at the surname.
                for first in start..<k
                where PeopleExtractor.isNameWord(tokens[first]) && tokens[first].trailing.isEmpty
                    && PeopleExtractor.nameEnd(tokens, from: first) == k + 1
                {
                    return phrase(tokens, first..<(k + 1))
                }
            }
        }
        return nil
    }

    private mutating func scanAttributions(_ tokens: [Token], _ paragraph: Range<Int>) {
        let bytes = context.text.bytes
        let hasQuote = bytes[paragraph].contains(ASCII.quote) || containsCurlyQuote(bytes, paragraph)
        var k = 0
        while k < tokens.count {
            if PeopleExtractor.isSpeechVerb(tokens[k].word) {
                if let speaker = speakerAfter(tokens, verb: k) ?? speakerBefore(tokens, verb: k), hasQuote {
                    addQuote(speaker: speaker, paragraph: paragraph, near: tokens[k].range.lowerBound)
                }
            } else if PeopleExtractor.isNameWord(tokens[k]),
                k == 0 || !PeopleExtractor.isNameWord(tokens[k - 1])
                    || !tokens[k - 1].trailing.isEmpty
                    || PeopleExtractor.nameBreakers.contains(tokens[k - 1].word.lowercased())
            {
                // Apposition: "Jane Roe, Chief Financial Officer of Acme," / title before name.
                if let end = PeopleExtractor.nameEnd(tokens, from: k) {
                    if tokens[end - 1].trailing.hasPrefix(","),
                        let titleEnd = PeopleExtractor.titleEnd(tokens, from: end)
                    {
                        addPerson(tokens, name: k..<end, title: end..<titleEnd)
                    } else if tokens[end - 1].trailing.hasPrefix(","),
                        PeopleExtractor.looksLikePerson(phrase(tokens, k..<end)),
                        let served = PeopleExtractor.afterServingAs(tokens, from: end),
                        let title = PeopleExtractor.writtenTitle(tokens, from: served)
                    {
                        // "David P. Falck, who has served as a Director since 2013".
                        addPerson(tokens, name: k..<end, title: title)
                    } else if PeopleExtractor.isAppointed(tokens, before: k),
                        PeopleExtractor.looksLikePerson(phrase(tokens, k..<end)),
                        // "appointed KPMG Peat Marwick as auditors": an acronym names a firm.
                        !tokens[k..<end].contains(where: {
                            $0.word.utf8.count >= 3 && $0.word.utf8.allSatisfy(ASCII.isUpper)
                        })
                    {
                        // "appointed Jane Roe as Chief Financial Officer", "the appointment of Jane Roe to its Board".
                        var title = end..<end
                        if tokens[end - 1].trailing.isEmpty, end < tokens.count, tokens[end].word == "as",
                            tokens[end].trailing.isEmpty,
                            let written = PeopleExtractor.writtenTitle(
                                tokens,
                                from: PeopleExtractor.skippingArticles(tokens, from: end + 1)
                            )
                        {
                            title = written
                        }
                        addPerson(tokens, name: k..<end, title: title)
                    } else if tokens[end - 1].trailing.isEmpty,
                        PeopleExtractor.changesOffice(tokens, from: end),
                        PeopleExtractor.looksLikePerson(phrase(tokens, k..<end)),
                        !tokens[k..<end].contains(where: {
                            $0.word.utf8.count >= 3 && $0.word.utf8.allSatisfy(ASCII.isUpper)
                        })
                    {
                        // "Martin H. Loeffler notified the Company that he intends to retire", "Jane Roe resigned as".
                        addPerson(tokens, name: k..<end, title: end..<end)
                    } else if k >= 1, PeopleExtractor.titleWords.contains(tokens[k - 1].word.lowercased()),
                        tokens[k - 1].trailing.isEmpty, let first = tokens[k - 1].word.utf8.first, ASCII.isUpper(first)
                    {
                        var titleStart = k - 1
                        while titleStart > 0, k - titleStart < 8,
                            tokens[titleStart - 1].trailing.isEmpty
                                || tokens[titleStart - 1].trailing == ",",
                            let c = tokens[titleStart - 1].word.utf8.first,
                            ASCII.isUpper(c) || tokens[titleStart - 1].word == "and"
                                || tokens[titleStart - 1].word == "&"
                        {
                            titleStart -= 1
                        }
                        while titleStart < k - 1, !ASCII.isUpper(tokens[titleStart].word.utf8.first ?? 0) {
                            titleStart += 1
                        }
                        addPerson(tokens, name: k..<end, title: titleStart..<k)
                    }
                    k = end
                    continue
                }
            }
            k += 1
        }
    }

    private func containsCurlyQuote(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i + 2 < range.upperBound {
            if bytes[i] == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0x9C || bytes[i + 2] == 0x9D { return true }
            i += 1
        }
        return false
    }

    /// "said Olivier Civelli, Ph.D., Principal Investigator for NeoGene Technologies" / "said Mr. Jobs".
    private mutating func speakerAfter(_ tokens: [Token], verb: Int) -> String? {
        var k = verb + 1
        guard k < tokens.count, tokens[verb].trailing.isEmpty || tokens[verb].trailing == "," else { return nil }
        guard !tokens[k].leadingQuote else { return nil }
        // "said ManTech President and Chief Executive Officer, Kevin M. Phillips."
        if tokens[verb].trailing.isEmpty, PeopleExtractor.nameEnd(tokens, from: k) == nil,
            !PeopleExtractor.honorifics.contains(tokens[k].word)
        {
            var comma = k
            while comma < tokens.count, comma < k + 10, tokens[comma].trailing.isEmpty { comma += 1 }
            if comma < tokens.count, comma > k, tokens[comma].trailing == ",",
                tokens[k...comma].contains(where: { PeopleExtractor.titleWords.contains($0.word.lowercased()) }),
                let end = PeopleExtractor.nameEnd(tokens, from: comma + 1)
            {
                addPerson(tokens, name: (comma + 1)..<end, title: k..<(comma + 1))
                return phrase(tokens, (comma + 1)..<end)
            }
        }
        // "said Board Chair Tom Reddin": a title written before the name, without a comma.
        if PeopleExtractor.nameEnd(tokens, from: k) == nil, !PeopleExtractor.honorifics.contains(tokens[k].word) {
            var first = k
            while first < tokens.count, first < k + 5, tokens[first].trailing.isEmpty,
                ASCII.isUpper(tokens[first].word.utf8.first ?? 0),
                PeopleExtractor.breaksName(tokens[first].word) || PeopleExtractor.notNames.contains(tokens[first].word)
            {
                first += 1
            }
            if first > k, tokens[k..<first].contains(where: { PeopleExtractor.breaksName($0.word) }),
                let end = PeopleExtractor.nameEnd(tokens, from: first)
            {
                addPerson(tokens, name: first..<end, title: k..<first)
                return phrase(tokens, first..<end)
            }
        }
        var honorific = false
        if PeopleExtractor.honorifics.contains(tokens[k].word) {
            honorific = true
            k += 1
        }
        guard k < tokens.count else { return nil }
        if let end = PeopleExtractor.nameEnd(tokens, from: k) {
            var after = end
            // Credentials after the name: ", Ph.D.," or " MBChB,".
            while after < tokens.count, PeopleExtractor.suffixes.contains(tokens[after].word) { after += 1 }
            let name = phrase(tokens, k..<end)
            let lastTrailing = tokens[after - 1].trailing
            if lastTrailing.hasPrefix(","), let titleEnd = PeopleExtractor.titleEnd(tokens, from: after) {
                addPerson(tokens, name: k..<end, title: after..<titleEnd)
            } else {
                addPerson(tokens, name: k..<end, title: end..<end)
            }
            return name
        }
        if honorific || tokens[k].trailing.hasPrefix("."), PeopleExtractor.isNameWord(tokens[k]) {
            return resolve(tokens[k].word)
        }
        return nil
    }

    /// "Tom Williams, President and CEO of Combinet, said" / "Listwin said" / "Mr. Jobs said".
    private mutating func speakerBefore(_ tokens: [Token], verb: Int) -> String? {
        guard verb >= 1 else { return nil }
        let previous = tokens[verb - 1]
        // "Listwin said" / "Mr. Jobs said".
        if previous.trailing.isEmpty, PeopleExtractor.isNameWord(previous) {
            var start = verb - 1
            while start > 0, verb - start < 4, PeopleExtractor.isNameWord(tokens[start - 1]),
                tokens[start - 1].trailing.isEmpty
            {
                start -= 1
            }
            if start < verb - 1 || start > 0 && PeopleExtractor.honorifics.contains(tokens[start - 1].word) {
                // "CEO Mike Lavigne stated": the name starts after the words that cannot be part of it.
                if let first = nameStart(tokens, endingAt: verb - 1), first >= start {
                    // The words skipped are the title when they hold a title word: "CEO Mike Lavigne stated".
                    let title =
                        tokens[start..<first].contains(where: {
                            PeopleExtractor.titleWords.contains($0.word.lowercased())
                        })
                        ? start..<first : verb..<verb
                    addPerson(tokens, name: first..<verb, title: title)
                    return phrase(tokens, first..<verb)
                }
            }
            if start == verb - 1 { return resolve(previous.word) }
            return nil
        }
        // "Name, Title, said".
        guard previous.trailing.hasPrefix(",") else { return nil }
        var start = verb - 2
        while start >= 0, verb - start <= 16 {
            // "John Smith Jr., Vice President, said": the credential is not part of the name.
            let nameLast = PeopleExtractor.suffixes.contains(tokens[start].word) ? start - 1 : start
            if tokens[start].trailing.hasPrefix(","), nameLast >= 1,
                let nameStart = nameStart(tokens, endingAt: nameLast)
            {
                // The title runs to the verb; a department may follow it ("Vice President, Sales, said").
                if let titleEnd = PeopleExtractor.titleEnd(tokens, from: start + 1), titleEnd <= verb,
                    tokens[titleEnd..<verb].allSatisfy({ ASCII.isUpper($0.word.utf8.first ?? 0) })
                {
                    addPerson(tokens, name: nameStart..<(nameLast + 1), title: (start + 1)..<verb)
                    return phrase(tokens, nameStart..<(nameLast + 1))
                }
            }
            start -= 1
        }
        return nil
    }

    private func nameStart(_ tokens: [Token], endingAt last: Int) -> Int? {
        var start = last
        while start > 0, last - start < 3, PeopleExtractor.isNameWord(tokens[start - 1]),
            tokens[start - 1].trailing.isEmpty
        {
            start -= 1
        }
        while start < last {
            if let end = PeopleExtractor.nameEnd(tokens, from: start), end == last + 1 { return start }
            start += 1
        }
        return nil
    }

    private mutating func addPerson(_ tokens: [Token], name: Range<Int>, title: Range<Int>) {
        let nameText = phrase(tokens, name)
        // Commas inside a title stay: "Senior Vice President, Chief Financial Officer".
        let words = tokens[title].enumerated().map { offset, token in
            offset < title.count - 1 && token.trailing.hasPrefix(",") ? token.word + "," : token.word
        }
        let (titleText, organization) = PeopleExtractor.cleanTitle(words)
        add(
            Person(
                name: nameText,
                title: PeopleExtractor.withoutTrailingHeading(titleText),
                organization: organization,
                span: context.span(
                    tokens[name.lowerBound].range.lowerBound..<tokens[name.upperBound - 1].range.upperBound
                )
            )
        )
    }

    /// Records the quotation nearest `position` in `paragraph`.
    private mutating func addQuote(speaker: String, paragraph: Range<Int>, near position: Int) {
        let bytes = context.text.bytes
        var spans: [Range<Int>] = []
        var open: Int?
        var i = paragraph.lowerBound
        while i < paragraph.upperBound {
            let b = bytes[i]
            var isOpen = false
            var isClose = false
            var width = 1
            if b == ASCII.quote {
                if open == nil { isOpen = true } else { isClose = true }
            } else if b == 0xE2, i + 2 < paragraph.upperBound, bytes[i + 1] == 0x80 {
                if bytes[i + 2] == 0x9C { isOpen = true }
                if bytes[i + 2] == 0x9D { isClose = true }
                width = 3
            }
            if isOpen && open == nil {
                open = i + width
            } else if isClose, let start = open {
                if i > start { spans.append(start..<i) }
                open = nil
            }
            i += width
        }
        guard !spans.isEmpty else { return }
        let nearest = spans.min(by: { distance($0, position) < distance($1, position) })!
        var range = bytes.trimmed(nearest)
        while range.count > 1, bytes[range.upperBound - 1] == ASCII.comma || bytes[range.upperBound - 1] == ASCII.space
        {
            range = range.lowerBound..<(range.upperBound - 1)
        }
        guard range.count > 10 else { return }
        quotes.append(Quote(speaker: speaker, text: context.string(range), span: context.span(range)))
    }

    private func distance(_ range: Range<Int>, _ position: Int) -> Int {
        position < range.lowerBound ? range.lowerBound - position : max(0, position - range.upperBound)
    }

    /// "By: /s/ Larry R. Carter" with the title on the lines below, or "Name:"/"Title:" lines.
    private mutating func scanSignatures() {
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
    static func withoutTrailingHeading(_ written: String) -> String {
        var title = written
        var words = title.split(separator: " ")
        if words.contains(where: { $0.contains(where: \.isLowercase) }) {
            var cut = words.count
            while cut > 1, words[cut - 1].count > 1, words[cut - 1].allSatisfy({ !$0.isLowercase }),
                words[cut - 1].contains(where: \.isLetter)
            {
                cut -= 1
            }
            let joiner = cut > 0 ? words[cut - 1].lowercased() : ""
            if cut < words.count, !["of", "at", "for", "and", "&", "with"].contains(joiner),
                words[cut...].contains(where: { !titleWords.contains($0.lowercased()) })
            {
                words.removeSubrange(cut...)
                title = words.joined(separator: " ")
            }
        }
        return title
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

    private static let functionWords: Set<Substring> = [
        "not", "to", "of", "and", "or", "for", "with", "by", "in", "on", "the", "as",
    ]

    /// Whether `name` reads as a person's name; `signed` names (after "/s/") may hold a word that is also a
    /// title ("Dean").
    static func looksLikePerson(_ name: String, signed: Bool = false) -> Bool {
        let words = name.split(separator: " ")
        guard (2...5).contains(words.count), name.count <= 40 else { return false }
        // Every word capitalised, or a particle ("Ludwig van Beethoven").
        guard
            words.allSatisfy({ word in
                guard let first = word.unicodeScalars.first else { return false }
                return first.properties.isUppercase || particles.contains(String(word))
            })
        else { return false }
        if signed
            ? words.contains(where: { titleWords.contains($0.lowercased()) && $0 != "Dean" }) : containsTitleWord(name)
        {
            return false
        }
        let lowerWords = words.map { $0.lowercased() }
        // "elected Not To Use the …": function words are not names.
        if lowerWords.contains(where: { functionWords.contains(Substring($0)) }) { return false }
        // "Acme Partners", "Springfield Savings Bank, N.A.", "Smith Barney L.P.".
        return !lowerWords.contains { word in
            var trimmed = Substring(word)
            while let c = trimmed.first, c == "." || c == "," { trimmed.removeFirst() }
            while let c = trimmed.last, c == "." || c == "," { trimmed.removeLast() }
            return companyWords.contains(String(trimmed))
        }
    }

    /// Words that lower-case letters may start in a name.
    static let particles: Set<String> = ["de", "van", "von", "der", "da", "di", "del", "la", "le", "du"]

    /// Words of company names, compared without the periods and commas around them.
    private static let companyWords: Set<String> = [
        "llp", "llc", "inc", "corp", "company", "ltd", "l.p", "bank", "trust", "partners",
    ]

    static func containsTitleWord(_ text: String) -> Bool {
        text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" }).contains {
            titleWords.contains(String($0))
        }
    }
}
