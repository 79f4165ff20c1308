public import FilingsCore

/// Why a store operation failed, with the status a caller of the RPC sees.
///
/// Messages never carry SQL or document text; the underlying database error goes to the server log only.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        fileprivate let status: RPCError.Code

        /// A query's filters or search text are not valid.
        public static let invalidQuery = Code(name: "INVALID_QUERY", status: .invalidArgument)
        /// A page token is malformed or belongs to another query.
        public static let invalidPageToken = Code(name: "INVALID_PAGE_TOKEN", status: .invalidArgument)
        /// A Store call is over its count or byte limit.
        public static let batchTooLarge = Code(name: "BATCH_TOO_LARGE", status: .resourceExhausted)
        /// A query ran past the server's limit on one query's time and was stopped: it is too broad to answer.
        public static let queryTimeLimit = Code(name: "QUERY_TIME_LIMIT", status: .resourceExhausted)
        /// The disk or the database is full.
        public static let storageFull = Code(name: "STORAGE_FULL", status: .resourceExhausted)
        /// The database is busy or the store is shutting down; the call may be retried.
        public static let unavailable = Code(name: "UNAVAILABLE", status: .unavailable)
        /// The caller gave up before the write committed; nothing of it was written.
        public static let cancelled = Code(name: "CANCELLED", status: .cancelled)
        /// The database was written by a newer version, or cannot be opened.
        public static let cannotOpen = Code(name: "CANNOT_OPEN", status: .failedPrecondition)
        /// Stored data cannot be read back.
        public static let corrupt = Code(name: "CORRUPT", status: .dataLoss)
        /// Any other database failure.
        public static let storageFailure = Code(name: "STORAGE_FAILURE", status: .internal)

        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// A message for people: what is wrong and, where it helps, what to do.
    public var message: String
    /// The underlying failure in the database's own words, for the server's log; never sent to a caller.
    public var cause: String?

    /// The RPC status for this error.
    public var status: RPCError.Code { code.status }

    /// The error as it crosses the wire.
    public var rpcError: RPCError { RPCError(code: status, message: message) }

    /// Creates an error.
    public init(code: Code, message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(code): \(message)" }
}
