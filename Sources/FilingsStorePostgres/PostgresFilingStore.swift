public import FilingsCore
public import FilingsStore
import Foundation
public import Logging
import NIOCore
import PostgresNIO
public import ServiceLifecycle

/// A ``FilingStore`` in a PostgreSQL database, shared by any number of stateless server replicas.
///
/// A Store call is acknowledged only after its transaction committed with `synchronous_commit=on`. Filings are
/// unique by SHA-256 through a unique constraint (`INSERT … ON CONFLICT DO NOTHING`), so two replicas storing the
/// same bytes at the same moment make one filing. Page tokens carry the first page's snapshot, not any state of
/// this process: a token from one replica pages exactly on every other.
///
/// ```swift
/// let address = try PostgresAddress(parsing: "postgres://filings@localhost/filings")
/// let store = PostgresFilingStore(address: address, logger: logger)
/// // Run it in a ServiceGroup: `run()` connects, migrates the schema, and watches the database.
/// ```
public final class PostgresFilingStore: FilingStore, Service {
    /// Tuning of the PostgreSQL store.
    public struct Configuration: Sendable {
        /// The most connections this process opens to the database.
        public var maximumConnections: Int
        /// How long a call waits for a connection while the pool hands none out and none is at work (the database
        /// cannot be reached) before failing with UNAVAILABLE; four times that while every connection is at work
        /// and none comes free (they are stuck). While connections are handed out, a call waits its turn until its
        /// deadline.
        public var connectionWaitTimeout: Duration
        /// How often the database is probed for Health while it answers; it is probed every second while not.
        public var probeInterval: Duration

        /// Creates a configuration; the defaults are 16 connections, a 5 s wait, a probe every 5 s.
        public init(
            maximumConnections: Int = 16,
            connectionWaitTimeout: Duration = .seconds(5),
            probeInterval: Duration = .seconds(5)
        ) {
            self.maximumConnections = maximumConnections
            self.connectionWaitTimeout = connectionWaitTimeout
            self.probeInterval = probeInterval
        }

        /// 16 connections, a 5 s wait while none is handed out, a probe every 5 s.
        public static var defaults: Configuration { Configuration() }
    }

    public let backend = "postgres"
    /// The database, as given (its description hides the password).
    public let address: PostgresAddress

    private let configuration: Configuration
    private let client: PostgresClient
    /// How a read's cancels connect (``StatementCancellation``): as the pool's connections do.
    private let cancelConfiguration: PostgresConnection.Configuration
    /// The backend process of each pooled connection, by the connection's id, read once per connection.
    private let backends = Lock<[PostgresConnection.ID: Int32]>([:])
    private let workers: WorkerPool
    private let logger: Logger
    /// Set once the schema is current and while the database answers.
    private let state = Lock(State())
    /// When the pool last handed a connection to a call, and how many calls hold one now: a wait for a connection
    /// fails only when the pool has stopped handing them out (see ``withConnection(_:)``).
    private let leases = Lock(Leases())

    private struct Leases {
        var last = ContinuousClock.now
        var inUse = 0
    }

    private struct State {
        var migrated = false
        var reachable = false
    }

    /// Creates a store for the database at `address`; nothing connects until ``run()``.
    ///
    /// Filings are encoded, compressed and tokenized on `workers` before they reach the database.
    public init(
        address: PostgresAddress,
        configuration: Configuration = .defaults,
        workers: WorkerPool = .shared,
        logger: Logger
    ) {
        self.address = address
        self.configuration = configuration
        self.workers = workers
        self.logger = logger
        var clientConfiguration = PostgresClient.Configuration(
            host: address.host,
            port: address.port,
            username: address.user,
            password: address.password,
            database: address.database,
            tls: .disable
        )
        clientConfiguration.options.maximumConnections = max(1, configuration.maximumConnections)
        clientConfiguration.options.connectTimeout = .seconds(5)
        clientConfiguration.options.additionalStartupParameters = [
            ("synchronous_commit", "on"),
            ("application_name", "filings-server"),
        ]
        client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        var cancelConfiguration = PostgresConnection.Configuration(
            host: address.host,
            port: address.port,
            username: address.user,
            password: address.password,
            database: address.database,
            tls: .disable
        )
        cancelConfiguration.options.connectTimeout = .seconds(5)
        cancelConfiguration.options.additionalStartupParameters = [("application_name", "filings-server-cancel")]
        self.cancelConfiguration = cancelConfiguration
    }

