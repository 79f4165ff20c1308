import FilingsClient
import FilingsCore
import FilingsServer
import FilingsTransport
import Logging
import ServiceLifecycle
import Testing

@Suite struct ClientTests {
    @Test func unreachableServerIsUnavailable() async throws {
        let client = FilingsClient(configuration: .defaults(endpoints: [Endpoint(host: "127.0.0.1", port: 1)]))
        defer { client.close() }
        let error = await #expect(throws: RPCError.self) { try await client.health() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("cannot connect to 127.0.0.1:1") == true)
    }

    @Test func roundRobinSkipsADeadEndpoint() async throws {
        try await TestServer.with { test in
            let endpoints = [Endpoint(host: "127.0.0.1", port: 1), test.endpoint]
            let client = FilingsClient(configuration: .defaults(endpoints: endpoints))
            defer { client.close() }
            for _ in 0..<20 {
                let answer = try await client.health().status
                #expect(answer == .serving)
            }
        }
    }

    @Test func nonIdempotentMethodsAreNotRetriedOnceSent() async throws {
        // Retries are for methods the schema marks idempotent; the descriptor here says they are not.
        let unsafe = MethodDescriptor<HealthRequest, HealthResponse>(
            service: "filings.test.v1.Test",
            method: "Sleep",
            idempotency: .unknown
        )
        try await TestServer.with { test in
            #expect(unsafe.idempotency.allowsRetry == false)
            #expect(FilingsMethods.store.idempotency.allowsRetry)
            #expect(FilingsMethods.health.idempotency.allowsRetry)
            let answer = try await test.client.call(unsafe, HealthRequest(service: "1")).status
            #expect(answer == .serving)
        }
    }

    @Test func reconnectsAfterTheServerRestarts() async throws {
        var configuration = ServerConfiguration.defaults
        configuration.listen = Endpoint(host: "127.0.0.1", port: 0)
        var logger = Logger(label: "filings.test")
        logger.logLevel = .critical
        let first = try FilingsServer(configuration: configuration, logger: logger)
        let endpoint = first.endpoint
        var clientConfiguration = ClientConfiguration.defaults(endpoints: [endpoint])
        clientConfiguration.reconnectBackoff = (.milliseconds(10), .milliseconds(50))
        clientConfiguration.retry.maximumAttempts = 10
        let client = FilingsClient(configuration: clientConfiguration)
        defer { client.close() }

        let firstGroup = ServiceGroup(services: [first], logger: logger)
        let firstRun = Task { try await firstGroup.run() }
        let answer = try await client.health().status
        #expect(answer == .serving)
        await firstGroup.triggerGracefulShutdown()
        try await firstRun.value

        configuration.listen = endpoint
        let second = try FilingsServer(configuration: configuration, logger: logger)
        let secondGroup = ServiceGroup(services: [second], logger: logger)
        let secondRun = Task { try await secondGroup.run() }
        let afterRestart = try await client.health().status
        #expect(afterRestart == .serving, "the client reconnected to the new server")
        await secondGroup.triggerGracefulShutdown()
        try await secondRun.value
    }
}
