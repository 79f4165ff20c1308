/// The 8 bytes each side sends first: the ASCII magic `FILINGS` and a protocol version byte.
public enum Preface {
    /// The magic that starts every connection.
    public static let magic: [UInt8] = Array("FILINGS".utf8)
    /// The protocol version this implementation speaks.
    public static let version: UInt8 = 1
    /// The preface of this version.
    public static let bytes: [UInt8] = magic + [version]
    /// The preface's size in bytes.
    public static let size = 8

    /// What the first bytes of a connection say.
    public enum Verdict: Hashable, Sendable {
        /// Not enough bytes yet to decide.
        case needMoreBytes
        /// The magic and a version byte.
        case accepted(version: UInt8)
        /// Not the magic. `looksLikeHTTP` is true for an HTTP/1 request line or the HTTP/2 preface.
        case badMagic(looksLikeHTTP: Bool)
    }

    /// Judges the first bytes received on a connection, as early as possible.
    public static func check(_ received: some Collection<UInt8>) -> Verdict {
        for (offset, byte) in received.prefix(magic.count).enumerated() where byte != magic[offset] {
            return .badMagic(looksLikeHTTP: looksLikeHTTP(received))
        }
        guard received.count >= size else { return .needMoreBytes }
        return .accepted(version: received[received.index(received.startIndex, offsetBy: magic.count)])
    }

    private static func looksLikeHTTP(_ received: some Collection<UInt8>) -> Bool {
        let methods = ["GET ", "POST", "PUT ", "HEAD", "DELE", "OPTI", "PATC", "CONN", "TRAC", "PRI "]
        let start = String(decoding: received.prefix(4), as: UTF8.self)
        return methods.contains { $0.hasPrefix(start) && !start.isEmpty }
    }
}
