import FilingsCore
import FilingsParser
import FilingsStore
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Logging

/// A fresh SQLite store in a temporary directory, removed afterwards.
struct TemporaryStore {
    let directory: URL
    var path: String { directory.appendingPathComponent("filings.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-store-tests-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func open(_ configuration: SQLiteFilingStore.Configuration = .defaults) throws -> SQLiteFilingStore {
        try SQLiteFilingStore(path: path, configuration: configuration, logger: quietLogger)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` with an open store, then closes and removes it. Opening (the schema's syncs) and closing (joining
    /// the store's threads) happen off the test pool.
    static func with<T>(_ body: (SQLiteFilingStore, TemporaryStore) async throws -> T) async throws -> T {
        let temporary = try TemporaryStore()
        let store: SQLiteFilingStore
        do {
            store = try await offPool { try temporary.open() }
        } catch {
            temporary.remove()
            throw error
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(store, temporary))
        } catch {
            result = .failure(error)
        }
        await offPool {
            store.close()
            temporary.remove()
        }
        return try result.get()
    }
}

/// Synthetic releases, parsed once per process: parsing in every test would keep the two cooperative threads busy
/// for seconds.
func parsedBatch(count: Int, seed: UInt64) async throws -> [FilingToStore] {
    struct Key: Hashable {
        let count: Int
        let seed: UInt64
    }
    if let cached = parsedBatches.withLock({ $0[Key(count: count, seed: seed)] }) { return cached }
    let batch = try await heavyWork { try SyntheticFiling.batch(count: count, seed: seed).map { try parsed($0.bytes) } }
    parsedBatches.withLock { $0[Key(count: count, seed: seed)] = batch }
    return batch
}

private let parsedBatches = Lock<[AnyHashable: [FilingToStore]]>([:])

/// Parses bytes into what a store takes.
func parsed(_ bytes: [UInt8]) throws -> FilingToStore {
    FilingToStore(filing: try EDGARParser().parse(bytes), raw: bytes)
}

/// The seed documents committed as the parser's fixtures.
func seedDocuments() throws -> [(name: String, bytes: [UInt8])] {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("FilingsParserTests/Fixtures")
    return try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".txt") }.sorted()
        .map { name in (name, Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))) }
}

extension QueryRequest {
    /// A request with only `configure`'s fields set.
    static func with(_ configure: (inout QueryRequest) -> Void) -> QueryRequest {
        var request = QueryRequest()
        configure(&request)
        return request
    }
}

extension FilingStore {
    /// Every hit of `request`, page by page.
    func allHits(_ request: QueryRequest, pageSize: UInt32 = 7) async throws -> [QueryHit] {
        var request = request
        request.limit = pageSize
        var hits: [QueryHit] = []
        while true {
            let page = try await query(FilingQuery(request))
            hits += page.hits
            guard !page.nextPageToken.isEmpty else { return hits }
            request.pageToken = page.nextPageToken
        }
    }
}

/// The documents of the dev corpus in `../shared` that parse, parsed; none when it is not beside the repository.
func devCorpusFilings() -> [FilingToStore] {
    DevCorpus.files.compactMap { url in
        guard let bytes = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? parsed(Array(bytes))
    }
}
