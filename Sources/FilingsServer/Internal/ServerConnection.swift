import FilingsCore
import FilingsTransport
import Logging
import Synchronization

/// One client connection: drives the protocol state machine from its loop thread and answers calls from the
/// handlers' tasks.
final class ServerConnection: ConnectionDriver, Sendable {
    let connection: FramedConnection
    private let server: ServerShared
    private let logger: Logger

    private struct State: ~Copyable {
        var machine: ServerConnectionStateMachine
        var calls: [UInt32: ServerCall] = [:]
        /// Bytes before the preface is complete.
        var prefaceBytes: [UInt8] = []
        var decoder: FrameDecoder
    }

    private let state: Mutex<State>

    init(connection: FramedConnection, server: ServerShared) {
        self.connection = connection
        self.server = server
        var logger = server.logger
        logger[metadataKey: "connection.peer"] = "\(connection.peer)"
        self.logger = logger
        let configuration = server.configuration
        state = Mutex(
            State(
                machine: ServerConnectionStateMachine(
                    maximumConcurrentCalls: configuration.maximumConcurrentCallsPerConnection,
                    idleTimeout: configuration.idleTimeout,
                    frameTimeout: configuration.frameTimeout,
                    now: .now
                ),
                decoder: FrameDecoder(maximumPayloadSize: configuration.maximumFrameSize)
            )
        )
    }

    // MARK: ConnectionDriver (the loop thread)

    func nextStep(now: ContinuousClock.Instant) -> LoopStep {
        processBufferedFrames(now: now)
        let (step, goAway) = state.withLock { state -> ((read: Bool, until: ContinuousClock.Instant?)?, WireGoAway?) in
            var step = state.machine.nextStep(now: now)
            var goAway: WireGoAway?
            if let until = step?.until, until <= now {
                goAway = state.machine.timerFired(now: now)
                step = state.machine.nextStep(now: now)
            }
            return (step, goAway)
        }
        if let goAway {
            sendGoAway(goAway)
        }
        guard let step else { return .close }
        return .wait(read: step.read, until: step.until)
    }

    func received(_ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        let prefaceVerdict: Preface.Verdict? = state.withLock { state in
            guard state.machine.phase == .awaitingPreface else {
                state.decoder.append(bytes)
                return nil
            }
            state.prefaceBytes.append(contentsOf: bytes)
            let verdict = Preface.check(state.prefaceBytes)
            if case .accepted(Preface.version) = verdict {
                state.decoder.append(state.prefaceBytes[Preface.size...])
                state.prefaceBytes = []
                state.machine.prefaceAccepted(now: now)
            }
            return verdict
        }
        if let prefaceVerdict {
            handlePreface(prefaceVerdict)
        }
        processBufferedFrames(now: now)
    }

    /// Handles the complete frames buffered, one at a time, while the connection may take calls: at the call
    /// limit the rest wait in the decoder (and reading stops) until a call ends.
    private func processBufferedFrames(now: ContinuousClock.Instant) {
        while true {
            let next = state.withLock { state -> Result<Frame, FrameDecodingError>? in
                defer { state.machine.bytesReceived(partial: state.decoder.bufferedByteCount > 0, now: now) }
                guard state.machine.canTakeFrames else { return nil }
                do throws(FrameDecodingError) {
                    return try state.decoder.nextFrame().map { .success($0) }
                } catch {
                    return .failure(error)
                }
            }
            switch next {
            case nil:
                return
            case .success(let frame):
                handle(frame, now: now)
            case .failure(let error):
                logger.warning("closing connection: \(error)")
                fail(code: .resourceExhausted, message: error.description)
                return
            }
        }
    }

    func streamEnded(errno: Int32?) {
        let (calls, partial) = state.withLock { state in
            state.machine.streamEnded()
            defer { state.calls = [:] }
            return (Array(state.calls.values), state.decoder.bufferedByteCount)
        }
        if partial > 0 {
            logger.info("connection closed in the middle of a frame (\(partial) bytes of it received)")
        } else if let errno {
            logger.debug("connection failed: \(errnoDescription(errno))")
        }
        for call in calls where call.claim() {
            call.cancel()
            server.metrics.callEnded(
                method: call.method,
                code: .cancelled,
                latency: .now - call.received,
                started: true
            )
        }
    }

    // MARK: Preface and frames

