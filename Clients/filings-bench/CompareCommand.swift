import ArgumentParser
import Foundation

/// `filings-bench compare A.json B.json`: how run B differs from run A.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Print the ratios B/A of two runs' throughput and latency (from --json reports).",
        discussion: """
            Example:
              filings-bench --rpc query --queries q.txt --json > before.json
              filings-bench --rpc query --queries q.txt --json > after.json
              filings-bench compare before.json after.json
            """
    )

    @Argument(help: "The baseline report.")
    var baseline: String

    @Argument(help: "The report to compare with the baseline.")
    var candidate: String

    func run() throws {
        let a = try Self.load(baseline)
        let b = try Self.load(candidate)
        print("\((a["rpc"] as? String) ?? "?") → \((b["rpc"] as? String) ?? "?")")
        print(
            "metric".padding(toLength: 22, withPad: " ", startingAt: 0) + "A".leftPadded(12) + "B".leftPadded(12)
                + "B/A".leftPadded(9)
        )
        func row(_ name: String, _ left: Double?, _ right: Double?, higherIsBetter: Bool) {
            guard let left, let right else { return }
            let ratio = left == 0 ? Double.nan : right / left
            let better = ratio.isNaN || ratio == 1 ? "" : ((ratio > 1) == higherIsBetter ? "  better" : "  worse")
            print(
                name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%.3f", left).leftPadded(12)
                    + String(format: "%.3f", right).leftPadded(12) + String(format: "%.3f", ratio).leftPadded(9)
                    + better
            )
        }
        row("calls/s", a["callsPerSecond"] as? Double, b["callsPerSecond"] as? Double, higherIsBetter: true)
        row(
            "received bytes/s",
            a["bytesReceivedPerSecond"] as? Double,
            b["bytesReceivedPerSecond"] as? Double,
            higherIsBetter: true
        )
        let latencyA = a["latency"] as? [String: Any] ?? [:]
        let latencyB = b["latency"] as? [String: Any] ?? [:]
        for key in ["minMs", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs"] {
            row("latency " + key, latencyA[key] as? Double, latencyB[key] as? Double, higherIsBetter: false)
        }
    }

    private static func load(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw ValidationError("\(path): not a report written by filings-bench --json")
        }
        return object
    }
}
