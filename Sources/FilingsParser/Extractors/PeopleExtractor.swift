internal import FilingsCore

/// People named with a role, and the statements they are quoted making.
///
/// Sources: quote attributions ("…," said Olivier Civelli, Ph.D., Principal Investigator for NeoGene; "Tom
/// Williams, President and CEO of Combinet, said"), appositions ("Jane Roe, Chief Financial Officer,"), titles
/// before names ("Vice President and General Manager Don Listwin"), and the signers of signature blocks
/// (``SignatureReader``). A short form ("said Mr. Jobs", "Listwin said") names the person as first introduced.
///
/// The work is split by concern: the tokens (`PeopleExtractor+Tokens`), the grammar of names and titles
/// (`+Names`), and people in the prose and their quotes (`+Attribution`).
struct PeopleExtractor: DocumentStage {
    let context: DocumentContext
    /// The people found, each once, in the order they were first met.
    private(set) var people: [Person] = []
    /// The quotations attributed to them (`+Attribution` records them).
    var quotes: [Quote] = []
    /// The position in `people` of each normalised name.
    private var index: [String: Int] = [:]
    /// The full name the text gives for each surname looked up in it (`+Attribution`), nil when it gives none.
    var namesInText: [String: String?] = [:]
    /// The tokens of the paragraphs searched for a surname (`+Attribution`), by the paragraph's index.
    var tokensForNames: [Int: Tokens] = [:]

    init(context: DocumentContext) {
        self.context = context
    }

    /// People in the prose and the signatures, then the contacts (with the titles under their names) and a
    /// 12b-25's signer, each merged with what the text says of the same person.
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading) {
        var people = PeopleExtractor(context: context)
        people.extract()
        for signature in reading.signatures {
            people.add(Person(name: signature.name, title: signature.title, organization: ""))
        }
        for contact in reading.document.contacts where !contact.name.isEmpty {
            people.add(
                Person(
                    name: contact.name,
                    title: reading.contactTitles[contact.name.lowercased()] ?? "",
                    organization: contact.organization,
                    span: contact.span
                )
            )
        }
        if let signer = reading.lateFiling?.signer { people.add(signer) }
        reading.document.people = people.people
        reading.document.quotes = people.quotes
    }

    mutating func extract() {
        let bytes = context.text.bytes
        for paragraph in context.layout.paragraphs where PeopleExtractor.mayNamePeople(bytes, paragraph) {
            let tokens = PeopleExtractor.tokenize(bytes, paragraph)
            guard tokens.count >= 2 else { continue }
            scanAttributions(tokens, paragraph)
        }
    }

    /// The key under which `name` is one person: in lower case, without the suffixes that end it ("Jr.", "PhD").
    static func normalizedKey(_ name: String) -> String {
        let lower = name.lowercased()
        // Most names are ASCII words one space apart, the last no suffix: their key is the name in lower case.
        let utf8 = lower.utf8
        if let first = utf8.first, let last = utf8.last, first != ASCII.space, last != ASCII.space, lower.isASCII,
            !lower.containsBytes("  ")
        {
            let lastWord = utf8.lastIndex(of: ASCII.space).map { lower[utf8.index(after: $0)...] } ?? lower[...]
            if !lowercasedSuffixes.contains(String(lastWord)) { return lower }
        }
        var words = lower.split(separator: " ")
        while let last = words.last, lowercasedSuffixes.contains(String(last)) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// ``suffixWords`` in lower case, lowered once: every person added is keyed with them.
    private static let lowercasedSuffixes = Set(suffixWords.map { $0.lowercased() })

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

    mutating func addPerson(_ tokens: Tokens, name: Range<Int>, title: Range<Int>) {
        let nameText = tokens.phrase(name)
        // Commas inside a title stay: "Senior Vice President, Chief Financial Officer".
        let words = title.map { k in
            k < title.upperBound - 1 && tokens.trailing(k, startsWith: ASCII.comma)
                ? tokens.word(k) + "," : tokens.word(k)
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
}
