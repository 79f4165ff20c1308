import FilingsClient
import FilingsCore
import FilingsServer
import FilingsServices
import FilingsStore
import FilingsTransport
import Logging
import ServiceLifecycle

/// Methods that exist only in tests: a slow call and an echo.
enum TestMethods {
    /// Sleeps for `service` milliseconds, then answers `HealthResponse(status: .serving)`.
    static let sleep = MethodDescriptor<HealthRequest, HealthResponse>(
        service: "filings.test.v1.Test",
        method: "Sleep",
        idempotency: .noSideEffects
    )
    /// Works for `service` milliseconds whatever happens, ignoring cancellation (as code between two cancellation
    /// checks does), then answers `HealthResponse(status: .serving)`.
    static let stubborn = MethodDescriptor<HealthRequest, HealthResponse>(
        service: "filings.test.v1.Test",
        method: "Stubborn",
        idempotency: .noSideEffects
    )
    /// Answers `Warning(code: request.service, message: request.service)`.
    static let echo = MethodDescriptor<HealthRequest, Warning>(
        service: "filings.test.v1.Test",
        method: "Echo",
        idempotency: .noSideEffects
    )
}

/// What the test handlers saw.
final class HandlerProbe: Sendable {
    private struct State {
        var running = 0
        var mostRunning = 0
        var cancelled = 0
        var completed = 0
    }
    private let state = Lock(State())

    var mostRunning: Int { state.withLock { $0.mostRunning } }
    var cancelled: Int { state.withLock { $0.cancelled } }
    var completed: Int { state.withLock { $0.completed } }

    func started() {
        state.withLock {
            $0.running += 1
            $0.mostRunning = max($0.mostRunning, $0.running)
        }
    }

    func ended(cancelled: Bool) {
        state.withLock {
            $0.running -= 1
            if cancelled { $0.cancelled += 1 } else { $0.completed += 1 }
        }
    }

    /// Waits until `condition` holds, for at most `timeout` (long: the test process's pool can be busy for half a
    /// minute while every test starts on a slow machine, and only a failing test waits it out).
    func wait(for timeout: Duration = .seconds(120), until condition: (HandlerProbe) -> Bool) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(self)
    }
}

/// A real server on 127.0.0.1 with a free port, and a real client of it.
struct TestServer {
    let server: FilingsServer
    let client: FilingsClient
    let probe: HandlerProbe
    let group: ServiceGroup

    var endpoint: Endpoint { server.endpoint }

    static func router(probe: HandlerProbe, store: (any FilingStore)? = nil, logger: Logger) -> RPCRouter {
        var router = RPCRouter()
        router.register(TestMethods.sleep) { request, _ in
            probe.started()
            do {
                try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
            } catch {
                probe.ended(cancelled: true)
                throw error
            }
            probe.ended(cancelled: false)
            return HealthResponse(status: .serving)
        }
        router.register(TestMethods.stubborn) { request, _ in
            probe.started()
            let milliseconds = Int(request.service) ?? 0
            await Task.detached { try? await Task.sleep(for: .milliseconds(milliseconds)) }.value
            probe.ended(cancelled: false)
            return HealthResponse(status: .serving)
        }
        router.register(TestMethods.echo) { request, _ in
            Warning(code: request.service, message: request.service)
        }
        ParseService().register(in: &router)
        if let store {
            StoreService(
                store: store,
                limits: StoreService.Limits(maximumDocuments: 100, maximumBytes: 256 << 10),
                logger: logger
            )
            .register(in: &router)
        }
        return router
    }

    /// A server bound to a free port on 127.0.0.1 but not yet running, a client of it, and the probe its test
    /// handlers report to.
    static func unstarted(
        store: (any FilingStore)? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        client configureClient: (inout ClientConfiguration) -> Void = { _ in }
    ) throws -> (server: FilingsServer, client: FilingsClient, probe: HandlerProbe, logger: Logger) {
        var configuration = ServerConfiguration.defaults
        configuration.listen = Endpoint(host: "127.0.0.1", port: 0)
        configuration.shutdownGracePeriod = .seconds(5)
        configure(&configuration)
        let probe = HandlerProbe()
        var logger = Logger(label: "filings.test")
        logger.logLevel = .critical
        var storeStats: (@Sendable () async throws -> StoreStats)?
        if let store {
            storeStats = { () async throws -> StoreStats in try await store.stats() }
        }
        let server = try FilingsServer(
            configuration: configuration,
            router: router(probe: probe, store: store, logger: logger),
            storeStats: storeStats,
            logger: logger
        )
        var clientConfiguration = ClientConfiguration.defaults(endpoints: [server.endpoint])
        configureClient(&clientConfiguration)
        return (server, FilingsClient(configuration: clientConfiguration, logger: logger), probe, logger)
    }

    /// Runs `body` with a live server, then shuts the server down gracefully.
    static func with<T: Sendable>(
        store: (any FilingStore)? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        client configureClient: (inout ClientConfiguration) -> Void = { _ in },
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let (server, client, probe, logger) = try unstarted(store: store, configure: configure, client: configureClient)
        let group = ServiceGroup(services: [server], logger: logger)
        let test = TestServer(server: server, client: client, probe: probe, group: group)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { client.close() }
            do {
                let result = try await body(test)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                tasks.cancelAll()
                throw error
            }
        }
    }
}
