import FilingsCore

/// The life of one call that runs in a task, without I/O: what each event does to it.
///
/// ```
/// admitted ──▶ running ──▶ answered ──▶ released
///                 │  handler returned: its result is the answer, the slot is released at once
///                 │  deadline passed:  DEADLINE_EXCEEDED is the answer, the work is cancelled
///                 │  CANCEL received:  no answer, the work is cancelled
///                 │  shut down:        UNAVAILABLE is the answer, the work is cancelled
///                 └  connection lost:  no answer, the work is cancelled
/// ```
///
/// A call is answered once, by the first event; its slot (the connection's call limit, Stats' calls in flight)
/// is released only when its handler has returned, however it was answered, so work that is still stopping
/// keeps counting against the limits that protect the server.
struct CallLifecycle: Equatable {
    enum Phase: Equatable {
        /// The handler runs and nobody has answered.
        case running
        /// Answered (or, with nil, ended without an answer); the handler has not returned yet.
        case answered(RPCError.Code?)
        /// The handler returned: the slot is free.
        case released(RPCError.Code?)
    }

    enum Event: Equatable {
        /// The handler returned with this status (OK or its error).
        case handlerReturned(RPCError.Code)
        /// The call's deadline passed.
        case deadlinePassed
        /// The client sent CANCEL for the call.
        case cancelReceived
        /// The server's grace period ended.
        case shutDown
        /// The connection closed under the call.
        case connectionLost
    }

    /// What the connection does after an event.
    struct Actions: Equatable {
        /// The status to answer with now, if any. For `.handlerReturned`, the handler's own result is sent.
        var answer: RPCError.Code?
        /// Cancel the call's tasks: its work, and its deadline timer.
        var cancelWork = false
        /// Free the call's slot and record it in the metrics with ``CallLifecycle/finalStatus``.
        var release = false
    }

    private(set) var phase = Phase.running

    /// The status the call ended with, as the metrics record it: the answer, or CANCELLED when none was sent.
    var finalStatus: RPCError.Code {
        switch phase {
        case .running: .ok
        case .answered(let code), .released(let code): code ?? .cancelled
        }
    }

    mutating func handle(_ event: Event) -> Actions {
        switch (phase, event) {
        case (.running, .handlerReturned(let code)):
            phase = .released(code)
            return Actions(answer: code, cancelWork: true, release: true)
        case (.answered(let code), .handlerReturned):
            phase = .released(code)
            return Actions(cancelWork: true, release: true)
        case (.running, .deadlinePassed):
            phase = .answered(.deadlineExceeded)
            return Actions(answer: .deadlineExceeded, cancelWork: true)
        case (.running, .shutDown):
            phase = .answered(.unavailable)
            return Actions(answer: .unavailable, cancelWork: true)
        case (.running, .cancelReceived), (.running, .connectionLost):
            phase = .answered(nil)
            return Actions(cancelWork: true)
        case (.answered, _), (.released, _):
            return Actions()
        }
    }
}
