internal import FilingsCore

/// One extractor's step over a text document: it reads the document's shared context (text, lines, paragraphs)
/// and what earlier stages left in the reading, and adds what it finds.
///
/// Every extractor is one stage, in a file of its own; ``DocumentReader/stages`` lists them in the order they
/// run. A new extractor is one file with its conformance, one line in that list, and one test file.
protocol DocumentStage: SendableMetatype {
    /// Adds what this stage finds in `context` to `reading`.
    static func run(_ context: DocumentContext, _ reading: inout DocumentReading)
}

/// A text document while its stages read it: the facts found so far, and what a stage finds for the stages after
/// it rather than for the output.
struct DocumentReading {
    /// The document as it will be returned.
    var document: Document
    /// The filing's warnings, each code once.
    var warnings: Warnings
    /// The submission's header, when the input is a full submission.
    let submission: Submission?

    /// The signature blocks (``SignatureReader``), read once for every stage that needs a signer.
    var signatures: [Signature] = []
    /// A 12b-25's fields (``LateFilingExtractor``): nil unless the document is a notification of late filing.
    var lateFiling: LateFilingExtractor.Result?
    /// The press-release dateline, when one opens a paragraph near the top (``DatelineExtractor``).
    var dateline: DatelineExtractor.Found?
    /// The titles written under contacts' names, keyed by the lower-cased name (``ContactExtractor``).
    var contactTitles: [String: String] = [:]
}
