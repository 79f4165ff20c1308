package import FilingsCore

#if canImport(CMalloc)
import CMalloc
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A TCP socket descriptor with the few operations the transport needs. Not thread-safe by itself: its owners
/// decide which thread calls what.
package struct Socket: Sendable {
    /// The file descriptor.
    package let fd: Int32

    package init(fd: Int32) {
        self.fd = fd
    }

    /// Opens a listening socket on `endpoint`.
    package static func listen(on endpoint: Endpoint, backlog: Int32) throws(TransportError) -> Socket {
        var failure = ""
        let listener: Int32
        do throws(TransportError) {
            listener = try endpoint.withResolvedAddresses(passive: true) { address, length, family -> Int32? in
                let fd = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                guard fd >= 0 else { return nil }
                var one: Int32 = 1
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
                if bind(fd, address, length) == 0 && Glibc.listen(fd, backlog) == 0 {
                    return fd
                }
                failure = errnoDescription()
                Glibc.close(fd)
                return nil
            }
        } catch {
            throw TransportError(
                code: .listenFailed,
                message: failure.isEmpty ? error.message : "\(endpoint): \(failure)"
            )
        }
        let socket = Socket(fd: listener)
        socket.setNonBlocking()  // accept() returns nil instead of blocking once the backlog is drained
        return socket
    }

    /// Connects to `endpoint`, trying each address it resolves to, and makes the socket non-blocking.
    package static func connect(to endpoint: Endpoint, timeoutMilliseconds: Int32) throws(TransportError) -> Socket {
        let connected = try endpoint.withResolvedAddresses(passive: false) { address, length, family -> Int32? in
            let fd = Glibc.socket(
                family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
                0
            )
            guard fd >= 0 else { return nil }
            if Glibc.connect(fd, address, length) == 0 {
                return fd
            }
            if errno == EINPROGRESS {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&pfd, 1, timeoutMilliseconds) == 1 {
                    var error: Int32 = 0
                    var size = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
                    if error == 0 {
                        return fd
                    }
                    errno = error
                } else {
                    errno = ETIMEDOUT
                }
            }
            let saved = errno
            Glibc.close(fd)
            errno = saved
            return nil
        }
        let socket = Socket(fd: connected)
        socket.setNoDelay()
        return socket
    }

    /// Accepts a connection; nil when none is pending or the call was interrupted.
    package func accept() -> AcceptResult {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.accept(self.fd, $0, &length)
            }
        }
        guard fd >= 0 else {
            switch errno {
            case EAGAIN, EWOULDBLOCK: return .noneWaiting
            case EINTR, ECONNABORTED, EPROTO: return .retry
            default: return .failed(errno)
            }
        }
        let socket = Socket(fd: fd)
        socket.setNonBlocking()
        socket.setNoDelay()
        return .accepted(socket, peer: Socket.describe(&storage))
    }

    /// What ``accept()`` found.
    package enum AcceptResult {
        /// A connection, and its peer's address.
        case accepted(Socket, peer: String)
        /// No connection is waiting.
        case noneWaiting
        /// A connection went away before it was accepted: try again.
        case retry
        /// The system refused (out of descriptors or memory): errno.
        case failed(Int32)
    }

    /// The local port the socket is bound to.
    package var localPort: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// Makes reads and writes return EAGAIN instead of blocking, and keeps the descriptor from child processes.
    package func setNonBlocking() {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Disables Nagle's algorithm: frames go out when written.
    package func setNoDelay() {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Reads available bytes; 0 at end of stream, -1 with errno on error (EAGAIN when none are available).
    package func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        Glibc.read(fd, buffer.baseAddress, buffer.count)
    }

    /// Writes bytes without blocking and without SIGPIPE; -1 with errno on error (EAGAIN when the buffer is full).
    package func send(_ bytes: UnsafeRawBufferPointer) -> Int {
        Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
    }

    /// Stops both directions: the peer sees the end of the stream, a thread blocked on the socket wakes.
    package func shutdown() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Closes the descriptor.
    package func close() {
        _ = Glibc.close(fd)
    }

    private static func describe(_ storage: inout sockaddr_storage) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo(
                    $0,
                    socklen_t(MemoryLayout<sockaddr_storage>.size),
                    &host,
                    socklen_t(host.count),
                    &service,
                    socklen_t(service.count),
                    NI_NUMERICHOST | NI_NUMERICSERV
                )
            }
        }
        guard status == 0 else { return "unknown" }
        let h = cString(host)
        let s = cString(service)
        return h.contains(":") ? "[\(h)]:\(s)" : "\(h):\(s)"
    }
}

/// A self-pipe: one thread wakes another that waits in poll.
package struct EventFD: Sendable {
    /// The end to poll for reading.
    package let fd: Int32
    private let writeEnd: Int32

    package init() {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0, "pipe failed: \(errnoDescription())")
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        fd = ends[0]
        writeEnd = ends[1]
    }

    /// Makes ``fd`` readable until ``drain()``.
    package func signal() {
        var one: UInt8 = 1
        _ = write(writeEnd, &one, 1)
    }

    /// Clears the signal.
    package func drain() {
        var sink = [UInt8](repeating: 0, count: 64)
        while read(fd, &sink, sink.count) == sink.count {}
    }

    package func close() {
        _ = Glibc.close(fd)
        _ = Glibc.close(writeEnd)
    }
}

/// Raises this process's limit of open descriptors to the hard limit, so that a server can hold as many
/// connections as it is configured for (each takes three: the socket and a wake-up pipe); returns the limit.
@discardableResult
package func raiseOpenFileLimit() -> UInt64 {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    if limit.rlim_cur < limit.rlim_max {
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return UInt64(limit.rlim_cur)
}

/// The text of the current errno.
package func errnoDescription(_ code: Int32 = errno) -> String {
    cString(Array(UnsafeBufferPointer(start: strerror(code), count: strlen(strerror(code)))))
}

private func cString(_ chars: [CChar]) -> String {
    String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Waits until one of `descriptors` is readable, or `timeoutMilliseconds` pass (-1: no limit); returns which are.
package func waitReadable(_ descriptors: [Int32], timeoutMilliseconds: Int32 = -1) -> [Bool] {
    var fds = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    guard poll(&fds, nfds_t(fds.count), timeoutMilliseconds) > 0 else {
        return Array(repeating: false, count: fds.count)
    }
    return fds.map { $0.revents != 0 }
}

/// Bounds the memory glibc's allocator keeps for a long-running server with many threads: two arenas instead of
/// one per thread (up to 8 per core), and every block of 256 KiB or more (request frames, documents, responses)
/// mapped on its own and returned to the system when freed, rather than kept in an arena after a burst.
package func boundAllocatorMemory() {
    #if canImport(CMalloc)
    _ = mallopt(M_ARENA_MAX, 2)
    _ = mallopt(M_MMAP_THRESHOLD, 256 << 10)
    _ = mallopt(M_TRIM_THRESHOLD, 1 << 20)
    #endif
}
