import FilingsCore
import FilingsTransport
import Logging
import Synchronization

/// The answer to one call on the wire: the RESPONSE payload and where its message starts in it.
struct CallOutcome: Sendable {
    var payload: [UInt8]
    var messageOffset: Int
}

/// A call waiting for its answer, with the timer of its deadline.
struct PendingCall {
    var continuation: CheckedContinuation<Result<CallOutcome, CallFailure>, Never>
    var deadlineTimer: Task<Void, Never>?
}

/// The id of a call once it has one, for its cancellation handler.
final class CallSlot: Sendable {
    let id = Atomic<UInt32>(0)
}

/// A failed call, and whether the server provably never processed it (which makes any call safe to retry).
struct CallFailure: Error {
    var error: RPCError
    var notProcessed: Bool
    /// The call may go to another connection without counting as an attempt: it never left the client (the
    /// connection began closing before it was queued), or a graceful GOAWAY said the server did not take it.
    var retryTransparently = false
}

/// One multiplexed connection to a server: many calls in flight, answered in any order.
final class ClientConnection: ConnectionDriver, Sendable {
    let endpoint: Endpoint
    private let framed: FramedConnection
    private let configuration: ClientConfiguration
    private let logger: Logger

    private struct State: ~Copyable {
        var nextCallID: UInt32 = 1
        var pending: [UInt32: PendingCall] = [:]
        var prefaceBytes: [UInt8] = []
        var handshakeDone = false
        var decoder: FrameDecoder
        /// A GOAWAY arrived (or ids ran out): no new calls here.
        var draining = false
        var closed = false
        var lastFrameReceived: ContinuousClock.Instant
        var pingSentAt: ContinuousClock.Instant?
    }

    private let state: Lock<State>

