import FilingsCore
import Synchronization

/// One call in flight on the server: answered exactly once, by its handler, its deadline, a CANCEL or shutdown.
final class ServerCall: Sendable {
    let id: UInt32
    let method: String
    let requestID: String?
    let received: ContinuousClock.Instant

    private struct State {
        var answered = false
        var cancelled = false
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    init(id: UInt32, method: String, requestID: String?, received: ContinuousClock.Instant) {
        self.id = id
        self.method = method
        self.requestID = requestID
        self.received = received
    }

    /// Takes the right to answer the call; true only for the first caller.
    func claim() -> Bool {
        state.withLock { state in
            defer { state.answered = true }
            return !state.answered
        }
    }

    /// Ties a task (the handler, the deadline timer) to the call, so that ``cancel()`` cancels it.
    func attach(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state in
            state.tasks.append(task)
            return state.cancelled
        }
        if cancelNow {
            task.cancel()
        }
    }

    /// Cancels the call's tasks.
    func cancel() {
        let tasks = state.withLock { state in
            state.cancelled = true
            return state.tasks
        }
        for task in tasks {
            task.cancel()
        }
    }
}