    /// Connects, brings the schema up to date (once across replicas), and watches the database until graceful
    /// shutdown; then closes every connection.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/cannotOpen`` when the database was written by a newer
    ///   version of filings or its schema cannot be applied.
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.client.run() }
                defer { group.cancelAll() }
                try await self.prepare()
                await self.watch()
            }
        }
    }

    /// Whether the schema is current and the database answered its last probe or call.
    public var isAvailable: Bool {
        state.withLock { $0.migrated && $0.reachable }
    }

    /// Migrates the schema, retrying while the database cannot be reached.
    private func prepare() async throws {
        var attempt = 0
        while true {
            do {
                try await migrate()
                state.withLock {
                    $0.migrated = true
                    $0.reachable = true
                }
                return
            } catch let error as StoreError where error.code == .cannotOpen {
                logger.critical("cannot use the database", metadata: ["error": "\(error.message)"])
                throw error
            } catch {
                attempt += 1
                if attempt == 1 || attempt % 10 == 0 {
                    logger.warning(
                        "the database is not reachable; retrying",
                        metadata: ["store.address": "\(address)", "error": "\(Self.describe(error))"]
                    )
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Probes the database, so that Health says NOT_SERVING while it cannot be reached.
    private func watch() async {
        while !Task.isCancelled {
            let reachable: Bool
            do {
                try await withConnection { connection in
                    try await connection.query("SELECT 1", logger: self.logger)
                    return ()
                }
                reachable = true
            } catch {
                if Task.isCancelled { return }
                reachable = false
            }
            let changed = state.withLock { state in
                defer { state.reachable = reachable }
                return state.reachable != reachable
            }
            if changed {
                if reachable {
                    logger.notice("the database is reachable again", metadata: ["store.address": "\(address)"])
                } else {
                    logger.error("the database is not reachable", metadata: ["store.address": "\(address)"])
                }
            }
            try? await Task.sleep(for: reachable ? configuration.probeInterval : .seconds(1))
        }
    }

    private func migrate() async throws {
        try await withConnection { connection in
            try await connection.query(
                "SELECT pg_advisory_lock(\(PostgresSchema.migrationLock))",
                logger: self.logger
            )
            do {
                try await self.applyMigrations(on: connection)
                try await connection.query(
                    "SELECT pg_advisory_unlock(\(PostgresSchema.migrationLock))",
                    logger: self.logger
                )
            } catch {
                _ = try? await connection.query(
                    "SELECT pg_advisory_unlock(\(PostgresSchema.migrationLock))",
                    logger: self.logger
                )
                throw error
            }
        }
    }

    private func applyMigrations(on connection: PostgresConnection) async throws {
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS filings_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)",
            logger: logger
        )
        var current = 0
        for try await version in try await connection.query(
            "SELECT coalesce(max(version), 0) FROM filings_schema",
            logger: logger
        ).decode(Int.self) {
            current = version
        }
        guard current <= PostgresSchema.version else {
            throw StoreError(
                code: .cannotOpen,
                message:
                    "the database \(address.database) has schema version \(current), newer than this server's "
                    + "\(PostgresSchema.version); run a newer filings-server"
            )
        }
        for version in (current + 1)...max(current + 1, PostgresSchema.version) where version <= PostgresSchema.version
        {
            let migration = PostgresSchema.migrations[version - 1]
            do {
                try await connection.withTransaction(logger: logger) { connection in
                    // The extended protocol runs one statement at a time.
                    for statement in Self.statements(of: migration) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                    }
                    try await connection.query(
                        "INSERT INTO filings_schema (version, applied_at) VALUES (\(version), now())",
                        logger: self.logger
                    )
                }
            } catch let error as PSQLError where error.code == .server {
                throw StoreError(
                    code: .cannotOpen,
                    message: "cannot apply schema migration \(version): \(Self.describe(error))"
                )
            }
            logger.notice("applied a schema migration", metadata: ["store.schema_version": "\(version)"])
        }
    }

    /// The statements of a migration script: split at semicolons that end a line, comments dropped.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("--") { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                statements.append(String(current.dropLast(2)))
                current = ""
            }
        }
        if !current.allSatisfy(\.isWhitespace) { statements.append(current) }
        return statements
    }

    // MARK: FilingStore

    /// Stores `filings` in one transaction. When the calling task is cancelled before that transaction starts to
    /// commit, it is rolled back, nothing is written, and this throws ``StoreError/Code/cancelled``.
    public func store(_ filings: [FilingToStore]) async throws(StoreError) -> [StoreOutcome] {
        let rows: [Row]
        do {
            rows = try await workers.map(filings) { Row(FilingRecord($0.filing, raw: $0.raw)) }
        } catch {
            throw Self.cancelledError
        }
        let storedAt = Self.timestamp()
        // The same order in every call, so that two calls that store the same filings wait instead of deadlocking.
        let order = rows.indices.sorted { (rows[$0].record.sha256, $0) < (rows[$1].record.sha256, $1) }
        return try await write(while: "storing filings") { connection in
            var outcomes = [StoreOutcome?](repeating: nil, count: rows.count)
            for index in order {
                outcomes[index] = try await Self.insert(rows[index], storedAt: storedAt, on: connection)
            }
            return outcomes.map { $0! }
        }
    }

    public func query(_ query: FilingQuery) async throws(StoreError) -> QueryResponse {
        if let token = query.pageToken, !PostgresFilingQuery.isSnapshot(token.snapshot) {
            throw StoreError(
                code: .invalidPageToken,
                message: "page_token was not issued by a PostgreSQL store; start again without one"
            )
        }
        let plan = PostgresFilingQuery(query: query)
        let statements = plan.statements(snapshot: query.pageToken?.snapshot)
        return try await read(while: "running a query") { connection in
            var response = QueryResponse()
            var snapshot = query.pageToken?.snapshot ?? ""
            if let statement = statements.snapshot {
                for try await text in try await connection.query(statement, logger: self.logger).decode(String.self) {
                    snapshot = text
                }
            }
            for try await count in try await connection.query(statements.count, logger: self.logger).decode(Int64.self)
            {
                response.totalCount = UInt64(max(0, count))
            }
            if let limit = query.countLimit, response.totalCount > limit {
                response.totalCount = UInt64(limit)
                response.totalCountIsLowerBound = true
            }
            guard response.totalCount > 0 else { return response }
            var rows: [(row: Int64, hit: QueryHit)] = []
            for try await (row, id, sha256, formType, kind, title, issuer, symbol, cik, date, score)
                in try await connection
                .query(statements.page, logger: self.logger)
                .decode((Int64, String, String, String, Int32, String, String, String, String, String, Double).self)
            {
                var hit = QueryHit()
                hit.id = id
                hit.sha256 = sha256
                hit.formType = formType
                hit.kind = Kind(rawValue: kind)
                hit.title = title
                hit.issuerName = issuer
                hit.symbol = symbol
                hit.cik = cik
                hit.documentDate = date
                hit.score = score
                rows.append((row, hit))
            }
            let hasMore = rows.count > query.limit
            if hasMore { rows.removeLast() }
            if let statement = plan.snippets(rows: rows.map(\.row)) {
                var snippets: [Int64: String] = [:]
                for try await (row, snippet) in try await connection.query(statement, logger: self.logger)
                    .decode((Int64, String).self)
                {
                    snippets[row] = Self.oneLine(snippet)
                }
                for index in rows.indices { rows[index].hit.snippet = snippets[rows[index].row] ?? "" }
            }
            response.hits = rows.map(\.hit)
            if hasMore, let last = rows.last {
                response.nextPageToken =
                    PageToken(
                        fingerprint: query.fingerprint,
                        order: query.order,
                        watermark: 0,
                        lastRow: last.row,
                        lastDate: last.hit.documentDate,
                        lastScore: last.hit.score,
                        snapshot: snapshot
                    ).encoded
            }
            return response
        }
    }

    public func storedIDs(sha256: [String]) async throws(StoreError) -> [String: String] {
        guard !sha256.isEmpty else { return [:] }
        let sql = PostgresQuery(
            unsafeSQL: "SELECT sha256, id FROM filings WHERE sha256 = ANY($1)",
            binds: {
                var binds = PostgresBindings()
                binds.append(Array(Set(sha256)))
                return binds
            }()
        )
        return try await read(while: "looking filings up by SHA-256") { connection in
            var found: [String: String] = [:]
            for try await (digest, id) in try await connection.query(sql, logger: self.logger).decode(
                (String, String).self
            ) {
                found[digest] = id
            }
            return found
        }
    }

    public func get(id: String, includeRaw: Bool) async throws(StoreError) -> GetResponse? {
        let column = Self.idColumn(for: id)
        let raw = includeRaw ? "b.raw" : "''::bytea"
        let sql = PostgresQuery(
            unsafeSQL: """
                SELECT f.id, f.stored_at, f.filing_size, f.byte_length, b.filing, \(raw)
                FROM filings f JOIN filing_blobs b ON b.row = f.row WHERE f.\(column) = $1
                """,
            binds: {
                var binds = PostgresBindings()
                binds.append(id.lowercased())
                return binds
            }()
        )
        let found = try await read(while: "reading a filing") { connection in
            var found: (String, String, Int64, Int64, [UInt8], [UInt8])?
            for try await (id, storedAt, filingSize, byteLength, filing, raw)
                in try await connection
                .query(sql, logger: self.logger)
                .decode((String, String, Int64, Int64, ByteBuffer, ByteBuffer).self)
            {
                found = (
                    id, storedAt, filingSize, byteLength, Array(filing.readableBytesView), Array(raw.readableBytesView)
                )
            }
            return found
        }
        guard let (foundID, storedAt, filingSize, byteLength, filingBlob, rawBlob) = found else { return nil }
        var response = GetResponse()
        response.id = foundID
        response.storedAt = storedAt
        guard let encoded = Deflate.decompress(filingBlob, count: Int(filingSize)),
            let filing = try? ParsedFiling(serializedBytes: encoded)
        else { throw StoreError(code: .corrupt, message: "filing \(foundID) cannot be read back") }
        response.filing = filing
        if includeRaw {
            guard let raw = Deflate.decompress(rawBlob, count: Int(byteLength)) else {
                throw StoreError(code: .corrupt, message: "the raw input of \(foundID) cannot be read back")
            }
            response.raw = raw
        }
        return response
    }

    public func delete(id: String) async throws(StoreError) -> Bool {
        let column = Self.idColumn(for: id)
        var binds = PostgresBindings()
        binds.append(id.lowercased())
        let sql = PostgresQuery(unsafeSQL: "DELETE FROM filings WHERE \(column) = $1 RETURNING row", binds: binds)
        return try await write(while: "deleting a filing") { connection in
            var deleted = false
            for try await _ in try await connection.query(sql, logger: self.logger).decode(Int64.self) {
                deleted = true
            }
            return deleted
        }
    }

    public func stats() async throws(StoreError) -> StoreStats {
        var stats = try await read(while: "counting filings") { connection in
            var stats = StoreStats()
            for try await (documents, size) in try await connection.query(
                "SELECT count(*), pg_database_size(current_database()) FROM filings",
                logger: self.logger
            ).decode((Int64, Int64).self) {
                stats.documents = UInt64(documents)
                stats.bytesOnDisk = UInt64(max(0, size))
            }
            for try await (kind, count) in try await connection.query(
                "SELECT kind, count(*) FROM filings GROUP BY kind ORDER BY 2 DESC, 1",
                logger: self.logger
            ).decode((Int32, Int64).self) {
                stats.byKind.append(KeyCount(key: Kind(rawValue: kind).protoName, count: UInt64(count)))
            }
            for try await (form, count) in try await connection.query(
                "SELECT form_type, count(*) FROM filings GROUP BY form_type ORDER BY 2 DESC, 1",
                logger: self.logger
            ).decode((String, Int64).self) {
                stats.byFormType.append(KeyCount(key: form, count: UInt64(count)))
            }
            stats.byParserVersion = try await Self.countsByParserVersion(on: connection)
            return stats
        }
        stats.backend = backend
        return stats
    }

    public func countsByParserVersion() async throws(StoreError) -> [KeyCount] {
        try await read(while: "counting filings by parser version") { connection in
            try await Self.countsByParserVersion(on: connection)
        }
    }

    public func storedInputs(
        parserVersions: [String],
        afterID: String,
        limit: Int,
        maximumBytes: Int
    ) async throws(StoreError) -> [StoredInput] {
        guard !parserVersions.isEmpty, limit > 0 else { return [] }
        var sql = SQLBuilder()
        // The running total of the raw lengths cuts the batch before any blob is read.
        let text = """
            SELECT p.id, p.byte_length, b.raw FROM (
                SELECT f.row, f.id, f.byte_length, sum(f.byte_length) OVER (ORDER BY f.id) AS running
                FROM filings f
                WHERE f.parser_version = ANY(\(sql.bind(parserVersions))) AND f.id > \(sql.bind(afterID))
                ORDER BY f.id LIMIT \(sql.bind(Int64(limit)))
            ) p JOIN filing_blobs b ON b.row = p.row
            WHERE p.running - p.byte_length < \(sql.bind(Int64(maximumBytes))) ORDER BY p.id
            """
        let statement = sql.query(text)
        let found = try await read(while: "reading stored inputs") { connection in
            var found: [(String, Int64, [UInt8])] = []
            for try await (id, byteLength, raw) in try await connection.query(statement, logger: self.logger)
                .decode((String, Int64, ByteBuffer).self)
            {
                found.append((id, byteLength, Array(raw.readableBytesView)))
            }
            return found
        }
        return try found.map { (id, byteLength, blob) throws(StoreError) in
            guard let raw = Deflate.decompress(blob, count: Int(byteLength)) else {
                throw StoreError(code: .corrupt, message: "the raw input of \(id) cannot be read back")
            }
            return StoredInput(id: id, raw: raw)
        }
    }

    /// Replaces the facts in one transaction; see ``FilingStore/replaceFacts(_:)``. A filing keeps its row and the
    /// transaction id it was stored in, so page tokens issued before still see it.
    public func replaceFacts(_ filings: [ParsedFiling]) async throws(StoreError) -> Int {
        guard !filings.isEmpty else { return 0 }
        let rows: [Row]
        do {
            rows = try await workers.map(filings) { Row(FilingRecord(facts: $0)) }
        } catch {
            throw Self.cancelledError
        }
        // In SHA-256 order, as Store locks rows, so that the two cannot deadlock.
        let ordered = rows.sorted { $0.record.sha256 < $1.record.sha256 }
        return try await write(while: "replacing facts") { connection in
            var replaced = 0
            for row in ordered where try await Self.replace(row, on: connection) {
                replaced += 1
            }
            return replaced
        }
    }

    private static func countsByParserVersion(on connection: PostgresConnection) async throws -> [KeyCount] {
        var counts: [KeyCount] = []
        for try await (version, count) in try await connection.query(
            "SELECT parser_version, count(*) FROM filings GROUP BY parser_version ORDER BY 2 DESC, 1",
            logger: connection.logger
        ).decode((String, Int64).self) {
            counts.append(KeyCount(key: version, count: UInt64(count)))
        }
        return counts
    }

    /// Rewrites the facts, keys, full text and names of the filing with `row`'s SHA-256 in place; false when
    /// there is none.
    private static func replace(_ row: Row, on connection: PostgresConnection) async throws -> Bool {
        let record = row.record
        // The old keys go first, in a statement of their own: a data-modifying WITH runs its parts on one snapshot,
        // so a key that is both deleted and inserted there would collide with itself.
        var delete = SQLBuilder()
        let deleteText = """
            DELETE FROM filing_keys WHERE row = (SELECT row FROM filings WHERE sha256 = \(delete.bind(record.sha256)))
            """
        try await connection.query(delete.query(deleteText), logger: connection.logger)
        var sql = SQLBuilder()
        let date = sql.bind(record.documentDate)
        // The text first: `sql.query(…)` would copy the bindings before the interpolations below add theirs.
        let text = """
            WITH f AS (
                UPDATE filings SET form_type = \(sql.bind(record.formType)),
                    kind = \(sql.bind(Int32(record.kind.rawValue))), title = \(sql.bind(record.title)),
                    issuer_name = \(sql.bind(record.issuerName)), symbol = \(sql.bind(record.symbol)),
                    cik = \(sql.bind(record.cik)), document_date = \(date),
                    parser_version = \(sql.bind(record.parserVersion)),
                    filing_size = \(sql.bind(Int64(record.filingSize))),
                    company_names = \(sql.bind(record.companyNamesText)),
                    person_names = \(sql.bind(record.personNamesText)),
                    search = setweight(to_tsvector('simple', \(sql.bind(row.titleTokens))), 'A')
                        || setweight(to_tsvector('simple', \(sql.bind(row.bodyTokens))), 'D')
                WHERE sha256 = \(sql.bind(record.sha256))
                RETURNING row
            ), blobs AS (
                UPDATE filing_blobs b SET filing = \(sql.bind(ByteBuffer(bytes: record.filingBlob)))
                FROM f WHERE b.row = f.row
            ), texts AS (
                UPDATE filing_text t SET body = \(sql.bind(record.searchBody)) FROM f WHERE t.row = f.row
            ), keys AS (
                INSERT INTO filing_keys (field, value, document_date, row)
                SELECT k.field, k.value, \(date), f.row
                FROM f, unnest(\(sql.bind(record.keys.map(\.field)))::text[],
                    \(sql.bind(record.keys.map(\.value)))::text[]) AS k(field, value)
            )
            SELECT row FROM f
            """
        var replaced = false
        for try await _ in try await connection.query(sql.query(text), logger: connection.logger).decode(Int64.self) {
            replaced = true
        }
        return replaced
    }

    // MARK: Connections

    /// What one filing writes, computed before a connection is taken.
    struct Row: Sendable {
        var record: FilingRecord
        /// The title's and body's index tokens, separated by spaces.
        var titleTokens: String
        var bodyTokens: String

        /// True when the body is indexed by its distinct words only (see ``Row/tsvectorLimit``).
        var bodyWordsOnly = false

        /// PostgreSQL's largest tsvector is 1 MiB; a body whose tsvector would come near it is indexed by its
        /// distinct words (each once), so that it is stored and its words are found; phrases in it may not be.
        static let tsvectorLimit = 900 << 10

        init(_ record: FilingRecord) {
            self.record = record
            titleTokens = SearchQuery.joinedTokens(of: record.searchTitle).text
            let (body, count) = SearchQuery.joinedTokens(of: record.searchBody)
            bodyTokens = body
            // A tsvector holds each lexeme once (with its length, padded) and up to 256 positions of 2 bytes: at most
            // 10 bytes and its length for each token, which the tokens' text (spaces between them) bounds.
            guard body.utf8.count + 9 * count + 1 > Self.tsvectorLimit else { return }
            var counts: [Substring: Int] = [:]
            for token in body.split(separator: " ") { counts[token, default: 0] += 1 }
            let size = counts.reduce(0) { $0 + 8 + $1.key.utf8.count + 2 * min($1.value, 256) }
            if size > Self.tsvectorLimit {
                bodyWordsOnly = true
                bodyTokens = counts.keys.sorted().joined(separator: " ")
            }
        }
    }

    /// Inserts one filing in a single statement, or finds the one with the same bytes.
    private static func insert(
        _ row: Row,
        storedAt: String,
        on connection: PostgresConnection
    ) async throws
        -> StoreOutcome
    {
        let record = row.record
        var sql = SQLBuilder()
        let values = [
            sql.bind(record.id), sql.bind(record.sha256), sql.bind(record.formType),
            sql.bind(Int32(record.kind.rawValue)), sql.bind(record.title), sql.bind(record.issuerName),
            sql.bind(record.symbol), sql.bind(record.cik), sql.bind(record.documentDate), sql.bind(storedAt),
            sql.bind(Int64(record.byteLength)), sql.bind(record.parserVersion), sql.bind(Int64(record.filingSize)),
            sql.bind(record.companyNamesText), sql.bind(record.personNamesText),
        ]
        let title = sql.bind(row.titleTokens)
        let body = sql.bind(row.bodyTokens)
        let date = values[8]
        // The text first: `sql.query(…)` would copy the bindings before the interpolations below add theirs.
        let text = """
            WITH f AS (
                INSERT INTO filings (id, sha256, form_type, kind, title, issuer_name, symbol, cik, document_date,
                    stored_at, byte_length, parser_version, filing_size, company_names, person_names, search)
                VALUES (\(values.joined(separator: ", ")),
                    setweight(to_tsvector('simple', \(title)), 'A') || setweight(to_tsvector('simple', \(body)), 'D'))
                ON CONFLICT DO NOTHING
                RETURNING row
            ), blobs AS (
                INSERT INTO filing_blobs (row, filing, raw)
                SELECT row, \(sql.bind(ByteBuffer(bytes: record.filingBlob))), \(sql.bind(ByteBuffer(bytes: record.rawBlob)))
                FROM f
            ), texts AS (
                INSERT INTO filing_text (row, body) SELECT row, \(sql.bind(record.searchBody)) FROM f
            ), keys AS (
                INSERT INTO filing_keys (field, value, document_date, row)
                SELECT k.field, k.value, \(date), f.row
                FROM f, unnest(\(sql.bind(record.keys.map(\.field)))::text[],
                    \(sql.bind(record.keys.map(\.value)))::text[]) AS k(field, value)
            )
            SELECT row FROM f
            """
        let statement = sql.query(text)
        var inserted = false
        for try await _ in try await connection.query(statement, logger: connection.logger).decode(Int64.self) {
            inserted = true
        }
        if inserted { return StoreOutcome(id: record.id, created: true) }
        // Already stored (perhaps by another replica a moment ago: this statement sees what has committed since).
        var lookup = SQLBuilder()
        let lookupText = "SELECT id FROM filings WHERE sha256 = \(lookup.bind(record.sha256))"
        let existing = lookup.query(lookupText)
        for try await id in try await connection.query(existing, logger: connection.logger).decode(String.self) {
            return StoreOutcome(id: id, created: false)
        }
        return StoreOutcome(
            id: "",
            created: false,
            error: StoreError(
                code: .storageFailure,
                message: "another filing already has id \(record.id) (a SHA-256 prefix collision)"
            )
        )
    }

    /// Runs `body` on a pooled connection. A caller waits its turn while the pool works; the wait ends with
    /// UNAVAILABLE after `connectionWaitTimeout` in which the pool handed out no connection and held none (the
    /// database cannot be reached), or four times that in which it handed none out while all were held (they are
    /// stuck), and at once when the calling task is cancelled: calls fail instead of piling up. Once `body` runs, it
    /// runs to its end (a write commits or rolls back), unless `cancellingStatements`: then the calling task's
    /// cancellation has PostgreSQL cancel the statement under way and every later one, and when `body` throws,
    /// its transaction is rolled back once no cancel can reach the ROLLBACK (a read).
    private func withConnection<T: Sendable>(
        cancellingStatements: Bool = false,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let gate = LeaseGate()
        let cancellation =
            cancellingStatements ? StatementCancellation(configuration: cancelConfiguration, logger: logger) : nil
        let outcome = FirstValue<Result<T, any Error>>()
        let timeout = configuration.connectionWaitTimeout
        let work = Task {
            do {
                let value = try await self.client.withConnection { connection in
                    // Leased after the caller gave up: hand the connection straight back.
                    guard gate.enter() else { throw CancellationError() }
                    self.leases.withLock {
                        $0.last = .now
                        $0.inUse += 1
                    }
                    defer { self.leases.withLock { $0.inUse -= 1 } }
                    guard let cancellation else { return try await body(connection) }
                    guard cancellation.start(backend: try await self.backend(of: connection)) else {
                        throw CancellationError()
                    }
                    do {
                        let value = try await body(connection)
                        await cancellation.finish()
                        return value
                    } catch {
                        // No cancel is on its way any more: one could have ended the ROLLBACK, and left the
                        // connection in a failed transaction for its next caller.
                        await cancellation.finish()
                        _ = try? await connection.query("ROLLBACK", logger: self.logger)
                        throw error
                    }
                }
                outcome.deliver(.success(value))
            } catch {
                outcome.deliver(.failure(error))
            }
        }
        let timer = Task {
            let start = ContinuousClock.now
            var bound = timeout
            while true {
                // With connections at work, the pool is busy, not dead: a wait ends only if none is handed out for
                // four times as long (every connection is stuck).
                let (last, inUse) = self.leases.withLock { ($0.last, $0.inUse) }
                bound = inUse == 0 ? timeout : timeout * 4
                let progress = max(start, last)
                if ContinuousClock.now - progress >= bound { break }
                try await Task.sleep(until: progress + bound)
            }
            if gate.abandon() {
                work.cancel()
                outcome.deliver(
                    .failure(
                        StoreError(
                            code: .unavailable,
                            message: "no database connection handed out in \(bound); retry"
                        )
                    )
                )
            }
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedContinuation { continuation in outcome.wait(continuation) }.get()
        } onCancel: {
            if gate.abandon() {
                work.cancel()
                outcome.deliver(.failure(CancellationError()))
            } else {
                cancellation?.cancel()
            }
        }
    }

    /// The process id of the backend behind `connection`, asked once per connection.
    private func backend(of connection: PostgresConnection) async throws -> Int32 {
        if let known = backends.withLock({ $0[connection.id] }) { return known }
        let rows = try await connection.query("SELECT pg_backend_pid()", logger: logger)
        guard let backend = try await rows.collect().first?.decode(Int32.self) else {
            throw StoreError(code: .storageFailure, message: "the database did not name its backend process")
        }
        backends.withLock { known in
            // Connections the pool closed leave their entries: forget them all now and then.
            if known.count >= 4 * max(1, configuration.maximumConnections) { known.removeAll() }
            known[connection.id] = backend
        }
        return backend
    }

    private func read<T: Sendable>(
        while action: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await withConnection(cancellingStatements: true) { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: self.logger)
                return value
            }
        } catch {
            // A statement PostgreSQL cancelled for a caller that went away.
            if Task.isCancelled { throw Self.readCancelledError }
            throw failure(error, while: action)
        }
    }

    /// Runs `body` in a transaction that commits only if the calling task has not been cancelled by then.
    private func write<T: Sendable>(
        while action: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let flag = CancellationFlag()
        do {
            return try await withTaskCancellationHandler {
                try await withConnection { connection in
                    try await connection.query("BEGIN", logger: self.logger)
                    do {
                        let value = try await body(connection)
                        guard flag.seal() else { throw Self.cancelledError }
                        try await connection.query("COMMIT", logger: self.logger)
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: self.logger)
                        throw error
                    }
                }
            } onCancel: {
                flag.cancel()
            }
        } catch {
            throw failure(error, while: action)
        }
    }

    /// The error a caller sees for `error`; database failures are logged here and never sent.
    private func failure(_ error: any Error, while action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is CancellationError { return Self.cancelledError }
        guard let error = error as? PSQLError else {
            // The connection pool's own errors: no connection could be had.
            logger.warning("no database connection", metadata: ["error": "\(error)", "store.action": "\(action)"])
            return StoreError(code: .unavailable, message: "the database is unavailable while \(action); retry")
        }
        let sqlState = error.serverInfo?[.sqlState] ?? ""
        if error.code != .server || sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") {
            // The connection broke, or the server is shutting down or restarting.
            state.withLock { $0.reachable = false }
            logger.warning(
                "the database is unavailable",
                metadata: ["error": "\(Self.describe(error))", "store.action": "\(action)"]
            )
            return StoreError(code: .unavailable, message: "the database is unavailable while \(action); retry")
        }
        logger.error("database error", metadata: ["error": "\(Self.describe(error))", "store.action": "\(action)"])
        switch sqlState {
        case "40001", "40P01", "55P03":
            return StoreError(code: .unavailable, message: "the database is busy while \(action); retry")
        case "53100":
            return StoreError(code: .storageFull, message: "the database's disk is full while \(action)")
        case "54000":
            return StoreError(code: .invalidQuery, message: "a filing is too large to index while \(action)")
        default:
            return StoreError(code: .storageFailure, message: "the database failed while \(action)")
        }
    }

    /// What the log says about a database error: its SQLSTATE and message, never the statement or its values.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            return "\(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
        }
        return "\(error.code)"
    }

    private static let readCancelledError = StoreError(
        code: .cancelled,
        message: "the call was cancelled; its read stopped"
    )
    private static let cancelledError = StoreError(
        code: .cancelled,
        message: "the call was cancelled before its write committed; nothing of it was written"
    )

    /// Ids are the first 20 hex digits of the SHA-256; 64 digits are the SHA-256 itself.
    private static func idColumn(for id: String) -> String { id.utf8.count == 64 ? "sha256" : "id" }

    private static func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }

    /// A snippet on one line: its line breaks and tabs as spaces.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// Who won the race between a connection lease and the caller giving up.
private final class LeaseGate: Sendable {
    private enum State { case waiting, entered, abandoned }
    private let state = Lock(State.waiting)

    /// The lease arrived: true when the caller still waits for it.
    func enter() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .entered
            return true
        }
    }

    /// The caller gives up waiting: true when no connection was leased yet.
    func abandon() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .abandoned
            return true
        }
    }

}
