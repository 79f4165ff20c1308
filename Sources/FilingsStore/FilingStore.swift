public import FilingsCore

/// Where filings are kept: the storage behind the Store, Query, Get, Delete and Stats methods.
///
/// Implementations are safe to call from many tasks at once. Every method throws ``StoreError``, whose
/// ``StoreError/status`` is what the caller of the RPC sees.
public protocol FilingStore: Sendable {
    /// The backend's name in ``StoreStats``: "sqlite", "postgres".
    var backend: String { get }

    /// Persists `filings` with all their facts, each atomically; returns in the same order whether each was
    /// created or was already stored (same SHA-256), with its id.
    ///
    /// Returns only once the filings are durable. A filing that fails alone is reported in its outcome.
    func store(_ filings: [FilingToStore]) async throws(StoreError) -> [StoreOutcome]

    /// The ids of the stored filings whose raw bytes have one of the SHA-256 digests `sha256` (lowercase hex),
    /// keyed by digest; a digest with no stored filing has no entry. Store asks it before parsing, so that storing
    /// bytes again costs a look-up, not a parse.
    func storedIDs(sha256: [String]) async throws(StoreError) -> [String: String]

    /// One page of the filings that match `query`.
    func query(_ query: FilingQuery) async throws(StoreError) -> QueryResponse

    /// The filing with `id`, and its raw bytes when `includeRaw` is true; nil when there is none.
    func get(id: String, includeRaw: Bool) async throws(StoreError) -> GetResponse?

    /// Removes the filing with `id` from the store and every index; false when there was none.
    func delete(id: String) async throws(StoreError) -> Bool

    /// Counts and size on disk.
    func stats() async throws(StoreError) -> StoreStats

    /// How many stored filings have facts from each parser version, most first.
    func countsByParserVersion() async throws(StoreError) -> [KeyCount]

    /// Up to `limit` stored filings whose facts came from one of `parserVersions`, with ids greater than `afterID`,
    /// in id order, each with its raw bytes; the list ends with the filing that brings the raw bytes to
    /// `maximumBytes` or more (so it holds at least one filing when there is one).
    func storedInputs(
        parserVersions: [String],
        afterID: String,
        limit: Int,
        maximumBytes: Int
    ) async throws(StoreError) -> [StoredInput]

    /// Replaces the facts of the stored filings that have each filing's SHA-256 with that filing (a parse of the
    /// same bytes by another parser version), in every index, keeping each one's id, raw bytes and place in
    /// storage order; all in one transaction. Returns how many were replaced (a filing deleted meanwhile is not).
    ///
    /// When the calling task is cancelled before the transaction commits, nothing is written and this throws
    /// ``StoreError/Code/cancelled``.
    func replaceFacts(_ filings: [ParsedFiling]) async throws(StoreError) -> Int

    /// Whether the store can answer now; Health says NOT_SERVING while it cannot (a database that is down).
    var isAvailable: Bool { get }
}

extension FilingStore {
    /// An embedded store is available while it is open.
    public var isAvailable: Bool { true }
}

/// A parsed input to store: its facts and the bytes they came from.
public struct FilingToStore: Sendable {
    /// The parser's output for `raw`.
    public var filing: ParsedFiling
    /// The input exactly as received.
    public var raw: [UInt8]

    /// Creates a filing to store.
    public init(filing: ParsedFiling, raw: [UInt8]) {
        self.filing = filing
        self.raw = raw
    }
}

/// A stored filing's raw bytes, to be parsed again.
public struct StoredInput: Sendable, Hashable {
    /// The filing's id.
    public var id: String
    /// The input exactly as it was stored.
    public var raw: [UInt8]

    /// Creates a stored input.
    public init(id: String, raw: [UInt8]) {
        self.id = id
        self.raw = raw
    }
}

/// What ``FilingStore/store(_:)`` did with one filing.
public struct StoreOutcome: Sendable, Hashable {
    /// The stored filing's id.
    public var id: String
    /// False when the same bytes were already stored.
    public var created: Bool
    /// Why this filing was not stored, or nil when it was.
    public var error: StoreError?

    /// Creates an outcome.
    public init(id: String, created: Bool, error: StoreError? = nil) {
        self.id = id
        self.created = created
        self.error = error
    }
}
