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
/// the connection's next caller; a read that ends while the sender connects or waits between two cancels gives its
/// connection back at once.
final class StatementCancellation: Sendable {
    private enum State {
        /// The read has not started on a backend yet.
        case waiting
        /// The read runs on this backend process.
        case running(backend: Int32)
        /// The caller went away before the read started: it must not start.
        case cancelledBeforeStart
        /// Cancels are being sent to the backend by `sender`, which ends once the read has.
        case cancelling(sender: Task<Void, Never>, phase: SenderPhase)
        /// The read has ended: nothing more is sent.
        case finished
    }

    /// What the sender of a read's cancels is doing.
    private enum SenderPhase {
        /// Connecting, or waiting for the time of its next cancel: no cancel is on its way.
        case idle
        /// Sending a cancel: the read's connection must not go back to the pool before it has arrived.
        case sending
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
                state = .cancelling(sender: Task { await self.sendCancels(to: backend) }, phase: .idle)
            case .cancelledBeforeStart, .cancelling, .finished:
                break
            }
        }
    }

    /// The read has ended; returns once no cancel is on its way to its backend: a cancel being sent is waited for,
    /// a connection being made or a wait for the next cancel is cut short and not waited for (the sender sends
    /// nothing once the read has ended).
    func finish() async {
        let sending: Task<Void, Never>? = state.withLock { state in
            defer { state = .finished }
            guard case .cancelling(let sender, let phase) = state else { return nil }
            switch phase {
            case .idle:
                sender.cancel()
                return nil
            case .sending:
                // Not cancelled: a query given up on by its task could still reach the backend afterwards.
                return sender
            }
        }
        await sending?.value
    }

    /// Moves the sender to `phase`; false when the read has ended (then the sender stops, and sends nothing).
    private func enter(_ phase: SenderPhase) -> Bool {
        state.withLock { state in
            guard case .cancelling(let sender, _) = state else { return false }
            state = .cancelling(sender: sender, phase: phase)
            return true
        }
    }

    private func sendCancels(to backend: Int32) async {
        var connection: PostgresConnection?
        defer { if let connection { Task { try? await connection.close() } } }
        while true {
            do {
                if connection == nil {
                    // Not once the read has ended (a connect may not stop when this task is cancelled).
                    guard enter(.idle) else { break }
                    connection = try await PostgresConnection.connect(
                        configuration: connectionConfiguration,
                        id: 0,
                        logger: logger
                    )
                }
                guard enter(.sending) else { break }
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
            guard enter(.idle) else { break }
            try? await Task.sleep(for: Self.retryInterval)
        }
    }
}
