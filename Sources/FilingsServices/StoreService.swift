public import FilingsCore
public import FilingsParser
public import FilingsServer
public import FilingsStore
public import Logging

/// The Store, Query, Get, Delete methods over a ``FilingStore``; Store parses each document on the server.
///
/// ```swift
/// let store = try SQLiteFilingStore(path: "data/filings.sqlite", logger: logger)
/// var router = RPCRouter()
/// StoreService(store: store, logger: logger).register(in: &router)
/// ```
public struct StoreService: Sendable {
    /// How much one Store call may carry, how far a Query's total counts, and how long a Query may take.
    public struct Limits: Sendable {
        /// The most documents in one Store call.
        public var maximumDocuments: Int
        /// The most bytes of document content in one Store call.
        public var maximumBytes: Int
        /// The candidates a Query's total examines before it becomes a lower bound, unless the request asks for an
        /// exact total (``FilingQuery/countLimit``).
        public var countLimit: Int
        /// The longest a Query may run in the store, whatever its deadline: one past it is stopped and answered
        /// RESOURCE_EXHAUSTED, so that a query too broad to answer cannot hold a reader for minutes.
        public var maximumQueryTime: Duration

        /// Creates limits.
        public init(
            maximumDocuments: Int,
            maximumBytes: Int,
            countLimit: Int = FilingQuery.defaultCountLimit,
            maximumQueryTime: Duration = .seconds(10)
        ) {
            self.maximumDocuments = maximumDocuments
            self.maximumBytes = maximumBytes
            self.countLimit = countLimit
            self.maximumQueryTime = maximumQueryTime
        }

        /// 1,000 documents and 64 MiB per call; totals counted up to 5,000 candidates; 10 s per query.
        public static var defaults: Limits { Limits(maximumDocuments: 1000, maximumBytes: 64 << 20) }
    }

    private let store: any FilingStore
    private let parsing: ParseService
    private let workers: WorkerPool
    private let limits: Limits
    private let logger: Logger

    /// Creates the service over `store`; documents are parsed on `workers`.
    public init(
        store: any FilingStore,
        parser: EDGARParser = EDGARParser(),
        workers: WorkerPool = .shared,
        limits: Limits = .defaults,
        logger: Logger
    ) {
        self.store = store
        self.parsing = ParseService(parser: parser, workers: workers)
        self.workers = workers
        self.limits = limits
        self.logger = logger
    }

    /// Registers the Store, Query, Get and Delete handlers in `router`.
    public func register(in router: inout RPCRouter) {
        let service = self
        router.register(FilingsMethods.store) { request, context in
            try await service.store(request, logger: context.logger)
        }
        router.register(FilingsMethods.query) { request, _ in
            do throws(StoreError) {
                return try await ServiceMetrics.shared.timeStore("query") { () async throws(StoreError) in
                    var query = try FilingQuery(request)
                    if query.countLimit != nil { query.countLimit = service.limits.countLimit }
                    return try await service.query(query)
                }
            } catch {
                throw error.rpcError
            }
        }
        router.register(FilingsMethods.get) { request, _ in
            guard !request.id.isEmpty else { throw RPCError(code: .invalidArgument, message: "id is empty") }
            let response: GetResponse?
            do throws(StoreError) {
                response = try await ServiceMetrics.shared.timeStore("get") { () async throws(StoreError) in
                    try await service.store.get(id: request.id, includeRaw: request.includeRaw)
                }
            } catch {
                throw error.rpcError
            }
            guard let response else { throw RPCError(code: .notFound, message: "no filing has id \(request.id)") }
            return response
        }
        router.register(FilingsMethods.delete) { request, _ in
            guard !request.id.isEmpty else { throw RPCError(code: .invalidArgument, message: "id is empty") }
            do throws(StoreError) {
                let deleted = try await ServiceMetrics.shared.timeStore("delete") { () async throws(StoreError) in
                    try await service.store.delete(id: request.id)
                }
                return DeleteResponse(deleted: deleted)
            } catch {
                throw error.rpcError
            }
        }
    }

