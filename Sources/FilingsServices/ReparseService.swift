public import FilingsCore
import FilingsParser
public import FilingsServer
public import FilingsStore
public import Logging

/// The Reparse method: stored filings whose facts came from an older parser are parsed again from their stored
/// bytes by this server's parser and re-indexed, one batch per call.
///
/// The batch is parsed on the worker pool, then written in one transaction: a call cancelled before that
/// transaction commits (CANCEL, deadline, shutdown) stops parsing and changes nothing. Selecting by version makes
/// the work resumable: a filing once re-parsed carries the new version and is not selected again.
///
/// ```swift
/// var router = RPCRouter()
/// ReparseService(store: store, logger: logger).register(in: &router)
/// ```
public struct ReparseService: Sendable {
    /// The most filings one call may ask for, and how many it gets when it does not say.
    public static let maximumLimit = 1000
    public static let defaultLimit = 100
    /// The raw bytes one call reads and parses at most, besides the filing that crosses it: 64 MiB, as one Store
    /// call may carry.
    public static let maximumBytes = 64 << 20

    private let store: any FilingStore
    private let parsing: ParseService
    private let parallelism: Int
    private let logger: Logger

    /// Creates the service over `store`; filings are parsed on `workers`.
    public init(store: any FilingStore, workers: WorkerPool = .shared, logger: Logger) {
        self.store = store
        self.parsing = ParseService(parser: EDGARParser(), workers: workers)
        self.parallelism = workers.threadCount
        self.logger = logger
    }

    /// Registers the Reparse handler in `router`.
    public func register(in router: inout RPCRouter) {
        let service = self
        router.register(FilingsMethods.reparse) { request, context in
            try await service.reparse(request, logger: context.logger)
        }
    }

    /// Re-parses one batch; see the method's description in docs/PROTOCOL.md.
    ///
    /// - Throws: ``RPCError`` (`INVALID_ARGUMENT`, `FAILED_PRECONDITION`, the store's status), or
    ///   `CancellationError` when the call was cancelled before its write committed.
    func reparse(_ request: ReparseRequest, logger: Logger? = nil) async throws -> ReparseResponse {
        let running = EDGARParser.version
        let bound = try Self.bound(olderThan: request.olderThan, running: running)
        let limit = Int(request.limit == 0 ? UInt32(Self.defaultLimit) : request.limit)
        guard limit <= Self.maximumLimit else {
            throw RPCError(
                code: .invalidArgument,
                message: "limit is at most \(Self.maximumLimit) filings per call (got \(limit))"
            )
        }
        let versions = try await storeCall("count") { () async throws(StoreError) in
            try await store.countsByParserVersion()
        }
        let older = versions.filter { ParserVersion($0.key).isOlder(than: bound) }
        let inputs = try await storeCall("read") { () async throws(StoreError) in
            try await store.storedInputs(
                parserVersions: older.map(\.key),
                afterID: request.afterId,
                limit: limit,
                maximumBytes: Self.maximumBytes
            )
        }

        let (filings, failures) = try await parse(inputs)
        let replaced = try await storeCall("replace") { () async throws(StoreError) in
            try await store.replaceFacts(filings)
        }
        var response = ReparseResponse()
        response.reparsed = UInt32(replaced)
        response.failures = failures
        response.parserVersion = running
        // Full by count or by bytes: there may be more after it.
        let full = inputs.count == limit || inputs.reduce(0) { $0 + $1.raw.count } >= Self.maximumBytes
        response.nextAfterId = full ? inputs[inputs.count - 1].id : ""
        // From the count the batch started with, rather than counting every filing again per batch.
        let olderAtStart = older.reduce(0) { $0 + $1.count }
        response.remaining = olderAtStart - min(olderAtStart, UInt64(replaced))
        if !failures.isEmpty {
            (logger ?? self.logger).warning(
                "stored filings failed to parse again; their facts are unchanged",
                metadata: ["reparse.failures": "\(failures.count)", "reparse.first": "\(failures[0].id)"]
            )
        }
        return response
    }