    /// Connects (blocking the calling thread) and sends the preface.
    init(endpoint: Endpoint, configuration: ClientConfiguration, logger: Logger) throws(TransportError) {
        let socket = try Socket.connect(
            to: endpoint,
            timeoutMilliseconds: Int32(clamping: configuration.connectTimeout.wholeMilliseconds)
        )
        self.endpoint = endpoint
        self.framed = FramedConnection(socket: socket, peer: endpoint.description)
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "connection.peer"] = "\(endpoint)"
        self.logger = logger
        self.state = Lock(
            State(decoder: FrameDecoder(maximumPayloadSize: configuration.maximumFrameSize), lastFrameReceived: .now)
        )
        framed.send(Preface.bytes)
    }

    /// Runs the connection's loop on the calling thread until it closes.
    func run() {
        framed.run(driver: self, lingerMilliseconds: 100)
        failAll(RPCError(code: .unavailable, message: "the connection to \(endpoint) closed"), notProcessed: false)
    }

    /// Whether new calls may use this connection.
    var isUsable: Bool {
        state.withLock { !$0.draining && !$0.closed }
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    func close() {
        state.withLock { $0.closed = true }
        framed.abort()
    }

    // MARK: Calls

    /// Sends a call and waits for its answer.
    func call(
        method: String,
        message: some ProtobufMessage,
        metadata: Metadata,
        deadline: ContinuousClock.Instant?
    ) async -> Result<CallOutcome, CallFailure> {
        var header = WireRequestHeader(method: method, metadata: metadata.wireEntries)
        if let deadline {
            let remaining = deadline - .now
            guard remaining > .zero else {
                let error = RPCError(code: .deadlineExceeded, message: "the deadline passed before the call was sent")
                return .failure(CallFailure(error: error, notProcessed: true))
            }
            header.timeoutMicros = UInt64(max(1, remaining.wholeMicroseconds))
        }
        // The call id goes in when the frame is queued: ids must reach the server in rising order.
        var frame: [UInt8] = []
        FrameEncoder.appendRequest(callID: 0, header: header, message: message, to: &frame)
        let slot = CallSlot()

        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let id = state.withLock { state -> UInt32? in
                    guard !state.closed, !state.draining else { return nil }
                    let id = state.nextCallID
                    if id == UInt32.max {
                        state.draining = true  // call ids ran out: the pool opens a new connection
                    }
                    state.nextCallID &+= 1
                    state.pending[id] = PendingCall(continuation: continuation)
                    frame.setBigEndian(id, at: 6)
                    framed.enqueue(frame)
                    return id
                }
                guard let id else {
                    let error = RPCError(code: .unavailable, message: "the connection to \(endpoint) is closing")
                    continuation.resume(
                        returning: .failure(CallFailure(error: error, notProcessed: true, retryTransparently: true))
                    )
                    return
                }
                slot.id.store(id, ordering: .releasing)
                // A cancellation that came before the id was known found nothing to cancel: check again now.
                if Task.isCancelled {
                    cancel(callID: id, with: RPCError(code: .cancelled, message: "the call was cancelled"))
                    return
                }
                if let deadline {
                    let timer = Task { [weak self] in
                        guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                        let error = RPCError(
                            code: .deadlineExceeded,
                            message: "the deadline passed before the call completed"
                        )
                        self?.cancel(callID: id, with: error)
                    }
                    let stillPending = state.withLock { state in
                        state.pending[id]?.deadlineTimer = timer
                        return state.pending[id] != nil
                    }
                    if !stillPending {
                        timer.cancel()
                    }
                }
            }
        } onCancel: {
            let id = slot.id.load(ordering: .acquiring)
            if id != 0 {
                cancel(callID: id, with: RPCError(code: .cancelled, message: "the call was cancelled"))
            }
        }
    }

    /// Gives up on a call: fails it locally and tells the server to stop working on it.
    private func cancel(callID: UInt32, with error: RPCError) {
        if resolve(callID: callID, with: .failure(CallFailure(error: error, notProcessed: false))) {
            var frame: [UInt8] = []
            FrameEncoder.appendCancel(callID: callID, to: &frame)
            framed.send(frame)
        }
    }

    @discardableResult
    private func resolve(callID: UInt32, with result: Result<CallOutcome, CallFailure>) -> Bool {
        guard let call = state.withLock({ $0.pending.removeValue(forKey: callID) }) else { return false }
        call.deadlineTimer?.cancel()
        call.continuation.resume(returning: result)
        return true
    }

    private func failAll(
        _ error: RPCError,
        notProcessed: Bool,
        retryTransparently: Bool = false,
        above lastCallID: UInt32 = 0
    ) {
        let calls = state.withLock { state in
            let ids = state.pending.keys.filter { $0 > lastCallID }
            return ids.compactMap { state.pending.removeValue(forKey: $0) }
        }
        for call in calls {
            call.deadlineTimer?.cancel()
            call.continuation.resume(
                returning: .failure(
                    CallFailure(error: error, notProcessed: notProcessed, retryTransparently: retryTransparently)
                )
            )
        }
    }

    // MARK: ConnectionDriver

    func nextStep(now: ContinuousClock.Instant) -> LoopStep {
        state.withLock { state in
            if state.closed { return .close }
            if state.draining && state.pending.isEmpty { return .close }
            guard let interval = configuration.keepaliveInterval else { return .wait(read: true, until: nil) }
            if let sent = state.pingSentAt {
                return .wait(read: true, until: sent + configuration.keepaliveTimeout)
            }
            return .wait(read: true, until: state.lastFrameReceived + interval)
        }
    }

    func deadlinePassed(now: ContinuousClock.Instant) {
        enum Keepalive { case none, ping, unanswered }
        let keepalive = state.withLock { state -> Keepalive in
            guard !state.closed, let interval = configuration.keepaliveInterval else { return .none }
            if let sent = state.pingSentAt {
                guard now >= sent + configuration.keepaliveTimeout else { return .none }
                state.closed = true
                return .unanswered
            }
            guard now >= state.lastFrameReceived + interval else { return .none }
            state.pingSentAt = now
            return .ping
        }
        switch keepalive {
        case .none:
            break
        case .ping:
            var frame: [UInt8] = []
            FrameEncoder.appendPing(payload: [0, 0, 0, 0, 0, 0, 0, 1], ack: false, to: &frame)
            framed.send(frame)
        case .unanswered:
            logger.warning("no answer to a keepalive PING; closing the connection")
        }
    }

    func received(_ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        var frames: [Frame] = []
        var failure: RPCError?
        state.withLock { state in
            state.lastFrameReceived = now
            state.pingSentAt = nil
            var input = bytes
            if !state.handshakeDone {
                state.prefaceBytes.append(contentsOf: bytes)
                switch Preface.check(state.prefaceBytes) {
                case .needMoreBytes:
                    return
                case .badMagic:
                    failure = RPCError(code: .unavailable, message: "\(endpoint) does not speak the filings protocol")
                    state.closed = true
                    return
                case .accepted:
                    state.handshakeDone = true
                    state.decoder.append(state.prefaceBytes[Preface.size...])
                    state.prefaceBytes = []
                    input = UnsafeRawBufferPointer(start: nil, count: 0)
                }
            }
            state.decoder.append(input)
            do throws(FrameDecodingError) {
                while let frame = try state.decoder.nextFrame() {
                    frames.append(frame)
                }
            } catch {
                failure = RPCError(
                    code: .resourceExhausted,
                    message: "the server sent a frame over the limit: \(error)"
                )
                state.closed = true
            }
        }
        for frame in frames {
            handle(frame)
        }
        if let failure {
            logger.warning("closing the connection: \(failure)")
            failAll(failure, notProcessed: false)
            framed.wakeUp()
        }
    }

    func streamEnded(errno: Int32?) {
        state.withLock { $0.closed = true }
    }

    private func handle(_ frame: Frame) {
        switch frame.type {
        case .response:
            do throws(RPCError) {
                let payload = try CallPayload<WireResponseHeader>(decoding: frame.payload)
                let header = payload.header
                if header.code == 0 {
                    resolve(
                        callID: frame.callID,
                        with: .success(CallOutcome(payload: frame.payload, messageOffset: payload.messageOffset))
                    )
                } else {
                    var metadata = Metadata()
                    for entry in header.metadata {
                        metadata.add(entry.key, entry.value)
                    }
                    let error = RPCError(
                        code: RPCError.Code(rawValue: header.code),
                        message: header.message,
                        metadata: metadata
                    )
                    resolve(callID: frame.callID, with: .failure(CallFailure(error: error, notProcessed: false)))
                }
            } catch {
                resolve(
                    callID: frame.callID,
                    with: .failure(
                        CallFailure(
                            error: RPCError(code: .internal, message: "malformed response: \(error.message)"),
                            notProcessed: false
                        )
                    )
                )
            }
        case .ping where frame.flags & FrameType.pingAckFlag == 0:
            var out: [UInt8] = []
            FrameEncoder.appendPing(payload: frame.payload, ack: true, to: &out)
            framed.send(out)
        case .goAway:
            let goAway = (try? WireGoAway(serializedBytes: frame.payload)) ?? WireGoAway()
            let code = RPCError.Code(rawValue: goAway.code)
            if code == .ok {
                logger.debug("server is draining the connection: \(goAway.message)")
            } else {
                logger.warning("server closed the connection with \(code): \(goAway.message)")
            }
            state.withLock { $0.draining = true }
            let message = goAway.message.isEmpty ? "the server is closing the connection" : goAway.message
            failAll(
                RPCError(code: code == .ok ? .unavailable : code, message: message),
                notProcessed: true,
                retryTransparently: code == .ok,
                above: goAway.lastCallId
            )
            framed.wakeUp()
        default:
            break
        }
    }
}