    private func handlePreface(_ verdict: Preface.Verdict) {
        switch verdict {
        case .needMoreBytes:
            return
        case .accepted(Preface.version):
            connection.send(Preface.bytes)
        case .accepted(let version):
            logger.warning("refusing protocol version \(version)")
            connection.send(Preface.bytes)
            fail(
                code: .failedPrecondition,
                message: "protocol version \(version) is not supported; this server speaks version \(Preface.version)"
            )
        case .badMagic(let looksLikeHTTP):
            logger.warning("refusing a connection that is not the filings protocol", metadata: ["http": "\(looksLikeHTTP)"])
            if looksLikeHTTP {
                let body = "This port speaks the filings RPC protocol, not HTTP. See docs/PROTOCOL.md.\n"
                connection.send(
                    Array(
                        ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8
                    )
                )
            }
            state.withLock { $0.machine.streamEnded() }
        }
    }

    private func handle(_ frame: Frame, now: ContinuousClock.Instant) {
        switch frame.type {
        case .request:
            handleRequest(frame, now: now)
        case .cancel:
            handleCancel(callID: frame.callID)
        case .ping:
            if frame.flags & FrameType.pingAckFlag == 0 {
                var out: [UInt8] = []
                FrameEncoder.appendPing(payload: frame.payload, ack: true, to: &out)
                connection.send(out)
            }
        case .response, .goAway:
            fail(code: .invalidArgument, message: "a client does not send \(frame.type) frames")
        default:
            break  // unknown frame types are skipped (docs/PROTOCOL.md)
        }
    }

    private func handleRequest(_ frame: Frame, now: ContinuousClock.Instant) {
        let action = state.withLock { $0.machine.requestReceived(callID: frame.callID, now: now) }
        switch action {
        case .ignore:
            return
        case .protocolError(let goAway):
            logger.warning("closing connection: \(goAway.message)")
            sendGoAway(goAway)
            connection.wakeUp()
            return
        case .accept:
            break
        }

        let payload: CallPayload<WireRequestHeader>
        do {
            payload = try CallPayload(decoding: frame.payload)
        } catch {
            refuse(callID: frame.callID, method: "", requestID: nil, received: now, error: error)
            return
        }
        let header = payload.header
        let metadata = header.callMetadata
        let requestID = metadata[Metadata.requestID]
        let refusal: RPCError?
        var prepared: (@Sendable (ServerContext) async throws -> any ProtobufMessage)?
        if let method = server.handler(for: header.method) {
            if let authError = server.authenticate(method: header.method, metadata: metadata) {
                refusal = authError
            } else {
                let result = frame.payload.withUnsafeBytes { bytes in
                    Result { () throws(RPCError) in
                        try method.prepare(UnsafeRawBufferPointer(rebasing: bytes[payload.messageOffset...]))
                    }
                }
                switch result {
                case .success(let work):
                    prepared = work
                    refusal = nil
                case .failure(let error):
                    refusal = error
                }
            }
        } else {
            refusal = RPCError(code: .unimplemented, message: "unknown method '\(header.method)'")
        }
        guard let prepared else {
            refuse(callID: frame.callID, method: header.method, requestID: requestID, received: now, error: refusal!)
            return
        }

        let call = ServerCall(id: frame.callID, method: header.method, requestID: requestID, received: now)
        let deadline = header.timeoutMicros > 0 ? now + .microseconds(Int64(clamping: header.timeoutMicros)) : nil
        var callLogger = logger
        callLogger[metadataKey: "rpc.method"] = "\(header.method)"
        callLogger[metadataKey: "rpc.call_id"] = "\(frame.callID)"
        if let requestID {
            callLogger[metadataKey: "rpc.request_id"] = "\(requestID)"
        }
        let context = ServerContext(
            method: header.method,
            metadata: metadata,
            deadline: deadline,
            peer: connection.peer,
            requestID: requestID,
            logger: callLogger
        )
        state.withLock { state in
            state.machine.callStarted()
            state.calls[call.id] = call
        }
        server.metrics.callStarted()

        call.attach(
            Task {
                let result: Result<any ProtobufMessage, RPCError>
                do {
                    result = .success(try await prepared(context))
                } catch let error as RPCError {
                    result = .failure(error)
                } catch is CancellationError {
                    result = .failure(RPCError(code: .cancelled, message: "the call was cancelled"))
                } catch {
                    callLogger.error("handler failed: \(String(reflecting: error))")
                    result = .failure(RPCError(code: .internal, message: "internal error"))
                }
                self.answer(call, with: result)
            }
        )
        if let deadline {
            call.attach(
                Task {
                    do {
                        try await Task.sleep(until: deadline, clock: .continuous)
                    } catch {
                        return
                    }
                    self.answer(
                        call,
                        with: .failure(RPCError(code: .deadlineExceeded, message: "the deadline passed before the call completed"))
                    )
                }
            )
        }
    }

