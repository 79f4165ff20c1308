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
                        var i = max(start, 0)
                        while i + 1 < n {
                            guard firsts[Int(text[i])] else {
                                i += 1
                                continue
                            }
                            let a = ASCII.lower(text[i])
                            let b = ASCII.lower(text[i + 1])
                            if a < 0x80, b < 0x80 {
                                let pair = NeedleSet.pair(a, b)
                                if starts[pair >> 6] & (1 << UInt64(pair & 63)) != 0 {
                                    candidates: for phrase in phrases
                                    where phrase.count <= n - i && bytes[phrase.lowerBound] == a {
                                        for k in 1..<phrase.count
                                        where ASCII.lower(text[i + k]) != bytes[phrase.lowerBound + k] {
                                            continue candidates
                                        }
                                        return i
                                    }
                                }
                            }
                            i += 1
                        }
                        return nil
                    }
                }
            }
        }
    }
}
