/// One frame of the filings wire protocol (docs/PROTOCOL.md): a 10-byte header and a payload.
///
/// ```
/// offset 0  uint32 BE  payload length
/// offset 4  uint8      type
/// offset 5  uint8      flags
/// offset 6  uint32 BE  call id (0 for connection frames)
/// offset 10 payload
/// ```
public struct Frame: Hashable, Sendable {
    /// The size of the frame header in bytes.
    public static let headerSize = 10

    /// What the frame carries.
    public var type: FrameType
    /// Type-specific flags.
    public var flags: UInt8
    /// The call the frame belongs to; 0 for PING and GOAWAY.
    public var callID: UInt32
    /// The payload.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(type: FrameType, flags: UInt8 = 0, callID: UInt32 = 0, payload: [UInt8] = []) {
        self.type = type
        self.flags = flags
        self.callID = callID
        self.payload = payload
    }

    /// Appends the frame's bytes to `buffer`.
    public func encode(into buffer: inout [UInt8]) {
        Frame.appendHeader(type: type, flags: flags, callID: callID, payloadLength: payload.count, to: &buffer)
        buffer.append(contentsOf: payload)
    }

    /// Appends a frame header to `buffer`.
    public static func appendHeader(
        type: FrameType,
        flags: UInt8,
        callID: UInt32,
        payloadLength: Int,
        to buffer: inout [UInt8]
    ) {
        buffer.appendBigEndian(UInt32(payloadLength))
        buffer.append(type.rawValue)
        buffer.append(flags)
        buffer.appendBigEndian(callID)
    }
}

/// The type of a frame. Unknown types are skipped by the receiver, so that new types can be added.
public struct FrameType: Hashable, Sendable, CustomStringConvertible {
    /// The type's byte on the wire.
    public let rawValue: UInt8

    /// A frame type from its byte on the wire.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Client to server: opens a call (header and request message).
    public static let request = FrameType(rawValue: 1)
    /// Server to client: ends a call (status and, when OK, the response message).
    public static let response = FrameType(rawValue: 2)
    /// Client to server: the caller gave up on a call.
    public static let cancel = FrameType(rawValue: 3)
    /// Either way: a liveness probe, answered with the ACK flag and the same payload.
    public static let ping = FrameType(rawValue: 4)
    /// Server to client: no calls above a call id will be taken; the connection will close.
    public static let goAway = FrameType(rawValue: 5)

    /// The PING flag that marks an answer.
    public static let pingAckFlag: UInt8 = 0x01

    public var description: String {
        switch self {
        case .request: "REQUEST"
        case .response: "RESPONSE"
        case .cancel: "CANCEL"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        default: "UNKNOWN(\(rawValue))"
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in network byte order.
    package mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Overwrites four bytes at `offset` with `value` in network byte order.
    package mutating func setBigEndian(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 24)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}

extension UnsafeRawBufferPointer {
    /// Four bytes at `offset` read in network byte order.
    package func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
            | UInt32(self[offset + 3])
    }
}
