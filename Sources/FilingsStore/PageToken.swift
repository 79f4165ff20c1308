/// Where one page of a query ended: the opaque `next_page_token` of a `QueryResponse`.
///
/// A token pins the query to the filings that existed when its first page was read (a watermark), remembers the
/// sort key of the last hit, and for relevance order the corpus statistics the scores were computed with. So
/// paging stays exact while filings are stored: no hit is repeated or skipped, and new filings join the next
/// query, not the one in progress. Filings deleted meanwhile drop out of later pages.
public struct PageToken: Sendable, Hashable {
    /// The query this token belongs to (``FilingQuery/fingerprint``).
    var fingerprint: UInt64
    var order: FilingQuery.Order
    /// The highest row id visible to the query.
    var watermark: Int64
    /// The last hit's row id.
    var lastRow: Int64
    /// The last hit's document date (date orders).
    var lastDate: String
    /// The last hit's score (relevance order), as its exact bit pattern.
    var lastScore: Double
    /// The frozen corpus statistics (relevance order).
    var rankStatistics: String
    /// Hits on the pages before this one, for nothing but the caller's progress.
    var offset: Int

    static let version: UInt8 = 1

    init(
        fingerprint: UInt64,
        order: FilingQuery.Order,
        watermark: Int64,
        lastRow: Int64,
        lastDate: String,
        lastScore: Double,
        rankStatistics: String,
        offset: Int
    ) {
        self.fingerprint = fingerprint
        self.order = order
        self.watermark = watermark
        self.lastRow = lastRow
        self.lastDate = lastDate
        self.lastScore = lastScore
        self.rankStatistics = rankStatistics
        self.offset = offset
    }

    /// The token as it is sent: URL-safe base64 of a versioned binary record.
    public var encoded: String {
        var bytes: [UInt8] = [Self.version]
        func put(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func put(_ text: String) {
            put(UInt64(text.utf8.count))
            bytes.append(contentsOf: text.utf8)
        }
        put(fingerprint)
        put(order.rawValue)
        put(UInt64(bitPattern: watermark))
        put(UInt64(bitPattern: lastRow))
        put(lastDate)
        put(lastScore.bitPattern)
        put(rankStatistics)
        put(UInt64(offset))
        return Base64URL.encode(bytes)
    }

    /// Decodes a token from its text.
    ///
    /// - Throws: ``StoreError`` (INVALID_ARGUMENT) when the text is not a token this server made.
    public init(decoding text: String) throws(StoreError) {
        let malformed = StoreError(
            code: .invalidPageToken,
            message: "page_token is not a token this service issued; start again without one"
        )
        guard text.utf8.count <= 4096, let bytes = Base64URL.decode(text), bytes.first == Self.version else {
            throw malformed
        }
        var position = 1
        func readNumber() throws(StoreError) -> UInt64 {
            guard position + 8 <= bytes.count else { throw malformed }
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * index) }
            position += 8
            return value
        }
        func readText() throws(StoreError) -> String {
            let count = try readNumber()
            guard count <= UInt64(bytes.count - position) else { throw malformed }
            let slice = bytes[position..<(position + Int(count))]
            position += Int(count)
            guard let string = String(validating: slice, as: UTF8.self) else { throw malformed }
            return string
        }
        fingerprint = try readNumber()
        guard let order = FilingQuery.Order(rawValue: try readText()) else { throw malformed }
        self.order = order
        watermark = Int64(bitPattern: try readNumber())
        lastRow = Int64(bitPattern: try readNumber())
        lastDate = try readText()
        lastScore = Double(bitPattern: try readNumber())
        rankStatistics = try readText()
        let offset = try readNumber()
        guard position == bytes.count, offset <= UInt64(Int.max) else { throw malformed }
        self.offset = Int(offset)
    }
}

/// Base64 with the URL-safe alphabet and no padding.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for offset in 0...chunk.count { output.append(alphabet[Int((value >> (18 - 6 * offset)) & 63)]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A: values.append(byte - 0x41)
            case 0x61...0x7A: values.append(byte - 0x61 + 26)
            case 0x30...0x39: values.append(byte - 0x30 + 52)
            case 0x2D: values.append(62)
            case 0x5F: values.append(63)
            default: return nil
            }
        }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var value: UInt32 = 0
            for (offset, sextet) in chunk.enumerated() { value |= UInt32(sextet) << (18 - 6 * offset) }
            for offset in 0..<(chunk.count - 1) { output.append(UInt8((value >> (16 - 8 * offset)) & 0xFF)) }
            index += 4
        }
        return output
    }
}
