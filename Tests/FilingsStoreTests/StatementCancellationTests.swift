import FilingsCore
import FilingsTestSupport
import FilingsTransport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import FilingsStorePostgres

/// The cancels of one PostgreSQL read (a unit test of ``StatementCancellation``): its sender connects to a
/// "database" that takes the connection and never answers, as an overloaded one can for seconds.
struct StatementCancellationTests {
    /// A read that ends while its cancel is still connecting gives its connection back at once: no cancel is on its
    /// way to it, and none will be sent. The connect here never ends, so waiting for it would never return.
    @Test func aReadThatEndsWhileItsCancelConnectsDoesNotWaitForTheConnection() async throws {
        let silent = try Socket.listen(on: Endpoint(host: "127.0.0.1", port: 0), backlog: 4)
        defer { silent.close() }
        var configuration = PostgresConnection.Configuration(
            host: "127.0.0.1",
            port: Int(silent.localPort),
            username: "filings",
            password: nil,
            database: "filings",
            tls: .disable
        )
        configuration.options.connectTimeout = .seconds(3600)
        let cancellation = StatementCancellation(configuration: configuration, logger: Logger(label: "test"))
        #expect(cancellation.start(backend: 4242))
        cancellation.cancel()

        // The sender has connected and sent its start-up message, which is never answered.
        let held = try await offPool { () throws -> Socket in
            guard waitReadable([silent.fd], timeoutMilliseconds: 120_000)[0],
                case .accepted(let socket, _) = silent.accept()
            else { throw CancellationError() }
            return socket
        }
        let finished = Lock(false)
        let finishing = Task {
            await cancellation.finish()
            finished.withLock { $0 = true }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while !finished.withLock({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(finished.withLock { $0 }, "finish() waited for a connection that is never made")
        // Failing the connection ends the sender, and a finish() that waited for it.
        held.close()
        await finishing.value
    }
}
