public import Logging
public import ServiceLifecycle

/// Which store a server uses, as written in `--store` and `FILINGS_STORE`: `sqlite:PATH` or `none`.
public struct StoreLocation: Sendable, Hashable, CustomStringConvertible {
    private enum Backend: Hashable {
        case none
        case sqlite(path: String)
    }
    private let backend: Backend

    /// No store: the server answers Parse, Stats and Health, and Store, Query, Get and Delete are UNIMPLEMENTED.
    public static let none = StoreLocation(backend: .none)

    /// An SQLite database file, created with its directory when missing.
    public static func sqlite(path: String) -> StoreLocation { StoreLocation(backend: .sqlite(path: path)) }

    /// The embedded default: `sqlite:./data/filings.sqlite`.
    public static let defaultLocation = StoreLocation.sqlite(path: "./data/filings.sqlite")

    private init(backend: Backend) {
        self.backend = backend
    }

    /// Parses `sqlite:PATH` or `none`.
    ///
    /// - Throws: ``StoreError`` that lists the forms accepted.
    public init(parsing text: String) throws(StoreError) {
        if text == "none" {
            self = .none
        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            throw StoreError(
                code: .cannotOpen,
                message: "store '\(text)' is not one of: sqlite:PATH (e.g. sqlite:./data/filings.sqlite), none"
            )
        }
    }

    public var description: String {
        switch backend {
        case .none: "none"
        case .sqlite(let path): "sqlite:\(path)"
        }
    }

    /// Opens the store, or returns nil for ``none``.
    public func open(logger: Logger) throws(StoreError) -> (any FilingStore & Service)? {
        switch backend {
        case .none: nil
        case .sqlite(let path): try SQLiteFilingStore(path: path, logger: logger)
        }
    }
}
