/// A fixed set of ASCII words, looked up by a word's UTF-8 bytes, exactly or ignoring ASCII case.
///
/// The extractors ask whether a token is a title word, a name-breaker or a speech verb for nearly every token; a
/// `Set<String>` would first lower-case the token into a new string and then hash it. Here a look-up is a bucket
/// by length and first letter and a byte comparison with the few words in it.
struct WordSet: Sendable {
    /// Whether look-ups ignore ASCII case (the words are kept in lower case).
    let ignoringCase: Bool
    /// The words one after another, bucket by bucket (``bucket(_:_:)`` of their length and first byte): the words
    /// of a bucket all have the same length.
    private let storage: [UInt8]
    /// Where each bucket's words are in `storage`.
    private let buckets: [Range<Int32>]
    /// The words of ``bucketedLength`` bytes or more, which no bucket holds.
    private let longWords: [[UInt8]]
    /// The longest word's length in bytes: a longer token is never in the set.
    private let longest: Int
    /// For each length below ``bucketedLength``, one bit per bucket of that length that holds a word (bit
    /// `first & 0x1F`): most tokens are turned away on this bit, before any bucket is read.
    private let occupied: [UInt32]

    /// A set of `words`; with `ignoringCase`, "Said" and "SAID" are in a set that holds "said".
    init(_ words: some Sequence<String>, ignoringCase: Bool) {
        self.ignoringCase = ignoringCase
        var byBucket = [[[UInt8]]](repeating: [], count: WordSet.bucketCount)
        var longest = 0
        var longWords: [[UInt8]] = []
        for word in words {
            let bytes = ignoringCase ? word.utf8.map(ASCII.lower) : Array(word.utf8)
            precondition(!bytes.isEmpty && bytes.allSatisfy { $0 < 0x80 }, "WordSet holds ASCII words")
            longest = max(longest, bytes.count)
            if bytes.count >= WordSet.bucketedLength {
                if !longWords.contains(bytes) { longWords.append(bytes) }
                continue
            }
            let bucket = WordSet.bucket(bytes.count, bytes[0])
            if !byBucket[bucket].contains(bytes) { byBucket[bucket].append(bytes) }
        }
        var occupied = [UInt32](repeating: 0, count: WordSet.bucketedLength)
        for (bucket, words) in byBucket.enumerated() where !words.isEmpty {
            occupied[bucket / 32] |= 1 << UInt32(bucket % 32)
        }
        self.occupied = occupied
        var storage: [UInt8] = []
        var buckets: [Range<Int32>] = []
        buckets.reserveCapacity(WordSet.bucketCount)
        for words in byBucket {
            let start = Int32(storage.count)
            for word in words { storage += word }
            buckets.append(start..<Int32(storage.count))
        }
        // Room for an eight-byte load at the last word (``contains(_:)``).
        storage += [UInt8](repeating: 0, count: 8)
        self.storage = storage
        self.buckets = buckets
        self.longWords = longWords
        self.longest = longest
    }

    /// Words shorter than this are kept in buckets by their length.
    private static let bucketedLength = 32
    private static let bucketCount = bucketedLength * 32

    @inline(__always)
    private static func bucket(_ length: Int, _ first: UInt8) -> Int {
        length &* 32 &+ Int(first & 0x1F)
    }

    /// Whether the word made of `bytes` is in the set.
    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard n > 0, n <= longest else { return false }
        guard n < WordSet.bucketedLength else { return isLongWord(bytes) }
        let first = ignoringCase ? ASCII.lower(bytes[0]) : bytes[0]
        guard occupied[n] & (1 << UInt32(first & 0x1F)) != 0 else { return false }
        return contains(bytes, inBucket: buckets[WordSet.bucket(n, first)])
    }

    /// Whether `bytes`, ``bucketedLength`` bytes or more, is one of ``longWords``.
    private func isLongWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        longWords.contains { word in
            word.count == bytes.count
                && word.indices.allSatisfy { (ignoringCase ? ASCII.lower(bytes[$0]) : bytes[$0]) == word[$0] }
        }
    }

    /// Whether `bytes` is one of the words of `bucket`, a bucket of their length that holds at least one.
    private func contains(_ bytes: UnsafeBufferPointer<UInt8>, inBucket bucket: Range<Int32>) -> Bool {
        let n = bytes.count
        var word = Int(bucket.lowerBound)
        let end = Int(bucket.upperBound)
        if n <= 8 {
            // Most tokens are short: the token as one word, compared with each of the bucket's in one step.
            var key: UInt64 = 0
            for i in 0..<n { key |= UInt64(ignoringCase ? ASCII.lower(bytes[i]) : bytes[i]) << UInt64(8 * i) }
            let mask: UInt64 = n == 8 ? ~0 : (1 << UInt64(8 * n)) - 1
            return storage.withUnsafeBytes { raw in
                while word < end {
                    if ASCII.word(raw, at: word) & mask == key { return true }
                    word += n
                }
                return false
            }
        }
        return storage.withUnsafeBufferPointer { storage in
            candidates: while word < end {
                defer { word += n }
                if ignoringCase {
                    for i in 0..<n where ASCII.lower(bytes[i]) != storage[word + i] { continue candidates }
                } else {
                    for i in 0..<n where bytes[i] != storage[word + i] { continue candidates }
                }
                return true
            }
            return false
        }
    }

    /// Whether the word at `range` of `bytes` is in the set.
    func contains(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.count <= longest else { return false }
        return bytes.withUnsafeBufferPointer { contains(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Whether `word` is in the set.
    func contains(_ word: some StringProtocol) -> Bool {
        guard word.utf8.count <= longest else { return false }
        if let found = word.utf8.withContiguousStorageIfAvailable({ contains($0) }) { return found }
        return Array(word.utf8).withUnsafeBufferPointer { contains($0) }
    }
}
