import FilingsClient
import FilingsCore
import FilingsServer
import FilingsTestSupport
import FilingsTransport
import Foundation
import Testing

/// PROTOCOL.md §7 and §9 from the client's side: a call that ends (CANCEL, deadline, shutdown) really ends. Shown
/// by the work stopping — rows not written, CPU not spent, slots not freed early — not by the answer arriving.
@Suite(.serialized) struct CancellationTests {
    enum Stop: String, CaseIterable, CustomTestStringConvertible {
        case cancel, deadline
        var testDescription: String { rawValue }
    }

    /// Sixteen distinct documents of 64 KB: at least 100 ms of parsing even in a release build (seconds in the
    /// debug build the tests use), so a call stopped after 30 ms is stopped in the middle of its work.
    private static func bigStore() -> StoreRequest {
        let releases = SyntheticFiling.batch(count: 16, seed: 12)
        return StoreRequest(
            documents: releases.enumerated().map { index, release in
                StoreDocument(content: release.longBytes(kilobytes: 64, variant: index), filename: "doc\(index).txt")
            }
        )
    }

    /// Waits until the server's only call in flight is the Stats call asking, i.e. every handler has returned.
    private static func waitForHandlers(_ client: FilingsClient) async throws -> StatsResponse {
        let end = ContinuousClock.now + .seconds(30)
        while true {
            let stats = try await client.stats()
            if stats.server?.callsInFlight == 1 || ContinuousClock.now > end { return stats }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test(arguments: Stop.allCases)
    func aStoppedStoreWritesNothing(stop: Stop) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-cancel-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(["--store", "sqlite:\(directory.path)/filings.sqlite"])
        defer { server.terminate() }
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        let request = Self.bigStore()

        let noRetry = CallOptions(retry: RetryPolicy.none)
        switch stop {
        case .deadline:
            let error = await #expect(throws: RPCError.self) {
                try await client.store(
                    request,
                    options: CallOptions(timeout: .milliseconds(30), retry: RetryPolicy.none)
                )
            }
            #expect(error?.code == .deadlineExceeded)
        case .cancel:
            let call = Task { try await client.store(request, options: noRetry) }
            try await Task.sleep(for: .milliseconds(30))
            call.cancel()
            _ = await call.result
        }

        let stats = try await Self.waitForHandlers(client)
        #expect(stats.server?.callsInFlight == 1, "the stopped Store's handler returned")
        #expect(stats.store?.documents == 0, "nothing of a Store stopped before its commit is written")
        try await Task.sleep(for: .seconds(1))
        #expect(try await client.stats().store?.documents == 0, "and nothing is written later either")

        // PROTOCOL.md: retrying the Store is safe; it stores every document now.
        let retried = try await client.store(request)
        #expect(retried.results.allSatisfy { $0.created && $0.errorCode == 0 })
        #expect(try await client.stats().store?.documents == 16)
    }

