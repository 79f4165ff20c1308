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
