import FilingsCore
import Logging
import Synchronization

/// What every connection of a server shares: configuration, handlers, metrics, logger.
final class ServerShared: Sendable {
    let configuration: ServerConfiguration
    let logger: Logger
    let metrics = ServerMetrics()
    private let router: RPCRouter
    private let serving = Atomic<Bool>(true)

    init(configuration: ServerConfiguration, router: RPCRouter, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
    }

    func handler(for path: String) -> RegisteredMethod? {
        router.handlers[path]
    }

    var isServing: Bool {
        serving.load(ordering: .relaxed)
    }

    func stopServing() {
        serving.store(false, ordering: .relaxed)
    }

    /// The refusal for a call without valid credentials, or nil. Health needs none, so probes need no token.
    func authenticate(method: String, metadata: Metadata) -> RPCError? {
        guard let token = configuration.authToken, method != FilingsMethods.health.path else { return nil }
        guard let given = metadata[Metadata.authorization] else {
            return RPCError(
                code: .unauthenticated,
                message: "this server needs 'authorization: Bearer <token>' metadata"
            )
        }
        guard given == "Bearer \(token)" else {
            return RPCError(code: .unauthenticated, message: "the authorization token is not valid")
        }
        return nil
    }
}
