import FilingsCore
import Histogram
import Synchronization

/// Calls, statuses and latency per method, and connection counts, since the server started.
final class ServerMetrics: Sendable {
    private struct MethodRecord {
        var calls: UInt64 = 0
        var statuses: [Int32: UInt64] = [:]
        var latencyMicros = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
    }

    private struct State: ~Copyable {
        var methods: [String: MethodRecord] = [:]
        var openConnections = 0
        var totalConnections: UInt64 = 0
        var callsInFlight = 0
    }

    let started = ContinuousClock.now
    private let state = Mutex(State())

    /// A connection opened; false when it is over `limit` (and was not counted).
    func connectionOpened(limit: Int) -> Bool {
        state.withLock { state in
            guard state.openConnections < limit else { return false }
            state.openConnections += 1
            state.totalConnections += 1
            return true
        }
    }

    func connectionClosed() {
        state.withLock { $0.openConnections -= 1 }
    }

    var openConnections: Int {
        state.withLock { $0.openConnections }
    }

    func callStarted() {
        state.withLock { $0.callsInFlight += 1 }
    }

    /// A call ended with `code` after `latency`; `started` is false for calls refused before they were taken.
    func callEnded(method: String, code: RPCError.Code, latency: Duration, started: Bool) {
        let micros = UInt64(max(0, latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000))
        state.withLock { state in
            if started { state.callsInFlight -= 1 }
            state.methods[method, default: MethodRecord()].calls += 1
            state.methods[method]!.statuses[code.rawValue, default: 0] += 1
            _ = state.methods[method]!.latencyMicros.record(micros)
        }
    }

    func snapshot(version: String) -> ServerStats {
        let uptime = ContinuousClock.now - started
        return state.withLock { state in
            ServerStats(
                version: version,
                uptimeSeconds: Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18,
                openConnections: UInt32(state.openConnections),
                totalConnections: state.totalConnections,
                callsInFlight: UInt32(max(0, state.callsInFlight)),
                methods: state.methods.keys.sorted().map { name in
                    let record = state.methods[name]!
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
}
