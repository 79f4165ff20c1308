public import FilingsCore
import FilingsTransport
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 responder for operators beside the RPC port: `GET /metrics` answers what `render` returns
/// (the Prometheus text format) and `GET /healthz` answers 200 `ok` while `healthy` says so, else 503.
///
/// It takes GET (and HEAD) only, request heads up to 8 KiB, sent within 5 s, and 16 connections at a time; each
/// connection gets one answer and is closed. Every connection is served on a thread of its own, never on the
/// concurrency pool.
public final class MetricsEndpoint: Service, Sendable {
    /// Where it listens (with the port the system chose, when asked for port 0).
    public let endpoint: Endpoint

    private let listener: Socket
    private let wake = EventFD()
    private let render: @Sendable () -> [UInt8]
    private let healthy: @Sendable () -> Bool
    private let logger: Logger
    private let connections = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    /// The most bytes of a request head.
    static let maximumRequestBytes = 8 << 10
    /// How long a client may take to send its request, and to take the answer.
    static let timeoutMilliseconds: Int32 = 5000
    /// The most connections served at once; more are closed at once.
    static let maximumConnections = 16

    /// Binds `listen`; serving starts with ``run()``.
    public init(
        listen: Endpoint,
        render: @escaping @Sendable () -> [UInt8],
        healthy: @escaping @Sendable () -> Bool,
        logger: Logger
    ) throws(RPCError) {
        do throws(TransportError) {
            listener = try Socket.listen(on: listen, backlog: 64)
        } catch {
            throw RPCError(code: .unavailable, message: "cannot listen for metrics on \(listen): \(error.message)")
        }
        endpoint = Endpoint(host: listen.host, port: listener.localPort)
        self.render = render
        self.healthy = healthy
        self.logger = logger
    }

    /// Serves until the service group shuts down or the task is cancelled.
    public func run() async throws {
        startThread(name: "filings-metrics") { [self] in acceptLoop() }
        logger.info("serving metrics", metadata: ["metrics.listen": "\(endpoint)"])
        // Until the service group shuts down gracefully, or the task is cancelled (which also ends the wait).
        try? await gracefulShutdown()
        stop()
    }

    private func stop() {
        if !stopped.exchange(true, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    private func acceptLoop() {
        defer {
            listener.close()
            wake.close()
        }
        while !stopped.load(ordering: .acquiring) {
            let ready = waitReadable([listener.fd, wake.fd])
            if ready[1] { return }
            guard ready[0] else { continue }
            while case .accepted(let socket, let peer) = listener.accept() {
                guard connections.add(1, ordering: .relaxed).newValue <= Self.maximumConnections else {
                    connections.subtract(1, ordering: .relaxed)
                    socket.close()
                    logger.warning(
                        "metrics connection refused: too many at once",
                        metadata: ["connection.peer": "\(peer)"]
                    )
                    continue
                }
                startThread(name: "metrics-conn") { [self] in
                    serve(socket, peer: peer)
                    connections.subtract(1, ordering: .relaxed)
                }
            }
        }
    }

    private func serve(_ socket: Socket, peer: String) {
        defer { socket.close() }
        let deadline = ContinuousClock.now + .milliseconds(Int64(Self.timeoutMilliseconds))
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Self.endOfHead(head) == nil {
            guard head.count < Self.maximumRequestBytes else {
                respond(socket, status: "431 Request Header Fields Too Large", body: "request head over 8 KiB\n")
                logger.warning("metrics request too large", metadata: ["connection.peer": "\(peer)"])
                return
            }
            let left = Int32(max(0, (deadline - ContinuousClock.now).wholeMilliseconds))
            guard left > 0, waitReadable([socket.fd], timeoutMilliseconds: left)[0] else {
                logger.debug("metrics request not sent in time", metadata: ["connection.peer": "\(peer)"])
                return
            }
            let count = buffer.withUnsafeMutableBytes { socket.read(into: $0) }
            if count == 0 { return }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return
            }
            head.append(contentsOf: buffer[0..<count])
        }
        let line = String(decoding: head.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        guard line.count == 3, line[2].hasPrefix("HTTP/1.") else {
            respond(socket, status: "400 Bad Request", body: "not an HTTP/1.x request\n")
            return
        }
        let method = line[0]
        let path = line[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard method == "GET" || method == "HEAD" else {
            respond(socket, status: "405 Method Not Allowed", body: "only GET\n", extra: "Allow: GET, HEAD\r\n")
            return
        }
        let bodyless = method == "HEAD"
        switch path {
        case "/metrics":
            respond(
                socket,
                status: "200 OK",
                body: render(),
                type: "text/plain; version=0.0.4; charset=utf-8",
                bodyless: bodyless
            )
        case "/healthz":
            let ok = healthy()
            respond(
                socket,
                status: ok ? "200 OK" : "503 Service Unavailable",
                body: ok ? "ok\n" : "not serving\n",
                bodyless: bodyless
            )
        default:
            respond(socket, status: "404 Not Found", body: "try /metrics or /healthz\n", bodyless: bodyless)
        }
    }

    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    private func respond(
        _ socket: Socket,
        status: String,
        body: String,
        extra: String = "",
        bodyless: Bool = false
    ) {
        respond(socket, status: status, body: Array(body.utf8), extra: extra, bodyless: bodyless)
    }

    private func respond(
        _ socket: Socket,
        status: String,
        body: [UInt8],
        type: String = "text/plain; charset=utf-8",
        extra: String = "",
        bodyless: Bool = false
    ) {
        var out = Array(
            "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n\(extra)Connection: close\r\n\r\n"
                .utf8
        )
        if !bodyless { out += body }
        var sent = 0
        let deadline = ContinuousClock.now + .milliseconds(Int64(Self.timeoutMilliseconds))
        while sent < out.count {
            let count = out.withUnsafeBytes { socket.send(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            if count > 0 {
                sent += count
                continue
            }
            guard count < 0, errno == EAGAIN || errno == EINTR else { return }
            let left = Int32(max(0, (deadline - ContinuousClock.now).wholeMilliseconds))
            var descriptor = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
            guard left > 0, poll(&descriptor, 1, left) > 0 else { return }
        }
    }
}
