public import FilingsCore

/// The handlers of a server, by method path.
///
/// ```swift
/// var router = RPCRouter()
/// router.register(FilingsMethods.parse) { request, context in
///     ParseResponse(filing: try parser.parse(request.content))
/// }
/// ```
public struct RPCRouter: Sendable {
    var handlers: [String: RegisteredMethod] = [:]

    /// Creates a router with no handlers.
    public init() {}

    /// Sets the handler of `method`, replacing any before it.
    ///
    /// A handler answers by returning a response or throwing: an ``RPCError`` is sent as it is, a
    /// `CancellationError` as CANCELLED, and any other error as INTERNAL with its details only in the server log.
    public mutating func register<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        handlers[method.path] = RegisteredMethod(path: method.path) { bytes throws(RPCError) in
            let request: Request = try Self.decode(bytes)
            return .async { context in try await handler(request, context) }
        }
    }

    /// Sets a handler of `method` that runs on the connection's own thread as soon as its request is read, with
    /// no task to schedule; its answer leaves with the others of the same read, in one write.
    ///
    /// For handlers that take microseconds and never block, such as health checks. Anything that waits belongs
    /// in ``register(_:handler:)``. Errors are answered as there.
    public mutating func registerInline<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (Request, ServerContext) throws -> Response
    ) {
        handlers[method.path] = RegisteredMethod(path: method.path) { bytes throws(RPCError) in
            let request: Request = try Self.decode(bytes)
            return .inline { context in try handler(request, context) }
        }
    }

    private static func decode<Request: ProtobufMessage>(_ bytes: UnsafeRawBufferPointer) throws(RPCError) -> Request {
        do {
            return try Request(serializedBytes: bytes)
        } catch {
            if let reason = error.reason {
                throw RPCError(code: .invalidArgument, message: "request \(Request.protoMessageName): \(reason)")
            }
            throw RPCError(code: .invalidArgument, message: "request is not a valid \(Request.protoMessageName)")
        }
    }

    /// Whether `path` has a handler.
    public func hasHandler(for path: String) -> Bool {
        handlers[path] != nil
    }
}

/// A handler with its request decoder.
struct RegisteredMethod: Sendable {
    let path: String
    /// Decodes the request (on the connection's thread) and returns the work that answers it.
    let prepare: @Sendable (UnsafeRawBufferPointer) throws(RPCError) -> PreparedCall
}

/// The work that answers one decoded request.
enum PreparedCall: Sendable {
    /// Runs on the connection's thread.
    case inline(@Sendable (ServerContext) throws -> any ProtobufMessage)
    /// Runs in a task of its own.
    case async(@Sendable (ServerContext) async throws -> any ProtobufMessage)
}
