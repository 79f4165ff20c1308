import ArgumentParser
import FilingsCore
import FilingsParser
import Foundation

/// Parser throughput on one core: the files of a corpus, and one large synthetic submission.
struct ParseBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Measure the parser's throughput (MB/s on one core) and peak memory.",
        discussion: """
            Example (release build):
              filings-bench parse --corpus ../shared/corpus/dev/docs --large-mb 8
            """
    )

    @Option(help: "A directory of EDGAR files to parse.")
    var corpus: String

    @Option(help: "Seconds to measure each workload.")
    var duration: Double = 5

    @Option(help: "Size in MB of the large submission built from the corpus's largest text document (0: skip).")
    var largeMb: Int = 8

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let directory = URL(fileURLWithPath: corpus)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let files = try names.map { Array(try Data(contentsOf: directory.appendingPathComponent($0))) }
        guard !files.isEmpty else { throw ValidationError("\(corpus) has no files") }
        let parser = EDGARParser()
        var report: [String: Double] = [:]

        let corpusRate = measure(files, parser: parser)
        report["corpus_mb_per_s"] = corpusRate
        report["corpus_bytes"] = Double(files.reduce(0) { $0 + $1.count })
        if largeMb > 0 {
            let large = Self.largeSubmission(from: files, megabytes: largeMb)
            report["large_bytes"] = Double(large.count)
            report["large_mb_per_s"] = measure([large], parser: parser)
        }
        report["peak_rss_mb"] = Self.peakResidentMegabytes()
        if json {
            let body = report.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
            print("{\(body)}")
        } else {
            print(
                String(
                    format: "corpus: %d files, %.1f MB, %.1f MB/s on one core",
                    files.count,
                    report["corpus_bytes"]! / 1e6,
                    corpusRate
                )
            )
            if let rate = report["large_mb_per_s"] {
                print(
                    String(
                        format: "large submission: %.1f MB, %.1f MB/s on one core",
                        report["large_bytes"]! / 1e6,
                        rate
                    )
                )
            }
            print(String(format: "peak RSS: %.1f MB", report["peak_rss_mb"]!))
        }
    }

    /// MB/s parsing `inputs` round-robin on this thread for `duration` seconds (after one warm-up pass).
    private func measure(_ inputs: [[UInt8]], parser: EDGARParser) -> Double {
        for input in inputs { _ = try? parser.parse(input) }
        let clock = ContinuousClock()
        let start = clock.now
        var bytes = 0
        var elapsed = Duration.zero
        repeat {
            for input in inputs {
                _ = try? parser.parse(input)
                bytes += input.count
            }
            elapsed = clock.now - start
        } while elapsed < .milliseconds(Int64(duration * 1000))
        return Double(bytes) / 1e6 / elapsed.secondsValue
    }

    /// A 10-K-sized submission: an SGML header and the corpus's largest text document repeated to `megabytes`.
    static func largeSubmission(from files: [[UInt8]], megabytes: Int) -> [UInt8] {
        let text = files.max { $0.count < $1.count }!
        var out = Array(
            """
            <SEC-DOCUMENT>0000000000-00-000001.txt : 20010326
            <SEC-HEADER>0000000000-00-000001.hdr.sgml : 20010326
            ACCESSION NUMBER:\t\t0000000000-00-000001
            CONFORMED SUBMISSION TYPE:\t10-K
            PUBLIC DOCUMENT COUNT:\t\t1
            </SEC-HEADER>
            <DOCUMENT>
            <TYPE>10-K
            <SEQUENCE>1
            <TEXT>

            """.utf8
        )
        while out.count < megabytes << 20 { out += text }
        out += Array("\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n".utf8)
        return out
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