    @Test func cancelledParsesStopSpendingCPU() async throws {
        let server = try await ServerProcess.start(["--store", "none"])
        defer { server.terminate() }
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        let release = SyntheticFiling.batch(count: 1, seed: 3)[0]
        let request = ParseRequest(content: release.longBytes(kilobytes: 512))
        _ = try await client.health()

        let beforeFull = try server.cpuTime
        for _ in 0..<3 {
            _ = try await client.parse(request)
        }
        let full = try server.cpuTime - beforeFull

        let beforeCancelled = try server.cpuTime
        for _ in 0..<3 {
            let call = Task { try await client.parse(request, options: CallOptions(retry: RetryPolicy.none)) }
            try await Task.sleep(for: .milliseconds(20))
            call.cancel()
            _ = await call.result
        }
        _ = try await Self.waitForHandlers(client)
        let cancelled = try server.cpuTime - beforeCancelled
        #expect(
            cancelled * 3 < full,
            "three cancelled parses used \(cancelled) of CPU, three complete ones \(full): the work did not stop"
        )
    }

    /// Documents of random words (a vocabulary of 40,000, 4 to 9 letters), so that a prefix of one letter stands
    /// for thousands of index terms.
    private static func randomWordDocuments(count: Int, words: Int, seed: UInt64) -> [StoreDocument] {
        var random = SplitMix64(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        let vocabulary = (0..<40_000).map { _ in
            (0..<Int.random(in: 4...9, using: &random)).map { _ in letters.randomElement(using: &random)! }
        }
        return (0..<count).map { index in
            var text = Array("Press release \(index)\n\n".utf8)
            for word in 0..<words {
                text += vocabulary.randomElement(using: &random)!
                text.append(word % 12 == 11 ? 0x0A : 0x20)
            }
            return StoreDocument(content: text, filename: "random\(index).txt")
        }
    }

    /// Every letter as a prefix: every term of the index, ranked (seconds of a store's work).
    private static let everyTerm = (UInt8(ascii: "a")...UInt8(ascii: "z"))
        .map { String(UnicodeScalar($0)) + "*" }
        .joined(separator: " OR ")

    /// Waits until the server spends less than 20 ms of CPU in a second (an idle store merges its indexes).
    private static func waitUntilQuiet(_ server: ServerProcess) async throws {
        var last = try server.cpuTime
        for _ in 0..<60 {
            try await Task.sleep(for: .seconds(1))
            let now = try server.cpuTime
            if now - last < .milliseconds(20) { return }
            last = now
        }
    }

    /// PROTOCOL.md §7 on a Query: a ranked query over every term of the index (each letter as a prefix) takes a
    /// second or more of the store's CPU; stopped after 50 ms, it stops spending it, and its slot is freed once it
    /// has. Without the store's interruption the reads run to their end (the CPU of complete queries).
    @Test(arguments: Stop.allCases)
    func aStoppedQueryStopsSpendingCPU(stop: Stop) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-cancel-query-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(["--store", "sqlite:\(directory.path)/filings.sqlite"])
        defer { server.terminate() }
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        let documents = Self.randomWordDocuments(count: 400, words: 3_000, seed: 21)
        for batch in stride(from: 0, to: documents.count, by: 50) {
            let response = try await client.store(StoreRequest(documents: Array(documents[batch..<batch + 50])))
            #expect(response.results.allSatisfy { $0.created })
        }
        try await Self.waitUntilQuiet(server)
        let request = QueryRequest(text: Self.everyTerm, limit: 20)
        let noRetry = CallOptions(retry: RetryPolicy.none)
        let probe = QueryRequest(text: "ab* OR press", limit: 20)
        let ranked = try await client.query(probe).hits.map(\.id)
        #expect(ranked.count == 20)

        let beforeFull = try server.cpuTime
        for _ in 0..<2 {
            #expect(try await client.query(request, options: noRetry).totalCount == 400)
        }
        let full = try server.cpuTime - beforeFull

        let beforeStopped = try server.cpuTime
        for _ in 0..<2 {
            switch stop {
            case .deadline:
                let error = await #expect(throws: RPCError.self) {
                    try await client.query(
                        request,
                        options: CallOptions(timeout: .milliseconds(50), retry: RetryPolicy.none)
                    )
                }
                #expect(error?.code == .deadlineExceeded)
            case .cancel:
                let call = Task { try await client.query(request, options: noRetry) }
                try await Task.sleep(for: .milliseconds(50))
                call.cancel()
                _ = await call.result
            }
        }
        let stats = try await Self.waitForHandlers(client)
        let stopped = try server.cpuTime - beforeStopped
        #expect(stats.server?.callsInFlight == 1, "the stopped queries' handlers returned")
        #expect(
            stopped * 3 < full,
            "two stopped queries used \(stopped) of CPU, two complete ones \(full): the reads did not stop"
        )
        // The readers, the stopped queries' among them, rank as before (eight calls, on whichever take them).
        for _ in 0..<8 {
            #expect(try await client.query(probe).hits.map(\.id) == ranked)
        }
    }

    /// A query too broad to answer within the server's limit (`--max-query-time`, here 0.1 s) is stopped in the store
    /// and answered RESOURCE_EXHAUSTED, whatever the caller's deadline; the next query is answered as usual.
    @Test func aQueryPastTheServersTimeLimitIsStopped() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-query-limit-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start([
            "--store", "sqlite:\(directory.path)/filings.sqlite", "--max-query-time", "0.1",
        ])
        defer { server.terminate() }
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        let documents = Self.randomWordDocuments(count: 400, words: 3_000, seed: 21)
        for batch in stride(from: 0, to: documents.count, by: 50) {
            _ = try await client.store(StoreRequest(documents: Array(documents[batch..<batch + 50])))
        }
        try await Self.waitUntilQuiet(server)

        let before = try server.cpuTime
        for _ in 0..<2 {
            let error = await #expect(throws: RPCError.self) {
                try await client.query(
                    QueryRequest(text: Self.everyTerm, limit: 20),
                    options: CallOptions(timeout: .seconds(600), retry: RetryPolicy.none)
                )
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.message.contains("limit of 0.1 seconds") == true, "\(String(describing: error))")
        }
        let stats = try await Self.waitForHandlers(client)
        let spent = try server.cpuTime - before
        #expect(stats.server?.callsInFlight == 1, "the stopped queries' handlers returned")
        // Complete, the two take 1.4 s of CPU on the machine this was written on, and more in CI.
        #expect(spent < .seconds(1), "two queries stopped after 0.1 s used \(spent) of CPU")
        #expect(try await client.query(QueryRequest(text: "press", limit: 1)).totalCount == 400)
    }

    /// CANCEL does not free a call's slot before its handler has returned: 20 calls cancelled at once on a
    /// connection limited to 2 calls never run more than 2 at a time, and Stats counts them while they run.
    @Test func cancelledCallsKeepTheirSlotsUntilTheirWorkEnds() async throws {
        try await TestServer.with(configure: { $0.maximumConcurrentCallsPerConnection = 2 }) { test in
            let raw = try RawConnection(test.endpoint)
            var bytes = Preface.bytes
            for id in UInt32(1)...20 {
                FrameEncoder.appendRequest(
                    callID: id,
                    header: WireRequestHeader(method: TestMethods.stubborn.path),
                    message: HealthRequest(service: "50"),
                    to: &bytes
                )
                FrameEncoder.appendCancel(callID: id, to: &bytes)
            }
            FrameEncoder.appendRequest(
                callID: 21,
                header: WireRequestHeader(method: FilingsMethods.health.path),
                message: HealthRequest(),
                to: &bytes
            )
            raw.send(bytes)
            var mostInFlight: UInt32 = 0
            let watch = Task {
                while !Task.isCancelled {
                    let stats = try await test.client.stats()
                    mostInFlight = max(mostInFlight, stats.server?.callsInFlight ?? 0)
                    if test.probe.completed == 20 { return mostInFlight }
                    try await Task.sleep(for: .milliseconds(5))
                }
                return mostInFlight
            }
            let frames = await raw.readFrames(untilCall: 21)
            #expect(frames.last?.callID == 21, "the Health call behind the cancelled calls is answered")
            // A CANCEL read only after its call finished is ignored (PROTOCOL.md §7): such a call is answered OK.
            for frame in frames.dropLast() {
                #expect(
                    frame.responseHeader?.code == 0,
                    "call \(frame.callID) answered \(String(describing: frame.responseHeader))"
                )
            }
            // With a limit of 2, Health takes the slot of call 19 when its work ends; call 20 may still be at work.
            #expect(test.probe.completed >= 19, "Health was read only once the cancelled calls before it had ended")
            #expect(test.probe.mostRunning <= 2, "\(test.probe.mostRunning) calls ran at once on a limit of 2")
            let seen = try await watch.value
            #expect(seen >= 2, "Stats counted the cancelled calls while their work ran (saw \(seen) with itself)")
            #expect(seen <= 3, "two calls and the Stats call itself at most (saw \(seen))")
        }
    }

    /// PROTOCOL.md §9: at the end of the grace period, calls still running are answered UNAVAILABLE, the
    /// connections close and the process exits 0; "stopped" is logged once that is true.
    @Test func theGracePeriodIsAHardBound() async throws {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-grace-\(UInt64.random(in: 0...UInt64.max)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let server = try await ServerProcess.start(
            ["--store", "none", "--shutdown-grace", "1", "--log-level", "info"],
            log: log
        )
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        let release = SyntheticFiling.batch(count: 1, seed: 5)[0]
        let request = ParseRequest(content: release.longBytes(kilobytes: 256))
        // 100 × 256 KB of parsing: more than a second on two cores even in a release build (minutes in debug).
        let calls = (0..<100).map { _ in
            Task { try await client.parse(request, options: CallOptions(retry: RetryPolicy.none)) }
        }
        try await Task.sleep(for: .milliseconds(300))
        let signalled = ContinuousClock.now
        let termination = await server.stop()
        let exitedAfter = ContinuousClock.now - signalled
        #expect(termination == .exited(0))
        #expect(exitedAfter < .seconds(4), "grace 1 s, but the process exited after \(exitedAfter)")

        var ok = 0
        var unavailable = 0
        for call in calls {
            switch await call.result {
            case .success: ok += 1
            case .failure(let error as RPCError) where error.code == .unavailable: unavailable += 1
            case .failure(let error): Issue.record("unexpected \(error)")
            }
        }
        #expect(ok + unavailable == 100)
        #expect(unavailable > 0, "calls still running at the end of the grace period are answered UNAVAILABLE")
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        let stopped = try #require(lines.lastIndex { $0.contains("stopped") }, "the server logs 'stopped'")
        #expect(stopped == lines.count - 1 || !lines[(stopped + 1)...].contains { $0.contains("call") })
    }

    /// PROTOCOL.md §5: the server logs `x-request-id` with the call.
    @Test func theRequestIDIsLoggedWithTheCall() async throws {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-requestid-\(UInt64.random(in: 0...UInt64.max)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let server = try await ServerProcess.start(["--store", "none", "--log-level", "debug"], log: log)
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        let release = SyntheticFiling.batch(count: 1, seed: 9)[0]
        _ = try await client.health(options: CallOptions(metadata: [Metadata.requestID: "health-7f3a"]))
        _ = try await client.parse(
            ParseRequest(content: release.bytes),
            options: CallOptions(metadata: [Metadata.requestID: "parse-91c2"])
        )
        await #expect(throws: RPCError.self) {
            try await client.parse(ParseRequest(), options: CallOptions(metadata: [Metadata.requestID: "bad-5d0e"]))
        }
        await server.stop()
        let text = try String(contentsOf: log, encoding: .utf8)
        for id in ["health-7f3a", "parse-91c2", "bad-5d0e"] {
            let line = text.split(separator: "\n").first { $0.contains("rpc.request_id=\(id)") }
            #expect(line != nil, "no log line carries rpc.request_id=\(id)")
            #expect(line?.contains("rpc.method=/filings.v1.Filings/") == true)
            #expect(line?.contains("rpc.status=") == true)
        }
    }
}
