import FilingsClient
import FilingsCore
import FilingsParser
import FilingsStore
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Logging
import Testing

/// Reparse, from the client's side, as docs/PROTOCOL.md describes it: a server started on a store whose filings
/// carry facts from an older parser.
@Suite struct ReparseTests {
    static let old = "filings-parser/0.9.0"

    /// A store in a new directory whose filings were stored with the facts of the 12b-25 seed under `old`, and a
    /// server on it. (Their own facts are not parsed here: parsing large inputs in a debug build takes long.)
    struct StaleStore {
        let directory: URL
        let inputs: [[UInt8]]
        let ids: [String]
        let server: ServerProcess
        let client: FilingsClient

        static func start(_ inputs: [[UInt8]], extra: [FilingToStore] = []) async throws -> StaleStore {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("filings-reparse-\(UInt64.random(in: 0...UInt64.max))")
            let path = directory.appendingPathComponent("filings.sqlite").path
            let lateFiling = try EDGARParser().parse(try seed("002_655c329adbf5cb37.txt"))
            let stale = inputs.map { input in
                var identity = ParsedFiling()
                identity.sha256 = input.withUnsafeBufferPointer { SHA256.hexDigest($0) }
                identity.byteLength = UInt64(input.count)
                return FilingToStore(filing: identity.asIfParsed(by: ReparseTests.old, factsOf: lateFiling), raw: input)
            }
            var logger = Logger(label: "filings.test.reparse")
            logger.logLevel = .critical
            let store = try SQLiteFilingStore(path: path, logger: logger)
            let ids = try await store.store(stale + extra).map(\.id)
            store.close()
            let server = try await ServerProcess.start(["--store", "sqlite:\(path)"])
            let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
            return StaleStore(directory: directory, inputs: inputs, ids: ids, server: server, client: client)
        }

        func stop() async {
            client.close()
            await server.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        /// Filings by parser version, from Stats.
        func versions() async throws -> [String: UInt64] {
            let counts = try await client.stats().store?.byParserVersion ?? []
            return Dictionary(uniqueKeysWithValues: counts.map { ($0.key, $0.count) })
        }
    }