    /// Runs `query` in the store, and stops it once it has run for ``Limits/maximumQueryTime``.
    private func query(_ query: FilingQuery) async throws(StoreError) -> QueryResponse {
        enum Event: Sendable {
            case answered(Result<QueryResponse, StoreError>)
            case timeLimit(passed: Bool)
        }
        let store = self.store
        let limit = limits.maximumQueryTime
        let result: Result<QueryResponse, StoreError> = await withTaskGroup(of: Event.self) { group in
            group.addTask {
                do throws(StoreError) {
                    return .answered(.success(try await store.query(query)))
                } catch {
                    return .answered(.failure(error))
                }
            }
            group.addTask { .timeLimit(passed: (try? await Task.sleep(for: limit)) != nil) }
            var passed = false
            while let event = await group.next() {
                switch event {
                case .answered(let result):
                    group.cancelAll()
                    // The store stopped because the limit cancelled it, not because it failed.
                    if passed, case .failure(let error) = result, error.code == .cancelled {
                        return .failure(
                            StoreError(
                                code: .queryTimeLimit,
                                message: "the query ran past the server's limit of \(limit) and was stopped; "
                                    + "narrow it (longer prefixes, fewer terms, filters)"
                            )
                        )
                    }
                    return result
                case .timeLimit(let elapsed):
                    if elapsed {
                        passed = true
                        group.cancelAll()
                    }
                }
            }
            return .failure(StoreError(code: .storageFailure, message: "the query ended without an answer"))
        }
        return try result.get()
    }

    /// Parses every document that is not stored yet, stores those that parsed in one call to the store, and
    /// answers one result per document in request order. A document whose bytes are stored already is answered
    /// from a look-up by its SHA-256, without parsing it again.
    ///
    /// A call cancelled before the store committed it (CANCEL, deadline, shutdown) stores nothing: parsing stops,
    /// and the store rolls the write back. It throws `CancellationError` then.
    ///
    /// `logger` carries the call's metadata (peer, method, request id) for what is logged about it.
    func store(_ request: StoreRequest, logger: Logger? = nil) async throws -> StoreResponse {
        let documents = request.documents
        guard !documents.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "a Store call needs at least one document")
        }
        guard documents.count <= limits.maximumDocuments else {
            throw RPCError(
                code: .resourceExhausted,
                message:
                    "a Store call takes at most \(limits.maximumDocuments) documents (got \(documents.count)); split the batch"
            )
        }
        let bytes = documents.reduce(0) { $0 + $1.content.count }
        guard bytes <= limits.maximumBytes else {
            throw RPCError(
                code: .resourceExhausted,
                message:
                    "a Store call takes at most \(limits.maximumBytes) bytes of documents (got \(bytes)); split the batch"
            )
        }

        let digests = try await workers.map(documents) { $0.content.withUnsafeBufferPointer { SHA256.hexDigest($0) } }
        let stored: [String: String]
        do throws(StoreError) {
            stored = try await ServiceMetrics.shared.timeStore("lookup") { () async throws(StoreError) in
                try await store.storedIDs(sha256: digests)
            }
        } catch let error where error.code == .cancelled {
            throw CancellationError()
        } catch {
            throw error.rpcError
        }

        var results: [StoreResult] = []
        var parsed: [FilingToStore] = []
        var parsedIndexes: [Int] = []
        for (index, document) in documents.enumerated() {
            try Task.checkCancellation()
            var result = StoreResult()
            result.filename = document.filename
            result.sha256 = digests[index]
            if let id = stored[digests[index]] {
                result.id = id
                result.created = false
                results.append(result)
                continue
            }
            do {
                let filing = try await parsing.parse(document.content, sha256: digests[index])
                parsed.append(FilingToStore(filing: filing, raw: document.content))
                parsedIndexes.append(index)
            } catch let error as RPCError {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
            }
            results.append(result)
        }
        guard !parsed.isEmpty else { return StoreResponse(results: results) }
        let outcomes: [StoreOutcome]
        do throws(StoreError) {
            outcomes = try await ServiceMetrics.shared.timeStore("store") { () async throws(StoreError) in
                try await store.store(parsed)
            }
        } catch let error where error.code == .cancelled {
            throw CancellationError()
        } catch {
            (logger ?? self.logger).warning(
                "store failed",
                metadata: ["error": "\(error)", "store.documents": "\(parsed.count)"]
            )
            throw error.rpcError
        }
        for (outcome, index) in zip(outcomes, parsedIndexes) {
            if let error = outcome.error {
                results[index].errorCode = error.status.rawValue
                results[index].errorMessage = error.message
            } else {
                results[index].id = outcome.id
                results[index].created = outcome.created
            }
        }
        return StoreResponse(results: results)
    }
}
