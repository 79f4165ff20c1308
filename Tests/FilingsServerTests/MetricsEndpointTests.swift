import FilingsClient
import FilingsCore
import FilingsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--metrics-listen` and `--log-format json` from an operator's side: the real server binary, scraped over HTTP
/// as Prometheus would, and its log read as a log shipper would.
@Suite struct MetricsEndpointTests {
    /// One HTTP exchange on a new connection: `request` sent as is, the answer read to its end.
    static func http(_ endpoint: Endpoint, _ request: String) async throws -> (status: Int, body: String) {
        try await offPool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ProcessTestError(description: "socket failed") }
            defer { close(fd) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = endpoint.port.bigEndian
            address.sin_addr.s_addr = inet_addr(endpoint.host)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw ProcessTestError(description: "cannot connect to \(endpoint)") }
            let bytes = Array(request.utf8)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            var answer: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                answer += buffer[0..<count]
            }
            let text = String(decoding: answer, as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            let status = Int(parts[0].split(separator: " ").dropFirst().first ?? "") ?? 0
            return (status, parts.dropFirst().joined(separator: "\r\n\r\n"))
        }
    }

    static func get(_ endpoint: Endpoint, _ path: String) async throws -> (status: Int, body: String) {
        try await http(endpoint, "GET \(path) HTTP/1.1\r\nHost: test\r\n\r\n")
    }

    /// The value of the sample named `name` whose labels include every one of `labels` (`method="..."`).
    static func sample(_ text: String, _ name: String, _ labels: [String] = []) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let head = line.prefix { $0 != " " }
            guard head == name || head.hasPrefix(name + "{") else { continue }
            guard labels.allSatisfy({ head.contains($0) }) else { continue }
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    static func metricsEndpoint(_ server: ServerProcess) throws -> Endpoint {
        let field = try #require(server.banner.split(separator: " ").first { $0.hasPrefix("metrics=") })
        return try Endpoint(parsing: String(field.dropFirst("metrics=".count)))
    }

    @Test func callsConnectionsBytesParseErrorsAndTheStoreAreCounted() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-metrics-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start([
            "--store", "sqlite:\(directory.path)/filings.sqlite", "--metrics-listen", "127.0.0.1:0",
        ])
        defer { server.terminate() }
        let metrics = try Self.metricsEndpoint(server)
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        for _ in 0..<3 { _ = try await client.health() }
        await #expect(throws: RPCError.self) { try await client.get(GetRequest(id: "00000000000000000000")) }
        let release = SyntheticFiling.batch(count: 1, seed: 31)[0]
        let stored = try await client.store(
            StoreRequest(documents: [StoreDocument(content: release.bytes), StoreDocument(content: [])])
        )
        #expect(stored.results.map(\.errorCode) == [0, 3])

        let scrape = try await Self.get(metrics, "/metrics")
        #expect(scrape.status == 200)
        let text = scrape.body
        let health = #"method="/filings.v1.Filings/Health""#
        #expect(Self.sample(text, "filings_rpc_calls_total", [health, #"code="OK""#]) == 3)
        #expect(
            Self.sample(text, "filings_rpc_calls_total", [#"method="/filings.v1.Filings/Get""#, #"code="NOT_FOUND""#])
                == 1
        )
        #expect(Self.sample(text, "filings_rpc_duration_seconds_count", [health]) == 3)
        #expect(Self.sample(text, "filings_connections_accepted_total") == 1)
        #expect(Self.sample(text, "filings_connections_open") == 1)
        #expect(Self.sample(text, "filings_parse_errors_total", [#"code="INVALID_ARGUMENT""#]) == 1)
        #expect(Self.sample(text, "filings_store_duration_seconds_count", [#"operation="store""#]) == 1)
        #expect((Self.sample(text, "filings_received_bytes_total") ?? 0) > Double(release.bytes.count))
        #expect((Self.sample(text, "filings_sent_bytes_total") ?? 0) > 0)
        #expect(text.contains("# TYPE filings_rpc_duration_seconds histogram"))

        // The store's size is read every few seconds.
        let end = ContinuousClock.now + .seconds(15)
        var documents: Double?
        repeat {
            documents = Self.sample(try await Self.get(metrics, "/metrics").body, "filings_store_documents")
            if documents == 1 { break }
            try await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now < end
        #expect(documents == 1)

        let healthz = try await Self.get(metrics, "/healthz")
        #expect(healthz.status == 200 && healthz.body == "ok\n")
    }

    @Test func servingMetricsDoesNotDelayTheExitOnSigterm() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-metrics-exit-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start([
            "--store", "sqlite:\(directory.path)/filings.sqlite", "--metrics-listen", "127.0.0.1:0",
        ])
        #expect(try await Self.get(try Self.metricsEndpoint(server), "/healthz").status == 200)
        try await Task.sleep(for: .milliseconds(300))  // the store gauges are waiting for their next reading
        let started = ContinuousClock.now
        #expect(await server.stop() == .exited(0))
        #expect(ContinuousClock.now - started < .seconds(3), "exited after \(ContinuousClock.now - started)")
    }

    @Test func onlyGetsOfBoundedSizeAreAnsweredAndASlowClientHoldsNoOneUp() async throws {
        let server = try await ServerProcess.start(["--store", "none", "--metrics-listen", "127.0.0.1:0"])
        defer { server.terminate() }
        let metrics = try Self.metricsEndpoint(server)

        #expect(try await Self.http(metrics, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n").status == 405)
        #expect(try await Self.get(metrics, "/other").status == 404)
        let huge = "GET /metrics HTTP/1.1\r\nX-Padding: \(String(repeating: "a", count: 9000))\r\n\r\n"
        #expect(try await Self.http(metrics, huge).status == 431)
        #expect(try await Self.http(metrics, "hello\r\n\r\n").status == 400)

        // A client that connects and sends nothing does not delay a scrape on another connection.
        async let silent = Self.http(metrics, "")
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        #expect(try await Self.get(metrics, "/metrics").status == 200)
        #expect(ContinuousClock.now - started < .seconds(3), "the scrape waited for the silent client")
        #expect(try await silent.status == 0, "the silent client is closed without an answer")

        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        #expect(try await client.health().status == .serving, "the RPC port serves as before")
    }

    @Test func jsonLogLinesCarryThePeerAndTheRequestID() async throws {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-jsonlog-\(UInt64.random(in: 0...UInt64.max)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let server = try await ServerProcess.start(
            ["--store", "none", "--log-format", "json", "--log-level", "debug"],
            log: log
        )
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        _ = try await client.health(options: CallOptions(metadata: [Metadata.requestID: "json-7f3a"]))
        client.close()
        await server.stop()

        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 3)
        var records: [[String: Any]] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let record = try #require(object, "not a JSON object: \(line)")
            #expect(record["time"] is String && record["level"] is String && record["message"] is String)
            records.append(record)
        }
        let call = try #require(records.first { $0["rpc.request_id"] as? String == "json-7f3a" })
        #expect((call["connection.peer"] as? String)?.hasPrefix("127.0.0.1:") == true)
        #expect(call["rpc.method"] as? String == "/filings.v1.Filings/Health")
    }
}
