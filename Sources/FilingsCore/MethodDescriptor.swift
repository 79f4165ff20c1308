/// One method of a service: its path on the wire, its message types and whether calling it again is safe.
///
/// The descriptors of the filings service are generated: ``FilingsMethods``.
public struct MethodDescriptor<Request: ProtobufMessage, Response: ProtobufMessage>: Sendable, Hashable {
    /// The fully qualified service name, such as `filings.v1.Filings`.
    public let service: String
    /// The method's name, such as `Health`.
    public let method: String
    /// Whether the method may be called again after a failure.
    public let idempotency: Idempotency
    /// The path that names the method on the wire: `/filings.v1.Filings/Health`.
    public let path: String

    /// Creates a descriptor for `method` of `service`.
    public init(service: String, method: String, idempotency: Idempotency) {
        self.service = service
        self.method = method
        self.idempotency = idempotency
        self.path = "/\(service)/\(method)"
    }
}

/// Whether calling a method again has the same effect as calling it once (the schema's `idempotency_level`).
public struct Idempotency: Sendable, Hashable, CustomStringConvertible {
    private enum Level: Hashable {
        case unknown, noSideEffects, idempotent
    }

    private let level: Level

    /// Calling the method again may do its work twice: never retried automatically.
    public static let unknown = Idempotency(level: .unknown)
    /// The method changes nothing: safe to retry.
    public static let noSideEffects = Idempotency(level: .noSideEffects)
    /// Calling the method again changes nothing more: safe to retry.
    public static let idempotent = Idempotency(level: .idempotent)

    /// Whether a failed call may be sent again.
    public var allowsRetry: Bool { level != .unknown }

    public var description: String {
        switch level {
        case .unknown: "unknown"
        case .noSideEffects: "no side effects"
        case .idempotent: "idempotent"
        }
    }
}
