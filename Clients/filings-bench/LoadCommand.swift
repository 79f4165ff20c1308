import ArgumentParser
import FilingsClient
import FilingsCore
import FilingsParser
import Foundation
import Synchronization

/// Load on a live server, modelled on ghz and wrk2: closed loop (N calls in flight) or open loop at a fixed rate.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Call a server under load and report throughput, latency and statuses.",
        discussion: """
            Closed loop (the default): connections × concurrency workers each send a call as soon as their last one \
            is answered. Open loop (--rate): calls are scheduled at a fixed total rate and each call's latency is \
            measured from when it was scheduled to be sent, so a server that stalls is charged for every call it \
            held up (no coordinated omission); the workers are the most calls that may be outstanding.

            Payloads: --corpus DIR (files, recursive) for parse and store; --queries FILE for query, one query per \
            line: words for full text and key:value filters (company: symbol: cik: form: kind: from: to: person:
            order:relevance|newest|oldest limit: page:N, with _ for spaces in values). get reads ids from a query \
            before the run, or from --ids FILE; delete deletes the corpus document that a store call of the same \
            index stores.
            """
    )

    @Option(help: "Server address HOST:PORT, several comma-separated for round-robin [FILINGS_ADDR].")
    var addr: String = ProcessInfo.processInfo.environment["FILINGS_ADDR"] ?? "127.0.0.1:7878"

    @Option(help: "Bearer token [FILINGS_TOKEN].")
    var token: String = ProcessInfo.processInfo.environment["FILINGS_TOKEN"] ?? ""

    @Option(help: "health, parse, store, query, get, or mix (with --mix).")
    var rpc: String = "health"

    @Option(help: "Weights for --rpc mix, e.g. query=8,store=1,health=1.")
    var mix: String = "query=7,parse=1,store=1,health=1"

    @Option(help: "Connections per server address.")
    var connections: Int = 1

    @Option(help: "Calls in flight per connection (closed loop), or the most outstanding (open loop).")
    var concurrency: Int = 1

    @Option(help: "Seconds to measure (ignored with --requests).")
    var duration: Double = 10

    @Option(help: "Measure exactly this many calls instead of a duration.")
    var requests: Int?

    @Option(help: "Seconds of load before measuring.")
    var warmup: Double = 1

    @Option(help: "Open loop: calls per second in all.")
    var rate: Double?

    @Option(help: "Directory of documents for parse and store.")
    var corpus: String?

    @Option(
        name: .customLong("preload-mb"),
        help:
            "Read the corpus into memory before the run when it is this many MB or less (0: read each file when sent)."
    )
    var preloadMB: Int = 2048

    @Option(help: "Documents per Store call.")
    var batch: Int = 1

    @Option(help: "File of filing ids for get, one per line (default: the ids of a query made before the run).")
    var ids: String?

    @Option(help: "File of query lines for query.")
    var queries: String?

    @Option(help: "Seconds each call may take.")
    var deadline: Double = 30

    @Flag(help: "Print the whole report as JSON.")
    var json = false

    func validate() throws {
        guard connections > 0, concurrency > 0, duration > 0, warmup >= 0, batch > 0, deadline > 0, preloadMB >= 0
        else {
            throw ValidationError("counts and durations must be positive")
        }
        if let requests, requests <= 0 { throw ValidationError("--requests must be positive") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
    }

    static func loadIDs(_ path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--ids \(path): cannot read it")
        }
        let ids = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw ValidationError("--ids \(path): no ids") }
        return ids
    }

    func run() async throws {
        let mix = try rpc == "mix" ? Mix(parsing: self.mix) : Mix(parsing: rpc)
        let endpoints: [Endpoint]
        do throws(RPCError) {
            endpoints = try Endpoint.list(parsing: addr)
        } catch {
            throw ValidationError("--addr: \(error.message)")
        }
        var configuration = ClientConfiguration.defaults(endpoints: endpoints)
        configuration.connectionsPerEndpoint = connections
        configuration.retry = .none
        configuration.defaultDeadline = .milliseconds(Int64(deadline * 1000))
        configuration.maximumFrameSize = 64 << 20
        if !token.isEmpty { configuration.metadata["authorization"] = "Bearer \(token)" }
        let client = FilingsClient(configuration: configuration)
        defer { client.close() }

        let documents = try corpus.map { try Corpus(directory: $0, preloadBytes: preloadMB << 20) }
        if let documents { FileHandle.standardError.write(Data("corpus: \(documents.summary)\n".utf8)) }
        let workload = try await Workload.prepare(
            mix: mix,
            client: client,
            corpus: documents,
            queries: queries.map(QuerySpec.load),
            ids: try ids.map(Self.loadIDs),
            batch: batch
        )
        let workers = connections * endpoints.count * concurrency
        let plan = RunPlan(
            warmup: .milliseconds(Int64(warmup * 1000)),
            duration: requests == nil ? .milliseconds(Int64(duration * 1000)) : nil,
            requests: requests,
            interval: rate.map { .nanoseconds(Int64(1e9 / $0)) }
        )
        let result = await plan.run(workers: workers, workload: workload)
        let report = LoadReport(
            rpc: rpc == "mix" ? "mix(\(mix))" : rpc,
            loadModel: rate == nil ? "closed" : "open",
            rate: rate,
            connections: connections * endpoints.count,
            concurrency: concurrency,
            result: result
        )
        print(json ? report.json : report.text)
        if result.total.calls == 0 { throw ExitCode(1) }
    }
}

