internal import FilingsCore
internal import Foundation

// The grammar of names and titles: the word lists, and what reads as a person's name or a title.
extension PeopleExtractor {
    static let honorifics = WordSet(honorificWords, ignoringCase: false)
    static let honorificWords: [String] = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mr", "Ms", "Mrs", "Dr", "Sir"]

    static let suffixes = WordSet(suffixWords, ignoringCase: false)
    static let suffixWords: [String] = [
        "Ph.D.", "PhD", "Ph.D", "M.D.", "MD", "M.D", "Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "CPA", "CFA", "Esq.",
        "MBA", "MBChB", "D.Phil.", "DPhil", "J.D.", "JD", "FACC", "FRCP", "R.N.", "RN", "Pharm.D.", "PharmD",
    ]

    static let speechVerbs = WordSet(speechVerbWords, ignoringCase: true)
    static let speechVerbWords: [String] = [
        "said", "says", "stated", "states", "added", "adds", "commented", "comments", "noted", "notes", "explained",
        "explains", "continued", "continues", "remarked", "observed", "observes", "concluded", "concludes",
        "announced", "emphasized", "emphasizes", "stressed", "stresses",
    ]

    /// Verbs that say something else more often than they introduce speech ("the Company reported revenue"): a
    /// speech verb only in lower case and right before a quotation ("reports, “Despite …").
    static let quotingVerbs = WordSet(quotingVerbWords, ignoringCase: false)
    static let quotingVerbWords: [String] = ["reports", "reported", "shared", "shares", "reiterated", "declared"]

