import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Histogram
import NIOCore
import NIOPosix
import Synchronization

/// Serves, or loads, `/filings.v1.Filings/Health` over grpc-swift-2, with the same protobuf bytes as filings
/// (an empty HealthRequest; HealthResponse{status: SERVING} is 08 01), so that the difference from
/// `filings-server` / `filings-bench rpc` is the RPC stack.
@main
struct GRPCHealthBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpc-health-bench",
        subcommands: [Serve.self, Load.self]
    )

    static func main() async {
        // SwiftNIO's advice for servers: run Swift concurrency's jobs on NIO's event loops.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

let health = GRPCCore.MethodDescriptor(fullyQualifiedService: "filings.v1.Filings", method: "Health")

/// Messages as their protobuf bytes.
struct Coder: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }

    func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] {
        bytes.withUnsafeBytes { [UInt8]($0) }
    }
}

let serving: [UInt8] = [0x08, 0x01]

struct HealthService: RegistrableRPCService {
    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: health,
            deserializer: Coder(),
            serializer: Coder()
        ) { request, _ in
            for try await _ in request.messages {}
            return StreamingServerResponse(single: ServerResponse(message: serving))
        }
    }
}

struct Serve: AsyncParsableCommand {
    @Option var port = 7979

    func run() async throws {
        let server = GRPCServer(
            transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
            services: [HealthService()]
        )
        print("grpc-swift-2 serving Health on 127.0.0.1:\(port)")
        try await server.serve()
    }
}

final class Phase: Sendable {
    let recording = Atomic<Bool>(false)
    let stop = Atomic<Bool>(false)
}

struct Load: AsyncParsableCommand {
    @Option var port = 7979
    @Option var connections = 1
    @Option var concurrency = 1
    @Option var duration: Double = 10
    @Option var warmup: Double = 2

    func run() async throws {
        let clients = try (0..<connections).map { _ in
            GRPCClient(
                transport: try .http2NIOPosix(
                    target: .ipv4(address: "127.0.0.1", port: port),
                    transportSecurity: .plaintext
                )
            )
        }
        let phase = Phase()
        let histogram = try await withThrowingTaskGroup(of: Histogram<UInt64>?.self) { group in
            for client in clients {
                group.addTask {
                    try await client.runConnections()
                    return nil
                }
                for _ in 0..<concurrency {
                    group.addTask {
                        var latencies = Histogram<UInt64>(
                            highestTrackableValue: 60_000_000,
                            numberOfSignificantValueDigits: .three
                        )
                        while !phase.stop.load(ordering: .relaxed) {
                            let begin = ContinuousClock.now
                            _ = try await client.unary(
                                request: ClientRequest(message: [UInt8]()),
                                descriptor: health,
                                serializer: Coder(),
                                deserializer: Coder(),
                                options: .defaults
                            ) { try $0.message }
                            if phase.recording.load(ordering: .relaxed) {
                                let (s, a) = (ContinuousClock.now - begin).components
                                _ = latencies.record(UInt64(max(1, s * 1_000_000 + a / 1_000_000_000_000)))
                            }
                        }
                        return latencies
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int64(warmup * 1000)))
            phase.recording.store(true, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(Int64(duration * 1000)))
            phase.recording.store(false, ordering: .relaxed)
            phase.stop.store(true, ordering: .relaxed)
            var total = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
            var finished = 0
            for try await result in group {
                guard let result else { continue }
                total.add(result)
                finished += 1
                if finished == connections * concurrency {
                    clients.forEach { $0.beginGracefulShutdown() }
                }
            }
            return total
        }
        func ms(_ p: Double) -> String { String(format: "%.3f", Double(histogram.valueAtPercentile(p)) / 1000) }
        print("grpc-swift-2 health connections=\(connections) concurrency=\(concurrency) seconds=\(duration)")
        print("calls/s   \(String(format: "%.0f", Double(histogram.totalCount) / duration))")
        print("latency   p50 \(ms(50)) ms  p90 \(ms(90)) ms  p99 \(ms(99)) ms  p99.9 \(ms(99.9)) ms")
    }
}
