import CSQLite
import FilingsCore
import FilingsParser
import FilingsStore
import FilingsTestSupport
import Foundation
import Logging
import Testing

@testable import FilingsStoreSQLite

#if canImport(Glibc)
import Glibc
#endif

/// What only the SQLite store does: the file, its schema version, its integrity checks.
@Suite struct SQLiteFilingStoreTests {
    @Test func survivesCloseAndReopen() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let filings = SyntheticFiling.batch(count: 20, seed: 1)
        let ids: [String]
        do {
            let store = try temporary.open()
            ids = try await store.store(try filings.map { try parsed($0.bytes) }).map(\.id)
            store.close()
        }
        let reopened = try temporary.open()
        defer { reopened.close() }
        #expect(try await reopened.stats().documents == 20)
        for (filing, id) in zip(filings, ids) {
            #expect(try await reopened.get(id: id, includeRaw: true)?.raw == filing.bytes)
        }
        #expect(try await reopened.checkIntegrity() == [])
    }

    /// Ranked pages of a store opened again (whose size floors are read from the file, not from its writes) are
    /// still the one page of every hit cut into pieces.
    @Test func rankedPagesAreExactAfterReopening() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        do {
            let store = try temporary.open()
            _ = try await store.store(try RankedPagingTests.corpus(count: 150, seed: 31))
            store.close()
        }
        let store = try temporary.open()
        defer { store.close() }
        for text in RankedPagingTests.queries(seed: 32) {
            try await RankedPagingTests.expectPagesCutOneWholePage(text, in: store, pageSizes: [1, 3, 20])
        }
    }

    /// What the writer commits is copied from the write-ahead log into the database file soon after, while the writer
    /// goes on: by the checkpointer, long before the writer restarts the log (every 64 commits), and even when no
    /// other commit follows to make up the checkpointer's batch.
    @Test(arguments: [1, 8])
    func commitsReachTheDatabaseFileSoonAfter(commits: Int) async throws {
        try await TemporaryStore.with { store, temporary in
            let filings = try await parsedBatch(count: commits, seed: 71)
            for filing in filings { _ = try await store.store([filing]) }
            var log = try WALProgress(path: temporary.path)
            #expect(log.committed > 0, "\(commits) commits, and the log holds no frame")
            let deadline = ContinuousClock.now + .seconds(10)
            while log.copied < log.committed, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                log = try WALProgress(path: temporary.path)
            }
            #expect(log.copied == log.committed, "\(commits) commits; the log's frames copied: \(log)")
        }
    }

    /// How far the write-ahead log of the database at `path` is committed and copied into the database file, from
    /// its index in `PATH-shm` (the fields `mxFrame` of `WalIndexHdr` and `nBackfill` of `WalCkptInfo` in SQLite's
    /// wal.c, in the machine's byte order).
    private struct WALProgress: CustomStringConvertible {
        var committed: UInt32
        var copied: UInt32

        init(path: String) throws {
            let index = try #require(FileManager.default.contents(atPath: path + "-shm"))
            try #require(index.count >= 100)
            func field(at offset: Int) -> UInt32 {
                index.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
            }
            committed = field(at: 16)
            copied = field(at: 96)
        }

        var description: String { "\(copied) of \(committed)" }
    }

    /// One store per file: a second one, in this process or another, is refused while the first is open.
    @Test func aSecondStoreOnTheSameFileIsRefusedUntilTheFirstCloses() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let first = try temporary.open()
        let refusal = #expect(throws: StoreError.self) { try temporary.open() }
        #expect(refusal?.code == .cannotOpen)
        #expect(refusal?.message.contains("open in another store") == true, "\(refusal?.message ?? "")")
        first.close()
        let second = try temporary.open()
        second.close()
    }

    /// Another process, a server started on the same file, is refused while the store is open, and says why.
    @Test func aServerOnTheFileOfAnOpenStoreIsRefused() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = try temporary.open()
        defer { store.close() }
        let server = try ChildProcess(
            BuiltProducts.path("filings-server").path,
            ["--listen", "127.0.0.1:0", "--store", "sqlite:\(temporary.path)"],
            stderr: .pipe
        )
        // A server that was not refused would serve until stopped.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(30))
            server.signal(SIGKILL)
        }
        defer { watchdog.cancel() }
        let errors = try #require(server.standardError)
        let message = String(decoding: await offPool { ChildProcess.readAll(errors) }, as: UTF8.self)
        #expect(await offPool { server.wait() } == .exited(1))
        #expect(message.contains("open in another store"), "\(message)")
    }

    /// SQLite keeps no memory statistics in a process that opens stores: they take one process-wide mutex on every
    /// allocation of every connection. With them off, SQLite reports no memory in use.
    @Test func sqliteKeepsNoMemoryStatistics() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let db = try SQLiteConnection(path: temporary.path, readOnly: false, create: true)
        try db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(100000));")
        #expect(sqlite3_memory_used() == 0)
    }

    /// The lock is the store's, not its process's children's: a child started while the store is open, which
    /// shares the process's open files until it runs its own program, does not keep the file locked once the store
    /// closes.
    @Test func aChildOfTheProcessDoesNotKeepAClosedStoreLocked() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let first = try temporary.open()
        let lockFile = try #require(
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap(Int32.init).first {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)"))
                    == temporary.path + "-lock"
            }
        )
        let descriptors = Int32(min(sysconf(Int32(_SC_OPEN_MAX)), 1 << 16))
        // A child that never runs a program and keeps the lock file's descriptor for as long as it lives, where a
        // spawned child keeps it for a moment. It closes the others: the sockets of other tests' servers.
        let child = fork()
        if child == 0 {
            for descriptor in 3..<descriptors where descriptor != lockFile { close(descriptor) }
            while true { pause() }
        }
        try #require(child > 0)
        defer {
            kill(child, SIGKILL)
            waitpid(child, nil, 0)
        }
        first.close()
        let second = try temporary.open()
        second.close()
    }

    /// A filing stored and then deleted by calls that commit together leaves no rows in the text and name indexes,
    /// which are written as the commit ends.
    @Test func aFilingDeletedInTheCommitThatStoresItLeavesNoIndexRows() async throws {
        try await withBusyWriter { store, busy in
            let batch = try await parsedBatch(count: 6, seed: 62)
            let ids = try await store.store(batch).map(\.id)
            for id in ids { #expect(try await store.delete(id: id)) }
            for (filing, id) in zip(batch, ids) {
                async let first = store.checkIntegrity()
                try await Task.sleep(for: busy / 10)
                async let stored = store.store([filing])  // the same bytes: the same id
                try await Task.sleep(for: busy / 3)
                let deleted = try await store.delete(id: id)
                #expect(try await first == [])
                #expect(try await stored.first?.created == true)
                if !deleted { #expect(try await store.delete(id: id)) }  // the store was not queued in time
            }
            #expect(try await store.checkIntegrity() == [])
            #expect(try await store.stats().documents == 1000)
        }
    }

    /// An integrity check that commits with stores sees their filings' index rows, which are otherwise written as
    /// the commit ends.
    @Test func anIntegrityCheckCommittedWithStoresSeesTheirIndexRows() async throws {
        try await withBusyWriter { store, busy in
            for filing in try await parsedBatch(count: 6, seed: 64) {
                async let first = store.checkIntegrity()
                try await Task.sleep(for: busy / 10)
                async let stored = store.store([filing])
                try await Task.sleep(for: busy / 3)
                #expect(try await store.checkIntegrity() == [])
                #expect(try await first == [])
                #expect(try await stored.first?.created == true)
            }
        }
    }

    /// Runs `body` with a store of 1,000 filings and how long an integrity check of it keeps the writer busy: calls
    /// made while a check runs wait behind it, and commit together.
    private func withBusyWriter(_ body: (SQLiteFilingStore, Duration) async throws -> Void) async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = try temporary.open()
        defer { store.close() }
        _ = try await store.store(try await parsedBatch(count: 1000, seed: 61))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await store.checkIntegrity()
        try await body(store, clock.now - start)
    }

    @Test func refusesADatabaseFromANewerVersion() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try temporary.open().close()
        let bump = try ChildProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3; c = sqlite3.connect('\(temporary.path)'); c.execute('PRAGMA user_version = 99'); c.commit()",
            ]
        )
        #expect(bump.wait() == .exited(0))
        #expect(throws: StoreError.self) { try temporary.open() }
        do {
            _ = try temporary.open()
        } catch {
            let storeError = try #require(error as? StoreError)
            #expect(storeError.code == .cannotOpen)
            #expect(storeError.message.contains("newer than this server"))
        }
    }

    /// A database written by the first schema (before the parser-version index) is brought up to date on open, with
    /// its filings, which Reparse can then find.
    @Test func aDatabaseOfTheFirstSchemaIsMigrated() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let batch = try await parsedBatch(count: 3, seed: 41)
        let store = try temporary.open()
        _ = try await store.store(batch)
        store.close()
        try Self.downgrade(
            temporary.path,
            keyedBy: Self.rowOfKey,
            then: "DROP INDEX filings_by_parser_version; PRAGMA user_version = 1"
        )
        let migrated = try temporary.open()
        defer { migrated.close() }
        #expect(try await migrated.stats().documents == 3)
        let version = batch[0].filing.parserVersion
        #expect(try await migrated.countsByParserVersion() == [KeyCount(key: version, count: 3)])
        #expect(
            try await migrated.storedInputs(parserVersions: [version], afterID: "", limit: 10, maximumBytes: 1 << 30)
                .count == 3
        )
        #expect(try await migrated.checkIntegrity() == [])
        let schema = try ChildProcess.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import sqlite3; c = sqlite3.connect('\(temporary.path)')
                print(c.execute('PRAGMA user_version').fetchone()[0], c.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'filings_by_parser_version'").fetchone()[0])
                """,
            ]
        )
        #expect(String(decoding: schema.stdout, as: UTF8.self) == "8 1\n")
    }

    /// A database of the fourth schema gets its full-text index merged 8 segments at a time on open.
    @Test func aDatabaseOfTheFourthSchemaMergesItsTextIndexEightAtATime() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = try temporary.open()
        _ = try await store.store(try await parsedBatch(count: 5, seed: 45))
        store.close()
        let inspect = """
            import sqlite3; c = sqlite3.connect('\(temporary.path)')
            print(c.execute('PRAGMA user_version').fetchone()[0], c.execute(
                "SELECT v FROM filings_fts_config WHERE k = 'automerge'").fetchall())
            """
        let written = try ChildProcess.run("/usr/bin/env", ["python3", "-c", inspect])
        #expect(String(decoding: written.stdout, as: UTF8.self) == "8 [(8,)]\n")
        try Self.downgrade(
            temporary.path,
            keyedBy: "rowid",
            then: "DELETE FROM filings_fts_config WHERE k = 'automerge'; PRAGMA user_version = 4"
        )
        try temporary.open().close()
        let migrated = try ChildProcess.run("/usr/bin/env", ["python3", "-c", inspect])
        #expect(String(decoding: migrated.stdout, as: UTF8.self) == "8 [(8,)]\n")
    }

    /// A store that has had nothing to write for its idle merge delay merges its text and name indexes as far as
    /// FTS5's merge of two segments a level goes, and its hits stay the same, in the same order.
    @Test func anIdleStoreMergesItsIndexes() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        var configuration = SQLiteFilingStore.Configuration.defaults
        configuration.idleMergeDelay = nil
        let requests: [QueryRequest] = [
            .with { $0.text = "pleased OR agreement" },
            .with {
                $0.company = "inc"; $0.order = .dateAscending
            },
            .with { $0.person = "a" },
        ]
        var before: [[String]] = []
        do {
            let store = try temporary.open(configuration)
            // One commit each: a segment each in every index, which FTS5 merges only 8 at a time as they come.
            for filing in try await parsedBatch(count: 40, seed: 81) { _ = try await store.store([filing]) }
            for request in requests { before.append(try await store.allHits(request).map(\.id)) }
            store.close()
        }
        // Where merging ends: the same merges, run to their end on a copy.
        let copy = temporary.directory.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: temporary.path, toPath: copy)
        let segments = """
            import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None)
            print(*(c.execute(f'SELECT count(DISTINCT segid) FROM {t}_idx').fetchone()[0]
                for t in ('filings_fts', 'company_names', 'person_names')))
            """
        let mergeToTheEnd = """
            import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None)
            for t in ('filings_fts', 'company_names', 'person_names'):
                while True:
                    changes = c.total_changes
                    c.execute(f"INSERT INTO {t} ({t}, rank) VALUES ('merge', 100)")
                    if c.total_changes - changes < 2: break
            """
        func python(_ script: String, _ path: String) throws -> String {
            let run = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, path])
            try #require(run.termination == .exited(0), "\(String(decoding: run.stderr, as: UTF8.self))")
            return String(decoding: run.stdout, as: UTF8.self)
        }
        let unmerged = try python(segments, copy)
        _ = try python(mergeToTheEnd, copy)
        let merged = try python(segments, copy)
        let textSegments = { (counts: String) in Int(counts.split(separator: " ")[0]) ?? 0 }
        #expect(textSegments(merged) < textSegments(unmerged), "\(unmerged) → \(merged)")

        configuration.idleMergeDelay = .milliseconds(50)
        let store = try temporary.open(configuration)
        defer { store.close() }
        let deadline = ContinuousClock.now + .seconds(30)
        var now = try python(segments, temporary.path)
        while now != merged, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            now = try python(segments, temporary.path)
        }
        #expect(now == merged, "segments of the text, company and person indexes: \(unmerged) at first")
        for (request, ids) in zip(requests, before) {
            #expect(try await store.allHits(request).map(\.id) == ids)
        }
    }

    /// A database of the fifth schema gets indexes that merge two segments a level at a time when idle.
    @Test func aDatabaseOfTheFifthSchemaMergesTwoSegmentsAtATimeWhenIdle() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try temporary.open().close()
        let inspect = """
            import sqlite3; c = sqlite3.connect('\(temporary.path)')
            print(c.execute('PRAGMA user_version').fetchone()[0], *(c.execute(
                f"SELECT v FROM {t}_config WHERE k = 'usermerge'").fetchall()
                for t in ('filings_fts', 'company_names', 'person_names')))
            """
        let written = try ChildProcess.run("/usr/bin/env", ["python3", "-c", inspect])
        #expect(String(decoding: written.stdout, as: UTF8.self) == "8 [(2,)] [(2,)] [(2,)]\n")
        try Self.downgrade(
            temporary.path,
            keyedBy: "rowid",
            then: """
                INSERT INTO filings_fts (filings_fts, rank) VALUES ('automerge', 8);
                DELETE FROM company_names_config WHERE k = 'usermerge';
                DELETE FROM person_names_config WHERE k = 'usermerge';
                PRAGMA user_version = 5;
                """
        )
        try temporary.open().close()
        let migrated = try ChildProcess.run("/usr/bin/env", ["python3", "-c", inspect])
        #expect(String(decoding: migrated.stdout, as: UTF8.self) == "8 [(2,)] [(2,)] [(2,)]\n")
    }

    /// A database of the second schema (text and name indexes keyed by row), the third (keyed by date and row), the
    /// sixth (a text index with a copy of its text) or the seventh (name indexes with a copy of the names) gets them
    /// keyed by date, row and kinds, indexes without the copies and names in the filing's row, on open: the same hits
    /// in the same order, the same snippets, and new filings, deletes and reparses keep them right.
    @Test(arguments: [2, 3, 6, 7])
    func aDatabaseOfAnEarlierSchemaIsMigrated(version: Int) async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = try temporary.open()
        let batch = try await parsedBatch(count: 40, seed: 43)
        let stored = try await store.store(batch)
        let requests: [QueryRequest] = [
            .with { $0.company = "inc" },
            .with { $0.text = "pleased" },
            .with {
                $0.text = "dividend OR merger"; $0.order = .dateDescending; $0.kinds = [.pressRelease]
            },
            .with {
                $0.person = "a"; $0.order = .dateAscending
            },
            .with {
                $0.company = "corp"; $0.dateFrom = "2004-01-01"; $0.kinds = [.pressRelease]
            },
            .with {
                $0.company = "co"; $0.kinds = [.pressRelease]
            },
        ]
        var before: [[String]] = []
        for request in requests { before.append(try await store.allHits(request).map(\.id)) }
        let snippets = try await store.query(FilingQuery(.with { $0.text = "pleased OR agreement" })).hits
            .map(\.snippet)
        store.close()
        let key =
            switch version {
            case 2: Self.rowOfKey
            case 3: "((rowid >> 36) << 36) | \(Self.rowOfKey)"
            default: "rowid"
            }
        try Self.downgrade(
            temporary.path,
            keyedBy: key,
            keepingTheTextIndex: version == 7,
            then: "PRAGMA user_version = \(version)"
        )
        let migrated = try temporary.open()
        defer { migrated.close() }
        for (request, ids) in zip(requests, before) {
            #expect(try await migrated.allHits(request).map(\.id) == ids)
        }
        let ranked = try await migrated.query(FilingQuery(.with { $0.text = "pleased OR agreement" }))
        #expect(!snippets.isEmpty && ranked.hits.map(\.snippet) == snippets)
        #expect(try await migrated.delete(id: stored[0].id))
        _ = try await migrated.store(try await parsedBatch(count: 5, seed: 44))
        #expect(try await migrated.replaceFacts([batch[1].filing]) == 1)
        #expect(try await migrated.checkIntegrity() == [])
        let all = try await migrated.allHits(.with { $0.company = "e" }, pageSize: 1000)
        #expect(!all.contains { $0.id == stored[0].id }, "a deleted filing leaves the name index")
        #expect(all.filter { $0.id == stored[1].id }.count == 1, "a replaced filing is in the name index once")
        #expect(all.count == Set(all.map(\.id)).count, "no filing twice")
        #expect(all.map(\.documentDate) == all.map(\.documentDate).sorted(by: >))
    }

    /// Schema 8 rebuilds the table of filings: each filing keeps its row, and a filing stored after the migration gets
    /// a row above every row used before it, a deleted filing's included (index keys and page tokens name rows).
    @Test func theRebuiltTableOfFilingsKeepsItsRowsAndTheirHighWaterMark() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = try temporary.open()
        let stored = try await store.store(try await parsedBatch(count: 6, seed: 51))
        #expect(try await store.delete(id: stored[5].id))
        store.close()
        let rows = { () throws -> [String] in
            let db = try SQLiteConnection(path: temporary.path, readOnly: true, create: false)
            let rows = try db.scalarText("SELECT group_concat(id || ':' || row, ' ') FROM filings ORDER BY row") ?? ""
            let used = try db.scalarInt("SELECT seq FROM sqlite_sequence WHERE name = 'filings'") ?? 0
            return [rows, String(used)]
        }
        let before = try rows()
        #expect(before[1] == "6")
        try Self.downgrade(
            temporary.path,
            keyedBy: "rowid",
            keepingTheTextIndex: true,
            then: "CREATE UNIQUE INDEX filings_by_sha256 ON filings(sha256); PRAGMA user_version = 7"
        )
        let migrated = try temporary.open()
        #expect(try rows() == before)
        _ = try await migrated.store(try await parsedBatch(count: 1, seed: 52))
        migrated.close()
        #expect(try rows()[1] == "7")
    }

    /// A query the database cannot run answers INTERNAL with a message that names no SQL, and the server's log
    /// gets SQLite's own words (else a broken index is invisible to the operator).
    @Test func aDatabaseFailureIsLoggedWithSQLitesMessage() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let record = LogLines()
        let logger = Logger(label: "test") { _ in RecordedLogs(record: record) }
        let store = try SQLiteFilingStore(path: temporary.path, logger: logger)
        defer { store.close() }
        _ = try await store.store(try await parsedBatch(count: 3, seed: 45))
        let drop = try ChildProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3; c = sqlite3.connect('\(temporary.path)'); c.execute('DROP TABLE filing_keys'); c.commit()",
            ]
        )
        #expect(drop.wait() == .exited(0))
        let error = await #expect(throws: StoreError.self) {
            try await store.query(FilingQuery(.with { $0.kinds = [.pressRelease] }))
        }
        #expect(error?.code == .storageFailure)
        #expect(error?.message == "the database failed while running a query")
        #expect(error?.rpcError.message.contains("filing_keys") == false)
        let logged = record.lines.withLock { $0 }
        #expect(logged.contains { $0.contains("read failed") && $0.contains("no such table: filing_keys") })
    }

    /// The filing's row in today's key (`DateKey`: YYYYMMDD << 36 | row << 8 | kinds), in SQL.
    private static let rowOfKey = "((rowid >> 8) & 268435455)"

    /// Rebuilds the text and name indexes of the database at `path` as the schemas before 7 kept them (each index
    /// with a copy of its text, the names not in the filing's row), with `key` (an SQL expression over `rowid`,
    /// today's key) as each entry's rowid: what an older schema's keys were; with `keepingTheTextIndex`, the name
    /// indexes only (schema 7). Then runs `sql`, and commits.
    private static func downgrade(
        _ path: String,
        keyedBy key: String,
        keepingTheTextIndex: Bool = false,
        then sql: String
    ) throws {
        let db = try SQLiteConnection(path: path, readOnly: false, create: false)
        let filings = """
            FROM filings_fts_docsize d JOIN filings f ON f.row = (d.id >> 8) & 268435455
                JOIN filing_blobs b ON b.row = f.row
            """
        let texts = """
            SELECT d.id AS rowid, filings_text(b.filing, f.filing_size, 0) AS title,
                filings_text(b.filing, f.filing_size, 1) AS body \(filings)
            """
        try db.execute("BEGIN IMMEDIATE")
        for (table, columns, tokenizer, rows) in [
            // The text index last: the others read today's keys from it.
            ("company_names", "names", "trigram", "SELECT d.id AS rowid, f.company_names AS names \(filings)"),
            ("person_names", "names", "trigram", "SELECT d.id AS rowid, f.person_names AS names \(filings)"),
            ("filings_fts", "title, body", "unicode61 remove_diacritics 2", texts),
        ] where table != "filings_fts" || !keepingTheTextIndex {
            try db.execute(
                """
                CREATE VIRTUAL TABLE old USING fts5(\(columns), tokenize = '\(tokenizer)');
                INSERT INTO old (rowid, \(columns)) SELECT \(key), \(columns) FROM (\(rows));
                DROP TABLE \(table);
                ALTER TABLE old RENAME TO \(table);
                """
            )
        }
        try db.execute("ALTER TABLE filings DROP COLUMN company_names; ALTER TABLE filings DROP COLUMN person_names")
        try db.execute(sql)
        try db.execute("COMMIT")
    }

    /// The text and name indexes keep no copy of what they index, so deleting or replacing a filing gives FTS5 the
    /// text back from the filing's blob and the names from its row: when that is exactly what was indexed, the
    /// indexes stay whole, and deleting every filing leaves no term in them.
    @Test func deletingEveryFilingLeavesNoTermInTheIndexes() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = try temporary.open()
        var filings = try await parsedBatch(count: 30, seed: 48)
        let corpus = devCorpusFilings()
        if corpus.isEmpty { print("no ../shared/corpus/dev beside the repository: synthetic filings only") }
        filings += corpus
        let ids = try await store.store(filings).map(\.id)
        // Reparsed facts with other names: the old names leave the name indexes, the new ones enter.
        let reparsed = filings.prefix(10).map { stored in
            var facts = stored.filing
            facts.documents[0].people.append(Person(name: "Zebulon Quixote"))
            facts.documents[0].issuer = Security(name: "Quixotic Holdings", symbol: "QXH")
            return facts
        }
        #expect(try await store.replaceFacts(reparsed) == 10)
        #expect(try await store.checkIntegrity() == [])
        #expect(try await store.allHits(.with { $0.person = "zebulon" }, pageSize: 100).count == 10)
        #expect(try await store.allHits(.with { $0.company = "quixotic" }, pageSize: 100).count == 10)
        let db = try SQLiteConnection(path: temporary.path, readOnly: false, create: false)
        for table in ["filings_fts", "company_names", "person_names"] {
            try db.execute("CREATE VIRTUAL TABLE temp.\(table)_terms USING fts5vocab(main, \(table), 'row')")
        }
        let terms =
            "SELECT (SELECT count(*) FROM temp.filings_fts_terms WHERE doc <> 0), "
            + "(SELECT count(*) FROM temp.company_names_terms WHERE doc <> 0), "
            + "(SELECT count(*) FROM temp.person_names_terms WHERE doc <> 0)"
        let counts = { () throws -> [Int64] in
            let statement = try db.statement(terms)
            defer { statement.reset() }
            _ = try statement.step()
            return (0..<3).map { statement.int(Int32($0)) }
        }
        #expect(try counts().allSatisfy { $0 > 0 })
        for id in Set(ids) { #expect(try await store.delete(id: id)) }
        #expect(try await store.checkIntegrity() == [])
        store.close()
        #expect(try counts() == [0, 0, 0])
        #expect(try db.scalarInt("SELECT count(*) FROM filings_fts") == 0)
    }

    /// close() returns once every connection is closed: the last has written the log back into the database file
    /// and removed it, so the file can be copied or opened at once.
    @Test func closeReturnsOnceTheLogIsWrittenBackAndRemoved() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let batch = try await parsedBatch(count: 3, seed: 50)
        for _ in 0..<5 {
            let store = try temporary.open()
            _ = try await store.store(batch)
            store.close()
            #expect(!FileManager.default.fileExists(atPath: temporary.path + "-wal"))
        }
    }

    @Test func integrityHoldsAfterStoresAndDeletes() async throws {
        try await TemporaryStore.with { store, _ in
            let ids = try await store.store(try await parsedBatch(count: 20, seed: 2)).map(\.id)
            for id in ids.prefix(7) { #expect(try await store.delete(id: id)) }
            #expect(try await store.checkIntegrity() == [])
        }
    }
}

/// The lines a ``RecordedLogs`` handler was given (message and metadata), for tests that read the log.
private final class LogLines: Sendable {
    let lines = Lock<[String]>([])
}

/// A log handler that keeps every line in its ``LogLines``.
private struct RecordedLogs: LogHandler {
    let record: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        record.lines.withLock { $0.append("\(event.message) \(merged)") }
    }
}
