internal import FilingsCore

/// Decoded UTF-8 text in which every byte remembers where it came from in the input.
///
/// The parser normalises as it goes (entities decoded, whitespace collapsed, page furniture dropped,
/// lines joined), so offsets in the text are not offsets in the input; ``origin(at:)`` maps each text byte
/// back to the input byte its character was decoded from, which is how every fact gets its span.
struct SourceText {
    /// The text. Change its bytes in place only; add and remove them with the methods, which keep the origins.
    var bytes: [UInt8] = []
    /// Where the bytes came from, in runs: the bytes from a run's `start` up to the next run's are the input bytes
    /// from its `origin` on, one for one. Most text is copied from the input a word or a line at a time, so a run
    /// stands for many bytes where an offset for each byte took four bytes of memory for each byte of text.
    private var runs: [OriginRun] = []

    private struct OriginRun {
        var start: UInt32
        var origin: UInt32
    }

    init() {}

    init(reservingCapacity capacity: Int) {
        bytes.reserveCapacity(capacity)
        runs.reserveCapacity(capacity / 16)
    }

    var count: Int { bytes.count }
    var isEmpty: Bool { bytes.isEmpty }
    var last: UInt8? { bytes.last }

    /// The offset of the first input byte of the character that byte `index` of the text was decoded from.
    func origin(at index: Int) -> Int {
        var run = runs.count - 1
        return origin(at: index, run: &run)
    }

    /// ``origin(at:)``, looking for the byte's run from `run` on (a run at or before it, as when a text is read in
    /// order), and leaving `run` at the byte's run.
    func origin(at index: Int, run: inout Int) -> Int {
        precondition(index >= 0 && index < bytes.count, "offset outside the text")
        run = self.run(holding: index, from: run)
        return Int(runs[run].origin &+ UInt32(truncatingIfNeeded: index - Int(runs[run].start)))
    }

    /// The index of the run that holds byte `index`, looked for from run `hint` on: a few steps forward, then by
    /// halves.
    private func run(holding index: Int, from hint: Int) -> Int {
        var k = min(max(hint, 0), runs.count - 1)
        var lo = 0
        var hi = runs.count  // the run sought is in lo..<hi
        if Int(runs[k].start) <= index {
            lo = k
            for _ in 0..<4 {
                guard k + 1 < runs.count else { return k }
                if Int(runs[k + 1].start) > index { return k }
                k += 1
            }
            lo = k
        } else {
            hi = k
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(runs[mid].start) <= index { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Starts a run at the end of the text, unless the last run goes on with `origin` there.
    @inline(__always)
    private mutating func continueRun(origin: UInt32) {
        let start = UInt32(truncatingIfNeeded: bytes.count)
        if let last = runs.last, last.origin &+ (start &- last.start) == origin { return }
        runs.append(OriginRun(start: start, origin: origin))
    }

    @inline(__always)
    mutating func append(_ byte: UInt8, origin: Int) {
        continueRun(origin: UInt32(truncatingIfNeeded: origin))
        bytes.append(byte)
    }

    /// Appends a copy of `range` of `other`, keeping its origins.
    mutating func append(_ other: SourceText, _ range: Range<Int>) {
        var run = 0
        append(other, range, run: &run)
    }

    /// ``append(_:_:)``, looking for the range's runs in `other` from `run` on (see ``origin(at:run:)``).
    mutating func append(_ other: SourceText, _ range: Range<Int>, run: inout Int) {
        precondition(range.lowerBound >= 0 && range.upperBound <= other.count, "range outside the text")
        guard !range.isEmpty else { return }
        var k = other.run(holding: range.lowerBound, from: run)
        var i = range.lowerBound
        while true {
            let runEnd = k + 1 < other.runs.count ? Int(other.runs[k + 1].start) : other.count
            let end = min(runEnd, range.upperBound)
            continueRun(origin: other.runs[k].origin &+ UInt32(truncatingIfNeeded: i - Int(other.runs[k].start)))
            // From buffers: appending an `ArraySlice` retains and releases its array, once per word of the layout.
            other.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[i..<end])) }
            i = end
            guard i < range.upperBound else { break }
            k += 1
        }
        run = k
    }

    /// Appends input bytes `range` of `input` unchanged, each from its own offset.
    mutating func append(verbatim input: [UInt8], _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= input.count, "range outside the input")
        guard !range.isEmpty else { return }
        continueRun(origin: UInt32(truncatingIfNeeded: range.lowerBound))
        input.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Appends a space unless the text is empty or already ends in whitespace; `origin` is read only when it does.
    @inline(__always)
    mutating func appendSpace(origin: @autoclosure () -> Int) {
        guard let last = bytes.last, last != ASCII.space, last != ASCII.newline, last != ASCII.tab else { return }
        append(ASCII.space, origin: origin())
    }

    /// Removes the last `n` bytes and their origins.
    mutating func removeLast(_ n: Int = 1) {
        bytes.removeLast(n)
        while let last = runs.last, Int(last.start) >= bytes.count { runs.removeLast() }
    }

    mutating func removeTrailingSpaces() {
        var n = 0
        while n < bytes.count, bytes[bytes.count - 1 - n] == ASCII.space || bytes[bytes.count - 1 - n] == ASCII.tab {
            n += 1
        }
        if n > 0 { removeLast(n) }
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
