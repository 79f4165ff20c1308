/// A fixed set of ASCII phrases, any of which is looked for anywhere inside a text, ignoring ASCII case, in one
/// pass over the text's bytes.
///
/// A line tested against many phrases one at a time (the contact extractor's role words) is read once per phrase;
/// here it is read once, and only the phrases that start with a byte's letter are compared at it.
struct NeedleSet: Sendable {
    /// The phrases in lower case, by their first byte.
    private let byFirst: [[[UInt8]]]

    /// A set of `needles` (ASCII, at least one byte each; compared in lower case).
    init(_ needles: some Sequence<String>) {
        var byFirst = [[[UInt8]]](repeating: [], count: 128)
        for needle in needles {
            let bytes = needle.utf8.map(ASCII.lower)
            precondition(!bytes.isEmpty && bytes.allSatisfy { $0 < 0x80 }, "NeedleSet holds ASCII phrases")
            byFirst[Int(bytes[0])].append(bytes)
        }
        self.byFirst = byFirst
    }

    /// Whether `text` contains one of the phrases, ignoring ASCII case.
    func isFound(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { isFound(in: $0) }
    }

    /// Whether `bytes` contain one of the phrases, ignoring ASCII case.
    func isFound(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = ASCII.lower(bytes[i])
            if b < 0x80 {
                candidates: for needle in byFirst[Int(b)] where n - i >= needle.count {
                    for j in 1..<needle.count where ASCII.lower(bytes[i + j]) != needle[j] { continue candidates }
                    return true
                }
            }
            i += 1
        }
        return false
    }
}
