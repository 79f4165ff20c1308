import FilingsClient
import FilingsCore
import FilingsServer
import FilingsTestSupport
import FilingsTransport
import Logging
import ServiceLifecycle
import Testing

@Suite struct ClientTests {
    @Test func unreachableServerIsUnavailable() async throws {
        let client = FilingsClient(configuration: .defaults(endpoints: [Endpoint(host: "127.0.0.1", port: 1)]))
        defer { client.close() }
        let error = await #expect(throws: RPCError.self) { try await client.health() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("cannot connect to 127.0.0.1:1") == true)
    }

    @Test func roundRobinSkipsADeadEndpoint() async throws {
        try await TestServer.with { test in
            let endpoints = [Endpoint(host: "127.0.0.1", port: 1), test.endpoint]
            let client = FilingsClient(configuration: .defaults(endpoints: endpoints))
            defer { client.close() }
            for _ in 0..<20 {
                let answer = try await client.health().status
                #expect(answer == .serving)
            }
        }
    }

    /// A call that a draining server did not take (GOAWAY code 0, `last_call_id` below it) goes to a new connection
    /// without counting as an attempt: with retries off, it still succeeds. The server is scripted (a fake inside a
    /// test of the client alone): its first connection answers the call with that GOAWAY, its second with OK.
    @Test func aCallRefusedByAGracefulGoAwayGoesToANewConnection() async throws {
        let listener = try Socket.listen(on: Endpoint(host: "127.0.0.1", port: 0), backlog: 4)
        defer { listener.close() }
        let port = listener.localPort
        let script = Task {
            await offPool { () -> Int in
                var answered = 0
                for connection in 0..<2 {
                    guard waitReadable([listener.fd], timeoutMilliseconds: 60_000)[0],
                        case .accepted(let socket, _) = listener.accept()
                    else { return answered }
                    defer { socket.close() }
                    // The client's preface and one REQUEST frame.
                    var bytes: [UInt8] = []
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
                    defer { buffer.deallocate() }
                    func frameComplete() -> Bool {
                        guard bytes.count >= Preface.bytes.count + Frame.headerSize else { return false }
                        let length = bytes[8..<12].reduce(0) { $0 << 8 | Int($1) }
                        return bytes.count >= Preface.bytes.count + Frame.headerSize + length
                    }
                    while !frameComplete() {
                        guard waitReadable([socket.fd], timeoutMilliseconds: 60_000)[0] else { return answered }
                        let n = socket.read(into: buffer)
                        guard n > 0 else { return answered }
                        bytes += buffer[..<n]
                    }
                    let callID = bytes[14..<18].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                    // A call's id is at least 1; anything else is not the REQUEST this script answers.
                    guard callID > 0 else { return answered }
                    var reply = Preface.bytes
                    if connection == 0 {
                        FrameEncoder.appendGoAway(
                            WireGoAway(lastCallId: callID - 1, code: 0, message: "idle"),
                            to: &reply
                        )
                    } else {
                        FrameEncoder.appendResponse(
                            callID: callID,
                            header: WireResponseHeader(code: 0),
                            message: HealthResponse(status: .serving),
                            to: &reply
                        )
                        answered += 1
                    }
                    _ = reply.withUnsafeBytes { socket.send($0) }
                    // Let the client read the answer before the socket closes.
                    _ = waitReadable([socket.fd], timeoutMilliseconds: 5_000)
                }
                return answered
            }
        }
        // No keepalive: on a machine stalled past its interval, the client's first frame would be a PING, which
        // the script does not expect.
        var configuration = ClientConfiguration.defaults(endpoints: [Endpoint(host: "127.0.0.1", port: port)])
        configuration.keepaliveInterval = nil
        let client = FilingsClient(configuration: configuration)
        defer { client.close() }
        let answer = try await client.health(options: CallOptions(retry: RetryPolicy.none))
        #expect(answer.status == .serving)
        client.close()
        #expect(await script.value == 1, "the second connection answered the call")
    }

