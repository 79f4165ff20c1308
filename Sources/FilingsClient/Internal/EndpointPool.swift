import FilingsCore
import FilingsTransport
import Logging

/// The connections to one endpoint: opened on demand, reopened after a backoff when they fail.
final class EndpointPool: Sendable {
    let endpoint: Endpoint
    private let configuration: ClientConfiguration
    private let logger: Logger

    private enum Slot {
        case idle
        case connecting([CheckedContinuation<Result<ClientConnection, RPCError>, Never>])
        case ready(ClientConnection)
    }

    private struct State {
        var slots: [Slot]
        var next = 0
        var failures = 0
        var retryAt: ContinuousClock.Instant?
        var lastError: RPCError?
        var shutDown = false
    }

    private let state: Lock<State>

    init(endpoint: Endpoint, configuration: ClientConfiguration, logger: Logger) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.logger = logger
        self.state = Lock(State(slots: Array(repeating: .idle, count: max(1, configuration.connectionsPerEndpoint))))
    }

    /// When the endpoint may be tried again after failed connection attempts; nil when it may be now.
    var backingOffUntil: ContinuousClock.Instant? {
        state.withLock { state in
            guard let at = state.retryAt, at > .now else { return nil }
            return at
        }
    }

    /// A usable connection, opened if needed.
    func connection() async -> Result<ClientConnection, RPCError> {
        enum Next {
            case use(ClientConnection)
            case open(Int)
            case wait(Int)
            case fail(RPCError)
        }
        let next = state.withLock { state -> Next in
            if state.shutDown { return .fail(RPCError(code: .unavailable, message: "the client is closed")) }
            let index = state.next
            state.next = (state.next + 1) % state.slots.count
            switch state.slots[index] {
            case .ready(let connection) where connection.isUsable:
                return .use(connection)
            case .connecting:
                return .wait(index)
            case .idle, .ready:
                if let at = state.retryAt, at > .now, let error = state.lastError {
                    return .fail(error)
                }
                state.slots[index] = .connecting([])
                return .open(index)
            }
        }
        switch next {
        case .use(let connection):
            return .success(connection)
        case .fail(let error):
            return .failure(error)
        case .wait(let index):
            return await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Result<ClientConnection, RPCError>? in
                    switch state.slots[index] {
                    case .connecting(var waiters):
                        waiters.append(continuation)
                        state.slots[index] = .connecting(waiters)
                        return nil
                    case .ready(let connection):
                        return .success(connection)
                    case .idle:
                        return .failure(
                            state.lastError ?? RPCError(code: .unavailable, message: "cannot connect to \(endpoint)")
                        )
                    }
                }
                if let ready {
                    continuation.resume(returning: ready)
                }
            }
        case .open(let index):
            return await open(slot: index)
        }
    }

    private func open(slot index: Int) async -> Result<ClientConnection, RPCError> {
        let result: Result<ClientConnection, RPCError> = await withCheckedContinuation { continuation in
            startThread(name: "filings-client") { [endpoint, configuration, logger] in
                let connection: ClientConnection
                do {
                    connection = try ClientConnection(endpoint: endpoint, configuration: configuration, logger: logger)
                } catch {
                    continuation.resume(
                        returning: .failure(
                            RPCError(
                                code: .unavailable,
                                message:
                                    "cannot connect to \(endpoint): \((error as? TransportError)?.message ?? "\(error)")"
                            )
                        )
                    )
                    return
                }
                continuation.resume(returning: .success(connection))
                connection.run()
            }
        }
        let waiters = state.withLock { state in
            guard case .connecting(let waiters) = state.slots[index] else {
                return [CheckedContinuation<Result<ClientConnection, RPCError>, Never>]()
            }
            switch result {
            case .success(let connection):
                state.slots[index] = .ready(connection)
                state.failures = 0
                state.retryAt = nil
                state.lastError = nil
            case .failure(let error):
                state.slots[index] = .idle
                state.failures += 1
                let backoff = min(
                    configuration.reconnectBackoff.initial * (1 << min(state.failures - 1, 16)),
                    configuration.reconnectBackoff.maximum
                )
                state.retryAt = .now + backoff
                state.lastError = error
            }
            return waiters
        }
        if case .success(let connection) = result, state.withLock({ $0.shutDown }) {
            connection.close()
        }
        for waiter in waiters {
            waiter.resume(returning: result)
        }
        return result
    }

    /// Closes every connection.
    func close() {
        let connections = state.withLock { state -> [ClientConnection] in
            state.shutDown = true
            return state.slots.compactMap {
                if case .ready(let connection) = $0 { return connection }
                return nil
            }
        }
        for connection in connections {
            connection.close()
        }
    }
}
