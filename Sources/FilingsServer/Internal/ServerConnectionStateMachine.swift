import FilingsCore

/// The protocol state of one server connection, without I/O: what to do with each event, as actions.
///
/// Call ids must rise; calls are counted while in flight; a GOAWAY starts a drain in which the calls already
/// taken are answered and the connection then closes.
struct ServerConnectionStateMachine {
    enum Phase: Equatable {
        /// Waiting for the client's preface.
        case awaitingPreface
        /// Taking calls.
        case active
        /// A GOAWAY went out: no new calls; close when the last call in flight ends. `reading` is false when the
        /// byte stream cannot be trusted any more (a protocol error).
        case draining(reading: Bool)
        /// Done: close the socket.
        case closed
    }

    /// What to do with a REQUEST frame.
    enum RequestAction: Equatable {
        /// Take the call.
        case accept
        /// The connection is draining and the call came after the GOAWAY: drop it (the client may retry it).
        case ignore
        /// The call id breaks the rules: send this GOAWAY and drain.
        case protocolError(WireGoAway)
    }

    let maximumConcurrentCalls: Int
    let idleTimeout: Duration
    let frameTimeout: Duration

    private(set) var phase = Phase.awaitingPreface
    private(set) var lastCallID: UInt32 = 0
    private(set) var callsInFlight = 0
    private var lastActivity: ContinuousClock.Instant
    private var partialFrameSince: ContinuousClock.Instant?

    init(maximumConcurrentCalls: Int, idleTimeout: Duration, frameTimeout: Duration, now: ContinuousClock.Instant) {
        self.maximumConcurrentCalls = maximumConcurrentCalls
        self.idleTimeout = idleTimeout
        self.frameTimeout = frameTimeout
        self.lastActivity = now
        self.partialFrameSince = now  // the preface is due within the frame timeout
    }

    /// The preface arrived and is acceptable.
    mutating func prefaceAccepted(now: ContinuousClock.Instant) {
        guard phase == .awaitingPreface else { return }
        phase = .active
        lastActivity = now
        partialFrameSince = nil
    }

    /// Bytes were received; `partial` tells whether an incomplete frame is buffered after them.
    mutating func bytesReceived(partial: Bool, now: ContinuousClock.Instant) {
        guard phase != .awaitingPreface else { return }  // the preface's own timer runs from the connection's start
        if !partial {
            partialFrameSince = nil
        } else if partialFrameSince == nil {
            partialFrameSince = now
        }
    }

    /// A REQUEST frame for `callID` arrived.
    mutating func requestReceived(callID: UInt32, now: ContinuousClock.Instant) -> RequestAction {
        switch phase {
        case .awaitingPreface, .closed:
            return .ignore
        case .draining:
            if callID > lastCallID { return .ignore }
            fallthrough
        case .active:
            guard callID > lastCallID else {
                let goAway = WireGoAway(
                    lastCallId: lastCallID,
                    code: RPCError.Code.invalidArgument.rawValue,
                    message: callID == 0
                        ? "call id 0 is reserved for connection frames"
                        : "call id \(callID) is not greater than the previous call id \(lastCallID)"
                )
                beginDrain(reading: false)
                return .protocolError(goAway)
            }
            lastCallID = callID
            lastActivity = now
            return .accept
        }
    }

    /// Whether buffered frames may be handled now: the stream is trusted and a call could be taken.
    var canTakeFrames: Bool {
        switch phase {
        case .active: callsInFlight < maximumConcurrentCalls
        case .draining(let reading): reading && callsInFlight < maximumConcurrentCalls
        case .awaitingPreface, .closed: false
        }
    }

    /// A call was taken and is now in flight.
    mutating func callStarted() {
        callsInFlight += 1
    }

    /// A call in flight ended; returns true when the connection's loop should look again (reading may resume,
    /// or a drain may be complete).
    mutating func callEnded(now: ContinuousClock.Instant) -> Bool {
        callsInFlight -= 1
        lastActivity = now
        if case .draining = phase { return callsInFlight == 0 }
        let resumes = callsInFlight == maximumConcurrentCalls - 1
        // Reading resumes: a frame left incomplete while it was paused gets the whole timeout from now.
        if resumes, partialFrameSince != nil, phase == .active { partialFrameSince = now }
        return resumes
    }

    /// Starts a graceful drain; returns the GOAWAY to send, or nil when one went out already.
    mutating func drain(code: RPCError.Code, message: String) -> WireGoAway? {
        guard phase == .active || phase == .awaitingPreface else { return nil }
        beginDrain(reading: phase == .active)
        return WireGoAway(lastCallId: lastCallID, code: code.rawValue, message: message)
    }

    /// A fatal protocol error: returns the GOAWAY to send, and stops reading.
    mutating func fail(code: RPCError.Code, message: String) -> WireGoAway? {
        let alreadyDraining = phase != .active && phase != .awaitingPreface
        beginDrain(reading: false)
        return alreadyDraining ? nil : WireGoAway(lastCallId: lastCallID, code: code.rawValue, message: message)
    }

    /// The stream ended or failed: nothing more can be sent.
    mutating func streamEnded() {
        phase = .closed
    }

    /// What the loop does next, and the timer event due at its deadline.
    func nextStep(now: ContinuousClock.Instant) -> (read: Bool, until: ContinuousClock.Instant?)? {
        switch phase {
        case .closed:
            return nil
        case .draining:
            if callsInFlight == 0 { return nil }
            return (reads, frameDeadline)
        case .awaitingPreface, .active:
            var until = frameDeadline
            if callsInFlight == 0 && phase == .active {
                let idleAt = lastActivity + idleTimeout
                until = until.map { min($0, idleAt) } ?? idleAt
            }
            return (reads, until)
        }
    }

    /// Whether the loop reads the socket: not once closed, nor while draining a stream that cannot be trusted, nor
    /// at the call limit (back-pressure).
    private var reads: Bool {
        switch phase {
        case .awaitingPreface, .active: callsInFlight < maximumConcurrentCalls
        case .draining(let reading): reading
        case .closed: false
        }
    }

    /// When the frame buffered incomplete times out. Its clock runs only while the loop reads: a frame the server
    /// stopped reading is the server's delay, not the client's.
    private var frameDeadline: ContinuousClock.Instant? {
        reads ? partialFrameSince.map { $0 + frameTimeout } : nil
    }

    /// What to do when the timer fires.
    enum TimerAction: Equatable {
        /// Nothing expired.
        case none
        /// A timeout expired on a connection that sent its preface: send this GOAWAY.
        case goAway(WireGoAway)
        /// The preface did not arrive in time: close without a reply (the server's preface must come before any
        /// frame, and the client has not shown that it speaks the protocol).
        case closeWithoutReply
    }

    /// The timer fired: what to do when a timeout expired.
    mutating func timerFired(now: ContinuousClock.Instant) -> TimerAction {
        if let deadline = frameDeadline, now >= deadline {
            if phase == .awaitingPreface {
                phase = .closed
                return .closeWithoutReply
            }
            return fail(
                code: .deadlineExceeded,
                message: "a frame was not completed within \(frameTimeout) of its first byte"
            ).map { .goAway($0) } ?? .none
        }
        if phase == .active, callsInFlight == 0, now >= lastActivity + idleTimeout {
            return drain(code: .ok, message: "idle for \(idleTimeout)").map { .goAway($0) } ?? .none
        }
        return .none
    }

    private mutating func beginDrain(reading: Bool) {
        if case .draining(let wasReading) = phase {
            phase = .draining(reading: wasReading && reading)
        } else if phase != .closed {
            phase = .draining(reading: reading)
        }
    }
}
