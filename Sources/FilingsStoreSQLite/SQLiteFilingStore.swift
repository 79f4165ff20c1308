public import FilingsCore
public import FilingsStore
import Foundation
public import Logging
public import ServiceLifecycle

/// A ``FilingStore`` in one SQLite database file: the embedded default.
///
/// The database runs in WAL mode with `synchronous=FULL`: a Store call returns only after its transaction's
/// WAL frames are on disk (fsync), so an acknowledged filing survives a crash of the process or of the machine.
/// One writer thread commits every Store and Delete that is waiting in one transaction (group commit); reader
/// threads with their own connections answer Query, Get and Stats at the same time.
///
/// ```swift
/// let store = try SQLiteFilingStore(path: "data/filings.sqlite", logger: logger)
/// let outcomes = try await store.store([FilingToStore(filing: parsed, raw: bytes)])
/// ```
///
/// Run it in a `ServiceGroup` after the server (so that it shuts down after it), or call ``close()``.
public final class SQLiteFilingStore: FilingStore, Service {
    /// Tuning of the SQLite store.
    public struct Configuration: Sendable {
        /// Connections (each on its own thread) that answer queries.
        public var readers: Int
        /// The most Store and Delete calls committed in one transaction.
        public var maximumCallsPerCommit: Int
        /// Page cache per connection, in bytes.
        public var cacheSize: Int
        /// How long a connection waits for a lock held by another process before failing.
        public var busyTimeout: Duration
        /// How long the store has no Store or Delete to commit before it merges the segments of its full-text and
        /// name indexes, which queries then read fewer of; a call that comes meanwhile waits for a few milliseconds at
        /// most. Nil: segments are merged only as filings come, 8 at a time.
        public var idleMergeDelay: Duration?

        /// Four readers, up to 256 calls per commit, 8 MiB of page cache per connection (40 MiB in all; the
        /// operating system caches the file too), a 5 s busy timeout, merging after 1 s without writes.
        public static var defaults: Configuration {
            Configuration(
                readers: 4,
                maximumCallsPerCommit: 256,
                cacheSize: 8 << 20,
                busyTimeout: .seconds(5),
                idleMergeDelay: .seconds(1)
            )
        }
    }

    public let backend = "sqlite"
    /// The database file.
    public let path: String

    private let configuration: Configuration
    private let logger: Logger
    private let workers: WorkerPool
    private let writes = JobQueue<any WriteJob>()
    /// One entry per commit of the writer: the checkpointer copies what it committed into the database file, a few
    /// commits at a time.
    private let commits = JobQueue<Void>()
    private let reads = JobQueue<@Sendable (SQLiteConnection) -> Void>()
    private let threads = ThreadGroup()
    /// Every connection, released (and so closed) one after another once the threads have stopped: the last to close
    /// writes the log back and removes it, which it does only when no other is closing at the same moment.
    private let connections: Lock<[UncheckedBox<SQLiteConnection>]>
    private let closed = Lock(false)
    /// Held from opening to the end of ``close()``.
    private let fileLock: Lock<StoreFileLock?>

