import FilingsStore
import FilingsStorePostgres
import FilingsStoreSQLite
import Foundation
import Logging
import ServiceLifecycle

/// How the server opens its store, beyond the location itself.
struct StoreOptions {
    /// A file holding the PostgreSQL password, used when the address has none.
    var passwordFile: String?
    /// `PGPASSWORD`, used when neither the address nor a file gives one.
    var environmentPassword: String?
    /// The most PostgreSQL connections.
    var poolSize: Int?
}

extension StoreLocation {
    /// Opens the store, or returns nil for ``StoreLocation/none``.
    func open(options: StoreOptions, logger: Logger) throws(StoreError) -> (any FilingStore & Service)? {
        if let path = sqlitePath {
            return try SQLiteFilingStore(path: path, logger: logger)
        }
        if var address = postgres {
            if address.password == nil, let file = options.passwordFile {
                guard let contents = FileManager.default.contents(atPath: file),
                    let text = String(data: contents, encoding: .utf8)
                else {
                    throw StoreError(code: .cannotOpen, message: "cannot read the password file \(file)")
                }
                // The file's content is the password; a final line break is not part of it.
                var password = Substring(text)
                while password.last == "\n" || password.last == "\r" { password.removeLast() }
                address.password = String(password)
            }
            if address.password == nil { address.password = options.environmentPassword }
            var configuration = PostgresFilingStore.Configuration.defaults
            if let poolSize = options.poolSize {
                guard poolSize > 0 else {
                    throw StoreError(code: .cannotOpen, message: "the store pool size must be positive")
                }
                configuration.maximumConnections = poolSize
            }
            return PostgresFilingStore(address: address, configuration: configuration, logger: logger)
        }
        return nil
    }
}
