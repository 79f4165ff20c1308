/// The check boxes and labels on a 12b-25's lines, found by character: "[X]", "☐", "(a)", "Yes", "FORM 10-K".
///
/// A line is read as the smallest units that are its characters: its bytes when it is ASCII, its Unicode scalars when
/// each is a character of its own (``LineUnits/scalarsAreCharacters(_:)``: "☒ Form 10-K", "Zoë"), and its
/// `Character`s otherwise (a combining accent, an emoji sequence). The three readings find the same boxes and labels at
/// the same offsets; only the first two are cheap.
extension LateFilingExtractor {
    /// A check box and whether it is marked.
    struct Mark: Equatable {
        /// Where the box is on its line, in characters.
        var offset: Int
        var checked: Bool
    }

    static let checkedSymbols: Set<Character> = ["☒", "☑", "✓", "✔", "■", "þ", "ý", "⌧", "x", "X", "√"]
    static let uncheckedSymbols: Set<Character> = ["☐", "□", "¨", "o"]

    /// The check boxes on a line: "[X]", "[ ]", "|X|", "(X)", "☒", "☐", …, at their offsets in characters.
    static func marks(_ line: String) -> [Mark] {
        // Every mark has a bracket or a symbol beyond ASCII ("x" and "o" count only inside brackets): most lines
        // have neither, and are not split at all.
        guard line.containsUTF8(where: { $0 == 0x5B || $0 == 0x7C || $0 == 0x28 || $0 >= 0x80 }) else { return [] }
        if line.isASCII { return marks(Array(line.utf8)) }
        if LineUnits.scalarsAreCharacters(line) { return marks(Array(line.unicodeScalars)) }
        return marks(Array(line))
    }

    /// The check boxes among `units`, the characters of a line.
    static func marks<Unit: LineUnit>(_ units: [Unit]) -> [Mark] {
        let openBracket = Unit("[")
        let bar = Unit("|")
        let openParen = Unit("(")
        var marks: [Mark] = []
        var i = 0
        while i < units.count {
            let c = units[i]
            if c == openBracket || c == bar || c == openParen {
                let close = c == openBracket ? Unit("]") : c == bar ? bar : Unit(")")
                var j = i + 1
                while j < units.count, j - i <= 6, units[j] != close { j += 1 }
                if j < units.count, units[j] == close {
                    let inner = Unit.inside(units[(i + 1)..<j])
                    // "[]" is a box; "()" and "||" need a space inside to be one.
                    if inner.isEmpty && (c == openBracket || j > i + 1) {
                        marks.append(Mark(offset: i, checked: false))
                        i = j + 1
                        continue
                    }
                    if let m = inner.single, checkedSymbols.contains(m) {
                        marks.append(Mark(offset: i, checked: true))
                        i = j + 1
                        continue
                    }
                }
            } else if !c.isASCII {
                // Outside brackets only a symbol beyond ASCII is a box ("x" and "o" are letters there).
                if checkedSymbols.contains(c.character) {
                    marks.append(Mark(offset: i, checked: true))
                } else if uncheckedSymbols.contains(c.character) {
                    marks.append(Mark(offset: i, checked: false))
                }
            }
            i += 1
        }
        return marks
    }

    /// Offsets in characters of `label` (ASCII; a whole word, case-insensitive unless said) in `line`.
    static func offsets(of label: String, in line: String, caseSensitive: Bool = false) -> [Int] {
        let label = caseSensitive ? label : label.lowercased()
        // Characters that match hold the label's bytes: most lines do not, and are not split.
        if line.isASCII {
            // Lower-casing ASCII is lower-casing each byte.
            let needle = Array(label.utf8)
            guard caseSensitive ? line.containsBytes(label) : line.containsIgnoringASCIICase(needle) else { return [] }
            return offsets(of: needle, in: caseSensitive ? Array(line.utf8) : line.utf8.map(ASCII.lower))
        }
        let text = caseSensitive ? line : line.lowercased()
        guard text.containsBytes(label) else { return [] }
        if LineUnits.scalarsAreCharacters(text) {
            return offsets(of: Array(label.unicodeScalars), in: Array(text.unicodeScalars))
        }
        return offsets(of: Array(label), in: Array(text))
    }

