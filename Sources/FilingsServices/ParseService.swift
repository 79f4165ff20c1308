internal import FilingsCore
public import FilingsParser
public import FilingsServer

/// The Parse method: one input file in, its ``ParsedFiling`` out; nothing is stored.
public struct ParseService: Sendable {
    private let parser: EDGARParser

    /// Creates the service with `parser`.
    public init(parser: EDGARParser = EDGARParser()) {
        self.parser = parser
    }

    /// Registers the Parse handler in `router`.
    public func register(in router: inout RPCRouter) {
        let parser = self.parser
        router.register(FilingsMethods.parse) { request, _ in
            do throws(ParseError) {
                return ParseResponse(filing: try parser.parse(request.content))
            } catch {
                throw error.rpcError
            }
        }
    }
}
