import FilingsCore
import Foundation
import Histogram

/// Latency, statuses and bytes of a set of calls.
struct CallStats: Sendable {
    var latencyMicros = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    var statuses: [String: Int] = [:]
    var calls = 0
    var bytesSent = 0
    var bytesReceived = 0

    mutating func record(code: RPCError.Code, latency: Duration, sent: Int, received: Int) {
        _ = latencyMicros.record(UInt64(max(1, latency.wholeMicroseconds)))
        statuses[code.name, default: 0] += 1
        calls += 1
        bytesSent += sent
        bytesReceived += received
    }

    mutating func merge(_ other: CallStats) {
        latencyMicros.add(other.latencyMicros)
        statuses.merge(other.statuses, uniquingKeysWith: +)
        calls += other.calls
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
    }

    /// Milliseconds at `percentile`.
    func ms(_ percentile: Double) -> Double { Double(latencyMicros.valueAtPercentile(percentile)) / 1000 }
    var minMs: Double { calls == 0 ? 0 : Double(latencyMicros.min) / 1000 }
    var maxMs: Double { calls == 0 ? 0 : Double(latencyMicros.max) / 1000 }
}

/// What a run measured, in all and by method.
struct RunResult: Sendable {
    var total = CallStats()
    var byRPC: [String: CallStats] = [:]
    var elapsed: Duration = .zero
    var lastEnd: ContinuousClock.Instant?

    mutating func record(
        _ outcome: (rpc: BenchRPC, code: RPCError.Code, sent: Int, received: Int),
        latency: Duration,
        at end: ContinuousClock.Instant
    ) {
        total.record(code: outcome.code, latency: latency, sent: outcome.sent, received: outcome.received)
        byRPC[outcome.rpc.rawValue, default: CallStats()].record(
            code: outcome.code,
            latency: latency,
            sent: outcome.sent,
            received: outcome.received
        )
        lastEnd = max(lastEnd ?? end, end)
    }

    mutating func merge(_ other: RunResult) {
        total.merge(other.total)
        for (name, stats) in other.byRPC { byRPC[name, default: CallStats()].merge(stats) }
        if let end = other.lastEnd { lastEnd = max(lastEnd ?? end, end) }
    }
}

/// The report of a load run, for people or as JSON.
struct LoadReport {
    var rpc: String
    var loadModel: String
    var rate: Double?
    var connections: Int
    var concurrency: Int
    var result: RunResult

    private var seconds: Double { max(result.elapsed.secondsValue, 1e-9) }
    private var stats: CallStats { result.total }

