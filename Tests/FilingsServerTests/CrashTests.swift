import FilingsClient
import FilingsCore
import FilingsStore
import FilingsTestSupport
import Foundation
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Durability: what the server acknowledged is on disk, whatever happens to the process after.
@Suite(.serialized) struct CrashTests {
    @Test func everyAcknowledgedStoreSurvivesKillDashNine() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-crash-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("filings.sqlite").path
        let acknowledged = Acknowledged()
        let releases = SyntheticFiling.batch(count: 4000, seed: 31)

        for round in 0..<3 {
            let server = try await ServerProcess.start(["--store", "sqlite:\(path)"])
            let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
            // Eight writers store one or three documents per call until the server dies under them.
            let writers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            var next = round * 1000 + writer * 120
                            while next < releases.count {
                                let batch = Array(releases[next..<min(next + 1 + writer % 2 * 2, releases.count)])
                                next += batch.count
                                let request = StoreRequest(documents: batch.map { StoreDocument(content: $0.bytes) })
                                do throws(RPCError) {
                                    let results = try await client.store(
                                        request,
                                        options: CallOptions(retry: RetryPolicy.none)
                                    ).results
                                    acknowledged.list.withLock { list in
                                        for (result, release) in zip(results, batch) {
                                            list.append((result.id, release.bytes))
                                        }
                                    }
                                } catch {
                                    return
                                }
                            }
                        }
                    }
                }
            }
            // Kill it mid-stream once this round has had acknowledgements (however slow the machine is).
            let target = (round + 1) * 150
            let deadline = ContinuousClock.now + .seconds(60)
            while acknowledged.list.withLock({ $0.count }) < target, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            await server.stop(signal: SIGKILL)
            await writers.value
            client.close()
            #expect(server.process.terminationReason == .uncaughtSignal)
        }

        let stored = acknowledged.list.withLock { $0 }
        #expect(stored.count >= 450, "the writers got acknowledgements before each kill")
        // Restarted, the server has every acknowledged document, byte for byte.
        let server = try await ServerProcess.start(["--store", "sqlite:\(path)"])
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        var missing = 0
        for (id, bytes) in stored {
            do throws(RPCError) {
                let got = try await client.get(GetRequest(id: id, includeRaw: true))
                if got.raw != bytes { missing += 1 }
            } catch {
                missing += 1
            }
        }
        #expect(missing == 0, "\(missing) of \(stored.count) acknowledged documents are missing or changed")
        client.close()
        await server.stop()
        #expect(server.process.terminationStatus == 0)

        var logger = Logger(label: "filings.test.crash")
        logger.logLevel = .critical
        let store = try SQLiteFilingStore(path: path, logger: logger)
        defer { store.close() }
        #expect(try await store.checkIntegrity() == [])
    }
}

/// What the server acknowledged: ids and the bytes sent.
private final class Acknowledged: Sendable {
    let list = Mutex<[(id: String, bytes: [UInt8])]>([])
}
