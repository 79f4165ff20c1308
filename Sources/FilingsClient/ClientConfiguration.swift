public import FilingsCore
import FilingsTransport

/// How a ``FilingsClient`` reaches its servers and what it does when a call fails.
public struct ClientConfiguration: Sendable {
    /// The servers; calls go round-robin over them.
    public var endpoints: [Endpoint]
    /// Connections kept open to each endpoint; calls are multiplexed over them.
    public var connectionsPerEndpoint: Int
    /// How long a connection attempt may take.
    public var connectTimeout: Duration
    /// The deadline of calls that set none; nil waits as long as it takes.
    public var defaultDeadline: Duration?
    /// Metadata sent with every call, such as `authorization`.
    public var metadata: Metadata
    /// The largest frame accepted from a server, in bytes.
    public var maximumFrameSize: Int
    /// Retries of failed calls.
    public var retry: RetryPolicy
    /// The wait after a failed connection attempt before the next one: doubles from `initial` up to `maximum`.
    public var reconnectBackoff: (initial: Duration, maximum: Duration)
    /// How often an idle connection is probed with a PING; nil never probes.
    public var keepaliveInterval: Duration?
    /// How long a PING may go unanswered before the connection is taken as dead.
    public var keepaliveTimeout: Duration

    /// One endpoint, default limits and retries.
    public static func defaults(endpoints: [Endpoint]) -> ClientConfiguration {
        ClientConfiguration(
            endpoints: endpoints,
            connectionsPerEndpoint: 1,
            connectTimeout: .seconds(5),
            defaultDeadline: nil,
            metadata: [:],
            maximumFrameSize: 64 << 20,
            retry: .defaults,
            reconnectBackoff: (.milliseconds(100), .seconds(5)),
            keepaliveInterval: .seconds(30),
            keepaliveTimeout: .seconds(10)
        )
    }
}

/// When and how often a failed call is sent again.
///
/// A call is retried when its status is one of `retryableCodes` and its method is idempotent (the schema's
/// `idempotency_level`), or whatever its method when the server provably never processed it (refused
/// connection, a GOAWAY that excludes it).
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 disables retries. A call that never left the client (the connection
    /// picked for it began closing first), or that a draining server did not take (a GOAWAY with code 0 and a
    /// lower `last_call_id`), is sent on another connection without counting as an attempt.
    public var maximumAttempts: Int
    /// The wait before the first retry; it doubles each time, up to `maximumBackoff`, with jitter.
    public var initialBackoff: Duration
    /// The longest wait between attempts.
    public var maximumBackoff: Duration
    /// The statuses worth retrying.
    public var retryableCodes: Set<RPCError.Code>

    /// 3 attempts, 50 ms doubling to 2 s, on UNAVAILABLE.
    public static var defaults: RetryPolicy {
        RetryPolicy(
            maximumAttempts: 3,
            initialBackoff: .milliseconds(50),
            maximumBackoff: .seconds(2),
            retryableCodes: [.unavailable]
        )
    }

    /// No retries.
    public static var none: RetryPolicy {
        RetryPolicy(maximumAttempts: 1, initialBackoff: .zero, maximumBackoff: .zero, retryableCodes: [])
    }
}

/// Options of one call.
public struct CallOptions: Sendable {
    /// How long the caller waits; nil takes the client's default.
    public var timeout: Duration?
    /// Metadata added to the client's for this call.
    public var metadata: Metadata
    /// Overrides the client's retry policy for this call.
    public var retry: RetryPolicy?

    /// Creates options.
    public init(timeout: Duration? = nil, metadata: Metadata = [:], retry: RetryPolicy? = nil) {
        self.timeout = timeout
        self.metadata = metadata
        self.retry = retry
    }

    /// No timeout, no extra metadata, the client's retry policy.
    public static var defaults: CallOptions { CallOptions() }
}