    /// Where `needle` is among `haystack`, the characters of a line, as a whole word (a needle ending in ")" may be
    /// followed by a letter).
    static func offsets<Unit: LineUnit>(of needle: [Unit], in haystack: [Unit]) -> [Int] {
        guard let last = needle.last else { return [] }
        let closeParen = Unit(")")
        var result: [Int] = []
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i..<(i + needle.count)].elementsEqual(needle),
                i == 0 || !haystack[i - 1].isLetter,
                i + needle.count == haystack.count || !haystack[i + needle.count].isLetter || last == closeParen
            {
                result.append(i)
                i += needle.count
                continue
            }
            i += 1
        }
        return result
    }
}

/// A character of a line, as the 12b-25 reader compares it: a byte of a line of ASCII, a scalar of a line whose
/// scalars are each a character, or a `Character`.
protocol LineUnit: Equatable {
    /// The unit of an ASCII character.
    init(_ ascii: Unicode.Scalar)
    /// Whether the character is ASCII.
    var isASCII: Bool { get }
    /// Whether the character is a letter, as `Character.isLetter` says.
    var isLetter: Bool { get }
    /// The unit as a character, to look it up among the check symbols.
    var character: Character { get }
    /// What is inside a pair of brackets without the white space around it: nothing, one character, or more
    /// (`single` nil).
    static func inside(_ units: ArraySlice<Self>) -> (isEmpty: Bool, single: Character?)
}

extension LineUnit {
    /// Trims the units that are ASCII white space, each a character of its own here.
    static func inside(_ units: ArraySlice<Self>) -> (isEmpty: Bool, single: Character?) {
        var lo = units.startIndex
        var hi = units.endIndex
        while lo < hi, units[lo].isWhiteSpace { lo += 1 }
        while hi > lo, units[hi - 1].isWhiteSpace { hi -= 1 }
        return (lo == hi, hi == lo + 1 ? units[lo].character : nil)
    }

    private var isWhiteSpace: Bool {
        guard isASCII, let byte = character.asciiValue else { return false }
        return ASCII.isWhitespace(byte)
    }
}

extension UInt8: LineUnit {
    init(_ ascii: Unicode.Scalar) { self = UInt8(ascii.value) }
    var isASCII: Bool { self < 0x80 }
    var isLetter: Bool { ASCII.isLetter(self) }
    var character: Character { Character(Unicode.Scalar(self)) }
}

extension Unicode.Scalar: LineUnit {
    var isLetter: Bool { value < 0x80 ? ASCII.isLetter(UInt8(value)) : Character(self).isLetter }
    var character: Character { Character(self) }
}

extension Character: LineUnit {
    var character: Character { self }

    /// Trims the ASCII white space bytes of the characters, as a string: " ́" keeps its accent.
    static func inside(_ units: ArraySlice<Character>) -> (isEmpty: Bool, single: Character?) {
        let inner = String(units).trimmingSpaces()
        return (inner.isEmpty, inner.count == 1 ? inner.first : nil)
    }
}

enum LineUnits {
    /// Whether each of the scalars of `text` is a character of its own, so that its scalars are its characters: the
    /// scalars below the combining accents (U+0300) and the blocks of punctuation, currency, letter-like and number
    /// forms, arrows, mathematical and technical signs, box drawing, shapes, symbols and dingbats, none of which
    /// extends or joins the character before or after it. A text with any other scalar is read by `Character`s.
    static func scalarsAreCharacters(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0..<0x300, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20CF, 0x2100...0x23FF, 0x2500...0x27BF:
                true
            default:
                false
            }
        }
    }
}