    /// Opens the database at `path`, creating it and its directory if needed, and brings its schema up to date.
    ///
    /// Filings are encoded and compressed on `workers` before they reach the writer thread.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/cannotOpen`` when the file cannot be opened, was written
    ///   by a newer version of filings, or is open in another store (of this process or another) that has not been
    ///   closed.
    public init(
        path: String,
        configuration: Configuration = .defaults,
        workers: WorkerPool = .shared,
        logger: Logger
    ) throws(StoreError) {
        self.path = path
        self.configuration = configuration
        self.workers = workers
        self.logger = logger
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(code: .cannotOpen, message: "cannot create the directory \(directory): \(error)")
            }
        }
        do {
            fileLock = Lock(try StoreFileLock(databasePath: path))
        } catch {
            logger.error("cannot open the database", metadata: ["store.path": "\(path)", "error": "\(error.message)"])
            throw StoreError(code: .cannotOpen, message: error.message)
        }
        guard let sizeFloors = SizeFloors() else {
            throw StoreError(code: .cannotOpen, message: "no memory for the store's size floors")
        }
        let writer: SQLiteConnection
        let checkpointer: SQLiteConnection
        var readers: [SQLiteConnection] = []
        do {
            writer = try SQLiteConnection(path: path, readOnly: false, create: true, sizeFloors: sizeFloors)
            try Self.configure(writer, configuration: configuration)
            try Self.migrate(writer, path: path, logger: logger)
            // The checkpointer copies the log into the database, not the writer as it commits (see checkpointLoop).
            try writer.execute("PRAGMA wal_autocheckpoint = 0")
            checkpointer = try SQLiteConnection(path: path, readOnly: false, create: false)
            try Self.configure(checkpointer, configuration: configuration)
            let start = ContinuousClock.now
            let rows = try sizeFloors.load(from: writer)
            logger.debug(
                "read the full-text sizes",
                metadata: ["store.rows": "\(rows)", "store.duration": "\(ContinuousClock.now - start)"]
            )
            for _ in 0..<max(1, configuration.readers) {
                let reader = try SQLiteConnection(path: path, readOnly: false, create: false, sizeFloors: sizeFloors)
                try Self.configure(reader, configuration: configuration)
                try reader.execute("PRAGMA query_only = ON")
                readers.append(reader)
            }
        } catch {
            logger.error("cannot open the database", metadata: ["store.path": "\(path)", "error": "\(error)"])
            throw StoreError(code: .cannotOpen, message: "cannot open the SQLite database \(path): \(error.message)")
        }
        connections = Lock(([writer, checkpointer] + readers).map(UncheckedBox.init))
        let writerBox = UncheckedBox(writer)
        threads.start(name: "sqlite-writer") { [writes, commits, configuration, logger] in
            // Indexing full text is CPU-heavy: calls that wait for nothing but a thread go first.
            WorkerPool.runThisThreadInTheBackground()
            Self.writeLoop(
                writerBox.value,
                queue: writes,
                commits: commits,
                configuration: configuration,
                logger: logger
            )
        }
        let checkpointerBox = UncheckedBox(checkpointer)
        threads.start(name: "sqlite-checkpt") { [commits] in
            WorkerPool.runThisThreadInTheBackground()
            Self.checkpointLoop(checkpointerBox.value, commits: commits)
        }
        for (index, reader) in readers.enumerated() {
            let readerBox = UncheckedBox(reader)
            threads.start(name: "sqlite-reader-\(index)") { [reads] in
                while let jobs = reads.pop(limit: 1) {
                    for job in jobs { job(readerBox.value) }
                }
            }
        }
    }

    deinit { close() }

    /// Waits for graceful shutdown, then finishes the queued work and closes the database.
    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }

    /// Finishes the work already queued, closes every connection, and refuses new calls with UNAVAILABLE.
    public func close() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        writes.close()
        reads.close()
        commits.close()
        threads.wait()
        connections.withLock { $0.removeAll() }
        fileLock.withLock { $0 = nil }
    }

    // MARK: FilingStore

    /// Stores `filings` in one savepoint of the writer's next transaction. When the calling task is cancelled
    /// before that transaction starts to commit, nothing is written and this throws
    /// ``StoreError/Code/cancelled``.
    public func store(_ filings: [FilingToStore]) async throws(StoreError) -> [StoreOutcome] {
        // Encoding, compression and index values are computed on the worker pool; only SQLite work is queued.
        let records: [FilingRecord]
        do {
            records = try await workers.map(filings) { FilingRecord($0.filing, raw: $0.raw) }
        } catch {
            throw Self.cancelledError
        }
        let storedAt = Self.timestamp()
        return try await write { db throws(StoreError) in
            records.map { Self.insert($0, storedAt: storedAt, into: db) }
        }
    }

    public func storedIDs(sha256: [String]) async throws(StoreError) -> [String: String] {
        guard !sha256.isEmpty else { return [:] }
        return try await read { db throws(StoreError) in
            do {
                var found: [String: String] = [:]
                for digest in Set(sha256) where try Self.row(of: digest, in: db) != nil {
                    found[digest] = FilingRecord.id(forSHA256: digest)
                }
                return found
            } catch {
                throw StoreError(error as any Error, while: "looking filings up by SHA-256")
            }
        }
    }

    public func query(_ query: FilingQuery) async throws(StoreError) -> QueryResponse {
        try await read { db throws(StoreError) in try SQLiteQuery(query).run(on: db) }
    }

    public func get(id: String, includeRaw: Bool) async throws(StoreError) -> GetResponse? {
        try await read { db throws(StoreError) in
            let (condition, values) = Self.idCondition(for: id, alias: "f")
            let sql = """
                SELECT f.id, f.stored_at, f.filing_size, f.byte_length, b.filing\(includeRaw ? ", b.raw" : "")
                FROM filings f JOIN filing_blobs b ON b.row = f.row WHERE \(condition)
                """
            do {
                let statement = try db.statement(sql)
                try statement.bind(values)
                guard try statement.step() else { return nil }
                var response = GetResponse()
                response.id = statement.text(0)
                response.storedAt = statement.text(1)
                guard let encoded = Deflate.decompress(statement.blob(4), count: Int(statement.int(2))),
                    let filing = try? ParsedFiling(serializedBytes: encoded)
                else { throw StoreError(code: .corrupt, message: "filing \(response.id) cannot be read back") }
                response.filing = filing
                if includeRaw {
                    guard let raw = Deflate.decompress(statement.blob(5), count: Int(statement.int(3))) else {
                        throw StoreError(code: .corrupt, message: "the raw input of \(response.id) cannot be read back")
                    }
                    response.raw = raw
                }
                return response
            } catch {
                throw StoreError(error as any Error, while: "reading a filing")
            }
        }
    }

    public func delete(id: String) async throws(StoreError) -> Bool {
        try await write { db throws(StoreError) in
            do {
                guard let (row, date) = try Self.row(of: id, in: db) else { return false }
                let indexKeys = DateKey.keys(date: date, row: row)
                try db.run("DELETE FROM filing_keys WHERE row = ?", [.int(row)])
                try Self.deleteIndexes(row: row, keys: indexKeys, in: db)
                try db.run("DELETE FROM filings WHERE row = ?", [.int(row)])
                try db.run("DELETE FROM filing_blobs WHERE row = ?", [.int(row)])
                try db.run("UPDATE store_counters SET value = value - 1 WHERE name = 'documents'")
                return true
            } catch {
                throw StoreError(error, while: "deleting a filing")
            }
        }
    }

    public func stats() async throws(StoreError) -> StoreStats {
        let path = self.path
        var stats = try await read { db throws(StoreError) in
            var stats = StoreStats()
            do {
                stats.documents = UInt64(
                    try db.scalarInt("SELECT value FROM store_counters WHERE name = 'documents'") ?? 0
                )
                let kinds = try db.statement("SELECT kind, count(*) FROM filings GROUP BY kind ORDER BY 2 DESC, 1")
                while try kinds.step() {
                    let kind = Kind(rawValue: Int32(truncatingIfNeeded: kinds.int(0)))
                    stats.byKind.append(KeyCount(key: kind.protoName, count: UInt64(kinds.int(1))))
                }
                let forms = try db.statement(
                    "SELECT form_type, count(*) FROM filings GROUP BY form_type ORDER BY 2 DESC, 1"
                )
                while try forms.step() {
                    stats.byFormType.append(KeyCount(key: forms.text(0), count: UInt64(forms.int(1))))
                }
                stats.byParserVersion = try Self.countsByParserVersion(db)
            } catch {
                throw StoreError(error as any Error, while: "counting filings")
            }
            return stats
        }
        stats.backend = backend
        stats.bytesOnDisk = ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber) ?? nil
            return total + (size?.uint64Value ?? 0)
        }
        return stats
    }

    public func countsByParserVersion() async throws(StoreError) -> [KeyCount] {
        try await read { db throws(StoreError) in
            do {
                return try Self.countsByParserVersion(db)
            } catch {
                throw StoreError(error as any Error, while: "counting filings by parser version")
            }
        }
    }

    public func storedInputs(
        parserVersions: [String],
        afterID: String,
        limit: Int,
        maximumBytes: Int
    ) async throws(StoreError) -> [StoredInput] {
        guard !parserVersions.isEmpty, limit > 0 else { return [] }
        return try await read { db throws(StoreError) in
            do {
                let batch = try Self.reparseBatch(
                    parserVersions: parserVersions,
                    afterID: afterID,
                    limit: limit,
                    maximumBytes: maximumBytes,
                    in: db
                )
                let blobs = try db.statement("SELECT raw FROM filing_blobs WHERE row = ?")
                defer { blobs.reset() }
                var inputs: [StoredInput] = []
                for filing in batch {
                    blobs.reset()
                    try blobs.bind([.int(filing.row)])
                    guard try blobs.step(), let raw = Deflate.decompress(blobs.blob(0), count: filing.byteLength)
                    else {
                        throw StoreError(code: .corrupt, message: "the raw input of \(filing.id) cannot be read back")
                    }
                    inputs.append(StoredInput(id: filing.id, raw: raw))
                }
                return inputs
            } catch {
                throw StoreError(error as any Error, while: "reading stored inputs")
            }
        }
    }

    /// The filings of a ``storedInputs(parserVersions:afterID:limit:maximumBytes:)`` batch, in id order, with their
    /// rows and raw lengths; the raw lengths cut the batch before any blob is read.
    ///
    /// The ids after `afterID` are read in order and each filing's version is tested on its row: after a parser
    /// upgrade, when most filings are of the versions asked for, the batch is the first ids read. Schema 8 indexes
    /// versions without ids (a filing's entry goes at the end of its version's range, not at a random place), so
    /// where few filings are of those versions (the last of a run) the ids read stop at 16 times the batch, and the
    /// rest comes from the version index, sorted by id.
    private static func reparseBatch(
        parserVersions: [String],
        afterID: String,
        limit: Int,
        maximumBytes: Int,
        in db: SQLiteConnection
    ) throws(SQLiteError) -> [(row: Int64, id: String, byteLength: Int)] {
        var batch: [(row: Int64, id: String, byteLength: Int)] = []
        var bytes = 0
        /// Adds a filing to the batch; false once the batch is full.
        func take(_ statement: SQLiteStatement) -> Bool {
            let byteLength = Int(statement.int(2))
            batch.append((statement.int(0), statement.text(1), byteLength))
            bytes += byteLength
            return batch.count < limit && bytes < maximumBytes
        }
        let versions = Set(parserVersions)
        let idsToRead = limit * 16
        let inOrder = try db.statement(
            "SELECT row, id, byte_length, parser_version FROM filings WHERE id > ? ORDER BY id LIMIT ?"
        )
        defer { inOrder.reset() }
        try inOrder.bind([.text(afterID), .int(Int64(idsToRead))])
        var idsRead = 0
        var lastID = afterID
        while try inOrder.step() {
            idsRead += 1
            lastID = inOrder.text(1)
            if versions.contains(inOrder.text(3)), !take(inOrder) { return batch }
        }
        guard idsRead == idsToRead else { return batch }
        let marks = Array(repeating: "?", count: parserVersions.count).joined(separator: ", ")
        let byVersion = try db.statement(
            """
            SELECT row, id, byte_length FROM filings INDEXED BY filings_by_parser_version
            WHERE parser_version IN (\(marks)) AND id > ? ORDER BY id LIMIT ?
            """
        )
        defer { byVersion.reset() }
        try byVersion.bind(parserVersions.map { .text($0) } + [.text(lastID), .int(Int64(limit - batch.count))])
        while try byVersion.step(), take(byVersion) {}
        return batch
    }

    /// Replaces the facts in one savepoint of the writer's next transaction; see ``FilingStore/replaceFacts(_:)``.
    public func replaceFacts(_ filings: [ParsedFiling]) async throws(StoreError) -> Int {
        guard !filings.isEmpty else { return 0 }
        let records: [FilingRecord]
        do {
            records = try await workers.map(filings) { FilingRecord(facts: $0) }
        } catch {
            throw Self.cancelledError
        }
        return try await write { db throws(StoreError) in
            do {
                return try records.reduce(0) { count, record in try count + (Self.replace(record, in: db) ? 1 : 0) }
            } catch {
                throw StoreError(error as any Error, while: "replacing facts")
            }
        }
    }

    /// Checks the database file and the full-text index; returns the problems found, none when all is well.
    public func checkIntegrity() async throws(StoreError) -> [String] {
        try await write(readsIndexes: true) { db throws(StoreError) in
            do {
                var problems: [String] = []
                let check = try db.statement("PRAGMA integrity_check")
                while try check.step() {
                    if check.text(0) != "ok" { problems.append(check.text(0)) }
                }
                // The keys each index has entries under, and the filings that should have one: every filing in the
                // text index; in a name index (which keeps no list of its rows), those with a trigram of names.
                var indexes = [(table: "filings_fts", keys: "SELECT rowid AS key FROM filings_fts", filter: "1")]
                for table in ["company_names", "person_names"] {
                    try db.execute(
                        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.\(table)_instances USING fts5vocab(main, \(table), instance)"
                    )
                    indexes.append(
                        (table, "SELECT DISTINCT doc AS key FROM temp.\(table)_instances", "length(f.\(table)) >= 3")
                    )
                }
                for (table, keys, filter) in indexes {
                    do throws(SQLiteError) {
                        try db.execute("INSERT INTO \(table)(\(table)) VALUES ('integrity-check')")
                    } catch {
                        problems.append("\(table): \(error.message)")
                    }
                    // One entry per filing, keyed by its date, row and kinds as they are now.
                    let misplaced =
                        try db.scalarInt(
                            """
                            SELECT count(*) FROM (\(keys)) t LEFT JOIN filings f ON f.row = \(DateKey.rowSQL("t.key"))
                            WHERE f.row IS NULL OR t.key <> \(DateKey.sql(filings: "f")) OR NOT \(filter)
                            """
                        ) ?? 0
                    let entries = try db.scalarInt("SELECT count(*) FROM (\(keys))") ?? 0
                    let filings = try db.scalarInt("SELECT count(*) FROM filings f WHERE \(filter)") ?? 0
                    if misplaced > 0 || entries != filings {
                        problems.append(
                            "\(table): \(entries) entries for \(filings) filings, \(misplaced) not keyed as their filing"
                        )
                    }
                }
                return problems
            } catch {
                throw StoreError(error as any Error, while: "checking integrity")
            }
        }
    }

    // MARK: Threads

    /// Runs `body` in a read transaction on a reader thread. When the calling task is cancelled, a read still
    /// waiting for a reader never starts, and a read under way stops at SQLite's next check (SQLITE_INTERRUPT);
    /// either way this throws ``StoreError/Code/cancelled``.
    private func read<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let logger = self.logger
        let flag = CancellationFlag()
        let result: Result<T, StoreError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let queued = reads.push { db in
                    if flag.isCancelled {
                        continuation.resume(returning: .failure(Self.readCancelledError))
                        return
                    }
                    defer { db.resetStatements() }
                    do {
                        let value = try db.interrupting(when: flag) { () throws -> T in
                            try db.execute("BEGIN")
                            let value = try body(db)
                            db.resetStatements()
                            try db.execute("COMMIT")
                            return value
                        }
                        continuation.resume(returning: .success(value))
                    } catch {
                        db.resetStatements()
                        if db.inTransaction { try? db.execute("ROLLBACK") }
                        if flag.isCancelled {
                            continuation.resume(returning: .failure(Self.readCancelledError))
                            return
                        }
                        let failure = StoreError(error, while: "reading")
                        if let cause = failure.cause {
                            logger.error("read failed", metadata: ["error": "\(cause)", "store.failure": "\(failure)"])
                        }
                        continuation.resume(returning: .failure(failure))
                    }
                }
                if !queued { continuation.resume(returning: .failure(Self.closedError)) }
            }
        } onCancel: {
            flag.cancel()
        }
        return try result.get()
    }

    private func write<T: Sendable>(
        readsIndexes: Bool = false,
        _ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let flag = CancellationFlag()
        let result: Result<T, StoreError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let job = PendingWrite(body: body, flag: flag, readsIndexes: readsIndexes, continuation: continuation)
                if !writes.push(job) {
                    continuation.resume(returning: .failure(Self.closedError))
                }
            }
        } onCancel: {
            flag.cancel()
        }
        if case .failure(let failure) = result, let cause = failure.cause {
            logger.error("write failed", metadata: ["error": "\(cause)", "store.failure": "\(failure)"])
        }
        return try result.get()
    }

    private static let closedError = StoreError(code: .unavailable, message: "the store is shutting down")
    private static let readCancelledError = StoreError(
        code: .cancelled,
        message: "the call was cancelled; its read stopped"
    )
    private static let cancelledError = StoreError(
        code: .cancelled,
        message: "the call was cancelled before its write committed; nothing of it was written"
    )

    /// Commits waiting calls together: one transaction and one fsync for all of them.
    ///
    /// A call cancelled before the commit starts is left out: skipped when it has not been applied yet, and when
    /// it was cancelled while the transaction was being built, the transaction is rolled back and built again
    /// without it. Each call is sealed just before COMMIT; from then on cancelling it changes nothing.
    private static func writeLoop(
        _ db: SQLiteConnection,
        queue: JobQueue<any WriteJob>,
        commits: JobQueue<Void>,
        configuration: Configuration,
        logger: Logger
    ) {
        var commitsSinceRestart = 0
        var merge = IdleMerge(delay: configuration.idleMergeDelay)
        let limit = max(1, configuration.maximumCallsPerCommit)
        while var jobs = queue.pop(limit: limit, waitingAtMost: merge.timeout) {
            if jobs.isEmpty {  // no write for the merge delay
                merge.step(db, logger: logger) { db in
                    restartWAL(db, busyTimeout: configuration.busyTimeout)
                }
                continue
            }
            var failure: StoreError?
            while true {
                let (live, cancelled) = split(jobs) { !$0.flag.isCancelled }
                for job in cancelled { job.finish(cancelledError) }
                jobs = live
                guard !jobs.isEmpty else { break }
                do {
                    try db.execute("BEGIN IMMEDIATE")
                    for job in jobs {
                        if job.readsIndexes { try db.pendingIndexRows.write(to: db) }
                        job.apply(db)
                    }
                    try db.pendingIndexRows.write(to: db)
                    db.resetStatements()
                    if jobs.contains(where: { !$0.flag.seal() }) {
                        try db.execute("ROLLBACK")
                        continue  // build it again without the calls cancelled meanwhile
                    }
                    try db.execute("COMMIT")
                    _ = commits.push(())
                } catch {
                    logger.error("commit failed", metadata: ["error": "\(error)", "store.calls": "\(jobs.count)"])
                    failure = StoreError(error, while: "committing")
                    failure?.cause = nil  // logged just above, once for every call of the commit
                    db.pendingIndexRows.removeAll()
                    db.resetStatements()
                    if db.inTransaction { try? db.execute("ROLLBACK") }
                }
                break
            }
            for job in jobs { job.finish(failure) }
            merge.wrote()
            commitsSinceRestart += 1
            if commitsSinceRestart >= 64, restartWAL(db, busyTimeout: configuration.busyTimeout) {
                commitsSinceRestart = 0
            }
        }
        try? db.execute("PRAGMA optimize")
    }

    /// Copies into the database file what the writer has committed to the write-ahead log, every
    /// ``commitsPerCheckpoint`` commits and once the writer has been quiet for ``checkpointQuiet``, while the writer
    /// goes on with the next one.
    ///
    /// SQLite's automatic checkpoint runs in the connection that commits, after its COMMIT: the writer then spent
    /// more than half of its time writing and syncing the database file instead of committing the calls waiting
    /// for it. A passive checkpoint takes no lock that the writer needs; the writer still restarts the log from
    /// time to time (`restartWAL`), which is quick once this has copied it.
    private static func checkpointLoop(_ db: SQLiteConnection, commits: JobQueue<Void>) {
        var uncopied = 0
        while let popped = commits.pop(limit: 1 << 16, waitingAtMost: uncopied > 0 ? checkpointQuiet : nil) {
            uncopied += popped.count
            guard uncopied >= commitsPerCheckpoint || (popped.isEmpty && uncopied > 0) else { continue }
            uncopied = 0
            _ = try? db.scalarInt("PRAGMA wal_checkpoint(PASSIVE)")
            db.resetStatements()
        }
    }

    /// The commits a checkpoint copies at most, while the writer commits without a pause.
    ///
    /// A checkpoint copies each page the commits since the last one changed, once: the pages of indexes that every
    /// commit changes (B-tree interior pages, FTS5's structure record, counters) are copied once for several
    /// commits. Ingesting into a store of 100,000 filings (16 connections, one call each), the log held 212 pages a
    /// commit, of which a checkpoint every 10 commits would copy 146. With one after 8 instead of one after each,
    /// the server wrote 33% fewer bytes and called fdatasync 55% less often, and calls/s went from 649 to 684
    /// (medians of 7 alternating runs), while Store's p99 latency under that load rose from 50 to 64 ms. The writer
    /// restarts the log every 64 commits and copies what is left itself, so this stays well below that.
    static let commitsPerCheckpoint = 8

    /// How long after the writer's last commit the checkpointer copies the commits it has not copied yet.
    static let checkpointQuiet: Duration = .milliseconds(20)

    /// Copies the write-ahead log into the database and starts it over; true when that happened.
    ///
    /// The checkpointer's checkpoints are passive: while readers are always in a transaction, as under steady
    /// query load, the log is never restarted and grows without bound (seen: 713 MB of log for a 38 MB database
    /// after four minutes of mixed load, every read slowing down). A RESTART checkpoint waits, here for at most
    /// 100 ms, for the readers of old snapshots to finish; when they do not, it is tried again later.
    private static func restartWAL(_ db: SQLiteConnection, busyTimeout: Duration) -> Bool {
        let normal = max(0, Int(busyTimeout.components.seconds * 1000))
        try? db.execute("PRAGMA busy_timeout = 100")
        defer {
            // An unreset statement keeps a read snapshot open: the writer's next transaction would then start
            // from a stale snapshot and fail with SQLITE_BUSY.
            db.resetStatements()
            try? db.execute("PRAGMA busy_timeout = \(normal)")
        }
        return (try? db.scalarInt("PRAGMA wal_checkpoint(RESTART)")) == 0
    }

    private static func split(
        _ jobs: [any WriteJob],
        by keep: (any WriteJob) -> Bool
    ) -> ([any WriteJob], [any WriteJob]) {
        var kept: [any WriteJob] = []
        var dropped: [any WriteJob] = []
        for job in jobs {
            if keep(job) { kept.append(job) } else { dropped.append(job) }
        }
        return (kept, dropped)
    }

    /// Writes one filing, or finds the one with the same bytes; a failure touches nothing else in the commit.
    private static func insert(_ record: FilingRecord, storedAt: String, into db: SQLiteConnection) -> StoreOutcome {
        do {
            if try row(of: record.sha256, in: db) != nil {
                return StoreOutcome(id: record.id, created: false)
            }
            let mark = db.pendingIndexRows.mark
            try db.execute("SAVEPOINT filing")
            do {
                try db.run(
                    """
                    INSERT INTO filings (id, sha256, form_type, kind, title, issuer_name, symbol, cik, document_date,
                        stored_at, byte_length, parser_version, filing_size, company_names, person_names)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(record.id), .text(record.sha256), .text(record.formType),
                        .int(Int64(record.kind.rawValue)), .text(record.title), .text(record.issuerName),
                        .text(record.symbol), .text(record.cik), .text(record.documentDate), .text(storedAt),
                        .int(Int64(record.byteLength)), .text(record.parserVersion), .int(Int64(record.filingSize)),
                        .text(record.companyNamesText), .text(record.personNamesText),
                    ]
                )
                let row = db.lastInsertRowID
                guard row < DateKey.rowLimit else {
                    throw StoreError(
                        code: .storageFull,
                        message: "the store has used all \(DateKey.rowLimit - 1) rows its indexes can key; "
                            + "store new filings in a new store"
                    )
                }
                try db.run(
                    "INSERT INTO filing_blobs (row, filing, raw) VALUES (?, ?, ?)",
                    [.int(row), .blob(record.filingBlob), .blob(record.rawBlob)]
                )
                try insertIndexes(record, row: row, into: db, replacing: false)
                try db.run("UPDATE store_counters SET value = value + 1 WHERE name = 'documents'")
                try db.execute("RELEASE filing")
                return StoreOutcome(id: record.id, created: true)
            } catch {
                try? db.execute("ROLLBACK TO filing; RELEASE filing")
                db.pendingIndexRows.rollBack(to: mark)
                throw error
            }
        } catch {
            let failure =
                error.isUniqueViolation
                ? StoreError(
                    code: .storageFailure,
                    message: "another filing already has id \(record.id) (a SHA-256 prefix collision)"
                ) : StoreError(error, while: "storing a filing")
            return StoreOutcome(id: "", created: false, error: failure)
        }
    }

    /// The row and document date of the filing `id` names (its id, or its full SHA-256), if there is one.
    private static func row(of id: String, in db: SQLiteConnection) throws(SQLiteError) -> (Int64, String)? {
        let (condition, values) = idCondition(for: id, alias: "f")
        let found = try db.statement("SELECT f.row, f.document_date FROM filings f WHERE \(condition)")
        defer { found.reset() }
        try found.bind(values)
        return try found.step() ? (found.int(0), found.text(1)) : nil
    }

    private static func countsByParserVersion(_ db: SQLiteConnection) throws(SQLiteError) -> [KeyCount] {
        let versions = try db.statement(
            "SELECT parser_version, count(*) FROM filings GROUP BY parser_version ORDER BY 2 DESC, 1"
        )
        var counts: [KeyCount] = []
        while try versions.step() {
            counts.append(KeyCount(key: versions.text(0), count: UInt64(versions.int(1))))
        }
        return counts
    }

    /// Rewrites the facts, keys, full text and names of the filing with `record`'s SHA-256 in place (same row);
    /// false when there is none.
    private static func replace(_ record: FilingRecord, in db: SQLiteConnection) throws(SQLiteError) -> Bool {
        guard let (row, date) = try Self.row(of: record.sha256, in: db) else { return false }
        let oldIndexKeys = DateKey.keys(date: date, row: row)
        // Before the row and the blob change: the full-text index is given back its text from them.
        try deleteIndexes(row: row, keys: oldIndexKeys, in: db)
        try db.run(
            """
            UPDATE filings SET form_type = ?, kind = ?, title = ?, issuer_name = ?, symbol = ?, cik = ?,
                document_date = ?, parser_version = ?, filing_size = ?, company_names = ?, person_names = ?
            WHERE row = ?
            """,
            [
                .text(record.formType), .int(Int64(record.kind.rawValue)), .text(record.title),
                .text(record.issuerName), .text(record.symbol), .text(record.cik), .text(record.documentDate),
                .text(record.parserVersion), .int(Int64(record.filingSize)), .text(record.companyNamesText),
                .text(record.personNamesText), .int(row),
            ]
        )
        try db.run("UPDATE filing_blobs SET filing = ? WHERE row = ?", [.blob(record.filingBlob), .int(row)])
        try insertIndexes(record, row: row, into: db, replacing: true)
        return true
    }

    /// Takes the filing at `row` (whose index entries have keys in `keys`) out of the full-text and name indexes,
    /// and out of the rows this transaction has yet to write to them. Call it while the filing's row and blob are
    /// as they were when its text was indexed.
    ///
    /// The text and name indexes keep no copy of what they index (schemas 7 and 8), and FTS5 can only take a row out
    /// of such an index when it is given the row's text again: the text comes from the filing's blob
    /// (`filings_text`), the names from its row, as the filing's record built them. A filing whose entries are still
    /// among the pending rows has none in the indexes yet; the three entries of a filing are written together.
    private static func deleteIndexes(row: Int64, keys: ClosedRange<Int64>, in db: SQLiteConnection) throws(SQLiteError)
    {
        db.pendingIndexRows.cancel(keys: keys)
        let indexed = try db.statement("SELECT id FROM filings_fts_docsize WHERE id BETWEEN ? AND ?")
        try indexed.bind([.int(keys.lowerBound), .int(keys.upperBound)])
        let key: Int64? = try indexed.step() ? indexed.int(0) : nil
        indexed.reset()
        guard let key else { return }
        try db.run(
            """
            INSERT INTO filings_fts (filings_fts, rowid, title, body)
            SELECT 'delete', ?, filings_text(b.filing, f.filing_size, 0), filings_text(b.filing, f.filing_size, 1)
            FROM filings f JOIN filing_blobs b ON b.row = f.row WHERE f.row = ?
            """,
            [.int(key), .int(row)]
        )
        for table in ["company_names", "person_names"] {
            try db.run(
                "INSERT INTO \(table) (\(table), rowid, names) SELECT 'delete', ?, \(table) FROM filings WHERE row = ?",
                [.int(key), .int(row)]
            )
        }
    }

    /// Writes the keys, full text and names of the filing at `row`; when replacing, deletes its old keys first (its
    /// old text and names are gone already: ``deleteIndexes(row:keys:in:)``).
    private static func insertIndexes(
        _ record: FilingRecord,
        row: Int64,
        into db: SQLiteConnection,
        replacing: Bool
    ) throws(SQLiteError) {
        if replacing { try db.run("DELETE FROM filing_keys WHERE row = ?", [.int(row)]) }
        var kinds: Int64 = 0
        for key in record.keys {
            try db.run(
                "INSERT INTO filing_keys (field, value, document_date, row) VALUES (?, ?, ?, ?)",
                [.text(key.field), .text(key.value), .text(record.documentDate), .int(row)]
            )
            if key.field == "kind", let raw = Int32(key.value), let bit = DateKey.kindMask([Kind(rawValue: raw)]) {
                kinds |= bit
            }
        }
        let indexKey = DateKey.key(date: record.documentDate, row: row, kinds: kinds)
        let texts: [(table: String, columns: String, values: [SQLiteValue])] = [
            ("filings_fts", "title, body", [.text(record.searchTitle), .text(record.searchBody)]),
            ("company_names", "names", [.text(record.companyNamesText)]),
            ("person_names", "names", [.text(record.personNamesText)]),
        ]
        for text in texts {
            db.pendingIndexRows.add(table: text.table, columns: text.columns, key: indexKey, values: text.values)
        }
    }

    // MARK: Setup

    private static func configure(_ db: SQLiteConnection, configuration: Configuration) throws(SQLiteError) {
        let busy = max(0, Int(configuration.busyTimeout.components.seconds * 1000))
        try db.execute(
            """
            PRAGMA busy_timeout = \(busy);
            PRAGMA cache_size = -\(max(1024, configuration.cacheSize / 1024));
            PRAGMA foreign_keys = OFF;
            PRAGMA temp_store = MEMORY;
            """
        )
    }

    /// Switches to WAL with full sync and applies the migrations this database has not had.
    private static func migrate(_ db: SQLiteConnection, path: String, logger: Logger) throws(SQLiteError) {
        // A restarted log is cut back to 64 MiB on disk (restartWAL).
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 67108864;")
        try db.execute("BEGIN IMMEDIATE")
        do throws(SQLiteError) {
            let current = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
            // A statement left stepping would lock the tables a migration drops.
            db.resetStatements()
            if current > SQLiteSchema.version {
                throw SQLiteError(
                    code: 1,
                    message: "its schema version \(current) is newer than this server's \(SQLiteSchema.version); "
                        + "upgrade filings-server"
                )
            }
            for version in current..<SQLiteSchema.version {
                try db.execute(SQLiteSchema.migrations[version])
                try db.execute("PRAGMA user_version = \(version + 1)")
                logger.info(
                    "migrated the database",
                    metadata: ["store.path": "\(path)", "store.schema": "\(version + 1)"]
                )
            }
            try db.execute("COMMIT")
            if current < SQLiteSchema.version {
                // A migration that rewrote an index leaves a log as large as the index: written back, cut short.
                try? db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// Now, RFC 3339 with milliseconds, in UTC.
    private static func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }

    /// The condition on `filings` read as `alias` that finds a Get or Delete id, and the values it binds: a full
    /// SHA-256 is looked up by the id it starts with (schema 8 keeps no index of SHA-256s), else the id.
    private static func idCondition(for id: String, alias: String) -> (String, [SQLiteValue]) {
        let id = id.lowercased()
        if id.utf8.count == 64 {
            return ("\(alias).id = ? AND \(alias).sha256 = ?", [.text(FilingRecord.id(forSHA256: id)), .text(id)])
        }
        return ("\(alias).id = ?", [.text(id)])
    }
}

/// A Store or Delete call waiting for the writer thread.
protocol WriteJob: AnyObject, Sendable {
    /// Set when the caller gave up; sealed just before the commit.
    var flag: CancellationFlag { get }
    /// Whether the call reads the full-text and name indexes, which then need the rows held for them so far.
    var readsIndexes: Bool { get }
    /// Does the call's work inside the writer's open transaction, in a savepoint of its own.
    func apply(_ db: SQLiteConnection)
    /// Answers the caller once the transaction committed (nil) or failed.
    func finish(_ failure: StoreError?)
}

/// A ``WriteJob`` that answers an awaiting task with the body's value.
final class PendingWrite<Value: Sendable>: WriteJob, @unchecked Sendable {
    let flag: CancellationFlag
    let readsIndexes: Bool
    private let body: @Sendable (SQLiteConnection) throws(StoreError) -> Value
    private let continuation: CheckedContinuation<Result<Value, StoreError>, Never>
    /// Written by `apply` and read by `finish`, both on the writer thread.
    private var result: Result<Value, StoreError>?

    init(
        body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> Value,
        flag: CancellationFlag,
        readsIndexes: Bool,
        continuation: CheckedContinuation<Result<Value, StoreError>, Never>
    ) {
        self.body = body
        self.flag = flag
        self.readsIndexes = readsIndexes
        self.continuation = continuation
    }

    func apply(_ db: SQLiteConnection) {
        let mark = db.pendingIndexRows.mark
        do {
            try db.execute("SAVEPOINT call")
            do {
                result = .success(try body(db))
                try db.execute("RELEASE call")
            } catch {
                try? db.execute("ROLLBACK TO call; RELEASE call")
                db.pendingIndexRows.rollBack(to: mark)
                throw error
            }
        } catch {
            result = .failure(StoreError(error, while: "writing"))
        }
    }

    func finish(_ failure: StoreError?) {
        if let failure {
            continuation.resume(returning: .failure(failure))
        } else {
            continuation.resume(
                returning: result ?? .failure(StoreError(code: .storageFailure, message: "the write was not applied"))
            )
        }
    }
}

/// Moves a value that is used by one thread at a time into that thread.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension Error {
    fileprivate var isUniqueViolation: Bool { (self as? SQLiteError)?.isUniqueViolation ?? false }
}

extension StoreError {
    init(_ error: any Error, while action: String) {
        if let error = error as? SQLiteError {
            self.init(error, while: action)
        } else if let error = error as? StoreError {
            self = error
        } else {
            self.init(code: .storageFailure, message: "the database failed while \(action)")
        }
    }
}
