import FilingsCore
import FilingsTestSupport
import FilingsTransport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A hand-driven client socket: sends any bytes, reads what the server answers. For malformed-input tests.
///
/// Its reads block, so they run on a thread of their own, never on the concurrency pool's few threads.
final class RawConnection: @unchecked Sendable {
    private let socket: Socket
    private var received: [UInt8] = []
    private(set) var closed = false

    init(_ endpoint: Endpoint) throws {
        socket = try Socket.connect(to: endpoint, timeoutMilliseconds: 2000)
    }

    deinit {
        close()
    }

    /// Closes the socket, mid-frame or not.
    func close() {
        guard !closed else { return }
        closed = true
        socket.close()
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { socket.send(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            if n > 0 {
                offset += n
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                var pfd = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 100)
            } else {
                return
            }
        }
    }

    /// Sends the preface and a REQUEST frame.
    func sendRequest<M: ProtobufMessage>(callID: UInt32, method: String, _ message: M, timeoutMicros: UInt64 = 0) {
        var frame: [UInt8] = []
        FrameEncoder.appendRequest(
            callID: callID,
            header: WireRequestHeader(method: method, timeoutMicros: timeoutMicros),
            message: message,
            to: &frame
        )
        send(frame)
    }

    /// Reads until the server closes or `timeout` passes; returns everything received so far.
    @discardableResult
    func readUntilClosed(timeout: Duration = .seconds(30)) async -> [UInt8] {
        await offPool { self.read(timeout: timeout) { _ in false } }
        return received
    }

    /// Reads until the server's preface and `count` frames arrived (or it closed, or `timeout` passed).
    func readFrames(_ count: Int, timeout: Duration = .seconds(120)) async -> [Frame] {
        await offPool { self.read(timeout: timeout) { $0.frames()?.count ?? 0 >= count } }
        return frames() ?? []
    }

    /// Reads until a frame for `callID` arrived (or the server closed, or `timeout` passed); returns every frame.
    func readFrames(untilCall callID: UInt32, timeout: Duration = .seconds(120)) async -> [Frame] {
        await offPool { self.read(timeout: timeout) { $0.frames()?.contains { $0.callID == callID } ?? false } }
        return frames() ?? []
    }

    /// The frames received after the server's preface; nil when the preface is missing or wrong.
    func frames() -> [Frame]? {
        guard received.count >= Preface.size, Array(received.prefix(Preface.size)) == Preface.bytes else { return nil }
        var decoder = FrameDecoder(maximumPayloadSize: 1 << 30)
        decoder.append(received[Preface.size...])
        var frames: [Frame] = []
        while let frame = try? decoder.nextFrame() {
            frames.append(frame)
        }
        return frames
    }

    private func read(timeout: Duration, until done: (RawConnection) -> Bool) {
        let end = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !closed && !done(self) && ContinuousClock.now < end {
            var pfd = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { socket.read(into: $0) }
            if n > 0 {
                received.append(contentsOf: buffer[..<n])
            } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                closed = true
            }
        }
    }
}

extension Frame {
    /// The GOAWAY payload of this frame.
    var goAway: WireGoAway? {
        guard type == .goAway else { return nil }
        return try? WireGoAway(serializedBytes: payload)
    }

    /// The status of this RESPONSE frame.
    var responseHeader: WireResponseHeader? {
        guard type == .response else { return nil }
        return try? CallPayload<WireResponseHeader>(decoding: payload).header
    }
}
