/// Which store a server uses, as written in `--store` and `FILINGS_STORE`: `sqlite:PATH`,
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or `none`.
///
/// ```swift
/// let location = try StoreLocation(parsing: "postgres://filings@db.internal/filings")
/// print(location)  // postgres://filings@db.internal:5432/filings (a password is never printed)
/// ```
public struct StoreLocation: Sendable, Hashable, CustomStringConvertible {
    private enum Backend: Hashable {
        case none
        case sqlite(path: String)
        case postgres(PostgresAddress)
    }
    private let backend: Backend

    /// No store: the server answers Parse, Stats and Health, and Store, Query, Get and Delete are UNIMPLEMENTED.
    public static let none = StoreLocation(backend: .none)

    /// An SQLite database file, created with its directory when missing.
    public static func sqlite(path: String) -> StoreLocation { StoreLocation(backend: .sqlite(path: path)) }

    /// A PostgreSQL database.
    public static func postgres(_ address: PostgresAddress) -> StoreLocation {
        StoreLocation(backend: .postgres(address))
    }

    /// The embedded default: `sqlite:./data/filings.sqlite`.
    public static let defaultLocation = StoreLocation.sqlite(path: "./data/filings.sqlite")

    private init(backend: Backend) {
        self.backend = backend
    }

    /// The SQLite file, when this is an SQLite store.
    public var sqlitePath: String? {
        if case .sqlite(let path) = backend { path } else { nil }
    }

    /// The PostgreSQL database, when this is a PostgreSQL store.
    public var postgres: PostgresAddress? {
        if case .postgres(let address) = backend { address } else { nil }
    }

    /// Parses `sqlite:PATH`, `postgres://…` (or `postgresql://…`) or `none`.
    ///
    /// - Throws: ``StoreError`` that lists the forms accepted.
    public init(parsing text: String) throws(StoreError) {
        if text == "none" {
            self = .none
        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresAddress(parsing: text))
        } else {
            throw StoreError(
                code: .cannotOpen,
                message: "store '\(text)' is not one of: sqlite:PATH (e.g. sqlite:./data/filings.sqlite), "
                    + "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, none"
            )
        }
    }

    public var description: String {
        switch backend {
        case .none: "none"
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let address): address.description
        }
    }
}

/// Where a PostgreSQL database is and who connects to it. Its description never shows the password.
public struct PostgresAddress: Sendable, Hashable, CustomStringConvertible {
    /// The role to connect as.
    public var user: String
    /// The role's password; nil to connect without one (trust or peer authentication).
    public var password: String?
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The database's name.
    public var database: String

    /// Creates an address.
    public init(user: String, password: String? = nil, host: String, port: Int = 5432, database: String) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    /// Parses `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`; user, password and database may be
    /// percent-encoded.
    ///
    /// - Throws: ``StoreError`` (CANNOT_OPEN) that says which part is missing or wrong, without the password.
    public init(parsing text: String) throws(StoreError) {
        func invalid(_ problem: String) -> StoreError {
            StoreError(
                code: .cannotOpen,
                message: "store: \(problem); the form is postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
            )
        }
        var rest = Substring(text)
        if rest.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else if rest.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else {
            throw invalid("not a postgres:// address")
        }
        guard let at = rest.lastIndex(of: "@") else { throw invalid("no USER@ before the host") }
        let credentials = rest[..<at]
        rest = rest[rest.index(after: at)...]
        guard let slash = rest.firstIndex(of: "/") else { throw invalid("no /DATABASE after the host") }
        let hostPort = rest[..<slash]
        let databaseText = rest[rest.index(after: slash)...]
        guard !databaseText.contains("?") else { throw invalid("options after the database are not supported") }

        let userText: Substring
        var passwordText: Substring?
        if let colon = credentials.firstIndex(of: ":") {
            userText = credentials[..<colon]
            passwordText = credentials[credentials.index(after: colon)...]
        } else {
            userText = credentials
        }
        guard let user = Self.percentDecoded(userText), !user.isEmpty else { throw invalid("the user is empty") }
        guard let database = Self.percentDecoded(databaseText), !database.isEmpty else {
            throw invalid("the database is empty")
        }
        var password: String?
        if let passwordText {
            guard let decoded = Self.percentDecoded(passwordText) else {
                throw invalid("the password's percent-encoding is not valid")
            }
            password = decoded
        }

        var host = String(hostPort)
        var port = 5432
        if hostPort.hasPrefix("[") {
            // An IPv6 address: [::1]:5432.
            guard let close = hostPort.firstIndex(of: "]") else { throw invalid("the IPv6 host has no ]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = Int(after.dropFirst()) else {
                    throw invalid("'\(after)' after the IPv6 host is not :PORT")
                }
                port = value
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let value = Int(hostPort[hostPort.index(after: colon)...]) else {
                throw invalid("the port '\(hostPort[hostPort.index(after: colon)...])' is not a number")
            }
            port = value
        }
        guard !host.isEmpty else { throw invalid("the host is empty") }
        guard (1...65535).contains(port) else { throw invalid("the port \(port) is not between 1 and 65535") }
        self.init(user: user, password: password, host: host, port: port, database: database)
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(shownHost):\(port)/\(database)"
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex else { return nil }
                let second = utf8.index(after: first)
                guard second < utf8.endIndex, let high = hexValue(utf8[first]), let low = hexValue(utf8[second])
                else { return nil }
                bytes.append(high << 4 | low)
                index = utf8.index(after: second)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
