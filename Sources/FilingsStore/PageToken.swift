import Foundation

/// Where one page of a query ended: the opaque `next_page_token` of a `QueryResponse`.
///
/// A token pins the query to the filings that existed when its first page was read (a watermark), remembers the
/// sort key of the last hit, and for relevance order the corpus statistics the scores were computed with. So
/// paging stays exact while filings are stored: no hit is repeated or skipped, and new filings join the next
/// query, not the one in progress. Filings deleted meanwhile drop out of later pages.
public struct PageToken: Sendable, Hashable {
    /// The query this token belongs to (``FilingQuery/fingerprint``).
    package var fingerprint: UInt64
    package var order: FilingQuery.Order
    /// The highest row id visible to the query.
    package var watermark: Int64
    /// The last hit's row id.
    package var lastRow: Int64
    /// The last hit's document date (date orders).
    package var lastDate: String
    /// The last hit's score (relevance order), as its exact bit pattern.
    package var lastScore: Double
    /// What the backend froze when the first page was read: SQLite's corpus statistics for relevance order,
    /// PostgreSQL's transaction snapshot.
    package var snapshot: String

    static let version: UInt8 = 1

    package init(
        fingerprint: UInt64,
        order: FilingQuery.Order,
        watermark: Int64,
        lastRow: Int64,
        lastDate: String,
        lastScore: Double,
        snapshot: String
    ) {
        self.fingerprint = fingerprint
        self.order = order
        self.watermark = watermark
        self.lastRow = lastRow
        self.lastDate = lastDate
        self.lastScore = lastScore
        self.snapshot = snapshot
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
        put(snapshot)
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
        snapshot = try readText()
        guard position == bytes.count else { throw malformed }
    }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5), over Foundation's codec.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func decode(_ text: String) -> [UInt8]? {
        // The standard alphabet is refused, so that one token has one spelling.
        guard !text.contains(where: { $0 == "+" || $0 == "/" || $0 == "=" }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map { Array($0) }
    }
}
