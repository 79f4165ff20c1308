import FilingsCore
import FilingsStore
import FilingsStorePostgres
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// A store backend the conformance suites run on: a fresh, empty store for each test.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    private let make: @Sendable () async throws -> OpenStore

    var testDescription: String { name }

    /// SQLite always; PostgreSQL when `POSTGRES_HOST` names a server (see ``PostgresTestDatabase``).
    static var all: [StoreBackend] {
        [.sqlite] + (PostgresTestDatabase.configuration == nil ? [] : [.postgres])
    }

    static let sqlite = StoreBackend(name: "sqlite") {
        let temporary = try TemporaryStore()
        // Creating the schema syncs the file a few dozen times, and closing joins the store's threads: both off the
        // test pool, which the tests running beside this one need.
        let store = try await offPool { try temporary.open() }
        // One server process owns an SQLite file: its "replica" is the same store. (Two processes writing one file
        // at once can fail a commit with SQLITE_BUSY: see the closing note of issue 10.)
        return OpenStore(
            store: store,
            replica: { store },
            close: {
                await offPool {
                    store.close()
                    temporary.remove()
                }
            }
        )
    }

    static let postgres = StoreBackend(name: "postgres") {
        let database = try await PostgresTestDatabase.create()
        let store = try await RunningPostgresStore.start(address: database.address)
        let replicas = Lock<[RunningPostgresStore]>([])
        return OpenStore(
            store: store.store,
            replica: {
                let replica = try await RunningPostgresStore.start(address: database.address)
                replicas.withLock { $0.append(replica) }
                return replica.store
            },
            close: {
                for replica in replicas.withLock({ $0 }) { await replica.stop() }
                await store.stop()
                await database.drop()
            }
        )
    }

    /// Runs `body` with a fresh store, then closes and removes it.
    func with<T>(_ body: (any FilingStore) async throws -> T) async throws -> T {
        try await with { store, _ in try await body(store) }
    }

    /// Runs `body` with a fresh store and a way to open a second store over the same data (another replica).
    func with<T>(_ body: (any FilingStore, OpenStore) async throws -> T) async throws -> T {
        let open = try await make()
        do {
            let result = try await body(open.store, open)
            await open.close()
            return result
        } catch {
            await open.close()
            throw error
        }
    }
}

/// A store opened for one test.
struct OpenStore: Sendable {
    let store: any FilingStore
    /// Opens another store over the same data, as a second server replica would.
    let replica: @Sendable () async throws -> any FilingStore
    let close: @Sendable () async -> Void
}

/// The stores' logger: critical messages only, unless FILINGS_TEST_LOG names a level ("debug", "error").
let quietLogger: Logger = {
    var logger = Logger(label: "filings.test.store")
    logger.logLevel =
        ProcessInfo.processInfo.environment["FILINGS_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
    return logger
}()

/// The PostgreSQL server the tests use, from `POSTGRES_HOST`, `POSTGRES_PORT`, `POSTGRES_USER`,
/// `POSTGRES_PASSWORD` and `POSTGRES_DB` (a database the user may connect to and create databases from);
/// each test gets a database of its own, dropped afterwards. `.ci/run` starts one (dev/lib/postgres.sh).
enum PostgresTestDatabase {
    struct Configuration: Sendable {
        var host: String
        var port: Int
        var user: String
        var password: String?
        var database: String
    }

    static let configuration: Configuration? = {
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["POSTGRES_HOST"], !host.isEmpty else { return nil }
        return Configuration(
            host: host,
            port: environment["POSTGRES_PORT"].flatMap { Int($0) } ?? 5432,
            user: environment["POSTGRES_USER"] ?? "postgres",
            password: environment["POSTGRES_PASSWORD"],
            database: environment["POSTGRES_DB"] ?? "postgres"
        )
    }()

    /// Whether the tests must not skip PostgreSQL (CI).
    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A database made for one test.
    struct Database: Sendable {
        let address: PostgresAddress

        func drop() async {
            _ = try? await PostgresTestDatabase.admin("DROP DATABASE IF EXISTS \"\(address.database)\" WITH (FORCE)")
        }
    }

    static func create() async throws -> Database {
        guard let configuration else { throw PostgresNotConfigured() }
        let name = "filings_test_\(UInt64.random(in: 0...UInt64.max))"
        try await admin("CREATE DATABASE \"\(name)\"")
        return Database(
            address: PostgresAddress(
                user: configuration.user,
                password: configuration.password,
                host: configuration.host,
                port: configuration.port,
                database: name
            )
        )
    }

    /// Runs `sql` on the administrative database.
    static func admin(_ sql: String) async throws {
        try await run(sql, database: nil)
    }

    /// The integer `sql` gives in its first row and column, run on the administrative database.
    static func integer(_ sql: String) async throws -> Int {
        let connection = try await connect(database: nil)
        defer { Task { try? await connection.close() } }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// Runs `sql` on `database` (the administrative one when nil) over a connection of its own.
    static func run(_ sql: String, database: String?) async throws {
        let connection = try await connect(database: database)
        defer { Task { try? await connection.close() } }
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
    }

    /// A connection of its own to `database` (the administrative one when nil).
    private static func connect(database: String?) async throws -> PostgresConnection {
        guard let configuration else { throw PostgresNotConfigured() }
        return try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: configuration.host,
                port: configuration.port,
                username: configuration.user,
                password: configuration.password,
                database: database ?? configuration.database,
                tls: .disable
            ),
            id: 1,
            logger: quietLogger
        )
    }

    struct PostgresNotConfigured: Error, CustomStringConvertible {
        var description: String { "POSTGRES_HOST is not set: no PostgreSQL server to test against" }
    }
}

/// A PostgresFilingStore whose `run()` is running, as in a server.
struct RunningPostgresStore: Sendable {
    let store: PostgresFilingStore
    let task: Task<Void, any Error>

    static func start(
        address: PostgresAddress,
        configuration: PostgresFilingStore.Configuration = .defaults
    ) async throws -> RunningPostgresStore {
        let store = PostgresFilingStore(address: address, configuration: configuration, logger: quietLogger)
        let failure = Lock<StoreError?>(nil)
        let task = Task {
            do {
                try await store.run()
            } catch {
                failure.withLock { $0 = error as? StoreError ?? StoreError(code: .cannotOpen, message: "\(error)") }
                throw error
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !store.isAvailable {
            if let error = failure.withLock({ $0 }) { throw error }
            if ContinuousClock.now > deadline {
                task.cancel()
                throw StoreError(code: .unavailable, message: "the PostgreSQL store did not become available")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return RunningPostgresStore(store: store, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
