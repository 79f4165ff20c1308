import ArgumentParser
import FilingsCore
import FilingsParser
import FilingsStore
import FilingsStoreSQLite
import Foundation
import Logging

/// The SQLite store alone, without RPC or parsing: how fast durable group commits go.
struct StoreEngineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-engine",
        abstract: "Store pre-parsed documents straight into a new SQLite store from concurrent tasks.",
        discussion: """
            Parses --count documents of the corpus first (not timed), then stores them one per call from --tasks \
            concurrent tasks into a new database, each call waiting for its durable commit. Prints documents/s, \
            commits shared, and bytes on disk per document. Compare --tasks 1 with --tasks 16 to see group commit.

            Example:
              filings-bench store-engine --corpus /tmp/scale-100k --count 5000 --tasks 16
            """
    )

    @Option(help: "Directory of documents (recursive).")
    var corpus: String

    @Option(help: "Documents to store.")
    var count: Int = 5000

    @Option(help: "Concurrent store calls.")
    var tasks: Int = 16

    @Option(help: "The database file (default: a new one in a temporary directory, removed after).")
    var path: String?

    func run() async throws {
        let files = try Corpus(directory: corpus)
        let wanted = min(count, files.paths.count)
        let parser = EDGARParser()
        let parseStart = ContinuousClock.now
        let filings = await withTaskGroup(of: [FilingToStore].self) { group in
            let slices = 4
            for slice in 0..<slices {
                group.addTask {
                    stride(from: slice, to: wanted, by: slices).compactMap { index in
                        let bytes = files.document(index).content
                        return (try? parser.parse(bytes)).map { FilingToStore(filing: $0, raw: bytes) }
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let parseSeconds = (ContinuousClock.now - parseStart).secondsValue
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-store-engine-\(UInt64.random(in: 0...UInt64.max))")
        let databasePath = path ?? temporary.appendingPathComponent("filings.sqlite").path
        defer { if path == nil { try? FileManager.default.removeItem(at: temporary) } }
        var logger = Logger(label: "filings.bench.store")
        logger.logLevel = .warning
        let store = try SQLiteFilingStore(path: databasePath, logger: logger)
        defer { store.close() }

        let next = Counter()
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    while let index = next.take(below: filings.count) {
                        _ = try? await store.store([filings[index]])
                    }
                }
            }
        }
        let seconds = (ContinuousClock.now - start).secondsValue
        let stats = try await store.stats()
        let rawBytes = filings.reduce(0) { $0 + $1.raw.count }
        print("documents   \(filings.count) (parsed in \(String(format: "%.1f", parseSeconds)) s, not timed)")
        print("tasks       \(tasks), one document per call, each acknowledged after its commit is on disk")
        print("stored/s    \(String(format: "%.0f", Double(filings.count) / seconds))")
        print(
            "on disk     \(stats.bytesOnDisk / max(stats.documents, 1)) bytes per document "
                + "(raw input \(rawBytes / max(filings.count, 1)) bytes per document)"
        )
    }
}

/// Hands out indexes 0, 1, 2, ... to concurrent tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
