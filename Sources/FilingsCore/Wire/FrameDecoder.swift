/// Splits a byte stream into frames, whatever the sizes of the chunks it arrives in.
///
/// The payload length is checked against the limit as soon as the four length bytes arrive, before any payload is
/// buffered, so an oversize length costs nothing.
///
/// ```swift
/// var decoder = FrameDecoder(maximumPayloadSize: 4 << 20)
/// decoder.append(chunk)
/// while let frame = try decoder.nextFrame() { ... }
/// ```
public struct FrameDecoder: Sendable {
    /// The largest payload accepted, in bytes.
    public let maximumPayloadSize: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Creates a decoder that rejects payloads over `maximumPayloadSize` bytes.
    public init(maximumPayloadSize: Int) {
        self.maximumPayloadSize = maximumPayloadSize
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    /// How many received bytes are not yet part of a returned frame.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Returns the next complete frame, or nil when more bytes are needed.
    ///
    /// - Throws: ``FrameDecodingError`` when the next frame's length is over the limit. The stream cannot be
    ///   resynchronised after that: the connection must close.
    public mutating func nextFrame() throws(FrameDecodingError) -> Frame? {
        let available = buffer.count - readIndex
        guard available >= 4 else { return nil }
        let length = buffer.withUnsafeBytes { $0.loadBigEndianUInt32(at: readIndex) }
        guard Int(length) <= maximumPayloadSize else {
            throw FrameDecodingError(payloadLength: length, limit: maximumPayloadSize)
        }
        guard available >= Frame.headerSize + Int(length) else { return nil }
        let frame = buffer.withUnsafeBytes { bytes in
            let start = readIndex + Frame.headerSize
            return Frame(
                type: FrameType(rawValue: bytes[readIndex + 4]),
                flags: bytes[readIndex + 5],
                callID: bytes.loadBigEndianUInt32(at: readIndex + 6),
                payload: [UInt8](bytes[start..<start + Int(length)])
            )
        }
        readIndex += Frame.headerSize + Int(length)
        if readIndex == buffer.count {
            // A connection keeps a small buffer between frames, never one sized by its largest frame so far.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 << 10)
            readIndex = 0
        }
        return frame
    }

    private mutating func compactIfWorthIt() {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}

/// A frame's length prefix is over the receiver's limit.
public struct FrameDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The length the prefix announced.
    public var payloadLength: UInt32
    /// The receiver's limit.
    public var limit: Int

    public var description: String {
        "frame payload of \(payloadLength) bytes is over the limit of \(limit) bytes"
    }
}
