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
    /// Where this connection records its calls in the server's metrics.
    private let metricsShard: Int

    private struct State: ~Copyable {
        var machine: ServerConnectionStateMachine
        var calls: [UInt32: ServerCall] = [:]
        /// Bytes before the preface is complete.
        var prefaceBytes: [UInt8] = []
        var decoder: FrameDecoder
    }

    private let state: Mutex<State>

    init(connection: FramedConnection, server: ServerShared, serial: Int) {
        self.connection = connection
        self.server = server
        self.metricsShard = server.metrics.shardIndex(forConnection: serial)
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
        // Answers made on this thread leave together, in one write, when the frames at hand are handled.
        var out: [UInt8] = []
        defer {
            if !out.isEmpty {
                connection.send(out)
            }
        }
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
                handle(frame, now: now, out: &out)
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
                shard: metricsShard,

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
            logger.warning(
                "refusing a connection that is not the filings protocol",
                metadata: ["http": "\(looksLikeHTTP)"]
            )
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

    private func handle(_ frame: Frame, now: ContinuousClock.Instant, out: inout [UInt8]) {
        switch frame.type {
        case .request:
            handleRequest(frame, now: now, out: &out)
        case .cancel:
            handleCancel(callID: frame.callID)
        case .ping:
            if frame.flags & FrameType.pingAckFlag == 0 {
                FrameEncoder.appendPing(payload: frame.payload, ack: true, to: &out)
            }
        case .response, .goAway:
            fail(code: .invalidArgument, message: "a client does not send \(frame.type) frames")
        default:
            break  // unknown frame types are skipped (docs/PROTOCOL.md)
        }
    }

    private func handleRequest(_ frame: Frame, now: ContinuousClock.Instant, out: inout [UInt8]) {
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
            refuse(callID: frame.callID, method: "", requestID: nil, received: now, error: error, out: &out)
            return
        }
        let header = payload.header
        let metadata = header.callMetadata
        let requestID = metadata[Metadata.requestID]
        let refusal: RPCError?
        var prepared: PreparedCall?
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
            refuse(
                callID: frame.callID,
                method: header.method,
                requestID: requestID,
                received: now,
                error: refusal!,
                out: &out
            )
            return
        }

        let deadline = header.timeoutMicros > 0 ? now + .microseconds(Int64(clamping: header.timeoutMicros)) : nil
        let context = ServerContext(
            method: header.method,
            metadata: metadata,
            deadline: deadline,
            peer: connection.peer,
            requestID: requestID,
            callID: frame.callID,
            connectionLogger: logger
        )
        if case .inline(let work) = prepared {
            let result: Result<any ProtobufMessage, RPCError>
            do {
                result = .success(try work(context))
            } catch {
                result = .failure(Self.status(of: error, logger: context.logger))
            }
            let code = encodeAnswer(callID: frame.callID, requestID: requestID, result: result, to: &out)
            server.metrics.callEnded(
                shard: metricsShard,
                method: header.method,
                code: code,
                latency: .now - now,
                started: false
            )
            return
        }
        guard case .async(let work) = prepared else { return }
        let call = ServerCall(id: frame.callID, method: header.method, requestID: requestID, received: now)
        state.withLock { state in
            state.machine.callStarted()
            state.calls[call.id] = call
        }
        server.metrics.callStarted()

        call.attach(
            Task {
                let result: Result<any ProtobufMessage, RPCError>
                do {
                    result = .success(try await work(context))
                } catch {
                    result = .failure(Self.status(of: error, logger: context.logger))
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
                        with: .failure(
                            RPCError(code: .deadlineExceeded, message: "the deadline passed before the call completed")
                        )
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

    /// The status a handler's error is answered with: an ``RPCError`` as it is, a cancellation as CANCELLED, and
    /// anything else as INTERNAL, with its details only in the log.
    private static func status(of error: any Error, logger: Logger) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case is CancellationError:
            return RPCError(code: .cancelled, message: "the call was cancelled")
        default:
            logger.error("handler failed: \(String(reflecting: error))")
            return RPCError(code: .internal, message: "internal error")
        }
    }

    /// Answers a call in flight, unless something else answered it first.
    func answer(_ call: ServerCall, with result: Result<any ProtobufMessage, RPCError>) {
        guard call.claim() else { return }
        call.cancel()
        var frame: [UInt8] = []
        let code = encodeAnswer(callID: call.id, requestID: call.requestID, result: result, to: &frame)
        connection.enqueue(frame)
        finish(call, code: code)
    }

    /// Appends the RESPONSE frame for `result` and returns its status; a response over the frame limit becomes
    /// RESOURCE_EXHAUSTED.
    private func encodeAnswer(
        callID: UInt32,
        requestID: String?,
        result: Result<any ProtobufMessage, RPCError>,
        to out: inout [UInt8]
    ) -> RPCError.Code {
        let start = out.count
        switch result {
        case .success(let message):
            FrameEncoder.appendResponse(
                callID: callID,
                header: responseHeader(.ok, "", requestID),
                message: message,
                to: &out
            )
            let size = out.count - start - Frame.headerSize
            guard size > server.configuration.maximumFrameSize else { return .ok }
            out.removeSubrange(start...)
            let limit = server.configuration.maximumFrameSize
            let error = RPCError(
                code: .resourceExhausted,
                message: "the response of \(size) bytes is over the frame limit of \(limit)"
            )
            return encodeAnswer(callID: callID, requestID: requestID, result: .failure(error), to: &out)
        case .failure(let error):
            FrameEncoder.appendResponse(
                callID: callID,
                header: responseHeader(error.code, error.message, requestID, extra: error.metadata),
                message: nil,
                to: &out
            )
            return error.code
        }
    }

    private func finish(_ call: ServerCall, code: RPCError.Code) {
        let now = ContinuousClock.now
        server.metrics.callEnded(
            shard: metricsShard,
            method: call.method,
            code: code,
            latency: now - call.received,
            started: true
        )
        let wake = state.withLock { state -> Bool in
            guard state.calls.removeValue(forKey: call.id) != nil else { return false }
            return state.machine.callEnded(now: now)
        }
        if wake {
            connection.wakeUp()
        }
    }

    /// Answers a call that was refused before it was taken.
    private func refuse(
        callID: UInt32,
        method: String,
        requestID: String?,
        received: ContinuousClock.Instant,
        error: RPCError,
        out: inout [UInt8]
    ) {
        _ = encodeAnswer(callID: callID, requestID: requestID, result: .failure(error), to: &out)
        server.metrics.callEnded(
            shard: metricsShard,
            method: method.isEmpty ? "(malformed)" : method,
            code: error.code,
            latency: .now - received,
            started: false
        )
    }

    private func responseHeader(
        _ code: RPCError.Code,
        _ message: String,
        _ requestID: String?,
        extra: Metadata = [:]
    ) -> WireResponseHeader {
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
