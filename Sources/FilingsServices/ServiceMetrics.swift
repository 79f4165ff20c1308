import CoreMetrics
import FilingsCore
import FilingsStore

/// The services' instruments in the metrics system (swift-metrics): parse errors by status, and the store's
/// latency by operation.
final class ServiceMetrics: Sendable {
    static let shared = ServiceMetrics()

    private let parseErrors = Lock<[Int32: Counter]>([:])
    private let storeDurations = Lock<[String: Timer]>([:])

    /// A document failed to parse with `code` (a cancelled parse is not an error of the document).
    func parseFailed(_ code: RPCError.Code) {
        let counter = parseErrors.withLock { counters in
            if let counter = counters[code.rawValue] { return counter }
            let counter = Counter(label: "filings_parse_errors_total", dimensions: [("code", code.name)])
            counters[code.rawValue] = counter
            return counter
        }
        counter.increment()
    }

    /// Runs the store's `operation` (`store`, `query`, `get`, `delete`, `lookup`) and records how long it took,
    /// whether it succeeded or not.
    func timeStore<T>(_ operation: String, _ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        let timer = storeDurations.withLock { timers in
            if let timer = timers[operation] { return timer }
            let timer = Timer(
                label: "filings_store_duration_seconds",
                dimensions: [("operation", operation)],
                preferredDisplayUnit: .seconds
            )
            timers[operation] = timer
            return timer
        }
        let start = ContinuousClock.now
        defer { timer.recordNanoseconds((ContinuousClock.now - start).wholeNanoseconds) }
        return try await body()
    }
}
