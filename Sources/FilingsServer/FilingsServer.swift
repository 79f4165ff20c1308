import Dispatch
public import FilingsCore
public import FilingsTransport
public import Logging
public import ServiceLifecycle
import Synchronization

/// The filings RPC server: listens on a TCP port and answers calls with the handlers of a router.
///
/// It is a swift-service-lifecycle `Service`: `run()` serves until graceful shutdown (SIGTERM in a
/// `ServiceGroup`), then sends every connection a GOAWAY, lets calls in flight finish within the grace period and
/// returns. Cancelling `run()` stops at once.
///
/// ```swift
/// let server = try FilingsServer(configuration: .defaults, router: router, logger: logger)
/// let policy = ShutdownPolicy(gracePeriod: .seconds(10))
/// let group = ServiceGroup(
///     configuration: policy.groupConfiguration(services: [.init(service: server)], logger: logger)
/// )
/// try await policy.run(group)
/// ```
public final class FilingsServer: Service, Sendable {
    /// The server's version, as Stats reports it.
    public static let version = Release.version

    /// Where the server listens (with the port the system chose, when the configuration asked for port 0).
    public let endpoint: Endpoint

    private let shared: ServerShared
    private let listener: Socket
    private let acceptWake = EventFD()
    private let connections = Lock<[ObjectIdentifier: ServerConnection]>([:])
    private let stopping = Atomic<Bool>(false)
    private let acceptLoopEnded = Atomic<Bool>(false)
    private let connectionSerial = Atomic<Int>(0)
    private let isAvailable: (@Sendable () -> Bool)?

    /// Whether Health answers SERVING now: the server is not shutting down and what it depends on can answer.
    public var isServing: Bool {
        shared.isServing && isAvailable?() != false
    }

    /// Binds the listening socket; serving starts with ``run()``.
    ///
    /// The router's handlers serve their methods; Health and Stats are the server's own, and methods of the
    /// schema without a handler answer UNIMPLEMENTED.
    ///
    /// - Parameters:
    ///   - storeStats: What Stats reports about the store, when there is one.
    ///   - isAvailable: Whether what the server depends on (its store's database) can answer now; Health says
    ///     NOT_SERVING while it returns false.
    /// - Throws: ``TransportError`` when the address cannot be bound.
    public init(
        configuration: ServerConfiguration,
        router: RPCRouter = RPCRouter(),
        storeStats: (@Sendable () async throws -> StoreStats)? = nil,
        isAvailable: (@Sendable () -> Bool)? = nil,
        logger: Logger
    ) throws(TransportError) {
        listener = try Socket.listen(on: configuration.listen, backlog: configuration.backlog)
        endpoint = Endpoint(host: configuration.listen.host, port: listener.localPort)
        var router = router
        for path in FilingsMethods.paths where !router.hasHandler(for: path) {
            router.handlers[path] = RegisteredMethod(path: path) { _ throws(RPCError) in
                throw RPCError(code: .unimplemented, message: "\(path) is not implemented by this server yet")
            }
        }
        let box = SharedBox()
        router.registerInline(FilingsMethods.health) { request, _ in
            guard request.service.isEmpty || request.service == FilingsMethods.health.service else {
                throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
            }
            let serving = box.shared?.isServing != false && isAvailable?() != false
            return HealthResponse(status: serving ? .serving : .notServing)
        }
        router.register(FilingsMethods.stats) { _, _ in
            var response = StatsResponse(server: box.shared?.metrics.snapshot(version: Self.version))
            if let storeStats {
                response.store = try await storeStats()
            }
            return response
        }
        shared = ServerShared(configuration: configuration, router: router, logger: logger)
        box.shared = shared
        self.isAvailable = isAvailable
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        let configuration = shared.configuration
        shared.logger.info(
            "listening",
            metadata: [
                "listen": "\(endpoint)", "max_frame_size": "\(configuration.maximumFrameSize)",
                "max_connections": "\(configuration.maximumConnections)",
                "max_concurrent_calls": "\(configuration.maximumConcurrentCallsPerConnection)",
            ]
        )
        startThread(name: "filings-accept") { [self] in acceptLoop() }
        var grace = configuration.shutdownGracePeriod
        do {
            try await gracefulShutdown()
        } catch {
            grace = .zero
        }
        await shutDown(grace: grace)
    }