    static let percentiles: [(name: String, value: Double)] = [
        ("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9),
    ]

    var text: String {
        var lines: [String] = []
        let rateText = rate.map { " rate=\(Self.number($0))/s" } ?? ""
        lines.append(
            "rpc=\(rpc) load=\(loadModel)\(rateText) connections=\(connections) concurrency=\(concurrency) "
                + "seconds=\(String(format: "%.2f", seconds))"
        )
        lines.append("")
        lines.append("  calls        \(stats.calls)")
        lines.append("  calls/s      \(String(format: "%.1f", Double(stats.calls) / seconds))")
        lines.append(
            "  bytes/s      sent \(Self.bytes(Double(stats.bytesSent) / seconds))  received "
                + "\(Self.bytes(Double(stats.bytesReceived) / seconds))"
        )
        lines.append("")
        lines.append(
            "  latency (ms) min \(Self.ms(stats.minMs))  "
                + Self.percentiles.map { "\($0.name) \(Self.ms(stats.ms($0.value)))" }.joined(separator: "  ")
                + "  max \(Self.ms(stats.maxMs))"
        )
        if result.byRPC.count > 1 {
            for name in result.byRPC.keys.sorted() {
                let one = result.byRPC[name]!
                lines.append(
                    "    \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(one.calls) calls  "
                        + "p50 \(Self.ms(one.ms(50)))  p99 \(Self.ms(one.ms(99)))  max \(Self.ms(one.maxMs))"
                )
            }
        }
        lines.append("")
        lines.append(
            "  statuses     "
                + stats.statuses.keys.sorted().map { "\($0)=\(stats.statuses[$0]!)" }.joined(separator: " ")
        )
        lines.append("")
        lines.append("  latency histogram")
        let buckets = histogram
        let most = buckets.map(\.count).max() ?? 1
        for bucket in buckets {
            let bar = String(
                repeating: "█",
                count: most == 0 ? 0 : Int((Double(bucket.count) / Double(most) * 40).rounded(.up))
            )
            lines.append(
                "  ≤ \(Self.ms(bucket.upToMs).leftPadded(9)) ms  \(String(bucket.count).leftPadded(8))  \(bar)"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// Counts in ten buckets that grow geometrically from the minimum to the maximum latency.
    var histogram: [(upToMs: Double, count: Int)] {
        guard stats.calls > 0 else { return [] }
        let low = max(stats.minMs, 0.001)
        let high = max(stats.maxMs, low * 1.0001)
        let steps = 10
        let ratio = pow(high / low, 1 / Double(steps))
        var bounds = (1...steps).map { low * pow(ratio, Double($0)) }
        bounds[steps - 1] = high
        var counts = [Int](repeating: 0, count: steps)
        for value in stats.latencyMicros.recordedValues() {
            let ms = Double(value.value) / 1000
            let index = bounds.firstIndex { ms <= $0 * 1.000001 } ?? steps - 1
            counts[index] += Int(value.count)
        }
        return zip(bounds, counts).map { (upToMs: $0, count: $1) }
    }

    var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("rpc"); writer.string(rpc)
        writer.key("loadModel"); writer.string(loadModel)
        if let rate { writer.key("rate"); writer.double(rate) }
        writer.key("connections"); writer.int32(Int32(connections))
        writer.key("concurrency"); writer.int32(Int32(concurrency))
        writer.key("seconds"); writer.double(seconds)
        writer.key("calls"); writer.int32(Int32(clamping: stats.calls))
        writer.key("callsPerSecond"); writer.double(Double(stats.calls) / seconds)
        writer.key("bytesSentPerSecond"); writer.double(Double(stats.bytesSent) / seconds)
        writer.key("bytesReceivedPerSecond"); writer.double(Double(stats.bytesReceived) / seconds)
        writer.key("latency")
        Self.writeLatency(stats, to: &writer)
        writer.key("statuses")
        writer.beginObject()
        for code in stats.statuses.keys.sorted() {
            writer.key(code); writer.int32(Int32(clamping: stats.statuses[code]!))
        }
        writer.endObject()
        writer.key("byRpc")
        writer.beginObject()
        for name in result.byRPC.keys.sorted() {
            writer.key(name)
            writer.beginObject()
            writer.key("calls"); writer.int32(Int32(clamping: result.byRPC[name]!.calls))
            writer.key("latency")
            Self.writeLatency(result.byRPC[name]!, to: &writer)
            writer.endObject()
        }
        writer.endObject()
        writer.key("histogram")
        writer.beginArray()
        for bucket in histogram {
            writer.beginObject()
            writer.key("upToMs"); writer.double(bucket.upToMs)
            writer.key("count"); writer.int32(Int32(clamping: bucket.count))
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output
    }

    private static func writeLatency(_ stats: CallStats, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("minMs"); writer.double(stats.minMs)
        for (name, value) in [("p50Ms", 50.0), ("p90Ms", 90), ("p99Ms", 99), ("p999Ms", 99.9)] {
            writer.key(name); writer.double(stats.ms(value))
        }
        writer.key("maxMs"); writer.double(stats.maxMs)
        writer.key("meanMs"); writer.double(stats.calls == 0 ? 0 : stats.latencyMicros.mean / 1000)
        writer.endObject()
    }

    static func ms(_ value: Double) -> String { String(format: value < 10 ? "%.3f" : "%.1f", value) }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func bytes(_ perSecond: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var value = perSecond
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f %@", value, units[unit])
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
