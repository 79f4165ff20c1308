import FilingsClient
import FilingsCore
import FilingsServer
import FilingsTestSupport
import FilingsTransport
import Foundation
import Testing

/// Each kind of bad input gets the status or close that docs/PROTOCOL.md promises, while a second, well-behaved
/// client is served normally throughout.
@Suite struct MalformedInputTests {
    /// Runs `misbehave` against the server while the real client keeps calling Health; every one of those calls
    /// must succeed.
    private func whileServingOthers(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ misbehave: @escaping @Sendable (TestServer) async throws -> Void
    ) async throws {
        try await TestServer.with(configure: configure) { test in
            _ = try await test.client.health()
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    try await misbehave(test)
                    return 0
                }
                group.addTask {
                    var calls = 0
                    for _ in 0..<200 {
                        let response = try await test.client.health()
                        #expect(response.status == .serving)
                        calls += 1
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    return calls
                }
                var total = 0
                for try await calls in group { total += calls }
                #expect(total == 200)
            }
        }
    }

    @Test func httpRequestGetsAPlainHTTPRefusal() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
            let reply = String(decoding: await raw.readUntilClosed(), as: UTF8.self)
            #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(reply.contains("filings RPC protocol"))
            #expect(raw.closed)
        }
    }

    @Test func garbagePrefaceIsClosedWithoutAReply() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01])  // a TLS ClientHello's first bytes
            #expect(await raw.readUntilClosed().isEmpty)
            #expect(raw.closed)
        }
    }

    @Test func unsupportedVersionGetsFailedPrecondition() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.magic + [2])
            await raw.readUntilClosed()
            let goAway = try #require(raw.frames()?.first?.goAway)
            #expect(goAway.code == RPCError.Code.failedPrecondition.rawValue)
            #expect(goAway.message.contains("version 2"))
            #expect(raw.closed)
        }
    }

    @Test func allOnesLengthPrefixIsRefusedBeforeAllocation() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes + [0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0, 1])
            await raw.readUntilClosed()
            let goAway = try #require(raw.frames()?.first?.goAway)
            #expect(goAway.code == RPCError.Code.resourceExhausted.rawValue)
            #expect(goAway.message.contains("4294967295"))
            #expect(raw.closed)
        }
    }

    @Test func frameOverTheLimitGetsResourceExhausted() async throws {
        try await whileServingOthers(configure: { $0.maximumFrameSize = 1024 }) { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            raw.sendRequest(
                callID: 1,
                method: TestMethods.echo.path,
                HealthRequest(service: String(repeating: "x", count: 2000))
            )
            await raw.readUntilClosed()
            let goAway = try #require(raw.frames()?.first?.goAway)
            #expect(goAway.code == RPCError.Code.resourceExhausted.rawValue)
            #expect(goAway.message.contains("limit of 1024"))
        }
    }

    @Test func frameTruncatedByACloseLeavesTheServerServing() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes + [0, 0, 0, 100, 1, 0, 0, 0, 0, 1] + Array(repeating: 0, count: 10))
            try await Task.sleep(for: .milliseconds(20))
            raw.close()  // mid-frame
            for _ in 0..<100 {
                if try await test.client.stats().server?.openConnections == 1 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            let answer = try await test.client.stats().server?.openConnections
            #expect(answer == 1)
        }
    }

    @Test func messageBytesThatAreNotProtobufGetInvalidArgument() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            var frame: [UInt8] = []
            let header = WireRequestHeader(method: FilingsMethods.health.path).serializedBytes()
            let payload = [0, 0, 0, UInt8(header.count)] + header + [0xFF, 0xFF, 0xFF]
            Frame(type: .request, callID: 1, payload: payload).encode(into: &frame)
            raw.send(frame)
            raw.sendRequest(callID: 3, method: FilingsMethods.health.path, HealthRequest())
            let frames = await raw.readFrames(2)
            try #require(frames.count == 2)
            #expect(frames[0].callID == 1)
            #expect(frames[0].responseHeader?.code == RPCError.Code.invalidArgument.rawValue)
            #expect(frames[0].responseHeader?.message.contains("filings.v1.HealthRequest") == true)
            #expect(frames[1].callID == 3, "the connection keeps serving after a bad message")
            #expect(frames[1].responseHeader?.code == 0)
        }
    }

    @Test func malformedCallHeaderGetsInvalidArgument() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            var frame: [UInt8] = []
            Frame(type: .request, callID: 1, payload: [0, 0, 1, 0, 1, 2]).encode(into: &frame)
            raw.send(frame)
            let response = try #require(await raw.readFrames(1).first?.responseHeader)
            #expect(response.code == RPCError.Code.invalidArgument.rawValue)
            #expect(response.message.contains("header length"))
        }
    }

    @Test func unknownMethodGetsUnimplemented() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            raw.sendRequest(callID: 1, method: "/filings.v1.Filings/Nope", HealthRequest())
            let response = try #require(await raw.readFrames(1).first?.responseHeader)
            #expect(response.code == RPCError.Code.unimplemented.rawValue)
            #expect(response.message == "unknown method '/filings.v1.Filings/Nope'")
        }
    }

    @Test func duplicateCallIDEndsTheConnectionButAnswersTheCallInFlight() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            raw.sendRequest(callID: 5, method: TestMethods.sleep.path, HealthRequest(service: "200"))
            raw.sendRequest(callID: 5, method: TestMethods.echo.path, HealthRequest(service: "again"))
            await raw.readUntilClosed()
            let frames = try #require(raw.frames())
            let goAway = try #require(frames.first?.goAway)
            #expect(goAway.code == RPCError.Code.invalidArgument.rawValue)
            #expect(goAway.lastCallId == 5)
            #expect(goAway.message.contains("not greater than the previous call id 5"))
            #expect(frames.count == 2)
            #expect(frames.last?.callID == 5)
            #expect(frames.last?.responseHeader?.code == 0, "the call taken before the error is still answered")
            #expect(raw.closed)
        }
    }

    @Test func callIDZeroIsAProtocolError() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            raw.sendRequest(callID: 0, method: FilingsMethods.health.path, HealthRequest())
            await raw.readUntilClosed()
            #expect(raw.frames()?.first?.goAway?.code == RPCError.Code.invalidArgument.rawValue)
        }
    }

    @Test func slowDripFrameIsCutOff() async throws {
        try await whileServingOthers(configure: { $0.frameTimeout = .milliseconds(200) }) { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes + [0, 0, 0, 50, 1, 0])
            await raw.readUntilClosed()
            let goAway = try #require(raw.frames()?.first?.goAway)
            #expect(goAway.code == RPCError.Code.deadlineExceeded.rawValue)
            #expect(raw.closed)
        }
    }

    /// PROTOCOL.md §1: nothing complete within the frame timeout closes the connection; since no frame may come
    /// before the server's preface, nothing at all is sent (no preface, no GOAWAY).
    @Test(arguments: [[UInt8](), Array("FILI".utf8)])
    func incompletePrefaceIsClosedWithoutAReply(sent: [UInt8]) async throws {
        try await whileServingOthers(configure: { $0.frameTimeout = .milliseconds(200) }) { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(sent)
            let start = ContinuousClock.now
            let reply = await raw.readUntilClosed()
            #expect(raw.closed)
            #expect(reply.isEmpty, "the server sent \(reply.count) bytes to a client that never completed its preface")
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test func idleConnectionGetsAGracefulGoAway() async throws {
        try await whileServingOthers(configure: { $0.idleTimeout = .seconds(1) }) { test in
            let raw = try RawConnection(test.endpoint)
            raw.send(Preface.bytes)
            await raw.readUntilClosed()
            let goAway = try #require(raw.frames()?.first?.goAway)
            #expect(goAway.code == 0)
            #expect(goAway.message.contains("idle"))
        }
    }

    @Test func connectionsOverTheLimitAreRefused() async throws {
        try await whileServingOthers(configure: { $0.maximumConnections = 2 }) { test in
            let first = try RawConnection(test.endpoint)
            first.send(Preface.bytes)
            _ = await first.readFrames(0)
            let second = try RawConnection(test.endpoint)
            second.send(Preface.bytes)
            await second.readUntilClosed()
            let goAway = try #require(second.frames()?.first?.goAway)
            #expect(goAway.code == RPCError.Code.resourceExhausted.rawValue)
            #expect(goAway.message.contains("2 connections"))
        }
    }

    @Test func pingIsAnsweredWithTheSamePayload() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            var frame = Preface.bytes
            FrameEncoder.appendPing(payload: [1, 2, 3, 4, 5, 6, 7, 8], ack: false, to: &frame)
            raw.send(frame)
            let answer = try #require(await raw.readFrames(1).first)
            #expect(answer.type == .ping)
            #expect(answer.flags == FrameType.pingAckFlag)
            #expect(answer.payload == [1, 2, 3, 4, 5, 6, 7, 8])
        }
    }

    @Test func unknownFrameTypesAreSkipped() async throws {
        try await whileServingOthers { test in
            let raw = try RawConnection(test.endpoint)
            var bytes = Preface.bytes
            Frame(type: FrameType(rawValue: 77), callID: 9, payload: [1, 2, 3]).encode(into: &bytes)
            raw.send(bytes)
            raw.sendRequest(callID: 1, method: TestMethods.echo.path, HealthRequest(service: "still here"))
            let frame = try #require(await raw.readFrames(1).first)
            #expect(frame.responseHeader?.code == 0)
        }
    }
}

