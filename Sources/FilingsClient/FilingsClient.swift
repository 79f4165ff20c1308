public import FilingsCore
import FilingsTransport
public import Logging
import Synchronization

/// A client of the filings service: multiplexed connections to one or more servers, deadlines, retries, and a
/// typed error for every failure.
///
/// ```swift
/// let client = FilingsClient(configuration: .defaults(endpoints: [Endpoint(host: "127.0.0.1", port: 7878)]))
/// defer { client.close() }
/// let health = try await client.health()
/// ```
///
/// Cancelling the task that awaits a call cancels the call on the server too.
public final class FilingsClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: ClientConfiguration
    private let pools: [EndpointPool]
    private let next = Atomic<Int>(0)

    /// Creates a client; connections open on the first call.
    public init(configuration: ClientConfiguration, logger: Logger = Logger(label: "filings.client")) {
        precondition(!configuration.endpoints.isEmpty, "a client needs at least one endpoint")
        self.configuration = configuration
        self.pools = configuration.endpoints.map {
            EndpointPool(endpoint: $0, configuration: configuration, logger: logger)
        }
    }

    /// Closes every connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        for pool in pools {
            pool.close()
        }
    }

    /// Calls `method` with `request`.
    ///
    /// - Throws: ``RPCError`` with the server's status, or with the client's own: DEADLINE_EXCEEDED, CANCELLED,
    ///   UNAVAILABLE (no connection), INTERNAL (an undecodable response), INVALID_ARGUMENT (a string of the request
    ///   or of the metadata holds a NUL byte, which the wire cannot carry; nothing is sent).
    public func call<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = .defaults
    ) async throws(RPCError) -> Response {
        let policy = options.retry ?? configuration.retry
        let timeout = options.timeout ?? configuration.defaultDeadline
        let deadline = timeout.map { ContinuousClock.now + $0 }
        var metadata = configuration.metadata
        for entry in options.metadata {
            metadata[entry.key] = entry.value
        }
        if let path = request.nulStringField {
            throw RPCError(
                code: .invalidArgument,
                message: "request \(Request.protoMessageName): string field '\(path)' contains a NUL byte, "
                    + "which a string cannot carry"
            )
        }
        if let entry = metadata.first(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }) {
            throw RPCError(
                code: .invalidArgument,
                message: "metadata '\(entry.key.replacing("\u{0}", with: "\\0"))' contains a NUL byte"
            )
        }
        var attempt = 1
        var transparentRetries = 0
        while true {
            let failure: CallFailure
            switch await attemptCall(method, request, metadata: metadata, deadline: deadline) {
            case .success(let response):
                return response
            case .failure(let error):
                failure = error
            }
            // A call that never left the client, or that a draining server did not take (GOAWAY code 0, call id above
            // its last), goes at once to another connection whatever the retry policy: it is not an attempt.
            if failure.retryTransparently, transparentRetries < 8, !Task.isCancelled {
                transparentRetries += 1
                continue
            }
            let retryable =
                policy.retryableCodes.contains(failure.error.code)
                && (failure.notProcessed || method.idempotency.allowsRetry)
            guard retryable, attempt < policy.maximumAttempts, !Task.isCancelled else { throw failure.error }
            let base = min(policy.initialBackoff * (1 << min(attempt - 1, 16)), policy.maximumBackoff)
            let wait = base * Double.random(in: 0.5...1.0)
            if let deadline, ContinuousClock.now + wait >= deadline { throw failure.error }
            do {
                try await Task.sleep(for: wait)
            } catch {
                throw RPCError(code: .cancelled, message: "the call was cancelled")
            }
            attempt += 1
        }
    }

    private func attemptCall<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        metadata: Metadata,
        deadline: ContinuousClock.Instant?
    ) async -> Result<Response, CallFailure> {
        let connection: ClientConnection
        switch await pickPool().connection() {
        case .success(let open):
            connection = open
        case .failure(let error):
            return .failure(CallFailure(error: error, notProcessed: true))
        }
        let outcome = await connection.call(
            method: method.path,
            message: request,
            metadata: metadata,
            deadline: deadline
        )
        return outcome.flatMap { outcome in
            outcome.payload.withUnsafeBytes { bytes in
                do {
                    return .success(
                        try Response(serializedBytes: UnsafeRawBufferPointer(rebasing: bytes[outcome.messageOffset...]))
                    )
                } catch {
                    let error = RPCError(
                        code: .internal,
                        message: "the server's response is not a valid \(Response.protoMessageName)"
                    )
                    return .failure(CallFailure(error: error, notProcessed: false))
                }
            }
        }
    }

    /// The next endpoint in round-robin order, skipping endpoints that are backing off while others are not.
    private func pickPool() -> EndpointPool {
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<pools.count {
            let pool = pools[(start + offset) % pools.count]
            if pool.backingOffUntil == nil {
                return pool
            }
        }
        return pools[start % pools.count]
    }
}

extension FilingsClient {
    /// Parses one input file on the server.
    public func parse(_ request: ParseRequest, options: CallOptions = .defaults) async throws(RPCError) -> ParseResponse
    {
        try await call(FilingsMethods.parse, request, options: options)
    }

    /// Parses and stores documents.
    public func store(_ request: StoreRequest, options: CallOptions = .defaults) async throws(RPCError) -> StoreResponse
    {
        try await call(FilingsMethods.store, request, options: options)
    }

    /// Queries stored filings.
    public func query(_ request: QueryRequest, options: CallOptions = .defaults) async throws(RPCError) -> QueryResponse
    {
        try await call(FilingsMethods.query, request, options: options)
    }

    /// Returns one stored filing.
    public func get(_ request: GetRequest, options: CallOptions = .defaults) async throws(RPCError) -> GetResponse {
        try await call(FilingsMethods.get, request, options: options)
    }

    /// Deletes one stored filing.
    public func delete(
        _ request: DeleteRequest,
        options: CallOptions = .defaults
    ) async throws(RPCError) -> DeleteResponse {
        try await call(FilingsMethods.delete, request, options: options)
    }

    /// Re-parses one batch of stored filings whose facts came from an older parser; call it again with the
    /// response's `nextAfterId` until that is empty.
    public func reparse(
        _ request: ReparseRequest,
        options: CallOptions = .defaults
    ) async throws(RPCError) -> ReparseResponse {
        try await call(FilingsMethods.reparse, request, options: options)
    }

    /// Server and store statistics.
    public func stats(options: CallOptions = .defaults) async throws(RPCError) -> StatsResponse {
        try await call(FilingsMethods.stats, StatsRequest(), options: options)
    }

    /// Whether the server is serving.
    public func health(service: String = "", options: CallOptions = .defaults) async throws(RPCError) -> HealthResponse
    {
        try await call(FilingsMethods.health, HealthRequest(service: service), options: options)
    }
}
