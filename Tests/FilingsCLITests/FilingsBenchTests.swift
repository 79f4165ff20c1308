import FilingsCore
import FilingsTestSupport
import Foundation
import Testing

/// `filings-bench` against a live server: its reports, for people and as JSON, and `compare`.
@Suite(.serialized) struct FilingsBenchTests {
    func bench(_ live: LiveServer, _ arguments: [String]) async throws -> CommandOutput {
        try await CommandRunner.run("filings-bench", arguments, environment: live.environment)
    }

    @Test func closedAndOpenLoopReportsAndCompare() async throws {
        try await LiveServer.with { live in
            let human = try await bench(
                live,
                ["--rpc", "health", "--duration", "0.3", "--warmup", "0", "--concurrency", "4"]
            )
            #expect(human.status == 0, "\(human.stderr)")
            #expect(
                human.lines.first?.hasPrefix("rpc=health load=closed connections=1 concurrency=4 seconds=0.30") == true
            )
            for label in ["calls/s", "bytes/s", "latency (ms) min", "p99.9", "statuses     OK=", "latency histogram"] {
                #expect(human.stdout.contains(label), "\(label)")
            }

            let closed = try await bench(live, ["--rpc", "health", "--duration", "0.3", "--warmup", "0", "--json"])
            let open = try await bench(
                live,
                [
                    "--rpc", "health", "--duration", "0.5", "--warmup", "0", "--rate", "200", "--concurrency", "4",
                    "--json",
                ]
            )
            for run in [closed, open] {
                let report = try #require(
                    try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
                )
                #expect((report["callsPerSecond"] as? Double ?? 0) > 0)
                #expect((report["statuses"] as? [String: Any])?["OK"] != nil)
                let latency = try #require(report["latency"] as? [String: Any])
                #expect((latency["p50Ms"] as? Double ?? -1) <= (latency["p99Ms"] as? Double ?? -2))
                #expect((report["histogram"] as? [Any])?.isEmpty == false)
            }
            let openReport = try #require(
                try JSONSerialization.jsonObject(with: Data(open.stdout.utf8)) as? [String: Any]
            )
            #expect(openReport["loadModel"] as? String == "open")
            // An open loop at 200/s for 0.5 s makes about 100 calls, however fast the server is.
            #expect((80...120).contains(openReport["calls"] as? Int ?? 0))

            let a = live.directory.appendingPathComponent("a.json")
            let b = live.directory.appendingPathComponent("b.json")
            try Data(closed.stdout.utf8).write(to: a)
            try Data(open.stdout.utf8).write(to: b)
            let compare = try await bench(live, ["compare", a.path, b.path])
            #expect(compare.status == 0)
            #expect(compare.lines.contains { $0.hasPrefix("calls/s") })
            #expect(compare.lines.contains { $0.hasPrefix("latency p99Ms") })
        }
    }

    @Test func storeAndQueryWorkloads() async throws {
        try await LiveServer.with { live in
            var files: [String: [UInt8]] = [:]
            for (index, release) in SyntheticFiling.batch(count: 12, seed: 103).enumerated() {
                files["r\(index).txt"] = release.bytes
            }
            let corpus = try live.folder("corpus", files)
            let store = try await bench(
                live,
                [
                    "--rpc", "store", "--corpus", corpus, "--requests", "12", "--warmup", "0", "--connections", "3",
                    "--json",
                ]
            )
            let storeReport = try #require(
                try JSONSerialization.jsonObject(with: Data(store.stdout.utf8)) as? [String: Any]
            )
            #expect(storeReport["calls"] as? Int == 12)
            #expect((storeReport["statuses"] as? [String: Any])?["OK"] as? Int == 12)
            // The corpus was read into memory before the run (it is far below --preload-mb): every file was sent,
            // each once, as reading the files one by one sends them.
            #expect(try await live.filings("stats").stdout.contains("store sqlite: 12 documents, "))
            let extra = try live.folder("extra", ["late.txt": SyntheticFiling.batch(count: 1, seed: 107)[0].bytes])
            for preload in ["0", "1"] {
                let again = try await bench(
                    live,
                    [
                        "--rpc", "store", "--corpus", corpus, "--requests", "12", "--warmup", "0", "--preload-mb",
                        preload,
                    ]
                )
                #expect(again.status == 0, "\(again.stderr)")
                #expect(
                    again.stderr.contains(preload == "0" ? "corpus: 12 files, each read when sent" : "MB, in memory"),
                    "\(again.stderr)"
                )
                #expect(try await live.filings("stats").stdout.contains("store sqlite: 12 documents, "))
            }
            let late = try await bench(
                live,
                ["--rpc", "store", "--corpus", extra, "--requests", "1", "--warmup", "0", "--preload-mb", "0"]
            )
            #expect(late.status == 0, "\(late.stderr)")
            #expect(try await live.filings("stats").stdout.contains("store sqlite: 13 documents, "))
            #expect(try await bench(live, ["--rpc", "store", "--corpus", corpus, "--preload-mb", "-1"]).status != 0)

            let queries = live.directory.appendingPathComponent("queries.txt")
            try Data("pleased\nkind:PRESS_RELEASE order:newest limit:5\nkind:PRESS_RELEASE limit:5 page:2\n".utf8)
                .write(to: queries)
            let query = try await bench(
                live,
                [
                    "--rpc", "mix", "--mix", "query=3,get=1", "--queries", queries.path, "--duration", "0.3",
                    "--warmup", "0",
                ]
            )
            #expect(query.status == 0, "\(query.stderr)")
            #expect(query.stdout.contains("    get "))
            #expect(query.stdout.contains("    query "))
            #expect(!query.stdout.contains("INVALID_ARGUMENT"))

            let missing = try await bench(live, ["--rpc", "store", "--duration", "0.1"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("need --corpus"))
        }
    }
}
