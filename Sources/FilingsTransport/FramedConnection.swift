import FilingsCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a connection's loop does next, as its driver decides before each wait.
package enum LoopStep: Sendable {
    /// Wait for bytes (when `read` is true), for a wake-up, or until `until`.
    case wait(read: Bool, until: ContinuousClock.Instant?)
    /// Flush what is queued and close.
    case close
}

/// The protocol logic that a ``FramedConnection`` loop drives. Called only on the loop's thread.
///
/// The loop reads what the socket holds before it reports a passed deadline: a peer whose bytes arrived in time is
/// never judged late because the loop itself was late (a stalled thread, a paused process).
package protocol ConnectionDriver: AnyObject {
    /// What to do next. `until` may already have passed; acting on it waits for ``deadlinePassed(now:)``.
    func nextStep(now: ContinuousClock.Instant) -> LoopStep
    /// The `until` of the last step has passed and the socket had nothing left to read (or reading was off).
    func deadlinePassed(now: ContinuousClock.Instant)
    /// Bytes arrived.
    func received(_ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant)
    /// The peer closed the stream, or it failed (`errno` is nil for an orderly close).
    func streamEnded(errno: Int32?)
}

/// A non-blocking TCP connection with one thread that reads and a shared output queue that many threads write to.
///
/// Writers send inline while the socket takes the bytes; whatever is queued meanwhile goes out in the same write
/// (write coalescing). When the socket's buffer is full the loop thread takes over the queue and flushes it when
/// the socket is writable again, so no writer ever blocks.
package final class FramedConnection: Sendable {
    /// The peer's address, for logs.
    package let peer: String
    private let socket: Socket
    private let wake = EventFD()
    private let output = Lock(Output())

    private struct Output: ~Copyable {
        enum Mode {
            /// Nobody is writing.
            case idle
            /// A sender is writing inline; others append to `pending`.
            case flushing
            /// The socket is full: the loop thread flushes `pending` when it is writable.
            case blocked
        }
        var mode = Mode.idle
        var pending: [UInt8] = []
        /// A task will flush `pending` (see ``FramedConnection/enqueue(_:)``).
        var flushScheduled = false
        var failed = false
        var loopEnded = false
        var descriptorClosed = false
    }

    /// Told the size of everything queued for the peer (for byte counters).
    private let sent: (@Sendable (Int) -> Void)?

    package init(socket: Socket, peer: String, sent: (@Sendable (Int) -> Void)? = nil) {
        self.socket = socket
        self.peer = peer
        self.sent = sent
    }

    /// The number of bytes queued and not yet written.
    package var queuedByteCount: Int {
        output.withLock { $0.pending.count }
    }

    /// Queues `bytes` for the peer and writes them now if the socket allows.
    ///
    /// - Returns: false when the connection has failed or closed; the bytes are dropped.
    @discardableResult
    package func send(_ bytes: [UInt8]) -> Bool {
        sent?(bytes.count)
        let proceed: Bool = output.withLock { state in
            guard !state.failed, !state.descriptorClosed else { return false }
            if state.mode != .idle || !state.pending.isEmpty {
                state.pending.append(contentsOf: bytes)
                return false
            }
            state.mode = .flushing
            return true
        }
        guard proceed else {
            return output.withLock { !$0.failed && !$0.descriptorClosed }
        }
        flushInline(bytes)
        return true
    }

    /// Queues `bytes` for the peer and lets a task flush them soon, together with whatever else is queued by then.
    ///
    /// For senders on the concurrency pool answering many calls at once: the flush runs after the jobs already
    /// queued, so a burst of answers leaves in one write instead of one write each.
    ///
    /// - Returns: false when the connection has failed or closed; the bytes are dropped.
    @discardableResult
    package func enqueue(_ bytes: [UInt8]) -> Bool {
        sent?(bytes.count)
        let schedule = output.withLock { state -> Bool? in
            guard !state.failed, !state.descriptorClosed else { return nil }
            state.pending.append(contentsOf: bytes)
            guard state.mode == .idle, !state.flushScheduled else { return false }
            state.flushScheduled = true
            return true
        }
        guard let schedule else { return false }
        if schedule {
            Task { self.flushScheduledOutput() }
        }
        return true
    }

    private func flushScheduledOutput() {
        let chunk = output.withLock { state -> [UInt8]? in
            state.flushScheduled = false
            guard state.mode == .idle, !state.pending.isEmpty, !state.failed, !state.descriptorClosed else {
                return nil
            }
            state.mode = .flushing
            defer { state.pending = [] }
            return state.pending
        }
        if let chunk {
            flushInline(chunk)
        }
    }

    /// Wakes the loop thread so that it asks its driver for the next step.
    package func wakeUp() {
        output.withLock { state in
            // Once closed, the descriptor's number may belong to another file: never touch it again.
            if !state.descriptorClosed {
                wake.signal()
            }
        }
    }

    private func flushInline(_ first: [UInt8]) {
        var chunk = first
        while true {
            let written = write(chunk)
            let next = output.withLock { state -> [UInt8]? in
                if written < 0 {
                    state.failed = true
                    state.pending = []
                    state.mode = .idle
                    return nil
                }
                if written < chunk.count {
                    state.pending.insert(contentsOf: chunk[written...], at: 0)
                    state.mode = .blocked
                    return nil
                }
                if state.pending.isEmpty {
                    state.mode = .idle
                    return nil
                }
                defer { state.pending = [] }
                return state.pending
            }
            guard let next else { break }
            chunk = next
        }
        let (wakeLoop, closeNow) = output.withLock { state in
            (state.mode == .blocked || state.failed, state.loopEnded && state.mode == .idle && !state.descriptorClosed)
        }
        if closeNow {
            closeDescriptor()
        } else if wakeLoop {
            wakeUp()
        }
    }

    /// Writes as much of `bytes` as the socket takes: the count, or -1 when the connection failed.
    private func write(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { socket.send(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return offset
            } else {
                return -1
            }
        }
        return offset
    }

    /// The loop thread's flush when the socket is writable again.
    private func flushBlocked() {
        let chunk = output.withLock { state -> [UInt8]? in
            guard state.mode == .blocked else { return nil }
            state.mode = .flushing
            defer { state.pending = [] }
            return state.pending
        }
        if let chunk {
            flushInline(chunk)
        }
    }

    private var isBlocked: Bool {
        output.withLock { $0.mode == .blocked }
    }

    /// Runs the connection on the calling thread until the driver closes it or the stream ends, then flushes what
    /// is queued (for at most `lingerMilliseconds`) and closes the socket.
    package func run(driver: some ConnectionDriver, lingerMilliseconds: Int32 = 2000) {
        let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { readBuffer.deallocate() }
        loop: while true {
            let now = ContinuousClock.now
            guard case .wait(let readEnabled, let until) = driver.nextStep(now: now) else { break }
            if output.withLock({ $0.failed }) {
                driver.streamEnded(errno: EPIPE)
                break
            }
            var fds = [
                pollfd(
                    fd: socket.fd,
                    events: Int16(readEnabled ? POLLIN : 0) | Int16(isBlocked ? POLLOUT : 0),
                    revents: 0
                ),
                pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0),
            ]
            // A deadline already passed gives a poll that only looks: what is readable is read first.
            let timeout = until.map { Self.milliseconds(from: now, to: $0) } ?? -1
            let ready = poll(&fds, 2, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                driver.streamEnded(errno: errno)
                break
            }
            if fds[1].revents != 0 {
                wake.drain()
            }
            let events = Int32(fds[0].revents)
            let readable = events & (Int32(POLLIN) | Int32(POLLHUP) | Int32(POLLERR)) != 0
            let after = ContinuousClock.now
            if let until, !readable, after >= until {
                driver.deadlinePassed(now: after)
            }
            if events & Int32(POLLOUT) != 0 {
                flushBlocked()
            }
            if readable {
                // Drain what is readable now, up to a bound so that the loop gets back to its wake-ups and to
                // flushing between a busy peer's reads.
                for _ in 0..<16 {
                    let n = socket.read(into: readBuffer)
                    if n > 0 {
                        driver.received(UnsafeRawBufferPointer(rebasing: readBuffer[..<n]), now: ContinuousClock.now)
                        if n < readBuffer.count { break }
                        if case .wait(read: true, _) = driver.nextStep(now: ContinuousClock.now) { continue }
                        break
                    } else if n == 0 {
                        driver.streamEnded(errno: nil)
                        break loop
                    } else if errno == EINTR {
                        continue
                    } else if errno == EAGAIN || errno == EWOULDBLOCK {
                        break
                    } else {
                        driver.streamEnded(errno: errno)
                        break loop
                    }
                }
            }
        }
        linger(milliseconds: lingerMilliseconds)
    }

    /// Flushes queued output for a bounded time, then closes the socket (once no sender is writing).
    private func linger(milliseconds: Int32) {
        let end = ContinuousClock.now.advanced(by: .milliseconds(Int(milliseconds)))
        while ContinuousClock.now < end {
            enum Next { case done, flush([UInt8]), waitWritable, waitForSender }
            let next = output.withLock { state -> Next in
                if state.failed { return .done }
                switch state.mode {
                case .idle:
                    guard !state.pending.isEmpty else { return .done }
                    state.mode = .flushing
                    defer { state.pending = [] }
                    return .flush(state.pending)
                case .blocked:
                    return .waitWritable
                case .flushing:
                    return .waitForSender
                }
            }
            switch next {
            case .done:
                break
            case .flush(let chunk):
                flushInline(chunk)
                continue
            case .waitWritable:
                var pfd = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
                if poll(&pfd, 1, Self.milliseconds(from: .now, to: end)) > 0 {
                    flushBlocked()
                }
                continue
            case .waitForSender:
                usleep(200)
                continue
            }
            break
        }
        let closeNow = output.withLock { state in
            state.loopEnded = true
            if state.mode == .blocked { state.mode = .idle }
            return state.mode == .idle
        }
        if closeNow {
            closeDescriptor()
        }
    }

    private func closeDescriptor() {
        output.withLock { state in
            guard !state.descriptorClosed else { return }
            state.descriptorClosed = true
            socket.shutdown()
            socket.close()
            wake.close()
        }
    }

    /// Stops the connection from another thread: the peer sees the end of the stream, the loop ends.
    package func abort() {
        output.withLock { state in
            guard !state.descriptorClosed else { return }
            socket.shutdown()
            wake.signal()
        }
    }

    /// A poll() timeout from `now` to `end`, rounded up: a wait that ended before `end` would spin.
    private static func milliseconds(from now: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Int32 {
        guard end > now else { return 0 }
        return Int32(clamping: (end - now + .nanoseconds(999_999)).wholeMilliseconds)
    }
}
