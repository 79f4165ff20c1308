internal import CFilingsSQLite
internal import CSQLite
internal import FilingsCore
internal import FilingsStore

/// An SQLite failure, with the result code and SQLite's message; never shown to callers as it is.
struct SQLiteError: Error, CustomStringConvertible {
    /// The extended result code.
    var code: Int32
    var message: String

    /// The disk or the database file is full.
    var isFull: Bool { code & 0xFF == SQLITE_FULL }
    /// Another connection holds the lock.
    var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
    /// A UNIQUE or PRIMARY KEY constraint failed (SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY).
    var isUniqueViolation: Bool { code == 2067 || code == 1555 }

    var description: String { "SQLite error \(code): \(message)" }
}

/// One SQLite connection, used by one thread at a time, with its prepared statements cached by SQL text.
final class SQLiteConnection {
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    /// Statements handed out since the last ``resetStatements()``: a statement that is not reset keeps its read
    /// snapshot open, and would keep its connection from seeing later commits.
    private var handedOut: [SQLiteStatement] = []
    /// The index rows of the writer's open transaction, written just before it commits; unused on readers.
    var pendingIndexRows = PendingIndexRows()
    /// The store's size floors, which the rank function reads and the writer lowers.
    let sizeFloors: SizeFloors?
    /// The rank function's state on this connection (`filings_rank_context` in CFilingsSQLite.h).
    private let rankContext: OpaquePointer?

    /// SQLite's process-wide settings, made once before the first connection opens (`filings_sqlite_configure_process`
    /// in CFilingsSQLite.h). A process that used SQLite before keeps its settings.
    private static let processConfigured: Void = { _ = filings_sqlite_configure_process() }()

    /// Opens (and with `create`, creates) the database at `path`, its rank function reading `sizeFloors`.
    init(path: String, readOnly: Bool, create: Bool, sizeFloors: SizeFloors? = nil) throws(SQLiteError) {
        SQLiteConnection.processConfigured
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message)
        }
        handle = db
        self.sizeFloors = sizeFloors
        sqlite3_extended_result_codes(db, 1)
        var rankContext: OpaquePointer?
        let registered = filings_sqlite_register_functions(db, sizeFloors?.table, &rankContext)
        self.rankContext = rankContext
        guard registered == SQLITE_OK else {
            sqlite3_close_v2(db)
            throw SQLiteError(code: registered, message: "this SQLite has no FTS5")
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The statistics the rank function last read itself, for a query given none; nil when it read none since the
    /// last call.
    func takeRankStatistics() -> String? {
        guard let text = filings_rank_context_take_statistics(rankContext) else { return nil }
        defer { filings_rank_context_free_statistics(text) }
        return String(cString: text)
    }

    /// Runs `body` with SQLite stopping each statement it runs (nested ones too, such as FTS5's reads of its
    /// index) with SQLITE_INTERRUPT once `flag` is cancelled; the check runs every
    /// ``interruptionInterval`` virtual-machine steps on this connection's own thread.
    func interrupting<T, E: Error>(when flag: CancellationFlag, _ body: () throws(E) -> T) throws(E) -> T {
        sqlite3_progress_handler(
            handle,
            Self.interruptionInterval,
            { context in
                guard let context else { return 0 }
                return Unmanaged<CancellationFlag>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
            },
            Unmanaged.passUnretained(flag).toOpaque()
        )
        defer { sqlite3_progress_handler(handle, 0, nil, nil) }
        return try body()
    }

    /// Virtual-machine steps between two looks at a read's cancellation.
    static let interruptionInterval: Int32 = 1000

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text)
        }
    }

    /// The statement for `sql`, prepared once and reset for reuse.
    func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            handedOut.append(cached)
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw error(rc) }
        let statement = SQLiteStatement(raw, connection: self)
        statements[sql] = statement
        handedOut.append(statement)
        return statement
    }

    /// Resets every statement used since the last call, ending their reads.
    func resetStatements() {
        for statement in handedOut { statement.reset() }
        handedOut.removeAll(keepingCapacity: true)
    }

    /// Runs `sql` with `bindings` and returns the first column of the first row as an integer, or nil.
    func scalarInt(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> Int64? {
        let statement = try statement(sql)
        try statement.bind(bindings)
        return try statement.step() ? statement.int(0) : nil
    }

    /// Runs `sql` with `bindings` and returns the first column of the first row as text, or nil.
    func scalarText(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> String? {
        let statement = try statement(sql)
        try statement.bind(bindings)
        return try statement.step() ? statement.text(0) : nil
    }

    /// Runs a statement that returns no rows.
    func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) {
        let statement = try statement(sql)
        try statement.bind(bindings)
        while try statement.step() {}
    }

    /// The rowid of the last insert.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows inserted, updated or deleted by this connection since it opened, by FTS5's own writes included.
    var totalChanges: Int64 { sqlite3_total_changes64(handle) }

    /// Whether a transaction is open.
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// A prepared statement of one connection.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds `values` to parameters 1, 2, ...
    func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .int(let number): rc = sqlite3_bind_int64(handle, index, number)
            case .double(let number): rc = sqlite3_bind_double(handle, index, number)
            case .null: rc = sqlite3_bind_null(handle, index)
            case .text(let text):
                var text = text
                rc = text.withUTF8 { utf8 in
                    utf8.withMemoryRebound(to: CChar.self) {
                        filings_sqlite_bind_text(handle, index, $0.baseAddress, Int32($0.count))
                    }
                }
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { buffer in
                    filings_sqlite_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count))
                }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc) }
        }
    }

    /// Advances to the next row; false when there are no more.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc)
        }
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// `body` with the bytes of a blob column, valid only during the call.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let count = Int(sqlite3_column_bytes(handle, column))
        return body(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: count))
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