    /// A connection that stays quiet past the keepalive interval gets a PING, and one whose PING goes unanswered for
    /// the keepalive timeout is closed. The peer is scripted (a fake inside a test of the client alone): it answers
    /// the first call, then reads everything and answers nothing.
    @Test func anUnansweredKeepalivePingClosesTheConnection() async throws {
        let listener = try Socket.listen(on: Endpoint(host: "127.0.0.1", port: 0), backlog: 4)
        defer { listener.close() }
        let port = listener.localPort
        let script = Task {
            await offPool { () -> (frameTypes: [UInt8], closedByClient: Bool) in
                guard waitReadable([listener.fd], timeoutMilliseconds: 60_000)[0],
                    case .accepted(let socket, _) = listener.accept()
                else { return ([], false) }
                defer { socket.close() }
                var bytes: [UInt8] = []
                var frameTypes: [UInt8] = []
                var answered = false
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
                defer { buffer.deallocate() }
                while waitReadable([socket.fd], timeoutMilliseconds: 60_000)[0] {
                    let n = socket.read(into: buffer)
                    guard n > 0 else { return (frameTypes, n == 0) }
                    bytes += buffer[..<n]
                    // The frames after the preface, each read whole: its type, and the first call answered.
                    var offset = Preface.bytes.count
                    var types: [UInt8] = []
                    while bytes.count >= offset + Frame.headerSize {
                        let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
                        guard bytes.count >= offset + Frame.headerSize + length else { break }
                        types.append(bytes[offset + 4])
                        if !answered, bytes[offset + 4] == FrameType.request.rawValue {
                            let callID = bytes[(offset + 6)..<(offset + 10)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                            var reply = Preface.bytes
                            FrameEncoder.appendResponse(
                                callID: callID,
                                header: WireResponseHeader(code: 0),
                                message: HealthResponse(status: .serving),
                                to: &reply
                            )
                            _ = reply.withUnsafeBytes { socket.send($0) }
                            answered = true
                        }
                        offset += Frame.headerSize + length
                    }
                    frameTypes = types
                }
                return (frameTypes, false)
            }
        }
        var configuration = ClientConfiguration.defaults(endpoints: [Endpoint(host: "127.0.0.1", port: port)])
        configuration.keepaliveInterval = .milliseconds(200)
        configuration.keepaliveTimeout = .milliseconds(300)
        let client = FilingsClient(configuration: configuration)
        defer { client.close() }
        // The call opens the connection. Its answer does not matter here: a script that starts late (the test pool
        // was busy) answers after the PING went unanswered, and the call fails with the connection.
        _ = try? await client.health(options: CallOptions(retry: RetryPolicy.none))
        let seen = await script.value
        #expect(seen.closedByClient, "the client kept a connection whose PING went unanswered")
        #expect(seen.frameTypes.contains(FrameType.ping.rawValue), "frames: \(seen.frameTypes)")
    }

    @Test func nonIdempotentMethodsAreNotRetriedOnceSent() async throws {
        // Retries are for methods the schema marks idempotent; the descriptor here says they are not.
        let unsafe = MethodDescriptor<HealthRequest, HealthResponse>(
            service: "filings.test.v1.Test",
            method: "Sleep",
            idempotency: .unknown
        )
        try await TestServer.with { test in
            #expect(unsafe.idempotency.allowsRetry == false)
            #expect(FilingsMethods.store.idempotency.allowsRetry)
            #expect(FilingsMethods.health.idempotency.allowsRetry)
            let answer = try await test.client.call(unsafe, HealthRequest(service: "1")).status
            #expect(answer == .serving)
        }
    }

    @Test func reconnectsAfterTheServerRestarts() async throws {
        var configuration = ServerConfiguration.defaults
        configuration.listen = Endpoint(host: "127.0.0.1", port: 0)
        var logger = Logger(label: "filings.test")
        logger.logLevel = .critical
        let first = try FilingsServer(configuration: configuration, logger: logger)
        let endpoint = first.endpoint
        var clientConfiguration = ClientConfiguration.defaults(endpoints: [endpoint])
        clientConfiguration.reconnectBackoff = (.milliseconds(10), .milliseconds(50))
        clientConfiguration.retry.maximumAttempts = 10
        let client = FilingsClient(configuration: clientConfiguration)
        defer { client.close() }

        let firstGroup = ServiceGroup(services: [first], logger: logger)
        let firstRun = Task { try await firstGroup.run() }
        let answer = try await client.health().status
        #expect(answer == .serving)
        await firstGroup.triggerGracefulShutdown()
        try await firstRun.value

        configuration.listen = endpoint
        let second = try FilingsServer(configuration: configuration, logger: logger)
        let secondGroup = ServiceGroup(services: [second], logger: logger)
        let secondRun = Task { try await secondGroup.run() }
        let afterRestart = try await client.health().status
        #expect(afterRestart == .serving, "the client reconnected to the new server")
        await secondGroup.triggerGracefulShutdown()
        try await secondRun.value
    }
}
