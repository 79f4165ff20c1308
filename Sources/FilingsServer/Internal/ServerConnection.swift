import FilingsCore
import FilingsTransport
import Logging

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

    private let state: Lock<State>

    init(connection: FramedConnection, server: ServerShared, serial: Int) {
        self.connection = connection
        self.server = server
        self.metricsShard = server.metrics.shardIndex(forConnection: serial)
        var logger = server.logger
        logger[metadataKey: "connection.peer"] = "\(connection.peer)"
        self.logger = logger
        let configuration = server.configuration
        state = Lock(
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
        guard let step = state.withLock({ $0.machine.nextStep(now: now) }) else { return .close }
        return .wait(read: step.read, until: step.until)
    }

    func deadlinePassed(now: ContinuousClock.Instant) {
        let (timer, prefaceBytes) = state.withLock { state in
            (state.machine.timerFired(now: now), state.prefaceBytes.count)
        }
        switch timer {
        case .none:
            break
        case .goAway(let goAway):
            logger.warning("closing connection: \(goAway.message)")
            sendGoAway(goAway)
        case .closeWithoutReply:
            logger.warning(
                "closing a connection that did not complete its preface within the frame timeout",
                metadata: ["preface_bytes": "\(prefaceBytes)", "frame_timeout": "\(server.configuration.frameTimeout)"]
            )
        }
    }

    func received(_ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        server.metrics.bytesReceived(bytes.count)
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
            return (Array(state.calls.values), state.decoder.bufferedByteCount)
        }
        if partial > 0 {
            logger.info("connection closed in the middle of a frame (\(partial) bytes of it received)")
        } else if let errno {
            logger.debug("connection failed: \(errnoDescription(errno))")
        }
        for call in calls {
            _ = call.handle(.connectionLost)
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

    // MARK: A call's path: admit → read its header → resolve its handler → start it

    /// A request that passed every check: what runs, and for whom.
    private struct ResolvedCall {
        let work: PreparedCall
        let context: ServerContext
    }

    /// A request refused before it ran.
    private struct Refusal: Error {
        let method: String
        let requestID: String?
        let error: RPCError
    }

    private func handleRequest(_ frame: Frame, now: ContinuousClock.Instant, out: inout [UInt8]) {
        guard admit(frame) else { return }
        switch resolve(frame, now: now) {
        case .failure(let refusal):
            refuse(callID: frame.callID, refusal, received: now, out: &out)
        case .success(let call):
            start(call, callID: frame.callID, received: now, out: &out)
        }
    }

    /// Step 1: whether the connection takes the call at all (call ids rise; none after a GOAWAY).
    private func admit(_ frame: Frame) -> Bool {
        switch state.withLock({ $0.machine.requestReceived(callID: frame.callID, now: .now) }) {
        case .accept:
            return true
        case .ignore:
            return false
        case .protocolError(let goAway):
            logger.warning("closing connection: \(goAway.message)")
            sendGoAway(goAway)
            connection.wakeUp()
            return false
        }
    }

    /// Steps 2 and 3: reads the call header, finds the method, checks the credentials and decodes the request.
    private func resolve(_ frame: Frame, now: ContinuousClock.Instant) -> Result<ResolvedCall, Refusal> {
        let payload: CallPayload<WireRequestHeader>
        do {
            payload = try CallPayload(decoding: frame.payload)
        } catch {
            return .failure(Refusal(method: "", requestID: nil, error: error))
        }
        let header = payload.header
        let metadata = header.callMetadata
        let requestID = metadata[Metadata.requestID]
        func refusal(_ error: RPCError) -> Result<ResolvedCall, Refusal> {
            .failure(Refusal(method: header.method, requestID: requestID, error: error))
        }
        guard let method = server.handler(for: header.method) else {
            return refusal(RPCError(code: .unimplemented, message: "unknown method '\(header.method)'"))
        }
        if let authError = server.authenticate(method: header.method, metadata: metadata) {
            return refusal(authError)
        }
        let prepared = frame.payload.withUnsafeBytes { bytes in
            Result { () throws(RPCError) in
                try method.prepare(UnsafeRawBufferPointer(rebasing: bytes[payload.messageOffset...]))
            }
        }
        switch prepared {
        case .failure(let error):
            return refusal(error)
        case .success(let work):
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
            return .success(ResolvedCall(work: work, context: context))
        }
    }

    /// Step 4: runs the call: inline handlers at once on this thread, the others in a task with their deadline
    /// timer, the call's life then following ``CallLifecycle``.
    private func start(
        _ resolved: ResolvedCall,
        callID: UInt32,
        received: ContinuousClock.Instant,
        out: inout [UInt8]
    ) {
        let context = resolved.context
        switch resolved.work {
        case .inline(let work):
            let result: Result<any ProtobufMessage, RPCError>
            do {
                result = .success(try work(context))
            } catch {
                result = .failure(Self.status(of: error, logger: context.logger))
            }
            let code = encodeAnswer(callID: callID, requestID: context.requestID, result: result, to: &out)
            record(method: context.method, code: code, received: received, started: false, logger: context.logger)
        case .async(let work):
            let call = ServerCall(
                id: callID,
                method: context.method,
                requestID: context.requestID,
                received: received,
                logger: context.logger
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
                        result = .success(try await work(context))
                    } catch {
                        result = .failure(Self.status(of: error, logger: context.logger))
                    }
                    self.handlerReturned(call, with: result)
                }
            )
            if let deadline = context.deadline {
                call.attach(
                    Task {
                        do {
                            try await Task.sleep(until: deadline, clock: .continuous)
                        } catch {
                            return
                        }
                        self.apply(.deadlinePassed, to: call)
                    }
                )
            }
        }
    }

    private func handleCancel(callID: UInt32) {
        guard let call = state.withLock({ $0.calls[callID] }) else { return }
        apply(.cancelReceived, to: call)
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

    /// The handler of `call` returned: its result is the answer unless something answered first, and the call's
    /// slot is free.
    private func handlerReturned(_ call: ServerCall, with result: Result<any ProtobufMessage, RPCError>) {
        let code: RPCError.Code
        switch result {
        case .success: code = .ok
        case .failure(let error): code = error.code
        }
        let actions = call.handle(.handlerReturned(code))
        if actions.answer != nil {
            var frame: [UInt8] = []
            _ = encodeAnswer(callID: call.id, requestID: call.requestID, result: result, to: &frame)
            connection.enqueue(frame)
        }
        if actions.release {
            release(call)
        }
    }

    /// Applies an event other than the handler's return to `call`, answering it with a status when the lifecycle
    /// says so.
    private func apply(_ event: CallLifecycle.Event, to call: ServerCall, message: String? = nil) {
        let actions = call.handle(event)
        guard let code = actions.answer else { return }
        let error = RPCError(
            code: code,
            message: message
                ?? (code == .deadlineExceeded ? "the deadline passed before the call completed" : "\(code)")
        )
        var frame: [UInt8] = []
        _ = encodeAnswer(callID: call.id, requestID: call.requestID, result: .failure(error), to: &frame)
        connection.enqueue(frame)
    }

    /// Frees the slot of a call whose handler returned, and records it.
    private func release(_ call: ServerCall) {
        let now = ContinuousClock.now
        record(method: call.method, code: call.finalStatus, received: call.received, started: true, logger: call.logger)
        let wake = state.withLock { state -> Bool in
            guard state.calls.removeValue(forKey: call.id) != nil else { return false }
            return state.machine.callEnded(now: now)
        }
        if wake {
            connection.wakeUp()
        }
    }

    /// Records an ended call in the metrics and in the log (at debug level, with its request id).
    private func record(
        method: String,
        code: RPCError.Code,
        received: ContinuousClock.Instant,
        started: Bool,
        logger: Logger
    ) {
        let latency = ContinuousClock.now - received
        server.metrics.callEnded(shard: metricsShard, method: method, code: code, latency: latency, started: started)
        logger.debug(
            "call ended",
            metadata: ["rpc.status": "\(code)", "rpc.latency_us": "\(latency.wholeMicroseconds)"]
        )
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

    /// Answers a call that was refused before it ran.
    private func refuse(callID: UInt32, _ refusal: Refusal, received: ContinuousClock.Instant, out: inout [UInt8]) {
        _ = encodeAnswer(callID: callID, requestID: refusal.requestID, result: .failure(refusal.error), to: &out)
        var logger = self.logger
        logger[metadataKey: "rpc.method"] = "\(refusal.method)"
        logger[metadataKey: "rpc.call_id"] = "\(callID)"
        if let requestID = refusal.requestID {
            logger[metadataKey: "rpc.request_id"] = "\(requestID)"
        }
        logger.debug("call refused: \(refusal.error.message)")
        record(
            method: refusal.method.isEmpty ? "(malformed)" : refusal.method,
            code: refusal.error.code,
            received: received,
            started: false,
            logger: logger
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

    /// Answers every call in flight UNAVAILABLE, cancels their work and closes the connection without waiting
    /// for their handlers to return.
    func terminate(message: String) {
        let calls = state.withLock { Array($0.calls.values) }
        for call in calls {
            apply(.shutDown, to: call, message: message)
        }
        state.withLock { $0.machine.streamEnded() }
        connection.wakeUp()
    }
}
