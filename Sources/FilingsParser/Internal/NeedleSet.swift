/// A fixed set of ASCII phrases, any of which is looked for anywhere inside a text, ignoring ASCII case, in one
/// pass over the text's bytes.
///
/// A line tested against many phrases one at a time (the contact extractor's role words) is read once per phrase;
/// here it is read once: a table of the phrases' first two letters says at which bytes a phrase can start, and
/// only there are the phrases compared.
struct NeedleSet: Sendable {
    /// For each byte, whether a phrase starts with it (in either case): most bytes of a text are passed over on
    /// this one look-up.
    private let firsts: [Bool]
    /// One bit for each pair of ASCII bytes (in lower case) that starts a phrase.
    private let starts: [UInt64]
    /// The phrases in lower case, one after another.
    private let bytes: [UInt8]
    /// Where each phrase is in `bytes`.
    private let phrases: [Range<Int>]
    /// The phrases' first bytes when they are one or two letters (in lower case; the same letter twice for one):
    /// then the text is read eight bytes at a time for them.
    private let firstLetters: (UInt8, UInt8)?

    /// A set of `needles` (ASCII, at least two bytes each; compared in lower case).
    init(_ needles: some Sequence<String>) {
        var firsts = [Bool](repeating: false, count: 256)
        var starts = [UInt64](repeating: 0, count: 128 * 128 / 64)
        var bytes: [UInt8] = []
        var phrases: [Range<Int>] = []
        for needle in needles {
            let lower = needle.utf8.map(ASCII.lower)
            precondition(lower.count >= 2 && lower.allSatisfy { $0 < 0x80 }, "NeedleSet holds ASCII phrases")
            firsts[Int(lower[0])] = true
            firsts[Int(ASCII.upper(lower[0]))] = true
            let pair = NeedleSet.pair(lower[0], lower[1])
            starts[pair >> 6] |= 1 << UInt64(pair & 63)
            phrases.append(bytes.count..<(bytes.count + lower.count))
            bytes += lower
        }
        self.firsts = firsts
        self.starts = starts
        self.bytes = bytes
        self.phrases = phrases
        let letters = Set(phrases.map { bytes[$0.lowerBound] })
        if letters.count <= 2, letters.allSatisfy(ASCII.isLower), let a = letters.min(), let b = letters.max() {
            firstLetters = (a, b)
        } else {
            firstLetters = nil
        }
    }

    @inline(__always)
    private static func pair(_ first: UInt8, _ second: UInt8) -> Int {
        Int(first) << 7 | Int(second)
    }

    /// Whether `text` contains one of the phrases, ignoring ASCII case.
    func isFound(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { isFound(in: $0) }
    }

    /// Whether `text` contains one of the phrases, ignoring ASCII case.
    func isFound(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        firstMatch(in: text, from: 0) != nil
    }

    /// Where the first phrase found at or after `start` of `text` begins, ignoring ASCII case; nil when none is.
    func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let n = text.count
        guard n >= 2 else { return nil }
        return firsts.withUnsafeBufferPointer { firsts in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBufferPointer { bytes in
                    phrases.withUnsafeBufferPointer { phrases in
                        // Whether a phrase starts at `i` (whose byte starts one).
                        @inline(__always) func matches(at i: Int) -> Bool {
                            let a = ASCII.lower(text[i])
                            let b = ASCII.lower(text[i + 1])
                            guard a < 0x80, b < 0x80 else { return false }
                            let pair = NeedleSet.pair(a, b)
                            guard starts[pair >> 6] & (1 << UInt64(pair & 63)) != 0 else { return false }
                            candidates: for phrase in phrases
                            where phrase.count <= n - i && bytes[phrase.lowerBound] == a {
                                for k in 1..<phrase.count
                                where ASCII.lower(text[i + k]) != bytes[phrase.lowerBound + k] {
                                    continue candidates
                                }
                                return true
                            }
                            return false
                        }
                        var i = max(start, 0)
                        if let (a, b) = firstLetters, let base = text.baseAddress {
                            let raw = UnsafeRawBufferPointer(start: base, count: n)
                            // Eight bytes at a time, only the offsets of a phrase's first letter tested.
                            while i + 8 < n {
                                // With bit 0x20 set, a letter in either case reads as its lower case, and no other
                                // byte does.
                                let lower = ASCII.word(raw, at: i) | ASCII.repeated(0x20)
                                var found =
                                    ASCII.zeroBytes(lower ^ ASCII.repeated(a))
                                    | ASCII.zeroBytes(lower ^ ASCII.repeated(b))
                                while found != 0 {
                                    let at = i + found.trailingZeroBitCount / 8
                                    if matches(at: at) { return at }
                                    found &= found &- 1
                                }
                                i += 8
                            }
                        }
                        while i + 1 < n {
                            if firsts[Int(text[i])], matches(at: i) { return i }
                            i += 1
                        }
                        return nil
                    }
                }
            }
        }
    }
}
