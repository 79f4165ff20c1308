import FilingsCore
import Logging
import NIOCore
import PostgresNIO

/// A read at work on a leased connection, and its caller's cancellation: PostgreSQL runs a statement to its end
/// whatever happens to the client that sent it, so a caller that goes away has the statement cancelled by the
/// server itself (`pg_cancel_backend`, sent from a connection of its own).
///
/// The cancel is sent again every ``retryInterval`` until the read has ended: a cancel that reaches the backend
/// between two statements is ignored by PostgreSQL, and the next statement would run to its end. The read gives
/// its connection back to the pool only once no cancel is on its way to it, so a cancel never reaches a statement of
/// the connection's next caller.
final class StatementCancellation: Sendable {
    private enum State {
        /// The read has not started on a backend yet.
        case waiting
        /// The read runs on this backend process.
        case running(backend: Int32)
        /// The caller went away before the read started: it must not start.
        case cancelledBeforeStart
        /// Cancels are being sent to the backend; the task sending them ends once the read has. While it waits
        /// between two cancels (`sleeping`), the read's end wakes it.
        case cancelling(sender: Task<Void, Never>, sleeping: Bool)
        /// The read has ended: nothing more is sent.
        case finished
    }

    private let state = Lock(State.waiting)
    private let connectionConfiguration: PostgresConnection.Configuration
    private let logger: Logger

    /// How long the sender waits between two cancels of a read that has not ended.
    static let retryInterval: Duration = .milliseconds(100)

    /// A cancellation that connects with `configuration` to send its cancels.
    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.connectionConfiguration = configuration
        self.logger = logger
    }

    /// The read starts on `backend`: false when its caller has already gone away (then it must not run).
    func start(backend: Int32) -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return false }
            state = .running(backend: backend)
            return true
        }
    }

    /// The caller went away: cancels the running read's statements until it ends.
    func cancel() {
        state.withLock { state in
            switch state {
            case .waiting:
                state = .cancelledBeforeStart
            case .running(let backend):
                state = .cancelling(sender: Task { await self.sendCancels(to: backend) }, sleeping: false)
            case .cancelledBeforeStart, .cancelling, .finished:
                break
            }
        }
    }

    /// The read has ended; returns once no cancel is on its way to its backend (a cancel being sent is waited for,
    /// a wait for the next one is cut short).
    func finish() async {
        let sender: Task<Void, Never>? = state.withLock { state in
            defer { state = .finished }
            guard case .cancelling(let sender, let sleeping) = state else { return nil }
            if sleeping { sender.cancel() }
            return sender
        }
        await sender?.value
    }

    private var isCancelling: Bool {
        state.withLock { state in
            if case .cancelling = state { return true }
            return false
        }
    }

    /// Marks the sender as waiting (or not) for its next cancel; false when the read has ended.
    private func setSleeping(_ sleeping: Bool) -> Bool {
        state.withLock { state in
            guard case .cancelling(let sender, _) = state else { return false }
            state = .cancelling(sender: sender, sleeping: sleeping)
            return true
        }
    }

    private func sendCancels(to backend: Int32) async {
        var connection: PostgresConnection?
        defer { if let connection { Task { try? await connection.close() } } }
        while true {
            do {
                if connection == nil {
                    connection = try await PostgresConnection.connect(
                        configuration: connectionConfiguration,
                        id: 0,
                        logger: logger
                    )
                    // The read may have ended while this connected.
                    guard isCancelling else { break }
                }
                try await connection?.query("SELECT pg_cancel_backend(\(backend))", logger: logger)
            } catch {
                logger.debug(
                    "cannot cancel a statement",
                    metadata: ["store.backend": "\(backend)", "error": "\(PostgresFilingStore.describe(error))"]
                )
                if let broken = connection {
                    connection = nil
                    Task { try? await broken.close() }
                }
            }
            guard setSleeping(true) else { break }
            try? await Task.sleep(for: Self.retryInterval)
            guard setSleeping(false) else { break }
        }
    }
}
