internal import CFilingsSQLite

/// A ranked page as `filings_top` returns it (CFilingsSQLite.h): how many rows matched, and the best of them, best
/// first.
struct RankedPage {
    /// One hit of the page: its score, its filing's row and its full-text key.
    struct Entry: Equatable {
        var score: Double
        var row: Int64
        var key: Int64
    }

    /// Every row the query matched, on the page or not.
    var count: Int64
    var entries: [Entry]

    /// The page in `blob`; nil when it is not the shape `filings_top` writes.
    init?(_ blob: UnsafeRawBufferPointer) {
        let header = MemoryLayout<Int64>.size
        let stride = MemoryLayout<filings_top_entry>.stride
        guard blob.count >= header, (blob.count - header) % stride == 0 else { return nil }
        count = blob.loadUnaligned(as: Int64.self)
        entries = (0..<(blob.count - header) / stride).map { index in
            let entry = blob.loadUnaligned(fromByteOffset: header + index * stride, as: filings_top_entry.self)
            return Entry(score: entry.score, row: entry.row, key: entry.key)
        }
    }
}
