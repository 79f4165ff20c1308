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
            let request: Request
            do {
                request = try Request(serializedBytes: bytes)
            } catch {
                throw RPCError(code: .invalidArgument, message: "request is not a valid \(Request.protoMessageName)")
            }
            return { context in try await handler(request, context) }
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
    let prepare:
        @Sendable (UnsafeRawBufferPointer) throws(RPCError) -> @Sendable (ServerContext) async throws -> any ProtobufMessage
}
