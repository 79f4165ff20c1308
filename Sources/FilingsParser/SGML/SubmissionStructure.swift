internal import FilingsCore

/// How an input is laid out: its format, its header, and its documents.
struct SubmissionStructure {
    var format: Format
    var submission: Submission?
    var documents: [SGMLDocument]

    static func read(_ input: Input) throws(ParseError) -> SubmissionStructure {
        let bytes = input.bytes
        let all = 0..<bytes.count
        let probe = 0..<min(bytes.count, 1 << 16)
        if let header = headerStart(bytes, probe) {
            let tagged = bytes.matchesIgnoringCase("<submission>", at: header)
            let firstDocument = SGMLScanner.find("<document>", in: bytes, header..<bytes.count)
            var headerEnd = firstDocument ?? bytes.count
            if !tagged {
                let close =
                    SGMLScanner.find("</sec-header>", in: bytes, header..<headerEnd)
                    ?? SGMLScanner.find("</ims-header>", in: bytes, header..<headerEnd)
                if close == nil && firstDocument == nil {
                    throw ParseError(
                        code: .truncatedSubmission,
                        message: "The SGML submission is truncated: its header is never closed and no "
                            + "<DOCUMENT> follows."
                    )
                }
                headerEnd = close ?? headerEnd
            }
            let submission = SubmissionHeader.parse(bytes, header..<headerEnd, tagged: tagged)
            let documents = SGMLScanner.documents(bytes, headerEnd..<bytes.count)
            return SubmissionStructure(format: .sgmlSubmission, submission: submission, documents: documents)
        }
        let documents = SGMLScanner.documents(bytes, all)
        if documents.count > 1 {
            return SubmissionStructure(format: .sgmlSubmission, submission: nil, documents: documents)
        }
        var document = documents.first ?? SGMLDocument(body: all)
        if document.sequence == 0 { document.sequence = 1 }
        let format: Format = DocumentReader.looksLikeHTML(bytes, document.body) ? .html : .plainText
        return SubmissionStructure(format: format, submission: nil, documents: [document])
    }

    /// Where the EDGAR header starts, if the input has one near its beginning.
    private static func headerStart(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var from = range.lowerBound
        // From one "<" to the next.
        while let i = bytes.nextIndex(of: ASCII.lessThan, from: from, before: range.upperBound) {
            if bytes.matchesIgnoringCase("<sec-header>", at: i) || bytes.matchesIgnoringCase("<ims-header>", at: i)
                || bytes.matches("<SUBMISSION>", at: i)
            {
                return i
            }
            if bytes.matchesIgnoringCase("<document>", at: i) { return nil }
            from = i + 1
        }
        return nil
    }
}
