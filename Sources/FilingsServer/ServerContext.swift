public import FilingsCore
public import Logging

/// What a handler knows about the call it answers.
public struct ServerContext: Sendable {
    /// The method's path: `/filings.v1.Filings/Health`.
    public var method: String
    /// The request metadata.
    public var metadata: Metadata
    /// When the caller stops waiting; nil when it set no deadline. The handler's task is cancelled then.
    public var deadline: ContinuousClock.Instant?
    /// The peer's address.
    public var peer: String
    /// The caller's `x-request-id`, when it sent one.
    public var requestID: String?
    /// The call's id on its connection.
    public var callID: UInt32
    /// The connection's logger, without the call's metadata.
    var connectionLogger: Logger

    /// A logger with the call's metadata (`rpc.method`, `rpc.call_id`, `rpc.request_id`, `connection.peer`).
    public var logger: Logger {
        var logger = connectionLogger
        logger[metadataKey: "rpc.method"] = "\(method)"
        logger[metadataKey: "rpc.call_id"] = "\(callID)"
        if let requestID {
            logger[metadataKey: "rpc.request_id"] = "\(requestID)"
        }
        return logger
    }
}
