import FilingsClient
import FilingsCore
import FilingsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The cluster of docker-compose.yml, run by dev/cluster.sh: PostgreSQL, three replicas, HAProxy in front.
/// Needs PostgreSQL and HAProxy installed; CI installs both and fails if this was skipped.
@Suite(.serialized, .enabled(if: LocalCluster.isPossible || ProcessInfo.processInfo.environment["CI"] == "true"))
struct ClusterTests {
    @Test func replicasShareOneStoreAndCarryOnThroughFailures() async throws {
        let cluster = try await LocalCluster.up()
        do {
            try await storeOnOneReplicaQueryOnAnother(cluster)
            try await killingAReplicaLosesNoAcknowledgedStore(cluster)
            try await replicasRecoverFromADatabaseRestart(cluster)
            // Every replica stops by itself after SIGTERM: `down` fails if one had to be killed.
            try await cluster.run("down")
            await cluster.down(removing: true)
        } catch {
            print("cluster logs in \(cluster.directory.path)")
            await cluster.down(removing: false)
            throw error
        }
    }

    /// Store through replica 1, read and query through 2, page with tokens alternating between replicas, and the
    /// same through HAProxy's one address.
    private func storeOnOneReplicaQueryOnAnother(_ cluster: LocalCluster) async throws {
        let a = cluster.client([cluster.replicas[0]])
        let b = cluster.client([cluster.replicas[1]])
        let proxy = cluster.client([cluster.frontend])
        defer { [a, b, proxy].forEach { $0.close() } }

        let filings = SyntheticFiling.batch(count: 30, seed: 77)
        let stored = try await a.store(StoreRequest(documents: filings.map { StoreDocument(content: $0.bytes) }))
        #expect(stored.results.allSatisfy { $0.created })
        let first = try #require(stored.results.first)
        #expect(try await b.get(GetRequest(id: first.id, includeRaw: true)).raw == filings[0].bytes)

        // Page through B, C and A in turn while more filings are stored through HAProxy: exact, as on one server.
        var request = QueryRequest()
        request.text = "pleased"
        request.limit = 4
        let all = try await b.query(QueryRequest(text: "pleased", limit: 1000)).hits.map(\.id)
        #expect(all.count == 30)
        var seen: [String] = []
        var turn = 0
        let more = SyntheticFiling.batch(count: 40, seed: 78)
        while true {
            let replica = cluster.client([cluster.replicas[turn % 3]])
            let page = try await replica.query(request)
            replica.close()
            seen += page.hits.map(\.id)
            _ = try await proxy.store(StoreRequest(documents: [StoreDocument(content: more[turn].bytes)]))
            turn += 1
            guard !page.nextPageToken.isEmpty else { break }
            request.pageToken = page.nextPageToken
        }
        #expect(seen == all, "pages from different replicas neither repeat nor skip")
        #expect(try await proxy.health().status == .serving)
        #expect(try await proxy.query(QueryRequest(text: "pleased", limit: 1)).totalCount == UInt64(30 + turn))
    }

