public import FilingsCore

/// Why an input could not be parsed, with the status a caller of the Parse RPC sees.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of input was refused.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// The input has no bytes.
        public static let emptyInput = Code(name: "EMPTY_INPUT")
        /// The input is binary (NUL or control bytes, or a known binary file signature), not text.
        public static let binaryInput = Code(name: "BINARY_INPUT")
        /// The input is larger than the configured limit.
        public static let inputTooLarge = Code(name: "INPUT_TOO_LARGE")
        /// An SGML submission was cut off before any document.
        public static let truncatedSubmission = Code(name: "TRUNCATED_SUBMISSION")
        /// The caller gave up (its ``CancellationFlag`` was set) before the parse finished.
        public static let cancelled = Code(name: "CANCELLED")

        public var description: String { name }
    }

    /// What kind of input was refused.
    public var code: Code
    /// A message for people that says what is wrong with the input.
    public var message: String

    /// The RPC status for this error: `RESOURCE_EXHAUSTED` for size, `CANCELLED` for a cancelled parse,
    /// `INVALID_ARGUMENT` otherwise.
    public var status: RPCError.Code {
        switch code {
        case .inputTooLarge: .resourceExhausted
        case .cancelled: .cancelled
        default: .invalidArgument
        }
    }

    /// The error as it crosses the wire.
    public var rpcError: RPCError { RPCError(code: status, message: message) }

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
