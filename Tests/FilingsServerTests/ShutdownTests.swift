import FilingsClient
import FilingsCore
import FilingsServer
import FilingsTransport
import Foundation
import Logging
import ServiceLifecycle
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
        let binary = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/filings-server")
        try #require(
            FileManager.default.isExecutableFile(atPath: binary.path),
            "build the server first: swift build (the README's test command does)"
        )
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--listen", "127.0.0.1:0", "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        let line = try #require(await offPool { Self.readLine(from: handle) })
        #expect(line.hasPrefix("filings-server \(FilingsServer.version) listening on 127.0.0.1:"))
        let endpoint = try Endpoint(parsing: String(line.split(separator: " ")[4]))

        let client = FilingsClient(configuration: .defaults(endpoints: [endpoint]))
        defer { client.close() }
        let answer = try await client.health().status
        #expect(answer == .serving)
        // Load in flight while the signal arrives: every call is answered, none is lost.
        let load = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var ok = 0
                        while true {
                            do {
                                _ = try await client.health(options: CallOptions(retry: RetryPolicy.none))
                                ok += 1
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
        try await Task.sleep(for: .milliseconds(200))
        process.terminate()  // SIGTERM
        await offPool { process.waitUntilExit() }
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let served = try await load.value
        #expect(served > 0)
    }

    private static func readLine(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
