/// An error that crosses the wire: a status code and a message for people.
///
/// Handlers throw it to answer a call with a status other than OK; the client library throws it for every failed
/// call, whether the server answered with the status or the client decided it (a deadline, a lost connection).
///
/// ```swift
/// throw RPCError(code: .notFound, message: "no filing with id 42")
/// ```
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status code.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// Trailing metadata sent with the status.
    public var metadata: Metadata

    /// Creates an error with a status code and a message.
    public init(code: Code, message: String, metadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    public var description: String {
        message.isEmpty ? "\(code)" : "\(code): \(message)"
    }
}

extension RPCError {
    /// A status code: gRPC's codes, with the same numbers and names.
    ///
    /// Codes are values, not an enum, so that a code this version does not know (a newer peer's) survives a round
    /// trip.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's number on the wire.
        public let rawValue: Int32

        /// A code from its number on the wire; any number is kept.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// Not an error: used only in statuses on the wire, never in a thrown ``RPCError``.
        public static let ok = Code(rawValue: 0)
        /// The call was cancelled, usually by the caller.
        public static let cancelled = Code(rawValue: 1)
        /// An error with no better code.
        public static let unknown = Code(rawValue: 2)
        /// The request is malformed or its arguments are invalid, whatever the state of the system.
        public static let invalidArgument = Code(rawValue: 3)
        /// The deadline passed before the call completed.
        public static let deadlineExceeded = Code(rawValue: 4)
        /// The requested entity was not found.
        public static let notFound = Code(rawValue: 5)
        /// The entity to create already exists.
        public static let alreadyExists = Code(rawValue: 6)
        /// The caller may not do this.
        public static let permissionDenied = Code(rawValue: 7)
        /// A limit was reached: message size, connections, batch size.
        public static let resourceExhausted = Code(rawValue: 8)
        /// The system is not in a state that allows the call.
        public static let failedPrecondition = Code(rawValue: 9)
        /// The call was aborted, usually by a concurrency conflict.
        public static let aborted = Code(rawValue: 10)
        /// A value is outside its valid range.
        public static let outOfRange = Code(rawValue: 11)
        /// The method is not implemented or not known.
        public static let unimplemented = Code(rawValue: 12)
        /// An invariant broke inside the server.
        public static let `internal` = Code(rawValue: 13)
        /// The service cannot be reached now; calling again later may succeed.
        public static let unavailable = Code(rawValue: 14)
        /// Data was lost or corrupted.
        public static let dataLoss = Code(rawValue: 15)
        /// The call has no valid credentials.
        public static let unauthenticated = Code(rawValue: 16)

        /// Every code gRPC defines, in number order.
        public static let all: [Code] = (0...16).map { Code(rawValue: $0) }

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]

        /// The code's gRPC name, such as `DEADLINE_EXCEEDED`; a number for an unknown code.
        public var name: String {
            Self.names.indices.contains(Int(rawValue)) ? Self.names[Int(rawValue)] : "CODE_\(rawValue)"
        }

        public var description: String { name }
    }
}
