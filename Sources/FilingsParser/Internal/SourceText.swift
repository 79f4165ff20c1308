internal import FilingsCore

/// Decoded UTF-8 text in which every byte remembers where it came from in the input.
///
/// The parser normalises as it goes (entities decoded, whitespace collapsed, page furniture dropped,
/// lines joined), so offsets in the text are not offsets in the input; `origins` maps each text byte
/// back to the input byte its character was decoded from, which is how every fact gets its span.
struct SourceText {
    var bytes: [UInt8] = []
    /// For each byte of `bytes`, the offset of the first input byte of its source character.
    var origins: [UInt32] = []

    init() {}

    init(reservingCapacity capacity: Int) {
        bytes.reserveCapacity(capacity)
        origins.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }
    var isEmpty: Bool { bytes.isEmpty }
    var last: UInt8? { bytes.last }

    @inline(__always)
    mutating func append(_ byte: UInt8, origin: Int) {
        bytes.append(byte)
        origins.append(UInt32(truncatingIfNeeded: origin))
    }

    /// Appends a copy of `range` of `other`, keeping its origins.
    mutating func append(_ other: SourceText, _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= other.count, "range outside the text")
        // From buffers: appending an `ArraySlice` retains and releases its array, once per word of the layout.
        other.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        other.origins.withUnsafeBufferPointer { origins.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Appends input bytes `range` of `input` unchanged, each from its own offset.
    mutating func append(verbatim input: [UInt8], _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= input.count, "range outside the input")
        input.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        // Appended from a buffer, a block at a time: appending a `Range` goes through the generic sequence path.
        var next = UInt32(truncatingIfNeeded: range.lowerBound)
        var left = range.count
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 256) { block in
            while left > 0 {
                let n = min(left, 256)
                for k in 0..<n { block[k] = next &+ UInt32(truncatingIfNeeded: k) }
                origins.append(contentsOf: UnsafeBufferPointer(rebasing: block[0..<n]))
                next &+= UInt32(truncatingIfNeeded: n)
                left -= n
            }
        }
    }

    /// Appends a space unless the text is empty or already ends in whitespace.
    @inline(__always)
    mutating func appendSpace(origin: Int) {
        guard let last = bytes.last, last != ASCII.space, last != ASCII.newline, last != ASCII.tab else { return }
        append(ASCII.space, origin: origin)
    }

    mutating func removeTrailingSpaces() {
        while let last = bytes.last, last == ASCII.space || last == ASCII.tab {
            bytes.removeLast()
            origins.removeLast()
        }
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
