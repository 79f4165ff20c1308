import FilingsClient
import FilingsCore
import FilingsServer
import FilingsTestSupport
import FilingsTransport
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct ShutdownTests {
    @Test func sigtermLetsCallsInFlightFinish() async throws {
        let (server, client, probe, logger) = try TestServer.unstarted()
        defer { client.close() }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server)],
                gracefulShutdownSignals: [.sigterm],
                logger: logger
            )
        )
        let running = Task { try await group.run() }
        _ = try await client.health()

        let calls = (0..<5).map { _ in
            Task { try await client.call(TestMethods.sleep, HealthRequest(service: "300")) }
        }
        #expect(await probe.wait { $0.mostRunning == 5 })
        kill(getpid(), SIGTERM)

        for call in calls {
            let answer = try await call.value.status
            #expect(answer == .serving, "a call in flight at SIGTERM completes")
        }
        try await running.value
        #expect(probe.completed == 5)
        #expect(probe.cancelled == 0)
        let after = await #expect(throws: RPCError.self) {
            try await client.health(options: CallOptions(retry: RetryPolicy.none))
        }
        #expect(after?.code == .unavailable)
    }

    @Test func gracePeriodCancelsCallsThatOverrun() async throws {
        let (server, client, probe, logger) = try TestServer.unstarted(configure: {
            $0.shutdownGracePeriod = .milliseconds(100)
        })
        defer { client.close() }
        let group = ServiceGroup(services: [server], logger: logger)
        let running = Task { try await group.run() }
        let call = Task { try await client.call(TestMethods.sleep, HealthRequest(service: "10000")) }
        #expect(await probe.wait { $0.mostRunning == 1 })
        let start = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(ContinuousClock.now - start < .seconds(3))
        let result = await call.result
        #expect(throws: RPCError.self) { try result.get() }
        #expect(await probe.wait { $0.cancelled == 1 })
    }

    /// A second SIGTERM during the grace period answers the calls still running UNAVAILABLE and stops their work
    /// at once, not when the grace period ends.
    @Test func aSecondSigtermEndsTheGracePeriodAtOnce() async throws {
        let (server, client, probe, logger) = try TestServer.unstarted(configure: {
            $0.shutdownGracePeriod = .seconds(60)
        })
        defer { client.close() }
        let policy = ShutdownPolicy(gracePeriod: .seconds(60))
        let group = ServiceGroup(
            configuration: policy.groupConfiguration(services: [.init(service: server)], logger: logger)
        )
        let running = Task { try await policy.run(group) }
        let call = Task { try await client.call(TestMethods.sleep, HealthRequest(service: "30000")) }
        #expect(await probe.wait { $0.mostRunning == 1 })
        kill(getpid(), SIGTERM)
        let draining = ContinuousClock.now + .seconds(10)
        while server.isServing, ContinuousClock.now < draining {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(!server.isServing, "the first SIGTERM started the graceful shutdown")
        try await Task.sleep(for: .milliseconds(200))
        #expect(probe.cancelled == 0, "the grace period is running: the call is still at work")
        kill(getpid(), SIGTERM)
        try #require(await Self.ends(running, within: .seconds(20)), "the second SIGTERM ended the shutdown")
        let result = await call.result
        #expect(throws: RPCError.self) { try result.get() }
        #expect(await probe.wait { $0.cancelled == 1 }, "the call's work was cancelled")
        #expect(probe.completed == 0)
    }

    /// A service that does not stop when asked (a store that does not close) is cancelled once the grace period
    /// and the closing time have passed, so that the process ends.
    @Test func aServiceThatDoesNotCloseIsCancelledAfterTheClosingTime() async throws {
        let (server, client, _, logger) = try TestServer.unstarted(configure: {
            $0.shutdownGracePeriod = .milliseconds(100)
        })
        defer { client.close() }
        let stubborn = StubbornService()
        let policy = ShutdownPolicy(gracePeriod: .milliseconds(100), closingTime: .milliseconds(400))
        let group = ServiceGroup(
            configuration: policy.groupConfiguration(
                services: [.init(service: stubborn), .init(service: server)],
                logger: logger
            )
        )
        let running = Task { try await policy.run(group) }
        _ = try await client.health()
        let start = ContinuousClock.now
        await group.triggerGracefulShutdown()
        #expect(await Self.ends(running, within: .seconds(20)), "the group ended once the closing time was over")
        let took = ContinuousClock.now - start
        let cancelled = stubborn.wasCancelled.load(ordering: .acquiring)
        #expect(cancelled, "the service was cancelled")
        #expect(took >= .milliseconds(500), "not before the grace period and the closing time: \(took)")
    }

    /// Whether `task` ends within `limit`; if not, it is cancelled, so that the test fails instead of hanging. The
    /// limits are far above what the calls take and far below what they would take if the promise were broken (the
    /// grace period, a call's 30 s): a loaded CI machine can take seconds to run a task at all.
    private static func ends(_ task: Task<Void, any Error>, within limit: Duration) async -> Bool {
        let end = ContinuousClock.now + limit
        let done = Atomic<Bool>(false)
        let waiter = Task {
            _ = try? await task.value
            done.store(true, ordering: .releasing)
        }
        while !done.load(ordering: .acquiring), ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
        }
        guard done.load(ordering: .acquiring) else {
            task.cancel()
            return false
        }
        await waiter.value
        return true
    }

    @Test func serverBinaryPrintsWhereItListensAndExitsZeroOnSigterm() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-shutdown-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store/filings.sqlite").path
        let server = try await ServerProcess.start(["--store", "sqlite:\(path)"])
        let process = server.process
        let endpoint = server.endpoint
        #expect(server.banner.hasPrefix("filings-server \(FilingsServer.version) listening on 127.0.0.1:"))
        #expect(server.banner.hasSuffix(" store=sqlite:\(path)"))
        #expect(FileManager.default.fileExists(atPath: path), "the store's directory and file are created")

        let client = FilingsClient(configuration: .defaults(endpoints: [endpoint]))
        defer { client.close() }
        let answer = try await client.health().status
        #expect(answer == .serving)
        // Load in flight while the signal arrives: every call is answered, none is lost.
        let answered = AnsweredCalls()
        let load = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var ok = 0
                        while true {
                            do {
                                _ = try await client.health(options: CallOptions(retry: RetryPolicy.none))
                                ok += 1
                                answered.count.add(1, ordering: .relaxed)
                            } catch {
                                #expect(
                                    (error as? RPCError)?.code == .unavailable,
                                    "calls after the GOAWAY are refused, not lost"
                                )
                                return ok
                            }
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        // The signal goes once calls are flowing (a fixed sleep was too short on a loaded CI machine).
        let deadline = ContinuousClock.now + .seconds(20)
        while answered.count.load(ordering: .relaxed) < 16 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(answered.count.load(ordering: .relaxed) >= 16, "the load is being served before SIGTERM")
        process.terminate()  // SIGTERM
        #expect(await offPool { process.wait() } == .exited(0))
        let served = try await load.value
        #expect(served > 0)
    }
}

/// Health calls the load of ``ShutdownTests`` has had answered so far.
private final class AnsweredCalls: Sendable {
    let count = Atomic<Int>(0)
}

/// A service that ignores graceful shutdown and returns only when cancelled.
private final class StubbornService: Service, Sendable {
    let wasCancelled = Atomic<Bool>(false)

    func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(10))
        }
        wasCancelled.store(true, ordering: .releasing)
    }
}
