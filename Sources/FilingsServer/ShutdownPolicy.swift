public import Logging
public import ServiceLifecycle
import UnixSignals

/// How a process running a ``FilingsServer`` in a `ServiceGroup` stops, whatever its other services do.
///
/// - SIGTERM or SIGINT starts a graceful shutdown: the services stop in reverse order, the server first (its
///   grace period for calls in flight), then the services before it (the store).
/// - A second SIGTERM or SIGINT cancels every service at once: the server answers the calls still running
///   UNAVAILABLE and cancels their work, without waiting for the rest of the grace period.
/// - A shutdown still under way ``closingTime`` after the grace period (a store that does not close) is
///   cancelled the same way.
/// - A service still running ``cancellationLimit`` after it was cancelled stops the process with a message that
///   says so.
public struct ShutdownPolicy: Sendable {
    /// How long calls in flight may run after the signal.
    public var gracePeriod: Duration
    /// How long the shutdown may take beyond the grace period: the server's last answers (at most 2 s) and the
    /// other services closing.
    public var closingTime: Duration
    /// How long services may take to return once cancelled.
    public var cancellationLimit: Duration

    /// The policy for a server with `gracePeriod`.
    public init(gracePeriod: Duration, closingTime: Duration = .seconds(10), cancellationLimit: Duration = .seconds(5))
    {
        self.gracePeriod = gracePeriod
        self.closingTime = closingTime
        self.cancellationLimit = cancellationLimit
    }

    /// The configuration of a group that runs `services` (the server last, so that it stops first) under this
    /// policy; run the group with ``run(_:)``.
    public func groupConfiguration(
        services: [ServiceGroupConfiguration.ServiceConfiguration],
        logger: Logger
    ) -> ServiceGroupConfiguration {
        var configuration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: Self.signals,
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracePeriod + closingTime
        configuration.maximumCancellationDuration = cancellationLimit
        return configuration
    }

    /// Runs `group` until its services have stopped, cancelling it at the second SIGTERM or SIGINT.
    public func run(_ group: ServiceGroup) async throws {
        let signals = await UnixSignalsSequence(trapping: Self.signals)
        let running = Task { try await group.run() }
        let watcher = Task {
            var count = 0
            for await _ in signals {
                count += 1
                if count == 2 {
                    running.cancel()
                    return
                }
            }
        }
        defer { watcher.cancel() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            running.cancel()
        }
    }

    private static let signals: [UnixSignal] = [.sigterm, .sigint]
}
