import CoreMetrics
import FilingsCore
import Histogram
import Synchronization

/// Calls, statuses and latency per method, and connection counts, since the server started: for Stats, and to the
/// metrics system (swift-metrics: whatever backend the executable bootstrapped, Prometheus in `filings-server`).
///
/// Call records are kept in shards, one picked per connection, so that connections on different threads rarely
/// contend for a lock; a snapshot merges the shards.
final class ServerMetrics: Sendable {
    /// The metrics system's instruments, made once (the factory looks them up under a lock).
    private final class Instruments: Sendable {
        let connectionsOpen = Gauge(label: "filings_connections_open")
        let connectionsAccepted = Counter(label: "filings_connections_accepted_total")
        let callsInFlight = Gauge(label: "filings_rpc_calls_in_flight")
        let bytesReceived = Counter(label: "filings_received_bytes_total")
        let bytesSent = Counter(label: "filings_sent_bytes_total")
        /// Per method and status; per method.
        let calls = KeyedCache { (key: MethodStatus) in
            Counter(label: "filings_rpc_calls_total", dimensions: [("method", key.method), ("code", key.code.name)])
        }
        let durations = KeyedCache { (method: String) in
            Timer(
                label: "filings_rpc_duration_seconds",
                dimensions: [("method", method)],
                preferredDisplayUnit: .seconds
            )
        }
    }

    private struct MethodStatus: Hashable, Sendable {
        var method: String
        var code: RPCError.Code
    }

    private let instruments = Instruments()
    private struct MethodRecord {
        var calls: UInt64 = 0
        var statuses: [Int32: UInt64] = [:]
        var latencyMicros = Histogram<UInt64>(
            highestTrackableValue: 3_600_000_000,
            numberOfSignificantValueDigits: .two
        )

        mutating func merge(_ other: MethodRecord) {
            calls += other.calls
            statuses.merge(other.statuses, uniquingKeysWith: +)
            latencyMicros.add(other.latencyMicros)
        }
    }

    private final class Shard: Sendable {
        let methods = Lock<[String: MethodRecord]>([:])
    }

    let started = ContinuousClock.now
    private let shards = (0..<16).map { _ in Shard() }
    private let openConnections = Atomic<Int>(0)
    private let totalConnections = Atomic<Int>(0)
    private let callsInFlight = Atomic<Int>(0)

    /// The shard a new connection records its calls in.
    func shardIndex(forConnection serial: Int) -> Int {
        serial % shards.count
    }

    /// A connection opened; false when it is over `limit` (and was not counted).
    func connectionOpened(limit: Int) -> Bool {
        while true {
            let open = openConnections.load(ordering: .relaxed)
            guard open < limit else { return false }
            if openConnections.compareExchange(expected: open, desired: open + 1, ordering: .relaxed).exchanged {
                totalConnections.add(1, ordering: .relaxed)
                instruments.connectionsAccepted.increment()
                instruments.connectionsOpen.record(open + 1)
                return true
            }
        }
    }

    func connectionClosed() {
        let open = openConnections.subtract(1, ordering: .relaxed)
        instruments.connectionsOpen.record(open.newValue)
    }

    func callStarted() {
        instruments.callsInFlight.record(callsInFlight.add(1, ordering: .relaxed).newValue)
    }

    /// Bytes read from a connection.
    func bytesReceived(_ count: Int) {
        instruments.bytesReceived.increment(by: count)
    }

    /// Bytes queued for a connection.
    func bytesSent(_ count: Int) {
        instruments.bytesSent.increment(by: count)
    }

    /// A call ended with `code` after `latency`; `started` is false for calls refused before they were taken.
    func callEnded(shard: Int, method: String, code: RPCError.Code, latency: Duration, started: Bool) {
        let micros = UInt64(max(0, latency.wholeMicroseconds))
        if started {
            instruments.callsInFlight.record(callsInFlight.subtract(1, ordering: .relaxed).newValue)
        }
        instruments.calls[MethodStatus(method: method, code: code)].increment()
        instruments.durations[method].recordNanoseconds(latency.wholeNanoseconds)
        shards[shard].methods.withLock { methods in
            methods[method, default: MethodRecord()].calls += 1
            methods[method]!.statuses[code.rawValue, default: 0] += 1
            _ = methods[method]!.latencyMicros.record(micros)
        }
    }

    func snapshot(version: String) -> ServerStats {
        let uptime = ContinuousClock.now - started
        var methods: [String: MethodRecord] = [:]
        for shard in shards {
            let records = shard.methods.withLock { $0 }
            methods.merge(records) {
                var merged = $0; merged.merge($1); return merged
            }
        }
        return ServerStats(
            version: version,
            uptimeSeconds: uptime.secondsValue,
            openConnections: UInt32(max(0, openConnections.load(ordering: .relaxed))),
            totalConnections: UInt64(totalConnections.load(ordering: .relaxed)),
            callsInFlight: UInt32(max(0, callsInFlight.load(ordering: .relaxed))),
            methods: methods.keys.sorted().map { name in
                let record = methods[name]!
                return MethodStats(
                    method: name,
                    calls: record.calls,
                    statuses: record.statuses.keys.sorted().map {
                        StatusCount(code: RPCError.Code(rawValue: $0).name, count: record.statuses[$0]!)
                    },
                    p50Ms: Double(record.latencyMicros.valueAtPercentile(50)) / 1000,
                    p90Ms: Double(record.latencyMicros.valueAtPercentile(90)) / 1000,
                    p99Ms: Double(record.latencyMicros.valueAtPercentile(99)) / 1000,
                    maxMs: Double(record.latencyMicros.max) / 1000
                )
            }
        )
    }
}
