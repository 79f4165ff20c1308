public import FilingsCore

/// Turns one EDGAR input file (a full submission, a plain-text or an HTML document) into a ``ParsedFiling``:
/// the submission header, each document's readable text, and the facts in it with their byte spans.
///
/// The parser is a pure function of the input bytes: it does no I/O, never crashes on bad input, and runs in
/// time linear in the input size.
///
/// ```swift
/// let filing = try EDGARParser().parse(Array(contents))
/// print(filing.documents.first?.title ?? "")
/// ```
public struct EDGARParser: Sendable {
    /// The version of the parsing rules; stored with every parsed filing, so that Reparse can find the filings
    /// whose facts an older parser produced. Raise it whenever the output for some input changes (the minor
    /// number for new or better facts, the major one for a changed meaning); the parser's fingerprint test fails
    /// until it is raised.
    public static let version = "filings-parser/1.5.0"

    /// Limits applied to every input.
    public var configuration: Configuration

    /// Limits applied to every input.
    public struct Configuration: Sendable {
        /// Inputs larger than this, or than 1 GiB whatever this says, are refused with `RESOURCE_EXHAUSTED`.
        public var maximumInputBytes: Int

        /// 64 MiB: larger than any EDGAR submission with its exhibits.
        public static var defaults: Configuration { Configuration(maximumInputBytes: 64 << 20) }

        /// Creates a configuration.
        public init(maximumInputBytes: Int) {
            self.maximumInputBytes = maximumInputBytes
        }
    }

    /// Creates a parser.
    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    /// Parses `bytes`.
    ///
    /// When `cancellation` is set while the parse runs, it stops at its next checkpoint (between documents and
    /// between the stages of each document) and throws ``ParseError/Code/cancelled``.
    ///
    /// - Throws: ``ParseError`` for input that cannot be a filing: empty, binary, over the size limit, or an
    ///   SGML submission cut off before its first document; or for a cancelled parse.
    public func parse(_ bytes: [UInt8], cancellation: CancellationFlag? = nil) throws(ParseError) -> ParsedFiling {
        try parse(bytes, sha256: nil, cancellation: cancellation)
    }

    /// Parses `bytes` whose digest the caller has already computed with ``SHA256/hexDigest(_:)`` (the Store path
    /// hashes every document to look it up before it parses it), or computes it when `sha256` is nil.
    package func parse(
        _ bytes: [UInt8],
        sha256: String?,
        cancellation: CancellationFlag? = nil
    ) throws(ParseError) -> ParsedFiling {
        // The extractors keep offsets into a document's text in 32 bits.
        let asciiPrefix = try InputCheck.check(bytes, limit: min(configuration.maximumInputBytes, 1 << 30))
        let input = Input(bytes, asciiPrefix: asciiPrefix, cancellation: cancellation)
        try input.checkCancelled()
        var filing = ParsedFiling()
        assert(sha256 == nil || sha256 == bytes.withUnsafeBufferPointer { SHA256.hexDigest($0) })
        filing.sha256 = sha256 ?? bytes.withUnsafeBufferPointer { SHA256.hexDigest($0) }
        filing.byteLength = UInt64(bytes.count)
        filing.parserVersion = EDGARParser.version
        var warnings = Warnings()
        if input.latin1 {
            warnings.add(
                "DECODED_AS_LATIN1",
                "The input is not valid UTF-8; it was decoded as Windows-1252 (Latin-1)."
            )
        }

        let structure = try SubmissionStructure.read(input)
        filing.format = structure.format
        filing.submission = structure.submission
        for raw in structure.documents {
            if raw.truncated {
                warnings.add(
                    "TRUNCATED_DOCUMENT",
                    "Document \(raw.sequence == 0 ? 1 : raw.sequence)\(raw.type.isEmpty ? "" : " (\(raw.type))") "
                        + "was opened and never closed; the input may be cut off."
                )
            }
            try input.checkCancelled()
            let document = try DocumentReader.read(
                raw,
                input: input,
                submission: structure.submission,
                lone: structure.documents.count == 1,
                warnings: &warnings
            )
            filing.documents.append(document)
        }
        filing.warnings = warnings.list
        return filing
    }
}

/// Accumulates warnings, each code once.
struct Warnings {
    private(set) var list: [Warning] = []

    mutating func add(_ code: String, _ message: String) {
        guard !list.contains(where: { $0.code == code }) else { return }
        list.append(Warning(code: code, message: message))
    }
}