    /// Parses `inputs`, as many at a time as the worker pool has threads; the failures come in id order.
    private func parse(_ inputs: [StoredInput]) async throws -> ([ParsedFiling], [ReparseFailure]) {
        let parsing = self.parsing
        return try await withThrowingTaskGroup(of: (Int, Result<ParsedFiling, RPCError>).self) { group in
            var results = [Result<ParsedFiling, RPCError>?](repeating: nil, count: inputs.count)
            var next = 0
            func start() {
                guard next < inputs.count else { return }
                let index = next
                next += 1
                group.addTask {
                    do {
                        return (index, .success(try await parsing.parse(inputs[index].raw)))
                    } catch let error as RPCError {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<parallelism { start() }
            while let (index, result) = try await group.next() {
                results[index] = result
                start()
            }
            var filings: [ParsedFiling] = []
            var failures: [ReparseFailure] = []
            for (input, result) in zip(inputs, results) {
                switch result {
                case .success(let filing): filings.append(filing)
                case .failure(let error):
                    failures.append(
                        ReparseFailure(id: input.id, errorCode: error.code.rawValue, errorMessage: error.message)
                    )
                case nil: break
                }
            }
            return (filings, failures)
        }
    }

    private func storeCall<T>(
        _ operation: String,
        _ body: () async throws(StoreError) -> T
    ) async throws -> T {
        do throws(StoreError) {
            return try await ServiceMetrics.shared.timeStore("reparse_" + operation, body)
        } catch let error where error.code == .cancelled {
            throw CancellationError()
        } catch {
            throw error.rpcError
        }
    }

    /// The version below which filings are re-parsed: `olderThan`, or the running parser's when it is empty.
    static func bound(olderThan: String, running: String) throws(RPCError) -> ParserVersion {
        let current = ParserVersion(running)
        guard !olderThan.isEmpty else { return current }
        let given = ParserVersion(olderThan)
        guard given.isReadable, given.name == current.name else {
            throw RPCError(
                code: .invalidArgument,
                message: "older_than \"\(olderThan)\" is not a version of this parser, such as \"\(running)\""
            )
        }
        guard !current.isOlder(than: given) else {
            throw RPCError(
                code: .failedPrecondition,
                message:
                    "older_than \(olderThan) is newer than this server's parser \(running): re-parsing with it would "
                    + "replace newer facts with older ones; run Reparse on a server with the newer parser"
            )
        }
        return given
    }
}

/// A parser version, "NAME/MAJOR.MINOR.PATCH" ("filings-parser/1.1.0"), ordered by its numbers.
struct ParserVersion: Sendable, Equatable {
    var name: String
    var numbers: [Int]
    /// False for text that is not NAME/NUMBERS; such a version is older than every readable one.
    var isReadable: Bool

    init(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        let numbers = parts.count == 2 ? parts[1].split(separator: ".", omittingEmptySubsequences: false) : []
        let parsed = numbers.compactMap { Int($0) }
        isReadable =
            parts.count == 2 && !parsed.isEmpty && parsed.count == numbers.count && parsed.allSatisfy { $0 >= 0 }
        name = parts.first.map(String.init) ?? ""
        self.numbers = isReadable ? parsed : []
    }

    /// Whether facts from this version are older than from `other`: an unreadable version or another parser's
    /// name is older than any readable version of ours; otherwise the numbers decide, a missing one counting 0.
    func isOlder(than other: ParserVersion) -> Bool {
        guard other.isReadable else { return false }
        guard isReadable, name == other.name else { return true }
        for index in 0..<max(numbers.count, other.numbers.count) {
            let mine = index < numbers.count ? numbers[index] : 0
            let theirs = index < other.numbers.count ? other.numbers[index] : 0
            if mine != theirs { return mine < theirs }
        }
        return false
    }
}
