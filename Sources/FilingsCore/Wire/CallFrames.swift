// The payloads of REQUEST, RESPONSE, CANCEL, PING and GOAWAY frames.
//
// A REQUEST or RESPONSE payload is a 4-byte big-endian header length, the header message (a protobuf
// filings.rpc.v1.RequestHeader or ResponseHeader), then the call's message, which fills the rest.

/// Encodes whole frames into an output buffer.
package enum FrameEncoder {
    /// Appends a REQUEST frame.
    package static func appendRequest(
        callID: UInt32,
        header: WireRequestHeader,
        message: some ProtobufMessage,
        to buffer: inout [UInt8]
    ) {
        appendCall(type: .request, callID: callID, header: header, message: message, to: &buffer)
    }

    /// Appends a RESPONSE frame; `message` is sent only with an OK status.
    package static func appendResponse(
        callID: UInt32,
        header: WireResponseHeader,
        message: (any ProtobufMessage)?,
        to buffer: inout [UInt8]
    ) {
        if let message {
            appendCall(type: .response, callID: callID, header: header, message: message, to: &buffer)
        } else {
            appendCall(type: .response, callID: callID, header: header, message: WireGoAway?.none, to: &buffer)
        }
    }

    /// Appends a CANCEL frame.
    package static func appendCancel(callID: UInt32, to buffer: inout [UInt8]) {
        Frame.appendHeader(type: .cancel, flags: 0, callID: callID, payloadLength: 0, to: &buffer)
    }

    /// Appends a PING frame, or its answer when `ack` is true.
    package static func appendPing(payload: [UInt8], ack: Bool, to buffer: inout [UInt8]) {
        Frame(type: .ping, flags: ack ? FrameType.pingAckFlag : 0, payload: payload).encode(into: &buffer)
    }

    /// Appends a GOAWAY frame.
    package static func appendGoAway(_ goAway: WireGoAway, to buffer: inout [UInt8]) {
        let start = buffer.count
        Frame.appendHeader(type: .goAway, flags: 0, callID: 0, payloadLength: 0, to: &buffer)
        goAway.serialize(into: &buffer)
        buffer.setBigEndian(UInt32(buffer.count - start - Frame.headerSize), at: start)
    }

    private static func appendCall(
        type: FrameType,
        callID: UInt32,
        header: some ProtobufMessage,
        message: (some ProtobufMessage)?,
        to buffer: inout [UInt8]
    ) {
        let start = buffer.count
        Frame.appendHeader(type: type, flags: 0, callID: callID, payloadLength: 0, to: &buffer)
        buffer.appendBigEndian(0)
        header.serialize(into: &buffer)
        let headerLength = buffer.count - start - Frame.headerSize - 4
        message?.serialize(into: &buffer)
        buffer.setBigEndian(UInt32(buffer.count - start - Frame.headerSize), at: start)
        buffer.setBigEndian(UInt32(headerLength), at: start + Frame.headerSize)
    }
}

/// A REQUEST or RESPONSE payload split into its header and its message.
public struct CallPayload<Header: ProtobufMessage>: Sendable {
    /// The decoded header.
    public var header: Header
    /// Where the call's message starts in the payload.
    public var messageOffset: Int

    /// Splits and decodes `payload`.
    ///
    /// - Throws: ``RPCError`` with `INVALID_ARGUMENT` when the header length or the header is malformed.
    public init(decoding payload: [UInt8]) throws(RPCError) {
        let result: Result<CallPayload, RPCError> = payload.withUnsafeBytes { bytes in
            guard bytes.count >= 4 else {
                return .failure(
                    RPCError(
                        code: .invalidArgument,
                        message: "call payload of \(bytes.count) bytes has no header length"
                    )
                )
            }
            let headerLength = Int(bytes.loadBigEndianUInt32(at: 0))
            guard headerLength <= bytes.count - 4 else {
                return .failure(
                    RPCError(
                        code: .invalidArgument,
                        message:
                            "call header length \(headerLength) is over the \(bytes.count - 4) bytes that follow it"
                    )
                )
            }
            do {
                let header = try Header(serializedBytes: UnsafeRawBufferPointer(rebasing: bytes[4..<4 + headerLength]))
                return .success(CallPayload(header: header, messageOffset: 4 + headerLength))
            } catch {
                return .failure(RPCError(code: .invalidArgument, message: "malformed call header: \(error)"))
            }
        }
        self = try result.get()
    }

    private init(header: Header, messageOffset: Int) {
        self.header = header
        self.messageOffset = messageOffset
    }
}

extension WireRequestHeader {
    /// The header's metadata as ``Metadata``.
    package var callMetadata: Metadata {
        var result = Metadata()
        for entry in metadata {
            result.add(entry.key, entry.value)
        }
        return result
    }
}

extension Metadata {
    /// The metadata as wire entries.
    package var wireEntries: [WireMetadataEntry] {
        map { WireMetadataEntry(key: $0.key, value: $0.value) }
    }
}
