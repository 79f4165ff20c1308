import FilingsClient
import FilingsCore
import FilingsStore
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Durability: what the server acknowledged is on disk, whatever happens to the process after.
@Suite(.serialized) struct CrashTests {
    /// How many times the server is killed: 3 here, 20 in dev/crash.sh (`FILINGS_CRASH_ROUNDS`).
    static let rounds = ProcessInfo.processInfo.environment["FILINGS_CRASH_ROUNDS"].flatMap(Int.init) ?? 3

    /// Six writers store and two deleters delete while the server is killed with SIGKILL, again and again.
    /// Afterwards every acknowledged Store is present byte for byte, every acknowledged Delete is absent, and the
    /// database and its indexes pass their integrity checks.
    @Test func everyAcknowledgedStoreAndDeleteSurvivesKillDashNine() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-crash-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("filings.sqlite").path
        let ledger = Ledger()
        let perRound = 1200
        let releases = SyntheticFiling.batch(count: Self.rounds * perRound, seed: 31)

        for round in 0..<Self.rounds {
            let server = try await ServerProcess.start(["--store", "sqlite:\(path)"])
            let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
            let noRetry = CallOptions(retry: RetryPolicy.none)
            let workers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for writer in 0..<6 {
                        group.addTask {
                            var next = round * perRound + writer * (perRound / 6)
                            let end = next + perRound / 6
                            while next < end {
                                let batch = Array(releases[next..<min(next + 1 + writer % 2 * 2, end)])
                                next += batch.count
                                let request = StoreRequest(documents: batch.map { StoreDocument(content: $0.bytes) })
                                do throws(RPCError) {
                                    let results = try await client.store(request, options: noRetry).results
                                    ledger.stored(zip(results.map(\.id), batch.map(\.bytes)))
                                } catch {
                                    return
                                }
                            }
                        }
                    }
                    for _ in 0..<2 {
                        group.addTask {
                            while true {
                                guard let id = ledger.takeForDeletion() else {
                                    // Nothing acknowledged to delete yet: wait, and stop once the server is gone.
                                    do throws(RPCError) { _ = try await client.health(options: noRetry) } catch {
                                        return
                                    }
                                    try? await Task.sleep(for: .milliseconds(5))
                                    continue
                                }
                                do throws(RPCError) {
                                    let response = try await client.delete(DeleteRequest(id: id), options: noRetry)
                                    ledger.deleted(id, acknowledged: response.deleted)
                                } catch {
                                    return  // in flight when the server died: its outcome is unknown
                                }
                                try? await Task.sleep(for: .milliseconds(2))
                            }
                        }
                    }
                }
            }
            // Kill it mid-stream once this round has had acknowledgements (however slow the machine is).
            let target = ledger.acknowledgements + 100
            let deadline = ContinuousClock.now + .seconds(60)
            while ledger.acknowledgements < target, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let killed = await server.stop(signal: SIGKILL)
            await workers.value
            client.close()
            #expect(killed == .signalled(SIGKILL))
        }

        let (present, absent) = ledger.outcome
        #expect(present.count >= 50 * Self.rounds, "the writers got acknowledgements before each kill")
        #expect(absent.count >= Self.rounds, "the deleters got acknowledgements before the kills")
        // Restarted, the server has every acknowledged document byte for byte, and none acknowledged as deleted.
        let server = try await ServerProcess.start(["--store", "sqlite:\(path)"])
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        var missing = 0
        for (id, bytes) in present {
            do throws(RPCError) {
                let got = try await client.get(GetRequest(id: id, includeRaw: true))
                if got.raw != bytes { missing += 1 }
            } catch {
                missing += 1
            }
        }
        #expect(missing == 0, "\(missing) of \(present.count) acknowledged documents are missing or changed")
        var resurrected = 0
        for id in absent {
            do throws(RPCError) {
                _ = try await client.get(GetRequest(id: id))
                resurrected += 1
            } catch {
                #expect(error.code == .notFound)
            }
        }
        #expect(resurrected == 0, "\(resurrected) of \(absent.count) acknowledged deletes came back")
        client.close()
        #expect(await server.stop() == .exited(0))

        var logger = Logger(label: "filings.test.crash")
        logger.logLevel = .critical
        let store = try SQLiteFilingStore(path: path, logger: logger)
        defer { store.close() }
        #expect(try await store.checkIntegrity() == [])
    }
}

/// What the server acknowledged: stored documents (id and bytes sent) and deleted ids; a delete whose answer
/// never came is in neither.
private final class Ledger: Sendable {
    private struct State {
        var stored: [String: [UInt8]] = [:]
        var order: [String] = []
        var nextToDelete = 0
        var deleted: Set<String> = []
        var acknowledgements = 0
    }
    private let state = Lock(State())

    var acknowledgements: Int { state.withLock { $0.acknowledgements } }

    func stored(_ documents: some Sequence<(String, [UInt8])>) {
        state.withLock { state in
            for (id, bytes) in documents where state.stored.updateValue(bytes, forKey: id) == nil {
                state.order.append(id)
            }
            state.acknowledgements += 1
        }
    }

    /// Every third acknowledged document, oldest first, leaves the set expected to be present before its delete
    /// is sent; nil when none is waiting.
    func takeForDeletion() -> String? {
        state.withLock { state in
            while state.nextToDelete < state.order.count {
                let id = state.order[state.nextToDelete]
                state.nextToDelete += 3
                if state.stored.removeValue(forKey: id) != nil { return id }
            }
            return nil
        }
    }

    func deleted(_ id: String, acknowledged: Bool) {
        state.withLock { state in
            if acknowledged { state.deleted.insert(id) }
            state.acknowledgements += 1
        }
    }

    var outcome: (present: [(String, [UInt8])], absent: Set<String>) {
        state.withLock { state in (state.stored.map { ($0.key, $0.value) }, state.deleted) }
    }
}
