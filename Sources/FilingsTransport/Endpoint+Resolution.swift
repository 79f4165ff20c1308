import FilingsCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Endpoint {
    /// Resolves the endpoint and calls `body` with each address until it returns a value.
    func withResolvedAddresses<T>(
        passive: Bool,
        _ body: (UnsafePointer<sockaddr>, socklen_t, Int32) -> T?
    ) throws(TransportError) -> T {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = passive ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError(
                code: .unresolvable,
                message: "cannot resolve '\(host)' (getaddrinfo error \(status))"
            )
        }
        defer { freeaddrinfo(list) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        var lastErrno: Int32 = 0
        while let current = node {
            if let address = current.pointee.ai_addr,
                let result = body(address, current.pointee.ai_addrlen, current.pointee.ai_family)
            {
                return result
            }
            lastErrno = errno
            node = current.pointee.ai_next
        }
        throw TransportError(code: .connectFailed, message: "\(self): \(errnoDescription(lastErrno))")
    }
}

/// A local failure of the transport: an address that does not resolve, a port in use, a refused connection.
public struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        /// The host name does not resolve.
        public static let unresolvable = Code(name: "unresolvable")
        /// No connection could be made.
        public static let connectFailed = Code(name: "connect failed")
        /// The address could not be bound or listened on.
        public static let listenFailed = Code(name: "listen failed")
        /// The peer does not speak this protocol, or closed during the handshake.
        public static let handshakeFailed = Code(name: "handshake failed")

        public var description: String { name }
    }

    /// What kind of failure.
    public var code: Code
    /// What happened, for people.
    public var message: String

    public var description: String { "\(code): \(message)" }
}
