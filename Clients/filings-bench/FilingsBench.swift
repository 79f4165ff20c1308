import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation
import Histogram
import Synchronization

/// `filings-bench`: measures the filings RPC stack.
@main
struct FilingsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filings-bench",
        abstract: "Load-test a filings server, or measure the message codec.",
        subcommands: [RPCBenchmark.self, CodecBenchmark.self, ParseBenchmark.self],
        defaultSubcommand: RPCBenchmark.self
    )
}

/// Closed-loop load: `connections` × `concurrency` calls in flight, for a duration.
struct RPCBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Closed-loop load: connections × concurrency calls in flight.",
        discussion: """
            Example (a server on the default port):
              filings-bench rpc --rpc health --connections 16 --concurrency 64 --duration 10
            """
    )

    @Option(help: "The server, HOST:PORT [FILINGS_ADDR].")
    var addr: String = ProcessInfo.processInfo.environment["FILINGS_ADDR"] ?? "127.0.0.1:7878"

    @Option(help: "The method to call: health.")
    var rpc: String = "health"

    @Option(help: "Connections to open.")
    var connections: Int = 1

    @Option(help: "Calls in flight on each connection.")
    var concurrency: Int = 1

    @Option(help: "Seconds to measure.")
    var duration: Double = 10

    @Option(help: "Seconds to run before measuring.")
    var warmup: Double = 2

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard rpc == "health" else {
            throw ValidationError("--rpc takes 'health' (more methods come with their services)")
        }
        guard connections > 0, concurrency > 0, duration > 0, warmup >= 0 else {
            throw ValidationError("counts and durations must be positive")
        }
    }

    func run() async throws {
        var configuration = ClientConfiguration.defaults(endpoints: [try Endpoint(parsing: addr)])
        configuration.connectionsPerEndpoint = connections
        configuration.retry = .none
        let client = FilingsClient(configuration: configuration)
        defer { client.close() }
        _ = try await client.health()

        let phase = RunPhase()
        let workers = connections * concurrency
        let start = ContinuousClock.now
        let measureFrom = start + .milliseconds(Int64(warmup * 1000))
        let measureUntil = measureFrom + .milliseconds(Int64(duration * 1000))
        let results = await withTaskGroup(of: WorkerResult.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var result = WorkerResult()
                    while !phase.stop.load(ordering: .relaxed) {
                        let begin = ContinuousClock.now
                        let code: RPCError.Code
                        do throws(RPCError) {
                            _ = try await client.health()
                            code = .ok
                        } catch {
                            code = error.code
                        }
                        if phase.recording.load(ordering: .relaxed) {
                            result.record(latency: ContinuousClock.now - begin, code: code)
                        }
                    }
                    return result
                }
            }
            try? await Task.sleep(until: measureFrom, clock: .continuous)
            phase.recording.store(true, ordering: .relaxed)
            try? await Task.sleep(until: measureUntil, clock: .continuous)
            phase.recording.store(false, ordering: .relaxed)
            phase.stop.store(true, ordering: .relaxed)
            var total = WorkerResult()
            for await result in group {
                total.merge(result)
            }
            return total
        }
        let report = Report(
            rpc: rpc,
            connections: connections,
            concurrency: concurrency,
            seconds: duration,
            result: results
        )
        print(json ? report.json : report.text)
    }
}

/// Whether the workers record, and whether they stop.
final class RunPhase: Sendable {
    let recording = Atomic<Bool>(false)
    let stop = Atomic<Bool>(false)
}

/// What one worker measured.
struct WorkerResult: Sendable {
    var latencyMicros = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// Calls by status code number; the last slot counts codes outside gRPC's.
    var countsByCode = [Int](repeating: 0, count: RPCError.Code.all.count + 1)

    mutating func record(latency: Duration, code: RPCError.Code) {
        _ = latencyMicros.record(UInt64(max(1, latency.wholeMicroseconds)))
        let slot = Int(code.rawValue)
        countsByCode[countsByCode.indices.dropLast().contains(slot) ? slot : countsByCode.count - 1] += 1
    }

    mutating func merge(_ other: WorkerResult) {
        latencyMicros.add(other.latencyMicros)
        for slot in countsByCode.indices {
            countsByCode[slot] += other.countsByCode[slot]
        }
    }

    /// Calls by status name.
    var codes: [String: Int] {
        var codes: [String: Int] = [:]
        for (slot, count) in countsByCode.enumerated() where count > 0 {
            codes[slot < RPCError.Code.all.count ? RPCError.Code.all[slot].name : "OTHER"] = count
        }
        return codes
    }
}

struct Report {
    var rpc: String
    var connections: Int
    var concurrency: Int
    var seconds: Double
    var result: WorkerResult

    private func ms(_ percentile: Double) -> Double {
        Double(result.latencyMicros.valueAtPercentile(percentile)) / 1000
    }

    var callsPerSecond: Double { Double(result.latencyMicros.totalCount) / seconds }

    var text: String {
        let codes = result.codes.keys.sorted().map { "\($0)=\(result.codes[$0]!)" }.joined(separator: " ")
        return """
            rpc=\(rpc) connections=\(connections) concurrency=\(concurrency) seconds=\(seconds)
            calls/s   \(String(format: "%.0f", callsPerSecond))
            latency   p50 \(String(format: "%.3f", ms(50))) ms  p90 \(String(format: "%.3f", ms(90))) ms  \
            p99 \(String(format: "%.3f", ms(99))) ms  p99.9 \(String(format: "%.3f", ms(99.9))) ms  \
            max \(String(format: "%.3f", Double(result.latencyMicros.max) / 1000)) ms
            statuses  \(codes)
            """
    }