/// Random bytes and random frames after a valid preface: the server answers or closes each connection as
/// docs/PROTOCOL.md says, never crashes, and keeps serving a well-behaved client.
@Suite struct RandomInputTests {
    @Test(arguments: 1...24)
    func randomBytesAfterThePreface(seed: UInt64) async throws {
        try await TestServer.with(configure: { $0.frameTimeout = .milliseconds(150) }) { test in
            var generator = SplitMix64(seed: seed)
            let raw = try RawConnection(test.endpoint)
            var bytes = Preface.bytes
            if seed % 2 == 0 {
                bytes += (0..<Int.random(in: 1...4096, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                // Frames with plausible lengths but random types, ids and payloads.
                for _ in 0..<Int.random(in: 1...20, using: &generator) {
                    let payload = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    }
                    Frame(
                        type: FrameType(rawValue: UInt8.random(in: 0...7, using: &generator)),
                        flags: UInt8.random(in: 0...255, using: &generator),
                        callID: UInt32.random(in: 0...40, using: &generator),
                        payload: payload
                    ).encode(into: &bytes)
                }
            }
            raw.send(bytes)
            await raw.readUntilClosed(timeout: .seconds(2))
            for frame in raw.frames() ?? [] {
                // Whatever came back is a well-formed answer: a RESPONSE with a known status, a PING answer or
                // a GOAWAY that says why.
                switch frame.type {
                case .response:
                    let header = try #require(frame.responseHeader)
                    #expect((0...16).contains(header.code))
                    #expect(header.code == 0 || !header.message.isEmpty)
                case .ping:
                    #expect(frame.flags == FrameType.pingAckFlag)
                case .goAway:
                    #expect(frame.goAway.map { !$0.message.isEmpty } == true)
                default:
                    Issue.record("unexpected \(frame.type) frame from the server")
                }
            }
            let health = try await test.client.health()
            #expect(health.status == .serving)
        }
    }
}

/// Connections refused over `--max-connections` get their GOAWAY and leave nothing open in the server.
@Suite struct ConnectionLimitTests {
    @Test func refusedConnectionsLeaveNoDescriptorBehind() async throws {
        let server = try await ServerProcess.start(["--store", "none", "--max-connections", "1"])
        defer { server.terminate() }
        func descriptors() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.process.pid)/fd").count
        }
        let holder = try RawConnection(server.endpoint)
        holder.send(Preface.bytes)
        _ = await holder.readFrames(0)
        try await Task.sleep(for: .milliseconds(100))
        let before = try descriptors()
        for _ in 0..<20 {
            let refused = try RawConnection(server.endpoint)
            await refused.readUntilClosed(timeout: .seconds(5))
            let goAway = try #require(refused.frames()?.first?.goAway)
            #expect(goAway.code == RPCError.Code.resourceExhausted.rawValue)
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(try descriptors() == before, "each refused connection left descriptors open")
    }
}
