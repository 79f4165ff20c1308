import FilingsTestSupport
import Testing

@testable import FilingsParser

/// Telephone numbers in contact lines (`ContactExtractor.phone(in:)`), which reads ASCII lines byte by byte.
@Suite struct ContactPhoneTests {
    @Test(arguments: [
        ("Call (508) 647-9782 today", "(508) 647-9782"),
        ("+1-617-682-4340", "+1-617-682-4340"),
        ("tel. 1.650.607.0349, ext. 12", "1.650.607.0349"),
        ("1-866-417-7132", "1-866-417-7132"),
        ("Ümit Yılmaz, +49 30 555 0199 ×", nil),
        ("Ümit Yılmaz, 030-555-0199", "030-555-0199"),
        ("Zoë Roe (212) 555-0100\r\n", "(212) 555-0100"),
        ("ref A212-555-0100", nil),
        ("212-555-01000", nil),
        ("212-555-0100²", nil),
    ])
    func findsTheFirstNumber(text: String, number: String?) {
        #expect(ContactExtractor.phone(in: text).map { String(text[$0]) } == number)
    }

    /// The byte reading gives the same ranges as reading character by character, which the function did before:
    /// random lines of digits, separators, letters, CR LF and characters beyond ASCII (numbers, letters, marks).
    @Test func readsAsCharacterByCharacterReadingDid() {
        let pieces: [String] = [
            "0", "1", "2", "5", "9", "+", "(", ")", "-", ".", " ", "x", "A", "é", "\r\n", "\u{301}", "٣", "²", "Ⅻ",
            "  ", "555", "1-", "(212)", "ext",
        ]
        let templates = ["(ddd) ddd-dddd", "+d-ddd-ddd-dddd", "1.ddd.ddd.dddd", "ddd-ddd-dddd", "1-ddd-ddd-dddd"]
        var random = SplitMix64(seed: 21)
        func piece() -> String { pieces[Int(random.next() % UInt64(pieces.count))] }
        var found = 0
        for _ in 0..<20_000 {
            // A number, sometimes with one character changed, among random pieces.
            var number = Array(templates[Int(random.next() % UInt64(templates.count))]).map { character in
                character == "d" ? String(random.next() % 10) : String(character)
            }
            if random.next() % 2 == 0 { number[Int(random.next() % UInt64(number.count))] = piece() }
            let before = (0..<Int(random.next() % 4)).map { _ in piece() }
            let after = (0..<Int(random.next() % 4)).map { _ in piece() }
            let text = (before + number + after).joined()
            let expected = Self.characterByCharacter(text)
            let actual = ContactExtractor.phone(in: text)
            if expected != nil { found += 1 }
            #expect(actual == expected, "\(text.debugDescription)")
            if actual != expected { return }
        }
        #expect(found > 2_000, "the random lines should hold numbers")
    }

    /// The function as it was, reading `Character`s.
    private static func characterByCharacter(_ text: String) -> Range<String.Index>? {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "+" || c == "(" || c.isNumber, i == 0 || !(chars[i - 1].isNumber || chars[i - 1].isLetter) {
                if let end = phoneEnd(chars, i) {
                    return text.index(text.startIndex, offsetBy: i)..<text.index(text.startIndex, offsetBy: end)
                }
            }
            i += 1
        }
        return nil
    }

    private static func phoneEnd(_ c: [Character], _ start: Int) -> Int? {
        var i = start
        func digits(_ n: Int) -> Bool {
            guard i + n <= c.count, c[i..<(i + n)].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            i += n
            return true
        }
        func separator(optional: Bool) -> Bool {
            if i < c.count, c[i] == "-" || c[i] == "." || c[i] == " " {
                i += 1
                return true
            }
            return optional
        }
        if i < c.count, c[i] == "+" {
            i += 1
            guard digits(1) else { return nil }
            _ = separator(optional: true)
        } else if i + 1 < c.count, c[i] == "1", c[i + 1] == "-" || c[i + 1] == "." || c[i + 1] == " " {
            let save = i
            i += 2
            if !(i < c.count && (c[i].isNumber || c[i] == "(")) { i = save }
        }
        if i < c.count, c[i] == "(" {
            i += 1
            guard digits(3), i < c.count, c[i] == ")" else { return nil }
            i += 1
            _ = separator(optional: true)
        } else {
            guard digits(3), separator(optional: false) else { return nil }
        }
        guard digits(3), separator(optional: false), digits(4) else { return nil }
        if i < c.count, c[i].isNumber { return nil }
        return i
    }
}

/// The words that the contact rules compare with their role and organisation words (`ContactExtractor.lowercasedWords`),
/// read byte by byte from ASCII lines.
@Suite struct ContactWordsTests {
    @Test func asciiLinesGiveTheWordsThatReadingByCharacterGives() {
        let pieces = [
            "Media", "INVESTOR", "relations", " ", ":", "-", ".", "Inc.", "L.P.", "(", ")", "&", "3", "\r\n", "é", "ß",
        ]
        var random = SplitMix64(seed: 22)
        var ascii = 0
        for _ in 0..<5_000 {
            let text = (0..<Int(random.next() % 10)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            if text.utf8.allSatisfy({ $0 < 0x80 }) { ascii += 1 }
            for keepingPeriods in [false, true] {
                let expected = text.lowercased().split(whereSeparator: {
                    !$0.isLetter && !(keepingPeriods && $0 == ".")
                })
                let actual = ContactExtractor.lowercasedWords(text, keepingPeriods: keepingPeriods)
                #expect(actual.map(String.init) == expected.map(String.init), "\(text.debugDescription)")
            }
        }
        #expect(ascii > 1_000)
    }
}
