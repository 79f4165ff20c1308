import FilingsClient
import FilingsCore
import FilingsServer
import FilingsStore
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Logging
import Testing

/// A NUL byte inside a string field is refused with INVALID_ARGUMENT naming the field, never cut silently
/// (protobuf-c would hand the string over cut at the NUL). The bytes are written by hand, as a client in another
/// language would send them.
@Suite struct NULStringTests {
    /// A length-delimited protobuf field.
    private static func field(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count < 128)
        return [number << 3 | 2, UInt8(bytes.count)] + bytes
    }

    /// A REQUEST frame with a hand-made header and message.
    private static func request(callID: UInt32, header: [UInt8], message: [UInt8]) -> [UInt8] {
        var payload: [UInt8] = []
        payload.appendBigEndian(UInt32(header.count))
        payload += header + message
        var frame: [UInt8] = []
        Frame(type: .request, flags: 0, callID: callID, payload: payload).encode(into: &frame)
        return frame
    }

    private static func header(method: String, metadata: [UInt8] = []) -> [UInt8] {
        field(1, Array(method.utf8)) + metadata
    }

    private func answer(to bytes: [UInt8], on test: TestServer) async throws -> WireResponseHeader {
        let raw = try RawConnection(test.endpoint)
        raw.send(Preface.bytes + bytes)
        let frames = await raw.readFrames(1)
        return try #require(frames.first?.responseHeader)
    }

    @Test func healthServiceWithANUL() async throws {
        try await TestServer.with { test in
            let message = Self.field(1, Array("filings.v1.Filings\u{0}junk".utf8))
            let answer = try await answer(
                to: Self.request(callID: 1, header: Self.header(method: FilingsMethods.health.path), message: message),
                on: test
            )
            #expect(answer.code == RPCError.Code.invalidArgument.rawValue)
            #expect(
                answer.message
                    == "request filings.v1.HealthRequest: string field 'service' contains a NUL byte, which a string cannot carry"
            )
        }
    }

    @Test func storeFilenameWithANUL() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-nul-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteFilingStore(
            path: directory.appendingPathComponent("s.sqlite").path,
            logger: Logger(label: "t")
        )
        defer { store.close() }
        try await TestServer.with(store: store) { test in
            let content = Array("Hello, this is a short filing.".utf8)
            let good = Self.field(1, Self.field(1, content) + Self.field(2, Array("ok.txt".utf8)))
            let bad = Self.field(1, Self.field(1, content) + Self.field(2, [0x61, 0x00, 0x62]))
            let answer = try await answer(
                to: Self.request(
                    callID: 1,
                    header: Self.header(method: FilingsMethods.store.path),
                    message: good + bad
                ),
                on: test
            )
            #expect(answer.code == RPCError.Code.invalidArgument.rawValue)
            #expect(answer.message.contains("string field 'documents[1].filename' contains a NUL byte"))
            #expect(try await store.stats().documents == 0, "nothing of the refused call is stored")
        }
    }

    @Test func metadataValueWithANUL() async throws {
        try await TestServer.with { test in
            let entry = Self.field(1, Array("x-request-id".utf8)) + Self.field(2, [0x61, 0x00])
            let header = Self.header(method: FilingsMethods.health.path, metadata: Self.field(3, entry))
            let answer = try await answer(to: Self.request(callID: 1, header: header, message: []), on: test)
            #expect(answer.code == RPCError.Code.invalidArgument.rawValue)
            #expect(answer.message.hasPrefix("malformed call header: filings.rpc.v1.RequestHeader: "))
            #expect(answer.message.contains("'metadata[0].value' contains a NUL byte"))
        }
    }

    /// The Swift client refuses to send what it would have to cut.
    @Test func theSwiftClientRefusesBeforeSending() async throws {
        try await TestServer.with { test in
            let error = await #expect(throws: RPCError.self) {
                try await test.client.health(service: "filings.v1.Filings\u{0}junk")
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("string field 'service' contains a NUL byte") == true)
            let store = await #expect(throws: RPCError.self) {
                try await test.client.store(
                    StoreRequest(documents: [
                        StoreDocument(content: [1], filename: "ok"), StoreDocument(filename: "a\u{0}b"),
                    ])
                )
            }
            #expect(store?.message.contains("'documents[1].filename'") == true)
            let metadata = await #expect(throws: RPCError.self) {
                try await test.client.health(options: CallOptions(metadata: [Metadata.requestID: "a\u{0}b"]))
            }
            #expect(metadata?.code == .invalidArgument)
            let stats = try await test.client.stats()
            #expect(stats.server?.methods.reduce(0) { $0 + $1.calls } == 0, "none of them reached the server")
        }
    }

    /// The decoders themselves: nested and repeated fields are named by their path; valid strings pass.
    @Test func decodersNameTheField() throws {
        // ParsedFiling.documents is field 6, Document.filename field 3 (Protos/filings/v1/parsed_filing.proto).
        let bytes = Self.field(6, Self.field(3, Array("a.txt".utf8))) + Self.field(6, Self.field(3, [0x41, 0x00]))
        let error = #expect(throws: ProtobufDecodingError.self) { try ParsedFiling(serializedBytes: bytes) }
        #expect(
            error?.reason == "string field 'documents[1].filename' contains a NUL byte, which a string cannot carry"
        )
        let valid = try ParsedFiling(serializedBytes: Self.field(6, Self.field(3, Array("a.txt".utf8))))
        #expect(valid.documents.first?.filename == "a.txt")
        #expect(try HealthRequest(serializedBytes: Self.field(1, Array("ok".utf8))).service == "ok")
        // Bytes fields may hold NUL.
        let document = try StoreDocument(serializedBytes: Self.field(1, [0, 1, 0]))
        #expect(document.content == [0, 1, 0])
    }
}
