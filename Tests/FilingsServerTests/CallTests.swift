import FilingsClient
import FilingsCore
import FilingsServer
import FilingsTransport
import Foundation
import Testing

@Suite struct CallTests {
    @Test func healthAnswersServing() async throws {
        try await TestServer.with { test in
            let answer = try await test.client.health().status
            #expect(answer == .serving)
            await #expect(throws: RPCError(code: .notFound, message: "unknown service 'nope'")) {
                try await test.client.health(service: "nope")
            }
        }
    }

    @Test func methodsWithoutAHandlerAnswerUnimplemented() async throws {
        try await TestServer.with { test in
            let error = await #expect(throws: RPCError.self) {
                try await test.client.delete(DeleteRequest(id: "x"))
            }
            #expect(error?.code == .unimplemented)
            #expect(error?.message.contains("/filings.v1.Filings/Delete") == true)
        }
    }

    @Test func aThousandConcurrentCallsOnOneConnection() async throws {
        try await TestServer.with { test in
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for i in 0..<1000 {
                    group.addTask {
                        let answer = try await test.client.call(TestMethods.echo, HealthRequest(service: "call \(i) ✓"))
                        return (i, answer.code)
                    }
                }
                var seen = Set<Int>()
                for try await (i, code) in group {
                    #expect(code == "call \(i) ✓")
                    seen.insert(i)
                }
                #expect(seen.count == 1000)
            }
            let stats = try await test.client.stats()
            #expect(stats.server?.totalConnections == 1, "all calls shared one connection")
        }
    }

    @Test func manyConnectionsAtOnce() async throws {
        try await TestServer.with { test in
            var configuration = ClientConfiguration.defaults(endpoints: [test.endpoint])
            configuration.connectionsPerEndpoint = 200
            let client = FilingsClient(configuration: configuration)
            defer { client.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<2000 {
                    group.addTask {
                        let answer = try await client.call(TestMethods.echo, HealthRequest(service: "\(i)"))
                        #expect(answer.code == "\(i)")
                    }
                }
                try await group.waitForAll()
            }
            let stats = try await test.client.stats()
            #expect(stats.server?.totalConnections == 201, "200 connections of the pool and the test's own")
        }
    }

    @Test func answersArriveOutOfOrder() async throws {
        try await TestServer.with { test in
            let slow = Task { try await test.client.call(TestMethods.sleep, HealthRequest(service: "30000")) }
            #expect(await test.probe.wait { $0.mostRunning == 1 })
            _ = try await test.client.health()
            // The health answer came while the 30 s call was still running (a loose check, for loaded machines).
            #expect(test.probe.completed == 0, "a fast call is not stuck behind a slow one")
            slow.cancel()
            _ = await slow.result
        }
    }

    @Test func deadlineExceededArrivesAtTheDeadline() async throws {
        try await TestServer.with { test in
            _ = try await test.client.health()
            let start = ContinuousClock.now
            let error = await #expect(throws: RPCError.self) {
                try await test.client.call(
                    TestMethods.sleep,
                    HealthRequest(service: "30000"),
                    options: CallOptions(timeout: .milliseconds(10))
                )
            }
            let elapsed = ContinuousClock.now - start
            #expect(error?.code == .deadlineExceeded)
            #expect(elapsed >= .milliseconds(10))
            // A loose bound, so that a loaded machine does not fail it: the handler would take 30 s. (Idle: 11.7 to 13.6 ms.)
            #expect(elapsed < .seconds(10), "took \(elapsed)")
            #expect(await test.probe.wait { $0.cancelled == 1 }, "the server cancelled the handler")
        }
    }

    @Test func serverEnforcesTheDeadlineItReceives() async throws {
        try await TestServer.with { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            raw.sendRequest(
                callID: 1,
                method: TestMethods.sleep.path,
                HealthRequest(service: "30000"),
                timeoutMicros: 20_000
            )
            let response = try #require(await raw.readFrames(1).first?.responseHeader)
            #expect(response.code == RPCError.Code.deadlineExceeded.rawValue)
            #expect(await test.probe.wait { $0.cancelled == 1 })
        }
    }

    @Test func cancellingTheCallingTaskCancelsTheHandler() async throws {
        try await TestServer.with { test in
            let call = Task {
                try await test.client.call(TestMethods.sleep, HealthRequest(service: "30000"))
            }
            #expect(await test.probe.wait { $0.mostRunning == 1 })
            call.cancel()
            let result = await call.result
            #expect(throws: RPCError(code: .cancelled, message: "the call was cancelled")) { try result.get() }
            #expect(await test.probe.wait { $0.cancelled == 1 }, "the server's handler saw the cancellation")
        }
    }

    @Test func backPressureQueuesCallsOverTheLimitWithoutDroppingThem() async throws {
        try await TestServer.with(configure: { $0.maximumConcurrentCallsPerConnection = 4 }) { test in
            try await withThrowingTaskGroup(of: HealthResponse.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await test.client.call(TestMethods.sleep, HealthRequest(service: "20")) }
                }
                var answered = 0
                for try await response in group {
                    #expect(response.status == .serving)
                    answered += 1
                }
                #expect(answered == 40)
            }
            #expect(test.probe.mostRunning <= 4)
            #expect(test.probe.completed == 40)
        }
    }

    /// The frame timeout is for clients that send a frame slowly. A frame the server stopped reading, because the
    /// connection had its maximum of calls in flight, is not late: when a call ends it is read and answered.
    @Test func aFrameHeldBackByBackPressureIsNotTimedOut() async throws {
        try await TestServer.with(configure: {
            $0.maximumConcurrentCallsPerConnection = 1
            $0.frameTimeout = .milliseconds(300)
        }) { test in
            func request(_ callID: UInt32, sleepMilliseconds: Int) -> [UInt8] {
                var frame: [UInt8] = []
                FrameEncoder.appendRequest(
                    callID: callID,
                    header: WireRequestHeader(method: TestMethods.sleep.path, timeoutMicros: 0),
                    message: HealthRequest(service: "\(sleepMilliseconds)"),
                    to: &frame
                )
                return frame
            }
            let raw = try RawConnection(test.endpoint)
            let second = request(2, sleepMilliseconds: 10)
            let half = second.count / 2
            // One write: a call that takes 1 s, and the first half of the next call's frame, which the server reads
            // with it and holds while that call runs.
            raw.send(Preface.bytes + request(1, sleepMilliseconds: 1_000) + second[..<half])
            #expect(await test.probe.wait { $0.mostRunning == 1 })
            raw.send(Array(second[half...]))
            let frames = await raw.readFrames(untilCall: 2, timeout: .seconds(10))
            #expect(frames.compactMap(\.goAway).isEmpty, "\(frames.compactMap(\.goAway).map(\.message))")
            #expect(frames.filter { $0.callID == 2 }.compactMap(\.responseHeader).map(\.code) == [0])
            #expect(test.probe.completed == 2)
        }
    }

    @Test func authorizationIsRequiredWhenATokenIsSet() async throws {
        try await TestServer.with(configure: { $0.authToken = "s3cret" }) { test in
            let answer = try await test.client.health().status
            #expect(answer == .serving, "Health needs no token")
            await #expect(throws: RPCError.self) { try await test.client.stats() }
            let wrong = CallOptions(metadata: [Metadata.authorization: "Bearer nope"])
            let error = await #expect(throws: RPCError.self) { try await test.client.stats(options: wrong) }
            #expect(error?.code == .unauthenticated)
            let right = CallOptions(metadata: [Metadata.authorization: "Bearer s3cret"])
            let stats = try await test.client.stats(options: right).server
            #expect(stats != nil)
        }
    }

    @Test func requestIDIsEchoedInErrors() async throws {
        try await TestServer.with { test in
            let options = CallOptions(metadata: [Metadata.requestID: "req-42"])
            let error = await #expect(throws: RPCError.self) {
                try await test.client.get(GetRequest(id: "1"), options: options)
            }
            #expect(error?.metadata[Metadata.requestID] == "req-42")
        }
    }

    @Test func statsCountCallsByMethodAndStatus() async throws {
        try await TestServer.with { test in
            for _ in 0..<10 {
                _ = try await test.client.health()
            }
            _ = try? await test.client.delete(DeleteRequest())
            let statsAnswer = try await test.client.stats().server
            let stats = try #require(statsAnswer)
            #expect(stats.openConnections == 1)
            #expect(stats.uptimeSeconds > 0)
            let health = try #require(stats.methods.first { $0.method == FilingsMethods.health.path })
            #expect(health.calls == 10)
            #expect(health.statuses == [StatusCount(code: "OK", count: 10)])
            #expect(health.p50Ms <= health.p99Ms && health.p99Ms <= health.maxMs)
            let delete = try #require(stats.methods.first { $0.method == FilingsMethods.delete.path })
            #expect(delete.statuses == [StatusCount(code: "UNIMPLEMENTED", count: 1)])
        }
    }

    @Test func responsesOverTheFrameLimitBecomeResourceExhausted() async throws {
        try await TestServer.with(configure: { $0.maximumFrameSize = 4096 }) { test in
            // The echo answers with the text twice: 3000 bytes in, about 6000 out.
            let error = await #expect(throws: RPCError.self) {
                try await test.client.call(
                    TestMethods.echo,
                    HealthRequest(service: String(repeating: "y", count: 3000))
                )
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.message.contains("frame limit of 4096") == true)
            let answer = try await test.client.health().status
            #expect(answer == .serving)
        }
    }
}