    var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("rpc"); writer.string(rpc)
        writer.key("connections"); writer.int32(Int32(connections))
        writer.key("concurrency"); writer.int32(Int32(concurrency))
        writer.key("seconds"); writer.double(seconds)
        writer.key("callsPerSecond"); writer.double(callsPerSecond.rounded())
        for (name, percentile) in [("p50Ms", 50.0), ("p90Ms", 90), ("p99Ms", 99), ("p999Ms", 99.9)] {
            writer.key(name); writer.double(ms(percentile))
        }
        writer.key("maxMs"); writer.double(Double(result.latencyMicros.max) / 1000)
        writer.key("statuses")
        writer.beginObject()
        for code in result.codes.keys.sorted() {
            writer.key(code); writer.int32(Int32(result.codes[code]!))
        }
        writer.endObject()
        writer.endObject()
        return writer.output
    }
}

/// Encode and decode of a ParsedFiling of about 4 KiB through protobuf-c.
struct CodecBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Encode + decode a ~4 KiB ParsedFiling through protobuf-c; prints operations per second."
    )

    @Option(help: "Seconds to measure each of encode, decode and the round trip.")
    var duration: Double = 3

    func run() throws {
        let filing = CodecBenchmark.sampleFiling()
        let bytes = filing.serializedBytes()
        print("message: ParsedFiling, \(bytes.count) bytes encoded")
        measure("encode") {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(bytes.count)
            filing.serialize(into: &buffer)
            return buffer.count
        }
        measure("decode") {
            (try? ParsedFiling(serializedBytes: bytes))?.documents.count ?? 0
        }
        measure("encode+decode") {
            (try? ParsedFiling(serializedBytes: filing.serializedBytes()))?.documents.count ?? 0
        }
    }

    private func measure(_ name: String, _ body: () -> Int) {
        var sink = 0
        for _ in 0..<1000 { sink &+= body() }
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int64(duration * 1000))
        var operations = 0
        let start = clock.now
        while clock.now < end {
            for _ in 0..<100 { sink &+= body() }
            operations += 100
        }
        let elapsed = clock.now - start
        let seconds = elapsed.secondsValue
        print(
            "\(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(format: "%9.0f", Double(operations) / seconds)) ops/s  (\(sink % 2))"
        )
    }

    /// A press release's worth of facts: about 4 KiB encoded.
    static func sampleFiling() -> ParsedFiling {
        let span = Span(start: 1200, end: 1214)
        let paragraph =
            "NeoTherapeutics, Inc. (Nasdaq: NEOT) announced today that it has formed a joint venture with J.B. "
            + "Chemicals & Pharmaceuticals, Ltd. to manage US clinical development and regulatory approvals. "
        return ParsedFiling(
            sha256: String(repeating: "5f", count: 32),
            byteLength: 18_432,
            parserVersion: "1.0.0",
            format: .plainText,
            documents: [
                Document(
                    type: "EX-99.1",
                    sequence: 1,
                    kind: .pressRelease,
                    title: "NEOTHERAPEUTICS AND J.B. CHEMICALS & PHARMACEUTICALS FORM JOINT VENTURE",
                    text: String(repeating: paragraph, count: 15),
                    dateline: Dateline(city: "IRVINE", state: "Calif.", date: "2002-05-01"),
                    issuer: Security(name: "NeoTherapeutics, Inc.", exchange: "NASDAQ", symbol: "NEOT", span: span),
                    securities: [
                        Security(name: "NeoTherapeutics, Inc.", exchange: "NASDAQ", symbol: "NEOT", span: span),
                        Security(
                            name: "J.B. Chemicals & Pharmaceuticals, Ltd.",
                            exchange: "Bombay Stock Exchange",
                            symbol: "JBCPL",
                            span: span
                        ),
                    ],
                    contacts: [
                        Contact(
                            role: "Media Relations",
                            name: "Jon Siegal",
                            organization: "RTA Inc.",
                            phone: "(508) 647-9782",
                            extension: "15",
                            span: span
                        )
                    ],
                    people: [
                        Person(
                            name: "Alvin J. Glasky",
                            title: "Chairman and Chief Executive Officer",
                            organization: "NeoTherapeutics",
                            span: span
                        ),
                        Person(
                            name: "J.B. Mody",
                            title: "Chairman",
                            organization: "J.B. Chemicals & Pharmaceuticals",
                            span: span
                        ),
                    ],
                    quotes: [
                        Quote(
                            speaker: "Alvin J. Glasky",
                            text: "This joint venture is an important step for us.",
                            span: span
                        )
                    ],
                    money: (0..<8).map {
                        Money(text: "$\($0).5 million", value: Double($0) * 1e6 + 5e5, currency: "USD", span: span)
                    },
                    percentages: [Percentage(text: "80%", value: 80, span: span)],
                    dates: [DateMention(text: "May 1, 2002", date: "2002-05-01", span: span)],
                    urls: ["www.neot.com", "www.uniquepharma.com"],
                    forwardLooking: true
                )
            ]
        )
    }
}
