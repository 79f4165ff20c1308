import FilingsCore
import Logging

/// One call in flight on the server that runs in a task: its ``CallLifecycle`` and the tasks that do its work.
final class ServerCall: Sendable {
    let id: UInt32
    let method: String
    let requestID: String?
    let received: ContinuousClock.Instant
    /// The call's logger (method, call id, request id, peer).
    let logger: Logger

    private struct State {
        var lifecycle = CallLifecycle()
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Lock(State())

    init(id: UInt32, method: String, requestID: String?, received: ContinuousClock.Instant, logger: Logger) {
        self.id = id
        self.method = method
        self.requestID = requestID
        self.received = received
        self.logger = logger
    }

    /// Applies `event` to the call's lifecycle; cancels the call's tasks when the lifecycle says so.
    func handle(_ event: CallLifecycle.Event) -> CallLifecycle.Actions {
        let (actions, tasks) = state.withLock { state in
            let actions = state.lifecycle.handle(event)
            return (actions, actions.cancelWork ? state.tasks : [])
        }
        for task in tasks {
            task.cancel()
        }
        return actions
    }

    /// The status the call ended with (see ``CallLifecycle/finalStatus``).
    var finalStatus: RPCError.Code {
        state.withLock { $0.lifecycle.finalStatus }
    }

    /// Ties a task (the handler, the deadline timer) to the call, so that cancelling the work cancels it.
    func attach(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state in
            state.tasks.append(task)
            if case .running = state.lifecycle.phase { return false }
            return true
        }
        if cancelNow {
            task.cancel()
        }
    }
}