    private func handleCancel(callID: UInt32) {
        guard let call = state.withLock({ $0.calls[callID] }), call.claim() else { return }
        call.cancel()
        finish(call, code: .cancelled)
    }

    // MARK: Answers

    /// Answers a call in flight, unless something else answered it first.
    func answer(_ call: ServerCall, with result: Result<any ProtobufMessage, RPCError>) {
        guard call.claim() else { return }
        call.cancel()
        var frame: [UInt8] = []
        var code = RPCError.Code.ok
        switch result {
        case .success(let message):
            FrameEncoder.appendResponse(callID: call.id, header: responseHeader(.ok, "", call.requestID), message: message, to: &frame)
            let size = frame.count - Frame.headerSize
            if size > server.configuration.maximumFrameSize {
                frame = []
                code = .resourceExhausted
                let message = "the response of \(size) bytes is over the frame limit of \(server.configuration.maximumFrameSize)"
                FrameEncoder.appendResponse(callID: call.id, header: responseHeader(code, message, call.requestID), message: nil, to: &frame)
            }
        case .failure(let error):
            code = error.code
            FrameEncoder.appendResponse(
                callID: call.id,
                header: responseHeader(error.code, error.message, call.requestID, extra: error.metadata),
                message: nil,
                to: &frame
            )
        }
        connection.send(frame)
        finish(call, code: code)
    }

    private func finish(_ call: ServerCall, code: RPCError.Code) {
        let now = ContinuousClock.now
        server.metrics.callEnded(method: call.method, code: code, latency: now - call.received, started: true)
        let wake = state.withLock { state -> Bool in
            guard state.calls.removeValue(forKey: call.id) != nil else { return false }
            return state.machine.callEnded(now: now)
        }
        if wake {
            connection.wakeUp()
        }
    }

    /// Answers a call that was refused before it was taken.
    private func refuse(callID: UInt32, method: String, requestID: String?, received: ContinuousClock.Instant, error: RPCError) {
        var frame: [UInt8] = []
        FrameEncoder.appendResponse(callID: callID, header: responseHeader(error.code, error.message, requestID), message: nil, to: &frame)
        connection.send(frame)
        server.metrics.callEnded(method: method.isEmpty ? "(malformed)" : method, code: error.code, latency: .now - received, started: false)
    }

    private func responseHeader(_ code: RPCError.Code, _ message: String, _ requestID: String?, extra: Metadata = [:]) -> WireResponseHeader {
        var metadata = extra.wireEntries
        if let requestID {
            metadata.append(WireMetadataEntry(key: Metadata.requestID, value: requestID))
        }
        return WireResponseHeader(code: code.rawValue, message: message, metadata: metadata)
    }

    // MARK: Connection-level

    private func sendGoAway(_ goAway: WireGoAway) {
        var frame: [UInt8] = []
        FrameEncoder.appendGoAway(goAway, to: &frame)
        connection.send(frame)
    }

    private func fail(code: RPCError.Code, message: String) {
        if let goAway = state.withLock({ $0.machine.fail(code: code, message: message) }) {
            sendGoAway(goAway)
        }
        connection.wakeUp()
    }

    /// Starts a graceful drain: a GOAWAY, no new calls, close when the calls in flight have ended.
    func drain(message: String) {
        if let goAway = state.withLock({ $0.machine.drain(code: .ok, message: message) }) {
            sendGoAway(goAway)
        }
        connection.wakeUp()
    }

    /// Ends every call in flight with UNAVAILABLE and closes the connection.
    func terminate(message: String) {
        let calls = state.withLock { Array($0.calls.values) }
        for call in calls {
            answer(call, with: .failure(RPCError(code: .unavailable, message: message)))
        }
        state.withLock { $0.machine.streamEnded() }
        connection.wakeUp()
    }
}