    static func seed(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FilingsParserTests/Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    @Test func batchesReplaceOldFactsUntilNoneRemainAndQueriesFindTheNewOnes() async throws {
        let releases = SyntheticFiling.batch(count: 10, seed: 51)
        let stale = try await StaleStore.start(releases.map(\.bytes))
        defer { Task { await stale.stop() } }
        let client = stale.client
        let victim = releases[0]
        let bySymbol = QueryRequest(symbol: victim.symbol)
        #expect(try await stale.versions() == [Self.old: 10])
        #expect(try await !client.query(bySymbol).hits.contains { $0.id == stale.ids[0] })

        var batches: [ReparseResponse] = []
        var after = ""
        repeat {
            let response = try await client.reparse(ReparseRequest(limit: 4, afterId: after))
            batches.append(response)
            after = response.nextAfterId
        } while !after.isEmpty
        #expect(batches.map(\.reparsed) == [4, 4, 2])
        #expect(batches.map(\.remaining) == [6, 2, 0])
        #expect(batches.allSatisfy { $0.failures.isEmpty && $0.parserVersion == EDGARParser.version })

        #expect(try await stale.versions() == [EDGARParser.version: 10])
        #expect(try await client.query(bySymbol).hits.contains { $0.id == stale.ids[0] })
        #expect(try await client.query(QueryRequest(text: "\"\(victim.title)\"")).hits.map(\.id) == [stale.ids[0]])
        for (id, input) in zip(stale.ids, stale.inputs) {
            let got = try await client.get(GetRequest(id: id, includeRaw: true))
            #expect(got.raw == input)
            #expect(got.filing == (try EDGARParser().parse(input)))
        }
        // Nothing is older now: a new run finds nothing to do.
        let again = try await client.reparse(ReparseRequest())
        #expect(again.reparsed == 0 && again.remaining == 0 && again.nextAfterId.isEmpty)
    }

    @Test func olderThanSelectsByVersionAndIsChecked() async throws {
        let stale = try await StaleStore.start(SyntheticFiling.batch(count: 3, seed: 52).map(\.bytes))
        defer { Task { await stale.stop() } }
        let client = stale.client
        // 0.9.0 is not older than 0.5: nothing to do, nothing changed.
        let none = try await client.reparse(ReparseRequest(olderThan: "filings-parser/0.5"))
        #expect(none.reparsed == 0 && none.remaining == 0)
        #expect(try await stale.versions() == [Self.old: 3])

        let refusals: [(ReparseRequest, RPCError.Code, String)] = [
            (ReparseRequest(olderThan: "banana"), .invalidArgument, "not a version of this parser"),
            (ReparseRequest(olderThan: "other-parser/2.0.0"), .invalidArgument, "not a version of this parser"),
            (
                ReparseRequest(olderThan: "filings-parser/99.0.0"), .failedPrecondition,
                "newer than this server's parser"
            ),
            (ReparseRequest(limit: 1001), .invalidArgument, "at most 1000"),
        ]
        for (request, code, message) in refusals {
            do {
                _ = try await client.reparse(request)
                Issue.record("\(request) was accepted")
            } catch {
                #expect(error.code == code, "\(request)")
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
        #expect(try await stale.versions() == [Self.old: 3])

        let all = try await client.reparse(ReparseRequest(olderThan: "filings-parser/0.9.1"))
        #expect(all.reparsed == 3 && all.remaining == 0)
        #expect(try await stale.versions() == [EDGARParser.version: 3])
    }

    /// A stored input the parser now refuses keeps its facts, is reported with its status, and does not stop the
    /// batch; the cursor moves past it.
    @Test func aFilingThatNoLongerParsesIsReportedAndKeepsItsFacts() async throws {
        let releases = SyntheticFiling.batch(count: 2, seed: 53)
        let binary = TestArchive.noise(4096, seed: 7)
        let good = try EDGARParser().parse(releases[0].bytes)
        let digest = binary.withUnsafeBufferPointer { SHA256.hexDigest($0) }
        var fake = good
        fake.sha256 = digest
        fake.byteLength = UInt64(binary.count)
        fake.parserVersion = Self.old
        let stale = try await StaleStore.start(
            releases.map(\.bytes),
            extra: [FilingToStore(filing: fake, raw: binary)]
        )
        defer { Task { await stale.stop() } }
        let response = try await stale.client.reparse(ReparseRequest())
        #expect(response.reparsed == 2)
        let failure = try #require(response.failures.first)
        #expect(response.failures.count == 1)
        #expect(failure.id == stale.ids[2])
        #expect(failure.errorCode == RPCError.Code.invalidArgument.rawValue)
        #expect(!failure.errorMessage.isEmpty)
        #expect(response.remaining == 1, "the filing that failed still has old facts")
        #expect(response.nextAfterId.isEmpty)
        let kept = try await stale.client.get(GetRequest(id: stale.ids[2]))
        #expect(kept.filing == fake)
        #expect(try await stale.versions() == [Self.old: 1, EDGARParser.version: 2])
    }

    /// A Reparse stopped by its deadline or by CANCEL writes nothing and stops parsing: the filings keep their old
    /// facts and the server's CPU goes quiet.
    @Test(arguments: [true, false])
    func aStoppedReparseWritesNothingAndStopsParsing(byDeadline: Bool) async throws {
        let releases = SyntheticFiling.batch(count: 24, seed: 54)
        let inputs = releases.enumerated().map { index, release in release.longBytes(kilobytes: 192, variant: index) }
        let stale = try await StaleStore.start(inputs)
        defer { Task { await stale.stop() } }
        let client = stale.client
        let noRetry = CallOptions(retry: RetryPolicy.none)
        if byDeadline {
            let error = await #expect(throws: RPCError.self) {
                try await client.reparse(
                    ReparseRequest(limit: 24),
                    options: CallOptions(timeout: .milliseconds(300), retry: RetryPolicy.none)
                )
            }
            #expect(error?.code == .deadlineExceeded)
        } else {
            let call = Task { try await client.reparse(ReparseRequest(limit: 24), options: noRetry) }
            try await Task.sleep(for: .milliseconds(300))
            call.cancel()
            _ = await call.result
        }
        // Once the handler has returned, the server spends (almost) no CPU: the parses stopped with it.
        let end = ContinuousClock.now + .seconds(30)
        while try await client.stats().server?.callsInFlight != 1, ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(20))
        }
        let before = try stale.server.cpuTime
        try await Task.sleep(for: .seconds(1))
        let spent = try stale.server.cpuTime - before
        #expect(spent < .milliseconds(300), "the server spent \(spent) of CPU in the second after the call ended")
        #expect(try await stale.versions() == [Self.old: 24], "nothing of a stopped Reparse is written")
    }

    /// Queries are answered while a Reparse runs, and see each filing's old or new facts, never none.
    @Test func queriesAreAnsweredWhileAReparseRuns() async throws {
        let releases = SyntheticFiling.batch(count: 12, seed: 55)
        let inputs = releases.enumerated().map { index, release in release.longBytes(kilobytes: 64, variant: index) }
        let stale = try await StaleStore.start(inputs)
        defer { Task { await stale.stop() } }
        let client = stale.client
        let finished = Shared(false)
        let reparse = Task { () async throws(RPCError) -> ReparseResponse in
            defer { finished.withLock { $0 = true } }
            return try await client.reparse(ReparseRequest(limit: 12))
        }
        // Query until the Reparse has been answered, counting the answers that came while it was in flight: the
        // Reparse was in flight (with Stats itself, 2 calls) both before the query was sent and after it was answered.
        func reparseInFlight() async throws -> Bool { try await client.stats().server?.callsInFlight ?? 0 >= 2 }
        var during = 0
        var before = try await reparseInFlight()
        while !finished.withLock({ $0 }) {
            let page = try await client.query(QueryRequest(limit: 50))
            #expect(page.totalCount == 12)
            let after = try await reparseInFlight()
            if before, after { during += 1 }
            before = after
        }
        let response = try await reparse.value
        #expect(response.reparsed == 12)
        #expect(during >= 1, "no query was answered while the Reparse ran")
    }
}
