internal import FilingsCore

// People in the prose: quote attributions, appositions, titles before names, and the short forms that refer
// back to them.
extension PeopleExtractor {
    /// The full name for a short form ("Jobs", "Mr. Jobs"): the first person introduced with that last name.
    private mutating func resolve(_ surname: String) -> String? {
        let lower = surname.lowercased()
        if let person = people.first(where: {
            $0.name.lowercased().split(separator: " ").last.map(String.init) == lower
        }) {
            return person.name
        }
        // Someone introduced in the text without a role: "Don Listwin". The text does not change, so neither does
        // the answer: a document that says "Listwin said" a hundred times is searched once.
        if let known = namesInText[surname] { return known }
        let name = nameInText(surname)
        namesInText[surname] = name
        return name
    }

    /// The first full name in the text that ends with `surname`.
    private func nameInText(_ surname: String) -> String? {
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

    /// Whether the paragraph at `range` of `bytes` has a word that some rule of ``scanAttributions(_:_:)`` needs
    /// before it records anyone: a title word, a speech verb, or a verb of appointing or of leaving an office
    /// (``triggerWords``). Most paragraphs of a long report have none, and are skipped before they are tokenized.
    ///
    /// The test reads the words as the tokenizer would, less strictly: a run of bytes between whitespace with
    /// anything but ASCII letters cut from both ends. A token whose word is a trigger is such a run, so no
    /// paragraph that a rule could read is skipped.
    static func mayNamePeople(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                while i < end, !ASCII.isLetter(p[i]) { i += 1 }
                let start = i
                while i < end, !ASCII.isWhitespace(p[i]) { i += 1 }
                var last = i
                while last > start, !ASCII.isLetter(p[last - 1]) { last -= 1 }
                if last - start >= 2, triggerWords.contains(UnsafeBufferPointer(rebasing: p[start..<last])) {
                    return true
                }
            }
            return false
        }
    }

    /// The words without which ``scanAttributions(_:_:)`` records no one, in any case: every rule needs a title
    /// word (appositions, titles before names, "who has served as"), a speech verb (quotes), or the verb of an
    /// appointment or a change of office (``isAppointed(_:before:)``, ``changesOffice(_:from:)``).
    static let triggerWords = WordSet(
        titleWordList + speechVerbWords + quotingVerbWords + appointingVerbWords + [
            "appointment", "election", "promotion", "hiring", "nomination", "notified", "informed", "advised",
            "notifies", "informs", "advises", "tendered", "submitted", "announced", "tenders", "submits", "announces",
            "resigned", "retired", "resigns", "retires", "resign", "retire", "step", "appointed", "elected", "named",
            "promoted",
        ],
        ignoringCase: true
    )

    mutating func scanAttributions(_ tokens: [Token], _ paragraph: Range<Int>) {
        let bytes = context.text.bytes
        // Whether the paragraph quotes anyone, read once it names a speaker.
        var quotes: Bool?
        func hasQuote() -> Bool {
            if let quotes { return quotes }
            let found = bytes[paragraph].contains(ASCII.quote) || containsCurlyQuote(bytes, paragraph)
            quotes = found
            return found
        }
        var k = 0
        while k < tokens.count {
            if tokens[k].speechVerb {
                if let speaker = speakerAfter(tokens, verb: k) ?? speakerBefore(tokens, verb: k), hasQuote() {
                    addQuote(speaker: speaker, paragraph: paragraph, near: tokens[k].range.lowerBound)
                }
            } else if PeopleExtractor.isNameWord(tokens[k]),
                k == 0 || !PeopleExtractor.isNameWord(tokens[k - 1])
                    || !tokens[k - 1].trailing.isEmpty
                    || PeopleExtractor.nameBreakers.contains(tokens[k - 1].word)
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
                    } else if k >= 1, PeopleExtractor.titleWords.contains(tokens[k - 1].word),
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
                tokens[k...comma].contains(where: { PeopleExtractor.titleWords.contains($0.word) }),
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
                            PeopleExtractor.titleWords.contains($0.word)
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
}