    /// Eight clients store through all three replicas while one replica is killed with SIGKILL: the clients carry
    /// on through the other two, and every Store that was acknowledged is present afterwards.
    private func killingAReplicaLosesNoAcknowledgedStore(_ cluster: LocalCluster) async throws {
        let releases = SyntheticFiling.batch(count: 8 * 400, seed: 79)
        let acknowledged = Shared<[String: [UInt8]]>([:])
        let afterKill = Shared<[Int: Int]>([:])
        let killed = Shared(false)
        let stop = Shared(false)
        let clients = (0..<8).map { _ in cluster.client(cluster.replicas, deadline: .seconds(10)) }
        defer { clients.forEach { $0.close() } }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var next = index * 400
                    while !stop.withLock({ $0 }), next < (index + 1) * 400 {
                        let bytes = releases[next].bytes
                        next += 1
                        do throws(RPCError) {
                            let result = try await client.store(
                                StoreRequest(documents: [StoreDocument(content: bytes)])
                            )
                            acknowledged.withLock { $0[result.results[0].id] = bytes }
                            if killed.withLock({ $0 }) { afterKill.withLock { $0[index, default: 0] += 1 } }
                        } catch {
                            // A call on the killed replica: not acknowledged, so nothing is promised about it.
                        }
                    }
                }
            }
            group.addTask {
                // Progress decides, not the clock (a loaded machine slows every replica): the kill comes once the
                // cluster has acknowledged some stores, and the clients stop once each has stored a few more after
                // it. The bounds only end a run that stalls.
                let started = ContinuousClock.now
                while acknowledged.withLock({ $0.count }) < 48, ContinuousClock.now < started + .seconds(60) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try cluster.kill(replica: 2)
                killed.withLock { $0 = true }
                let killedAt = ContinuousClock.now
                while afterKill.withLock({ $0.values.filter { $0 >= 3 }.count }) < clients.count,
                    ContinuousClock.now < killedAt + .seconds(60)
                {
                    try await Task.sleep(for: .milliseconds(20))
                }
                stop.withLock { $0 = true }
            }
            try await group.waitForAll()
        }
        let stored = acknowledged.withLock { $0 }
        #expect(stored.count >= 48, "the cluster acknowledged \(stored.count) stores in all")
        let carriedOn = afterKill.withLock { $0 }
        #expect(carriedOn.count == 8, "every client stored after the kill: \(carriedOn)")
        let reader = cluster.client([cluster.replicas[0]])
        defer { reader.close() }
        for (id, bytes) in stored {
            let got = try await reader.get(GetRequest(id: id, includeRaw: true))
            #expect(got.raw == bytes, "acknowledged filing \(id)")
        }
    }

    /// PostgreSQL restarts under load: calls in flight fail with UNAVAILABLE, and the replicas serve again by
    /// themselves once it is back.
    private func replicasRecoverFromADatabaseRestart(_ cluster: LocalCluster) async throws {
        let live = [cluster.replicas[0], cluster.replicas[2]]
        let clients = live.map { cluster.client([$0], deadline: .seconds(10)) }
        defer { clients.forEach { $0.close() } }
        let statuses = Shared<[RPCError.Code: Int]>([:])
        let stop = Shared(false)
        let filings = SyntheticFiling.batch(count: 2000, seed: 80)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var next = index * 1000
                    while !stop.withLock({ $0 }) {
                        let request = StoreRequest(documents: [StoreDocument(content: filings[next % 2000].bytes)])
                        next += 1
                        do throws(RPCError) {
                            _ = try await client.store(request, options: CallOptions(retry: RetryPolicy.none))
                            statuses.withLock { $0[.ok, default: 0] += 1 }
                        } catch {
                            statuses.withLock { $0[error.code, default: 0] += 1 }
                            try? await Task.sleep(for: .milliseconds(50))
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(1))
                try await cluster.run("restart-postgres")
                try await Task.sleep(for: .seconds(1))
                stop.withLock { $0 = true }
            }
            try await group.waitForAll()
        }
        let seen = statuses.withLock { $0 }
        print("statuses while PostgreSQL restarted: \(seen)")
        // A call in flight when the database went away fails; UNAVAILABLE says so, and DEADLINE_EXCEEDED was seen
        // (about 1 call in 200) for a call that had its connection when the restart began (see issue 10's note).
        #expect(
            Set(seen.keys).isSubset(of: [.ok, .unavailable, .deadlineExceeded]),
            "only failures that mean 'retry' while the database was down: \(seen)"
        )
        #expect(seen[.ok, default: 0] > 0)
        // Back without restarting any replica: Health, then a Store, on each.
        for client in clients {
            var health = HealthResponse()
            for _ in 0..<100 {
                health = (try? await client.health()) ?? HealthResponse()
                if health.status == .serving { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(health.status == .serving)
            let again = SyntheticFiling.batch(count: 1, seed: UInt64(81 + (clients.firstIndex { $0 === client } ?? 0)))
            let result = try await client.store(StoreRequest(documents: [StoreDocument(content: again[0].bytes)]))
            #expect(result.results[0].errorCode == 0 && !result.results[0].id.isEmpty)
        }
    }
}

/// dev/cluster.sh on ports of its own, with the debug binaries.
struct LocalCluster: Sendable {
    let directory: URL
    let frontend: Endpoint
    let replicas: [Endpoint]
    private let environment: [String: String]

    static var isPossible: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy")
            && ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).isEmpty == false
    }

    static func up() async throws -> LocalCluster {
        let base = UInt16(21000 + Int(getpid() % 400) * 10)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("filings-cluster-test-\(base)")
        try? FileManager.default.removeItem(at: directory)
        let environment = [
            "FILINGS_CLUSTER_PORT": "\(base)",
            "POSTGRES_PORT": "\(base + 9)",
            "FILINGS_CLUSTER_DIR": directory.path,
            "FILINGS_BIN": BuiltProducts.path("filings-server").deletingLastPathComponent().path,
        ]
        let cluster = LocalCluster(
            directory: directory,
            frontend: Endpoint(host: "127.0.0.1", port: base),
            replicas: (1...3).map { Endpoint(host: "127.0.0.1", port: base + 2 + UInt16($0)) },
            environment: environment
        )
        try await cluster.run("up")
        return cluster
    }

    func down(removing: Bool) async {
        _ = try? await run("down")
        if removing { try? FileManager.default.removeItem(at: directory) }
    }

    func client(_ endpoints: [Endpoint], deadline: Duration = .seconds(30)) -> FilingsClient {
        var configuration = ClientConfiguration.defaults(endpoints: endpoints)
        configuration.defaultDeadline = deadline
        return FilingsClient(configuration: configuration)
    }

    func kill(replica: Int) throws {
        let text = try String(
            contentsOf: directory.appendingPathComponent("filings-\(replica).pid"),
            encoding: .utf8
        )
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ProcessTestError(description: "no pid for replica \(replica)")
        }
        Glibc.kill(pid, SIGKILL)
    }

    /// Runs `dev/cluster.sh COMMAND`.
    func run(_ command: String) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("dev/cluster.sh")
        let log = directory.appendingPathComponent("cluster-\(command).log")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let termination = try await offPool {
            try ChildProcess(
                "/bin/bash",
                [script.path, command],
                environment: variables,
                stdout: .file(log.path),
                stderr: .standardOutput
            ).wait()
        }
        guard termination == .exited(0) else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw ProcessTestError(description: "dev/cluster.sh \(command) failed: \(output)")
        }
    }
}

/// A value the tasks of a test share.
final class Shared<Value: Sendable>: Sendable {
    private let lock: Lock<Value>

    init(_ value: Value) {
        lock = Lock(value)
    }

    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T {
        lock.withLock { value in body(&value) }
    }
}
