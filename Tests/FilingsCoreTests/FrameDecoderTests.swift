import FilingsTestSupport
import Testing

@testable import FilingsCore

@Suite struct FrameDecoderTests {
    /// A stream of frames of every type and of sizes from empty to a few KiB.
    static let frames: [Frame] = [
        Frame(type: .request, callID: 1, payload: Array(repeating: 1, count: 100)),
        Frame(type: .ping, payload: [1, 2, 3, 4, 5, 6, 7, 8]),
        Frame(type: .cancel, callID: 1),
        Frame(type: .response, callID: 3, payload: (0..<5000).map { UInt8(truncatingIfNeeded: $0) }),
        Frame(type: FrameType(rawValue: 200), flags: 0xFF, callID: UInt32.max, payload: [9]),
        Frame(type: .goAway, payload: WireGoAway(lastCallId: 3, message: "bye").serializedBytes()),
    ]

    static var stream: [UInt8] {
        var bytes: [UInt8] = []
        for frame in frames {
            frame.encode(into: &bytes)
        }
        return bytes
    }

    private func decode(chunks: [ArraySlice<UInt8>]) throws -> [Frame] {
        var decoder = FrameDecoder(maximumPayloadSize: 1 << 20)
        var frames: [Frame] = []
        for chunk in chunks {
            decoder.append(chunk)
            while let frame = try decoder.nextFrame() {
                frames.append(frame)
            }
        }
        #expect(decoder.bufferedByteCount == 0)
        return frames
    }

    @Test func allAtOnce() throws {
        #expect(try decode(chunks: [Self.stream[...]]) == Self.frames)
    }

    @Test func oneByteAtATime() throws {
        let stream = Self.stream
        #expect(try decode(chunks: stream.indices.map { stream[$0...$0] }) == Self.frames)
    }

    @Test(arguments: 1...50)
    func randomSplits(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let stream = Self.stream
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        while start < stream.count {
            let length = Int.random(in: 1...700, using: &generator)
            let end = min(stream.count, start + length)
            chunks.append(stream[start..<end])
            start = end
        }
        #expect(try decode(chunks: chunks) == Self.frames)
    }

    @Test func rejectsOversizeLengthBeforeThePayloadArrives() {
        var decoder = FrameDecoder(maximumPayloadSize: 4 << 20)
        decoder.append([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: FrameDecodingError(payloadLength: 0xFFFF_FFFF, limit: 4 << 20)) {
            try decoder.nextFrame()
        }
    }

    @Test func acceptsAPayloadExactlyAtTheLimit() throws {
        var decoder = FrameDecoder(maximumPayloadSize: 16)
        var bytes: [UInt8] = []
        Frame(type: .request, callID: 1, payload: Array(repeating: 0, count: 16)).encode(into: &bytes)
        decoder.append(bytes)
        #expect(try decoder.nextFrame()?.payload.count == 16)
        bytes = []
        Frame(type: .request, callID: 3, payload: Array(repeating: 0, count: 17)).encode(into: &bytes)
        decoder.append(bytes)
        #expect(throws: FrameDecodingError.self) { try decoder.nextFrame() }
    }

    @Test func reportsPartialFrames() throws {
        var decoder = FrameDecoder(maximumPayloadSize: 1024)
        decoder.append(Self.stream.prefix(7))
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.bufferedByteCount == 7)
    }
}
