import FilingsCore
import FilingsParser
import Foundation

/// Parses `text` as one input file.
func parse(_ text: String) throws(ParseError) -> ParsedFiling {
    try EDGARParser().parse(Array(text.utf8))
}

/// The single document of a one-document input.
func document(_ text: String) throws -> Document {
    let filing = try parse(text)
    guard let first = filing.documents.first else { throw TestFailure("no document") }
    return first
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The bytes of a committed fixture.
func fixture(_ name: String) throws -> [UInt8] {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
        throw TestFailure("missing fixture \(name)")
    }
    return Array(try Data(contentsOf: url))
}

/// A press release wrapped the way the seeds are: exhibit label, headline, dateline, body.
func pressRelease(_ body: String, headline: String = "ACME WIDGETS REPORTS RECORD THIRD QUARTER RESULTS") -> String {
    """
    EXHIBIT 99.1

    \(headline)

         SPRINGFIELD, Ill., March 3, 2003 -- Acme Widgets, Inc. (NYSE: ACME) today
    announced results for its third quarter.

    \(body)
    """
}
