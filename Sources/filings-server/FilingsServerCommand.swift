import ArgumentParser
import CoreMetrics
import FilingsCore
import FilingsServer
import FilingsServices
import FilingsStore
import FilingsTransport
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// `filings-server`: serves the filings RPC protocol until SIGTERM or SIGINT.
@main
struct FilingsServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filings-server",
        abstract: "Serve the filings RPC protocol (docs/PROTOCOL.md).",
        discussion: """
            Every option can also be set with the environment variable in brackets; a flag wins over the \
            environment. SIGTERM or SIGINT stops accepting, sends every connection a GOAWAY, lets calls in flight \
            finish within the grace period and exits 0; a second SIGTERM or SIGINT ends the grace period at once.

            Examples:
              filings-server
              filings-server --store sqlite:/var/lib/filings/filings.sqlite
              filings-server --listen 0.0.0.0:7878 --max-connections 4096
              FILINGS_AUTH_TOKEN=secret filings-server
              filings-server --metrics-listen 0.0.0.0:9464 --log-format json
            """
    )

    @Option(help: "Address to listen on, HOST:PORT [FILINGS_LISTEN] (default 127.0.0.1:7878).")
    var listen: String?

    @Option(
        help: """
            Where filings are kept: sqlite:PATH, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE or none \
            [FILINGS_STORE] (default sqlite:./data/filings.sqlite).
            """
    )
    var store: String?

    @Option(
        help: """
            File holding the PostgreSQL password, when the address has none [FILINGS_STORE_PASSWORD_FILE]; \
            else PGPASSWORD is used.
            """
    )
    var storePasswordFile: String?

    @Option(help: "Most PostgreSQL connections of this server [FILINGS_STORE_POOL_SIZE] (default 16).")
    var storePoolSize: Int?

    @Option(
        help: """
            Candidate filings a query's total examines before it says "at least" (exact_total counts them all) \
            [FILINGS_COUNT_LIMIT] (default 5000).
            """
    )
    var countLimit: Int?

    @Option(
        help: """
            Seconds a query may run in the store whatever its deadline; past them it is stopped and answered \
            RESOURCE_EXHAUSTED [FILINGS_MAX_QUERY_TIME] (default 10).
            """
    )
    var maxQueryTime: Double?

    @Option(help: "Largest frame payload in bytes [FILINGS_MAX_FRAME_SIZE] (default 16777216).")
    var maxFrameSize: Int?

    @Option(help: "Most open connections [FILINGS_MAX_CONNECTIONS] (default 1024).")
    var maxConnections: Int?

    @Option(help: "Most calls in flight per connection [FILINGS_MAX_CONCURRENT_CALLS] (default 128).")
    var maxConcurrentCalls: Int?

    @Option(help: "Seconds before an idle connection is closed [FILINGS_IDLE_TIMEOUT] (default 300).")
    var idleTimeout: Double?

    @Option(help: "Seconds a started frame may take to arrive [FILINGS_FRAME_TIMEOUT] (default 10).")
    var frameTimeout: Double?

    @Option(help: "Seconds calls in flight may run after SIGTERM [FILINGS_SHUTDOWN_GRACE] (default 10).")
    var shutdownGrace: Double?

    @Option(help: "Bearer token every call but Health must carry [FILINGS_AUTH_TOKEN] (default none).")
    var authToken: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical [FILINGS_LOG_LEVEL] (default info).")
    var logLevel: String?

    @Option(help: "text (for people) or json (JSON lines, for log shippers) [FILINGS_LOG_FORMAT] (default text).")
    var logFormat: String?

    @Option(
        help: """
            Serve GET /metrics (Prometheus text format) and GET /healthz over HTTP on HOST:PORT \
            [FILINGS_METRICS_LISTEN] (default: not served).
            """
    )
    var metricsListen: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ variable: String) -> String? {
            flag ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        func number<T: LosslessStringConvertible>(_ flag: T?, _ variable: String) throws -> T? {
            if let flag { return flag }
            guard let text = setting(nil, variable) else { return nil }
            guard let value = T(text) else { throw ValidationError("\(variable)='\(text)' is not a number") }
            return value
        }

        let levelText = setting(logLevel, "FILINGS_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError("unknown log level '\(levelText)'")
        }
        let format = setting(logFormat, "FILINGS_LOG_FORMAT") ?? "text"
        guard format == "text" || format == "json" else {
            throw ValidationError("unknown log format '\(format)': text or json")
        }
        LoggingSystem.bootstrap { label in
            if format == "json" { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "filings.server")

        // The libraries record into swift-metrics; with --metrics-listen, Prometheus keeps and renders them.
        var metricsListenAt: Endpoint?
        let registry = PrometheusCollectorRegistry()
        if let text = setting(metricsListen, "FILINGS_METRICS_LISTEN") {
            do {
                metricsListenAt = try Endpoint(parsing: text)
            } catch {
                throw ValidationError("--metrics-listen: \(error.message)")
            }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        }

        var configuration = ServerConfiguration.defaults
        if let listen = setting(listen, "FILINGS_LISTEN") {
            do {
                configuration.listen = try Endpoint(parsing: listen)
            } catch {
                throw ValidationError(error.message)
            }
        }
        configuration.maximumFrameSize =
            try number(maxFrameSize, "FILINGS_MAX_FRAME_SIZE") ?? configuration.maximumFrameSize
        configuration.maximumConnections =
            try number(maxConnections, "FILINGS_MAX_CONNECTIONS") ?? configuration.maximumConnections
        configuration.maximumConcurrentCallsPerConnection =
            try number(maxConcurrentCalls, "FILINGS_MAX_CONCURRENT_CALLS")
            ?? configuration.maximumConcurrentCallsPerConnection
        if let seconds = try number(idleTimeout, "FILINGS_IDLE_TIMEOUT") {
            configuration.idleTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let seconds = try number(frameTimeout, "FILINGS_FRAME_TIMEOUT") {
            configuration.frameTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let seconds = try number(shutdownGrace, "FILINGS_SHUTDOWN_GRACE") {
            configuration.shutdownGracePeriod = .milliseconds(Int64(seconds * 1000))
        }
        configuration.authToken = setting(authToken, "FILINGS_AUTH_TOKEN")
        guard configuration.maximumFrameSize > 0, configuration.maximumConnections > 0,
            configuration.maximumConcurrentCallsPerConnection > 0
        else {
            throw ValidationError("limits must be positive")
        }

        boundAllocatorMemory()
        let openFiles = raiseOpenFileLimit()
        if openFiles < UInt64(configuration.maximumConnections) * 3 + 64 {
            logger.warning(
                "the open-file limit is too low for the connection limit",
                metadata: ["open_files": "\(openFiles)", "max_connections": "\(configuration.maximumConnections)"]
            )
        }
        var options = StoreOptions()
        options.passwordFile = setting(storePasswordFile, "FILINGS_STORE_PASSWORD_FILE")
        options.environmentPassword = setting(nil, "PGPASSWORD")
        options.poolSize = try number(storePoolSize, "FILINGS_STORE_POOL_SIZE")
        var limits = StoreService.Limits.defaults
        if let countLimit = try number(countLimit, "FILINGS_COUNT_LIMIT") {
            guard countLimit > 0 else { throw ValidationError("the count limit must be at least 1") }
            limits.countLimit = countLimit
        }
        if let seconds = try number(maxQueryTime, "FILINGS_MAX_QUERY_TIME") {
            guard seconds > 0 else { throw ValidationError("the query time limit must be positive") }
            limits.maximumQueryTime = .milliseconds(Int64(seconds * 1000))
        }
        let location: StoreLocation
        let store: (any FilingStore & Service)?
        do throws(StoreError) {
            location =
                try setting(self.store, "FILINGS_STORE").map { text throws(StoreError) in
                    try StoreLocation(parsing: text)
                } ?? .defaultLocation
            store = try location.open(options: options, logger: logger)
        } catch {
            logger.critical("cannot open the store: \(error.message)")
            throw ExitCode(1)
        }
        let availability: (@Sendable () -> Bool)?
        if let store {
            availability = { store.isAvailable }
        } else {
            availability = nil
        }
        let server: FilingsServer
        do {
            var router = RPCRouter()
            ParseService().register(in: &router)
            var storeStats: (@Sendable () async throws -> StoreStats)?
            if let store {
                StoreService(store: store, limits: limits, logger: logger).register(in: &router)
                ReparseService(store: store, logger: logger).register(in: &router)
                storeStats = { () async throws(RPCError) -> StoreStats in
                    do throws(StoreError) { return try await store.stats() } catch { throw error.rpcError }
                }
            }
            server = try FilingsServer(
                configuration: configuration,
                router: router,
                storeStats: storeStats,
                isAvailable: availability,
                logger: logger
            )
        } catch {
            logger.critical("cannot listen: \(error.message)")
            throw ExitCode(1)
        }
        var metrics: MetricsEndpoint?
        if let metricsListenAt {
            do {
                metrics = try MetricsEndpoint(
                    listen: metricsListenAt,
                    render: { registry.emitToBuffer() },
                    healthy: { server.isServing },
                    logger: logger
                )
            } catch {
                logger.critical("cannot serve metrics: \(error.message)")
                throw ExitCode(1)
            }
        }
        // The first line says where the server listens and with which store, for people and for scripts.
        var banner = "filings-server \(FilingsServer.version) listening on \(server.endpoint) store=\(location)"
        if let metrics { banner += " metrics=\(metrics.endpoint)" }
        FileHandle.standardOutput.write(Data((banner + "\n").utf8))
        // Services stop in reverse order: the server drains its calls before the store closes; metrics are
        // served until the end.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let store { services.append(.init(service: store)) }
        if let metrics {
            services.append(.init(service: metrics))
            if let store { services.append(.init(service: StoreGauges(store: store))) }
        }
        services.append(.init(service: server))
        let policy = ShutdownPolicy(gracePeriod: configuration.shutdownGracePeriod)
        let group = ServiceGroup(configuration: policy.groupConfiguration(services: services, logger: logger))
        try await policy.run(group)
    }
}

/// The store's size in the metrics system, read from its stats every few seconds: `filings_store_documents` and
/// `filings_store_bytes` (on disk).
struct StoreGauges: Service {
    let store: any FilingStore

    func run() async throws {
        let documents = Gauge(label: "filings_store_documents")
        let bytes = Gauge(label: "filings_store_bytes")
        // Graceful shutdown cancels the wait at once, and leaves behind a read the database has not answered: the
        // process must not outlive the server by a period, nor wait on a database that stopped answering.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let read = await abandoningOnCancellation({ try? await store.stats() }), let stats = read {
                    documents.record(Int64(stats.documents))
                    bytes.record(Int64(stats.bytesOnDisk))
                }
                try await Task.sleep(for: .seconds(5))
            }
        }
    }
}
