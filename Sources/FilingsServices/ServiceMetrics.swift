import CoreMetrics
import FilingsCore
import FilingsStore

/// The services' instruments in the metrics system (swift-metrics): parse errors by status, and the store's
/// latency by operation.
final class ServiceMetrics: Sendable {
    static let shared = ServiceMetrics()

    private let parseErrors = KeyedCache { (code: RPCError.Code) in
        Counter(label: "filings_parse_errors_total", dimensions: [("code", code.name)])
    }
    private let storeDurations = KeyedCache { (operation: String) in
        Timer(
            label: "filings_store_duration_seconds",
            dimensions: [("operation", operation)],
            preferredDisplayUnit: .seconds
        )
    }

    /// A document failed to parse with `code` (a cancelled parse is not an error of the document).
    func parseFailed(_ code: RPCError.Code) {
        parseErrors[code].increment()
    }

    /// Runs the store's `operation` (`store`, `query`, `get`, `delete`, `lookup`, `reparse_count`, `reparse_read`,
    /// `reparse_replace`) and records how long it took, whether it succeeded or not.
    func timeStore<T>(_ operation: String, _ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        let timer = storeDurations[operation]
        let start = ContinuousClock.now
        defer { timer.recordNanoseconds((ContinuousClock.now - start).wholeNanoseconds) }
        return try await body()
    }
}