    static let titleWords = WordSet(titleWordList, ignoringCase: true)
    static let titleWordList: [String] = [
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
    static func afterServingAs(_ tokens: Tokens, from start: Int) -> Int? {
        var k = start
        if k < tokens.count, tokens.word(k, is: "who") || tokens.word(k, is: "currently") { k += 1 }
        while k < tokens.count, k < start + 4, tokens[k].hasNoTrailing,
            ["has", "have", "had", "served", "serves", "serving", "currently", "been", "is", "was"].contains(
                tokens.word(k)
            )
        {
            k += 1
        }
        guard k > start, k < tokens.count, tokens.word(k, is: "as"), tokens[k].hasNoTrailing,
            (start..<k).contains(where: { tokens.word($0).hasPrefix("serv") })
        else { return nil }
        return skippingArticles(tokens, from: k + 1)
    }

    /// A title written after "as": capitalised, and ending before "since 2013", "effective March 1", "from 1996".
    static func writtenTitle(_ tokens: Tokens, from start: Int) -> Range<Int>? {
        guard start < tokens.count, ASCII.isUpper(tokens.firstByte(start)),
            let end = titleEnd(tokens, from: start)
        else { return nil }
        var cut = start
        while cut < end,
            !["since", "effective", "from", "until", "through", "beginning", "starting"].contains(
                tokens.word(cut)
            )
        {
            cut += 1
        }
        return cut > start ? start..<cut : nil
    }

    /// Past "a", "an", "new", "independent": where a title written after "as" starts ("as a new independent Director").
    static func skippingArticles(_ tokens: Tokens, from start: Int) -> Int {
        var k = start
        while k < tokens.count, k < start + 3, ["a", "an", "new", "independent"].contains(tokens.word(k)),
            tokens[k].hasNoTrailing
        {
            k += 1
        }
        return k
    }

    /// Whether the words before `index` appoint the person named there: "appointed", "Appoints", "elects",
    /// "the appointment of", "promoted".
    static func isAppointed(_ tokens: Tokens, before index: Int) -> Bool {
        guard index >= 1, tokens[index - 1].hasNoTrailing else { return false }
        if tokens.word(index - 1, in: appointingVerbs) { return true }
        guard tokens.word(index - 1, is: "of", ignoringCase: true), index >= 2, tokens[index - 2].hasNoTrailing
        else { return false }
        return ["appointment", "election", "promotion", "hiring", "nomination"].contains(
            tokens.word(index - 2).lowercased()
        )
    }

    /// Whether the words at `start` say that the person named before them leaves or takes an office, the way
    /// a current report's Item 5.02 does: "notified the Company", "informed the Board", "tendered his
    /// resignation", "resigned as", "intends to retire", "was appointed". The object is part of the rule, so that a
    /// company ("Acme Widgets notified its lenders") is not taken for a person.
    static func changesOffice(_ tokens: Tokens, from start: Int) -> Bool {
        func word(_ offset: Int) -> String {
            start + offset < tokens.count ? tokens.word(start + offset).lowercased() : ""
        }
        func plain(_ offset: Int) -> Bool {
            start + offset < tokens.count && tokens[start + offset].hasNoTrailing
        }
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
            case "as": return tokens.word(start + 2).unicodeScalars.first?.properties.isUppercase == true
            case "from": return ["the", "his", "her"].contains(word(2))
            default: return word(1) == "effective"
            }
        case "intends", "plans", "decided":
            return word(1) == "to" && leavingVerbs.contains(word(2))
        case "will":
            return word(1) == "be" ? appointedWords.contains(word(2)) : leavingVerbs.contains(word(1))
        case "was":
            return appointedWords.contains(word(1))
        case "has":
            return word(1) == "been" && appointedWords.contains(word(2))
        default:
            return false
        }
    }

    /// "was appointed", "will be elected": the participles of taking an office.
    private static let appointedWords: Set<String> = ["appointed", "elected", "named", "promoted"]
    /// "intends to retire", "will step down": the verbs of leaving one.
    private static let leavingVerbs: Set<String> = ["resign", "retire", "step"]

    static let appointingVerbs = WordSet(appointingVerbWords, ignoringCase: true)
    static let appointingVerbWords: [String] = [
        "appoints", "appointed", "elects", "elected", "names", "named", "promotes", "promoted", "hires", "hired",
        "nominates", "nominated", "welcomes", "welcomed",
    ]

    /// Words that end a run of capitalised words before a name: verbs of headlines and descriptors ("Acme Appoints
    /// Industry Veteran Jane Roe", "Board Chair Tom Reddin"). Title words do too, but for "Dean", a given name.
    static let nameBreakers = WordSet(nameBreakerWords, ignoringCase: true)
    static let nameBreakerWords: [String] = [
        "appoints", "names", "elects", "promotes", "hires", "welcomes", "announces", "adds", "taps", "selects",
        "nominates", "appointed", "named", "elected", "promoted", "veteran", "industry", "former", "longtime",
        "welcome", "congratulates", "mourns",
    ]

    /// Whether the word of token `k` ends a run of capitalised words before a name (``nameBreakers``, title words).
    static func breaksName(_ tokens: Tokens, _ k: Int) -> Bool {
        tokens.word(k, in: nameBreakers)
            || tokens.word(k, in: titleWords) && !tokens.word(k, is: "dean", ignoringCase: true)
    }

    static let notNames = WordSet(notNameWords, ignoringCase: false)
    static let notNameWords: [String] = [
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

    /// The longest person name starting at `start`: 2 to 4 name words (initials allowed, not last), ending at
    /// punctuation or before a non-name word. Returns the end index (exclusive).
    static func nameEnd(_ tokens: Tokens, from start: Int) -> Int? {
        var k = start
        var words = 0
        while k < tokens.count, words < 4 {
            let token = tokens[k]
            let isParticle = tokens.word(k, in: particles)
            guard token.nameWord || (isParticle && words > 0) else { break }
            if k > start, token.leadingQuote || tokens.word(k, in: suffixes) { break }
            if !isParticle, breaksName(tokens, k) { break }
            words += 1
            k += 1
            if !token.hasNoTrailing { break }
        }
        guard words >= 2 else { return nil }
        if isInitial(tokens.bytes[tokens[k - 1].range]) { return nil }
        // All-caps words are headings ("ITEM 5. OTHER EVENTS"), unless the whole name is short.
        var longWords = 0
        var upperWords = 0
        for j in start..<k where tokens.byteCount(j) > 3 {
            let bytes = tokens.bytes[tokens[j].range]
            if bytes.allSatisfy({ $0 < 0x80 }) {
                longWords += 1
                if !bytes.contains(where: ASCII.isLower) { upperWords += 1 }
            } else {
                // Characters, not bytes: "Zoë" is three.
                let word = tokens.word(j)
                guard word.count > 3 else { continue }
                longWords += 1
                if word == word.uppercased() { upperWords += 1 }
            }
        }
        if upperWords > 0 && upperWords == longWords { return nil }
        return k
    }

    /// Punctuation after a word that ends a title: . " ; ) :
    private static func endsClause(_ byte: UInt8) -> Bool {
        byte == ASCII.period || byte == ASCII.quote || byte == ASCII.semicolon || byte == ASCII.closeParen
            || byte == ASCII.colon
    }

    /// A title phrase starting at `start`: words up to the end of the clause, containing a title word.
    static func titleEnd(_ tokens: Tokens, from start: Int) -> Int? {
        var start = start
        // "the Company’s President", "our Chief Executive Officer", "its Secretary".
        if start < tokens.count, ["the", "our", "its", "their", "his", "her"].contains(tokens.word(start)) {
            start += 1
            if start < tokens.count, tokens.word(start).hasSuffix("’s") || tokens.word(start).hasSuffix("'s") {
                start += 1
            }
        }
        guard start < tokens.count else { return nil }
        var k = start
        var hasTitleWord = false
        while k < tokens.count, k - start < 16 {
            let token = tokens[k]
            if token.leadingQuote && k > start { break }
            if tokens.word(k, in: speechVerbs) { break }
            // The trailing punctuation; a closing curly quote in it reads as `"`, which ends a clause.
            let t = tokens.bytes[token.range.upperBound..<token.trailingEnd]
            // "CEO Email: …": a label ends the title before it.
            if t.contains(ASCII.colon) && k > start { break }
            if tokens.word(k, in: titleWords) { hasTitleWord = true }
            k += 1
            if token.curlyQuote || t.contains(where: endsClause) { break }
            if t.contains(ASCII.comma) {
                // "Senior Vice President, Chief Financial Officer" goes on, and so does a title written in lower
                // case ("chairman, president and chief executive officer") or a list's last title ("President,
                // CEO, and Chairman"); ", said" or ", will" ends the title.
                var next = k
                if next + 1 < tokens.count, tokens.word(next, is: "and"), tokens[next].hasNoTrailing { next += 1 }
                guard next < tokens.count, !tokens[next].leadingQuote, tokens.word(next, in: titleWords),
                    ASCII.isUpper(tokens.firstByte(next))
                        || ASCII.isLower(tokens.firstByte(next)) && ASCII.isLower(tokens.firstByte(k - 1))
                else { break }
            }
        }
        guard hasTitleWord, k > start else { return nil }
        // The first word of a title is capitalised or a title word ("chief executive officer").
        guard ASCII.isUpper(tokens.firstByte(start)) || tokens.word(start, in: titleWords) else { return nil }
        return k
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
        for separator: StaticString in [" of ", " for ", " at ", " with "] {
            guard let range = title.rangeOfBytes(separator) else { continue }
            let rest = title[range.upperBound...]
            guard let first = rest.unicodeScalars.first, first.properties.isUppercase, !rest.hasPrefix("the "),
                !titleWords.contains(String(rest.split(separator: " ").first ?? "").lowercased())
            else { continue }
            return (String(title[..<range.lowerBound]), String(rest))
        }
        return (title, "")
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
        let lowerWords = words.map { $0.lowercased() }
        if signed
            ? zip(words, lowerWords).contains(where: { titleWords.contains($1) && $0 != "Dean" })
            : containsTitleWord(name)
        {
            return false
        }
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
    static let particles = WordSet(particleWords, ignoringCase: false)
    static let particleWords: [String] = ["de", "van", "von", "der", "da", "di", "del", "la", "le", "du"]

    /// Words of company names, compared without the periods and commas around them.
    private static let companyWords: Set<String> = [
        "llp", "llc", "inc", "corp", "company", "ltd", "l.p", "bank", "trust", "partners",
    ]

    static func containsTitleWord(_ text: String) -> Bool {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            // ASCII text is read as bytes: words are runs of letters and hyphens.
            var start = 0
            for i in 0...bytes.count {
                let b: UInt8 = i < bytes.count ? bytes[i] : ASCII.space
                if b >= 0x80 { return nil }
                guard !ASCII.isLetter(b) && b != ASCII.hyphen else { continue }
                if i > start, titleWords.contains(UnsafeBufferPointer(rebasing: bytes[start..<i])) { return true }
                start = i + 1
            }
            return false
        }
        if let found = ascii ?? nil { return found }
        return text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" }).contains {
            titleWords.contains(String($0))
        }
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

    /// A name as written in a signature or a contact line, without what surrounds it: trailing commas and
    /// rules, a title after a comma, suffixes ("Jr.", "CPA") and a leading honorific.
    static func writtenName(_ raw: String) -> String {
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
