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
    private mutating func nameInText(_ surname: String) -> String? {
        let bytes = context.text.bytes
        let needle = Array(surname.utf8)
        // Only a paragraph that holds the word's bytes can hold the word: a byte search before the tokenizer.
        for (index, paragraph) in context.layout.paragraphs.enumerated() where bytes.contains(needle, in: paragraph) {
            // A paragraph read for one surname is often read for the next ("Smith", then "Jones"): tokenized once.
            let tokens: Tokens
            if let known = tokensForNames[index] {
                tokens = known
            } else {
                tokens = PeopleExtractor.tokenize(bytes, paragraph)
                tokensForNames[index] = tokens
            }
            for k in tokens.indices where k >= 1 && tokens.word(k, equals: needle) {
                var start = k - 1
                while start > 0, tokens[start - 1].nameWord, tokens[start - 1].hasNoTrailing,
                    k - start < 3
                {
                    start -= 1
                }
                // The earliest start that makes a name ending at the surname.
                for first in start..<k
                where tokens[first].nameWord && tokens[first].hasNoTrailing
                    && PeopleExtractor.nameEnd(tokens, from: first) == k + 1
                {
                    return tokens.phrase(first..<(k + 1))
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
        let triggerWords = triggerWords
        return bytes.withUnsafeBufferPointer { p in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                while i < end, !ASCII.isLetter(p[i]) { i += 1 }
                let start = i
                i = ASCII.nextWhitespace(UnsafeRawBufferPointer(p), from: i, before: end)
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

    mutating func scanAttributions(_ tokens: Tokens, _ paragraph: Range<Int>) {
        let bytes = context.text.bytes
        // The paragraph's quotations (none when it quotes no one), read once it names a speaker: a long paragraph may
        // attribute thousands.
        var quotations: [Range<Int>]?
        var k = 0
        while k < tokens.count {
            if tokens[k].speechVerb {
                if let speaker = speakerAfter(tokens, verb: k) ?? speakerBefore(tokens, verb: k) {
                    let spans = quotations ?? PeopleExtractor.quotations(bytes, paragraph)
                    quotations = spans
                    addQuote(speaker: speaker, quotations: spans, near: tokens[k].range.lowerBound)
                }
            } else if tokens[k].nameWord,
                k == 0 || !tokens[k - 1].nameWord
                    || !tokens[k - 1].hasNoTrailing
                    || tokens.word(k - 1, in: PeopleExtractor.nameBreakers)
            {
                // Apposition: "Jane Roe, Chief Financial Officer of Acme," / title before name.
                if let end = PeopleExtractor.nameEnd(tokens, from: k) {
                    if tokens.trailing(end - 1, startsWith: ASCII.comma),
                        let titleEnd = PeopleExtractor.titleEnd(tokens, from: end)
                    {
                        addPerson(tokens, name: k..<end, title: end..<titleEnd)
                    } else if tokens.trailing(end - 1, startsWith: ASCII.comma),
                        PeopleExtractor.looksLikePerson(tokens.phrase(k..<end)),
                        let served = PeopleExtractor.afterServingAs(tokens, from: end),
                        let title = PeopleExtractor.writtenTitle(tokens, from: served)
                    {
                        // "David P. Falck, who has served as a Director since 2013".
                        addPerson(tokens, name: k..<end, title: title)
                    } else if PeopleExtractor.isAppointed(tokens, before: k),
                        PeopleExtractor.looksLikePerson(tokens.phrase(k..<end)),
                        // "appointed KPMG Peat Marwick as auditors": an acronym names a firm.
                        !(k..<end).contains(where: tokens.isAcronym)
                    {
                        // "appointed Jane Roe as Chief Financial Officer", "the appointment of Jane Roe to its Board".
                        var title = end..<end
                        if tokens[end - 1].hasNoTrailing, end < tokens.count, tokens.word(end, is: "as"),
                            tokens[end].hasNoTrailing,
                            let written = PeopleExtractor.writtenTitle(
                                tokens,
                                from: PeopleExtractor.skippingArticles(tokens, from: end + 1)
                            )
                        {
                            title = written
                        }
                        addPerson(tokens, name: k..<end, title: title)
                    } else if tokens[end - 1].hasNoTrailing,
                        PeopleExtractor.changesOffice(tokens, from: end),
                        PeopleExtractor.looksLikePerson(tokens.phrase(k..<end)),
                        !(k..<end).contains(where: tokens.isAcronym)
                    {
                        // "Martin H. Loeffler notified the Company that he intends to retire", "Jane Roe resigned as".
                        addPerson(tokens, name: k..<end, title: end..<end)
                    } else if k >= 1, tokens.word(k - 1, in: PeopleExtractor.titleWords),
                        tokens[k - 1].hasNoTrailing, ASCII.isUpper(tokens.firstByte(k - 1))
                    {
                        var titleStart = k - 1
                        while titleStart > 0, k - titleStart < 8,
                            tokens[titleStart - 1].hasNoTrailing
                                || tokens.trailing(titleStart - 1, is: ASCII.comma),
                            ASCII.isUpper(tokens.firstByte(titleStart - 1)) || tokens.word(titleStart - 1, is: "and")
                                || tokens.word(titleStart - 1, is: "&")
                        {
                            titleStart -= 1
                        }
                        while titleStart < k - 1, !ASCII.isUpper(tokens.firstByte(titleStart)) {
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

    /// "said Olivier Civelli, Ph.D., Principal Investigator for NeoGene Technologies" / "said Mr. Jobs".
    private mutating func speakerAfter(_ tokens: Tokens, verb: Int) -> String? {
        var k = verb + 1
        guard k < tokens.count, tokens[verb].hasNoTrailing || tokens.trailing(verb, is: ASCII.comma) else { return nil }
        guard !tokens[k].leadingQuote else { return nil }
        // "said ManTech President and Chief Executive Officer, Kevin M. Phillips."
        if tokens[verb].hasNoTrailing, PeopleExtractor.nameEnd(tokens, from: k) == nil,
            !tokens.word(k, in: PeopleExtractor.honorifics)
        {
            var comma = k
            while comma < tokens.count, comma < k + 10, tokens[comma].hasNoTrailing { comma += 1 }
            if comma < tokens.count, comma > k, tokens.trailing(comma, is: ASCII.comma),
                (k...comma).contains(where: { tokens.word($0, in: PeopleExtractor.titleWords) }),
                let end = PeopleExtractor.nameEnd(tokens, from: comma + 1)
            {
                addPerson(tokens, name: (comma + 1)..<end, title: k..<(comma + 1))
                return tokens.phrase((comma + 1)..<end)
            }
        }
        // "said Board Chair Tom Reddin": a title written before the name, without a comma.
        if PeopleExtractor.nameEnd(tokens, from: k) == nil, !tokens.word(k, in: PeopleExtractor.honorifics) {
            var first = k
            while first < tokens.count, first < k + 5, tokens[first].hasNoTrailing,
                ASCII.isUpper(tokens.firstByte(first)),
                PeopleExtractor.breaksName(tokens, first) || tokens.word(first, in: PeopleExtractor.notNames)
            {
                first += 1
            }
            if first > k, (k..<first).contains(where: { PeopleExtractor.breaksName(tokens, $0) }),
                let end = PeopleExtractor.nameEnd(tokens, from: first)
            {
                addPerson(tokens, name: first..<end, title: k..<first)
                return tokens.phrase(first..<end)
            }
        }
        var honorific = false
        if tokens.word(k, in: PeopleExtractor.honorifics) {
            honorific = true
            k += 1
        }
        guard k < tokens.count else { return nil }
        if let end = PeopleExtractor.nameEnd(tokens, from: k) {
            var after = end
            // Credentials after the name: ", Ph.D.," or " MBChB,".
            while after < tokens.count, tokens.word(after, in: PeopleExtractor.suffixes) { after += 1 }
            // "its previously announced Community Benefits Plan": capitalised words that run on past the name
            // without a break name a plan, a program or a place; a title may follow ("said Jane Roe Chief …").
            if tokens[after - 1].hasNoTrailing, after < tokens.count, !tokens[after].leadingQuote,
                ASCII.isUpper(tokens.firstByte(after)), !tokens.word(after, in: PeopleExtractor.titleWords)
            {
                return nil
            }
            let name = tokens.phrase(k..<end)
            if tokens.trailing(after - 1, startsWith: ASCII.comma),
                let titleEnd = PeopleExtractor.titleEnd(tokens, from: after)
            {
                addPerson(tokens, name: k..<end, title: after..<titleEnd)
            } else {
                addPerson(tokens, name: k..<end, title: end..<end)
            }
            return name
        }
        if honorific || tokens.trailing(k, startsWith: ASCII.period), tokens[k].nameWord {
            return resolve(tokens.word(k))
        }
        return nil
    }

    /// "Tom Williams, President and CEO of Combinet, said" / "Listwin said" / "Mr. Jobs said".
    private mutating func speakerBefore(_ tokens: Tokens, verb: Int) -> String? {
        guard verb >= 1 else { return nil }
        let previous = tokens[verb - 1]
        // "Listwin said" / "Mr. Jobs said".
        if previous.hasNoTrailing, previous.nameWord {
            var start = verb - 1
            while start > 0, verb - start < 4, tokens[start - 1].nameWord,
                tokens[start - 1].hasNoTrailing
            {
                start -= 1
            }
            if start < verb - 1 || start > 0 && tokens.word(start - 1, in: PeopleExtractor.honorifics) {
                // "CEO Mike Lavigne stated": the name starts after the words that cannot be part of it.
                if let first = nameStart(tokens, endingAt: verb - 1), first >= start {
                    // The words skipped are the title when they hold a title word: "CEO Mike Lavigne stated".
                    let title =
                        (start..<first).contains(where: { tokens.word($0, in: PeopleExtractor.titleWords) })
                        ? start..<first : verb..<verb
                    addPerson(tokens, name: first..<verb, title: title)
                    return tokens.phrase(first..<verb)
                }
            }
            if start == verb - 1 { return resolve(tokens.word(verb - 1)) }
            return nil
        }
        // "Name, Title, said".
        guard tokens.trailing(verb - 1, startsWith: ASCII.comma) else { return nil }
        var start = verb - 2
        while start >= 0, verb - start <= 16 {
            // "John Smith Jr., Vice President, said": the credential is not part of the name.
            let nameLast = tokens.word(start, in: PeopleExtractor.suffixes) ? start - 1 : start
            if tokens.trailing(start, startsWith: ASCII.comma), nameLast >= 1,
                let nameStart = nameStart(tokens, endingAt: nameLast)
            {
                // The title runs to the verb; a department may follow it ("Vice President, Sales, said").
                if let titleEnd = PeopleExtractor.titleEnd(tokens, from: start + 1), titleEnd <= verb,
                    (titleEnd..<verb).allSatisfy({ ASCII.isUpper(tokens.firstByte($0)) })
                {
                    addPerson(tokens, name: nameStart..<(nameLast + 1), title: (start + 1)..<verb)
                    return tokens.phrase(nameStart..<(nameLast + 1))
                }
            }
            start -= 1
        }
        return nil
    }

    private func nameStart(_ tokens: Tokens, endingAt last: Int) -> Int? {
        var start = last
        while start > 0, last - start < 3, tokens[start - 1].nameWord,
            tokens[start - 1].hasNoTrailing
        {
            start -= 1
        }
        while start < last {
            if let end = PeopleExtractor.nameEnd(tokens, from: start), end == last + 1 { return start }
            start += 1
        }
        return nil
    }

    /// The quotations of the paragraph at `paragraph` of `bytes`, in order: what is between a straight quote and
    /// the next, or between “ and ”.
    static func quotations(_ bytes: [UInt8], _ paragraph: Range<Int>) -> [Range<Int>] {
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
        return spans
    }

    /// Records the quotation of `quotations` (in order, apart) nearest to `position` as `speaker`'s; the earlier one
    /// when two are as near.
    private mutating func addQuote(speaker: String, quotations spans: [Range<Int>], near position: Int) {
        guard !spans.isEmpty else { return }
        let bytes = context.text.bytes
        // The first quotation that starts after the position; the one before it ends nearer than any earlier one,
        // and it starts nearer than any later one.
        var lo = 0
        var hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].lowerBound <= position { lo = mid + 1 } else { hi = mid }
        }
        let nearest: Range<Int>
        if lo == 0 {
            nearest = spans[0]
        } else if lo == spans.count || distance(spans[lo - 1], position) <= distance(spans[lo], position) {
            nearest = spans[lo - 1]
        } else {
            nearest = spans[lo]
        }
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