    private func shutDown(grace: Duration) async {
        stopping.store(true, ordering: .relaxed)
        shared.stopServing()
        acceptWake.signal()
        let open = connections.withLock { Array($0.values) }
        shared.logger.info("shutting down", metadata: ["connections": "\(open.count)", "grace": "\(grace)"])
        for connection in open {
            connection.drain(message: "the server is shutting down")
        }
        // Cancellation (a second signal, or a shutdown over its time) ends the grace period at once.
        let end = ContinuousClock.now + grace
        while ContinuousClock.now < end, !Task.isCancelled, !connections.withLock({ $0.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let remaining = connections.withLock { Array($0.values) }
        for connection in remaining {
            connection.terminate(message: "the server shut down before the call completed")
        }
        while !connections.withLock({ $0.isEmpty }) || !acceptLoopEnded.load(ordering: .acquiring) {
            await Self.pause(milliseconds: 10)
        }
        shared.logger.info("stopped")
    }

    /// Waits even in a cancelled task, where `Task.sleep` returns at once and a wait loop would spin.
    private static func pause(milliseconds: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
                continuation.resume()
            }
        }
    }

    private func acceptLoop() {
        defer {
            listener.close()
            acceptWake.close()
            acceptLoopEnded.store(true, ordering: .releasing)
        }
        while !stopping.load(ordering: .relaxed) {
            let ready = waitReadable([listener.fd, acceptWake.fd])
            guard ready[0], !stopping.load(ordering: .relaxed) else { continue }
            accepting: while true {
                switch listener.accept() {
                case .accepted(let socket, let peer):
                    admit(socket: socket, peer: peer)
                case .retry:
                    continue
                case .noneWaiting:
                    break accepting
                case .failed(let code):
                    // Out of descriptors or memory: the backlog keeps the connection; pause instead of spinning.
                    shared.logger.warning("cannot accept a connection: \(errnoDescription(code))")
                    _ = waitReadable([acceptWake.fd], timeoutMilliseconds: 50)
                    break accepting
                }
            }
        }
    }

    private func admit(socket: Socket, peer: String) {
        guard shared.metrics.connectionOpened(limit: shared.configuration.maximumConnections) else {
            shared.logger.warning("refusing a connection over the limit", metadata: ["connection.peer": "\(peer)"])
            var frames = Preface.bytes
            FrameEncoder.appendGoAway(
                WireGoAway(
                    code: RPCError.Code.resourceExhausted.rawValue,
                    message: "the server has \(shared.configuration.maximumConnections) connections, its limit"
                ),
                to: &frames
            )
            // A few bytes into a new socket's empty buffer: one non-blocking send takes them all.
            _ = frames.withUnsafeBytes { socket.send($0) }
            socket.shutdown()
            socket.close()
            return
        }
        let metrics = shared.metrics
        let framed = FramedConnection(socket: socket, peer: peer, sent: { metrics.bytesSent($0) })
        let serial = connectionSerial.wrappingAdd(1, ordering: .relaxed).oldValue
        let connection = ServerConnection(connection: framed, server: shared, serial: serial)
        let id = ObjectIdentifier(connection)
        connections.withLock { $0[id] = connection }
        if stopping.load(ordering: .relaxed) {
            connection.drain(message: "the server is shutting down")
        }
        startThread(name: "filings-conn") { [self] in
            shared.logger.debug("connection opened", metadata: ["connection.peer": "\(peer)"])
            framed.run(driver: connection)
            connections.withLock { _ = $0.removeValue(forKey: id) }
            shared.metrics.connectionClosed()
            shared.logger.debug("connection closed", metadata: ["connection.peer": "\(peer)"])
        }
    }
}

/// Lets the built-in handlers, made before the shared state, reach it.
private final class SharedBox: @unchecked Sendable {
    // Written once in FilingsServer.init, before any handler can run. Weak: the handlers that hold the box are
    // themselves held by the shared state.
    weak var shared: ServerShared?
}
