public import FilingsCore
public import FilingsParser
public import FilingsServer

/// The Parse method: one input file in, its ``ParsedFiling`` out; nothing is stored.
///
/// Parsing runs on the worker pool's threads, never on the concurrency pool; a cancelled call (CANCEL, deadline,
/// shutdown) stops its parse at the parser's next checkpoint.
public struct ParseService: Sendable {
    private let parser: EDGARParser
    private let workers: WorkerPool

    /// Creates the service with `parser`, parsing on `workers`.
    public init(parser: EDGARParser = EDGARParser(), workers: WorkerPool = .shared) {
        self.parser = parser
        self.workers = workers
    }

    /// Registers the Parse handler in `router`.
    public func register(in router: inout RPCRouter) {
        let service = self
        router.register(FilingsMethods.parse) { request, _ in
            ParseResponse(filing: try await service.parse(request.content))
        }
    }

    /// Parses `content` on a worker thread; `sha256`, when the caller has hashed `content` already, is not
    /// computed again.
    ///
    /// - Throws: ``RPCError`` with the parse error's status, or `CancellationError` when the calling task was
    ///   cancelled.
    func parse(_ content: [UInt8], sha256: String? = nil) async throws -> ParsedFiling {
        let parser = self.parser
        do {
            return try await workers.run { flag throws(ParseError) in
                try parser.parse(content, sha256: sha256, cancellation: flag)
            }
        } catch let error as ParseError {
            if error.code == .cancelled { throw CancellationError() }
            ServiceMetrics.shared.parseFailed(error.rpcError.code)
            throw error.rpcError
        }
    }
}