/// The payloads of a run, ready before the clock starts.
struct Workload: Sendable {
    let mix: Mix
    let client: FilingsClient
    let corpus: Corpus?
    let queries: [QueryRequest]
    let ids: [String]
    let batch: Int

    static func prepare(
        mix: Mix,
        client: FilingsClient,
        corpus: Corpus?,
        queries: [QuerySpec]?,
        ids given: [String]?,
        batch: Int
    ) async throws -> Workload {
        do throws(RPCError) {
            _ = try await client.health()
        } catch {
            throw ValidationError("the server does not answer: \(error.message)")
        }
        if mix.rpcs.contains(.parse) || mix.rpcs.contains(.store) || mix.rpcs.contains(.delete), corpus == nil {
            throw ValidationError("parse, store and delete need --corpus DIR")
        }
        if mix.rpcs.contains(.query), queries == nil { throw ValidationError("query needs --queries FILE") }
        var prepared: [QueryRequest] = []
        for spec in queries ?? [] { prepared.append(try await spec.prepared(with: client)) }
        var ids = given ?? []
        if mix.rpcs.contains(.get), given == nil {
            ids = try await client.query(QueryRequest(limit: 1000)).hits.map(\.id)
            guard !ids.isEmpty else { throw ValidationError("get needs stored filings; the store is empty") }
        }
        return Workload(mix: mix, client: client, corpus: corpus, queries: prepared, ids: ids, batch: batch)
    }

    /// Makes call number `index`; returns its method, status, and bytes sent and received.
    func call(_ index: Int) async -> (rpc: BenchRPC, code: RPCError.Code, sent: Int, received: Int) {
        let rpc = mix.rpc(for: index)
        do throws(RPCError) {
            switch rpc {
            case .health:
                let response = try await client.health()
                return (rpc, .ok, 2, response.serializedSize())
            case .parse:
                let document = corpus!.document(index)
                let request = ParseRequest(content: document.content, filename: document.filename)
                let response = try await client.parse(request)
                return (rpc, .ok, request.serializedSize(), response.serializedSize())
            case .store:
                let documents = (0..<batch).map { corpus!.document(index * batch + $0) }
                let request = StoreRequest(documents: documents)
                let response = try await client.store(request)
                let failed = response.results.first { $0.errorCode != 0 }
                return (
                    rpc, failed.map { RPCError.Code(rawValue: $0.errorCode) } ?? .ok, request.serializedSize(),
                    response.serializedSize()
                )
            case .query:
                let request = queries[index % queries.count]
                let response = try await client.query(request)
                return (rpc, .ok, request.serializedSize(), response.serializedSize())
            case .get:
                let request = GetRequest(id: ids[index % ids.count])
                let response = try await client.get(request)
                return (rpc, .ok, request.serializedSize(), response.serializedSize())
            case .delete:
                // The document a store call of the same index stores first: deletes and stores of the corpus
                // alternate, and ids read for get (stored before the run) are never deleted.
                let content = corpus!.document(index * batch).content
                let id = String(content.withUnsafeBufferPointer { SHA256.hexDigest($0) }.prefix(20))
                let request = DeleteRequest(id: id)
                let response = try await client.delete(request)
                return (rpc, .ok, request.serializedSize(), response.serializedSize())
            }
        } catch {
            return (rpc, error.code, 0, 0)
        }
    }
}

/// When to call, and for how long.
struct RunPlan: Sendable {
    var warmup: Duration
    /// Measure for this long, or
    var duration: Duration?
    /// measure this many calls.
    var requests: Int?
    /// Open loop: the time between scheduled calls; nil for closed loop.
    var interval: Duration?

    func run(workers: Int, workload: Workload) async -> RunResult {
        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + warmup
        let progress = RunProgress()
        return await withTaskGroup(of: RunResult.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var result = RunResult()
                    while !progress.finished.load(ordering: .relaxed) {
                        let index = progress.started.wrappingAdd(1, ordering: .relaxed).oldValue
                        // Open loop: call `index` is due at a fixed time, and is late if the worker was busy.
                        var scheduled = clock.now
                        if let interval {
                            scheduled = start + interval * index
                            if scheduled > clock.now { try? await Task.sleep(until: scheduled, clock: clock) }
                        }
                        let began = interval == nil ? clock.now : scheduled
                        let outcome = await workload.call(index)
                        let ended = clock.now
                        guard began >= measureFrom else { continue }
                        if let duration, ended > measureFrom + duration {
                            progress.finished.store(true, ordering: .relaxed)
                            break
                        }
                        if let requests {
                            let number = progress.measured.wrappingAdd(1, ordering: .relaxed).oldValue
                            guard number < requests else {
                                progress.finished.store(true, ordering: .relaxed)
                                break
                            }
                            if number == requests - 1 { progress.finished.store(true, ordering: .relaxed) }
                        }
                        result.record(outcome, latency: ended - began, at: ended)
                    }
                    return result
                }
            }
            var total = RunResult()
            for await result in group { total.merge(result) }
            if let duration, requests == nil {
                total.elapsed = duration
            } else {
                total.elapsed = (total.lastEnd ?? clock.now) - measureFrom
            }
            return total
        }
    }
}

/// Counters the workers of a run share.
final class RunProgress: Sendable {
    /// Calls begun: the next call's index.
    let started = Atomic<Int>(0)
    /// Calls counted toward --requests.
    let measured = Atomic<Int>(0)
    let finished = Atomic<Bool>(false)
}
