#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A fixed set of ASCII phrases, any of which is looked for anywhere inside a text, ignoring ASCII case, in one
/// pass over the text's bytes.
///
/// A line tested against many phrases one at a time (the contact extractor's role words) is read once per phrase;
/// here it is read once. When the phrases have one or two anchors between them (each phrase's rarest pair of
/// adjacent bytes, "mb" of "trading symbol", or else its rarest byte), the text is read eight bytes at a time for
/// those, and a phrase is compared only around them; otherwise a table of the phrases' first two letters says at
/// which bytes a phrase can start.
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
    /// What the phrases are looked for by when that is one or two anchors: each a phrase's rarest pair of adjacent
    /// bytes in English text (``anchorCost(_:)``), or, when the pairs are more than two, its rarest byte (the pair's
    /// second byte nil). The text is then read eight bytes at a time for them.
    private let anchors: [Anchor]
    /// Where each phrase's anchor (its first byte) is in it.
    private let anchorOffsets: [Int]
    /// The largest of `anchorOffsets`: a phrase that starts before a match found has its anchor at most this far
    /// after that match's start.
    private let longestAnchorOffset: Int

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
        // A byte with bit 0x20 reads as itself once the text's bytes get that bit (letters as their lower case): only
        // such bytes are anchors (their cost is finite).
        let pairOffsets = phrases.map { phrase in
            phrase.dropLast().min {
                NeedleSet.anchorCost(bytes[$0]) * NeedleSet.anchorCost(bytes[$0 + 1])
                    < NeedleSet.anchorCost(bytes[$1]) * NeedleSet.anchorCost(bytes[$1 + 1])
            }! - phrase.lowerBound
        }
        let pairs = zip(phrases, pairOffsets).map { Anchor(bytes[$0.lowerBound + $1], bytes[$0.lowerBound + $1 + 1]) }
        let byteOffsets = phrases.map { phrase in
            phrase.indices.min { NeedleSet.anchorCost(bytes[$0]) < NeedleSet.anchorCost(bytes[$1]) }!
                - phrase.lowerBound
        }
        let singles = zip(phrases, byteOffsets).map { Anchor(bytes[$0.lowerBound + $1], nil) }
        if Set(pairs).count <= 2, pairs.allSatisfy(\.isReadable) {
            anchors = Array(Set(pairs)).sorted()
            anchorOffsets = pairOffsets
        } else if Set(singles).count <= 2, singles.allSatisfy(\.isReadable) {
            anchors = Array(Set(singles)).sorted()
            anchorOffsets = byteOffsets
        } else {
            anchors = []
            anchorOffsets = byteOffsets
        }
        longestAnchorOffset = anchorOffsets.max() ?? 0
    }

    /// A byte, or a pair of adjacent bytes, that a phrase has in lower case and text seldom has.
    private struct Anchor: Hashable, Comparable {
        let first: UInt8
        let second: UInt8?

        init(_ first: UInt8, _ second: UInt8?) {
            self.first = first
            self.second = second
        }

        /// Whether the text's bytes with bit 0x20 set show the anchor's bytes as they are.
        var isReadable: Bool { first & 0x20 != 0 && (second ?? 0x20) & 0x20 != 0 }

        static func < (a: Anchor, b: Anchor) -> Bool { (a.first, a.second ?? 0) < (b.first, b.second ?? 0) }

        /// The flag of each byte of `word` (text with bit 0x20 set) where the anchor starts; `next` is the text's
        /// word one byte further on.
        @inline(__always)
        func flags(_ word: UInt64, _ next: UInt64) -> UInt64 {
            let firsts = ASCII.zeroBytes(word ^ ASCII.repeated(first))
            guard let second else { return firsts }
            return firsts & ASCII.zeroBytes(next ^ ASCII.repeated(second))
        }
    }

    /// How common `byte` (in lower case) is in English text: the letters by their frequency (in percent), the space
    /// above them all, and digits and punctuation below most letters. Bytes without bit 0x20 are never anchors.
    private static func anchorCost(_ byte: UInt8) -> Double {
        guard byte & 0x20 != 0 else { return .infinity }
        if ASCII.isLower(byte) { return letterFrequencies[Int(byte - 0x61)] }
        return byte == ASCII.space ? 18 : 1
    }

    /// The frequencies of a…z in English text, in percent.
    private static let letterFrequencies: [Double] = [
        8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.8, 4.0, 2.4, 6.7, 7.5, 1.9, 0.1, 6.0, 6.3, 9.1, 2.8, 1.0,
        2.4, 0.15, 2.0, 0.07,
    ]

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
                        if !anchors.isEmpty, let base = text.baseAddress {
                            let raw = UnsafeRawBufferPointer(start: base, count: n)
                            // Whether the phrase `p` starts at `at`, at or after the start.
                            @inline(__always) func phrase(_ p: Int, startsAt at: Int) -> Bool {
                                let phrase = phrases[p]
                                guard at >= start, at <= n - phrase.count else { return false }
                                for k in 0..<phrase.count
                                where ASCII.lower(text[at + k]) != bytes[phrase.lowerBound + k] {
                                    return false
                                }
                                return true
                            }
                            // The earliest start found. A phrase whose anchor comes later may still start before it,
                            // up to the longest anchor offset: the search goes on that far.
                            var earliest: Int?
                            // Each phrase whose anchor is the byte at `at`, compared where it would start.
                            @inline(__always) func anchored(at: Int) {
                                let anchor = ASCII.lower(text[at])
                                for p in phrases.indices
                                where bytes[phrases[p].lowerBound + anchorOffsets[p]] == anchor {
                                    let begin = at - anchorOffsets[p]
                                    if begin < earliest ?? .max, phrase(p, startsAt: begin) { earliest = begin }
                                }
                            }
                            if anchors.count == 1, !ASCII.isLetter(anchors[0].first) {
                                // One anchor that starts with a byte of one case ("/"): memchr goes from one such
                                // byte to the next.
                                while i < n, let hit = memchr(base + i, Int32(anchors[0].first), n - i) {
                                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                                    if let found = earliest, at > found + longestAnchorOffset { return found }
                                    anchored(at: at)
                                    i = at + 1
                                }
                                return earliest
                            }
                            // Eight bytes at a time (and the word one byte on, for an anchor's second byte), only
                            // the offsets of an anchor tested.
                            let a = anchors[0]
                            let b = anchors[anchors.count - 1]
                            while i + 8 < n {
                                if let found = earliest, i > found + longestAnchorOffset { return found }
                                // With bit 0x20 set, a letter in either case reads as its lower case, and no other
                                // byte does; other anchors read as themselves.
                                let lower = ASCII.word(raw, at: i) | ASCII.repeated(0x20)
                                let next = ASCII.word(raw, at: i + 1) | ASCII.repeated(0x20)
                                var found = a.flags(lower, next) | b.flags(lower, next)
                                while found != 0 {
                                    anchored(at: i + found.trailingZeroBitCount / 8)
                                    found &= found &- 1
                                }
                                i += 8
                            }
                            while i < n {
                                if let found = earliest, i > found + longestAnchorOffset { return found }
                                anchored(at: i)
                                i += 1
                            }
                            return earliest
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
