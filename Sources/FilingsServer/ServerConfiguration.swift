public import FilingsCore

/// How a ``FilingsServer`` listens and the limits it keeps.
public struct ServerConfiguration: Sendable {
    /// Where to listen; port 0 takes a free port.
    public var listen: Endpoint
    /// The largest frame payload accepted, in bytes; a longer length prefix closes the connection with
    /// RESOURCE_EXHAUSTED before anything is allocated.
    public var maximumFrameSize: Int
    /// The most connections open at once; one more is refused with a RESOURCE_EXHAUSTED GOAWAY.
    public var maximumConnections: Int
    /// The most calls in flight on one connection; at the limit the server stops reading that connection until
    /// a call ends (back-pressure: no call is dropped).
    public var maximumConcurrentCallsPerConnection: Int
    /// A connection with no call in flight and no request for this long is closed with a GOAWAY.
    public var idleTimeout: Duration
    /// A frame (or the preface) whose first bytes arrived this long ago and is still incomplete closes the
    /// connection with DEADLINE_EXCEEDED: slow-drip clients cannot hold connections open.
    public var frameTimeout: Duration
    /// On shutdown, how long calls in flight may run before they are cancelled.
    public var shutdownGracePeriod: Duration
    /// When set, every call but Health must carry `authorization: Bearer <token>`.
    public var authToken: String?
    /// The listen backlog.
    public var backlog: Int32

    /// Listens on 127.0.0.1:7878 with the default limits.
    public static var defaults: ServerConfiguration {
        ServerConfiguration(
            listen: Endpoint(host: "127.0.0.1", port: 7878),
            maximumFrameSize: 16 << 20,
            maximumConnections: 1024,
            maximumConcurrentCallsPerConnection: 128,
            idleTimeout: .seconds(300),
            frameTimeout: .seconds(10),
            shutdownGracePeriod: .seconds(10),
            authToken: nil,
            backlog: 512
        )
    }
}
