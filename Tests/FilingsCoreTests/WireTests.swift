import Testing

@testable import FilingsCore

@Suite struct PrefaceTests {
    @Test func acceptsThisVersion() {
        #expect(Preface.check(Preface.bytes) == .accepted(version: 1))
        #expect(Preface.check(Preface.bytes + [1, 2, 3]) == .accepted(version: 1))
    }

    @Test func reportsOtherVersions() {
        #expect(Preface.check(Preface.magic + [9]) == .accepted(version: 9))
    }

    @Test func waitsForMoreBytesOfAPrefixOfTheMagic() {
        #expect(Preface.check(Array("FILI".utf8)) == .needMoreBytes)
        #expect(Preface.check([UInt8]()) == .needMoreBytes)
    }

    @Test(arguments: ["GET / HTTP/1.1\r\n", "POST /x HTTP/1.1\r\n", "PRI * HTTP/2.0\r\n"])
    func recognisesHTTP(request: String) {
        #expect(Preface.check(Array(request.utf8)) == .badMagic(looksLikeHTTP: true))
    }

    @Test func rejectsGarbageAtTheFirstWrongByte() {
        #expect(Preface.check([0x00]) == .badMagic(looksLikeHTTP: false))
        #expect(Preface.check(Array("FIX".utf8)) == .badMagic(looksLikeHTTP: false))
    }
}

@Suite struct CallPayloadTests {
    @Test func requestFrameRoundTrips() throws {
        var bytes: [UInt8] = []
        let header = WireRequestHeader(method: "/filings.v1.Filings/Health", timeoutMicros: 5)
        FrameEncoder.appendRequest(callID: 9, header: header, message: HealthRequest(service: "x"), to: &bytes)
        var decoder = FrameDecoder(maximumPayloadSize: 1024)
        decoder.append(bytes)
        let frame = try #require(try decoder.nextFrame())
        #expect(frame.type == .request)
        #expect(frame.callID == 9)
        let payload = try CallPayload<WireRequestHeader>(decoding: frame.payload)
        #expect(payload.header == header)
        let message = try HealthRequest(serializedBytes: frame.payload[payload.messageOffset...])
        #expect(message.service == "x")
    }

    /// The exchange written out in docs/PROTOCOL.md section 10.
    @Test func matchesTheProtocolDocumentsExample() {
        var request: [UInt8] = []
        FrameEncoder.appendRequest(
            callID: 1,
            header: WireRequestHeader(method: FilingsMethods.health.path),
            message: HealthRequest(),
            to: &request
        )
        let path = Array("/filings.v1.Filings/Health".utf8)
        #expect(request == [0, 0, 0, 0x20, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0x1C, 0x0A, 0x1A] + path)
        var response: [UInt8] = []
        FrameEncoder.appendResponse(
            callID: 1,
            header: WireResponseHeader(),
            message: HealthResponse(status: .serving),
            to: &response
        )
        #expect(response == [0, 0, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x08, 0x01])
    }

    @Test func rejectsAHeaderLengthPastTheEnd() {
        #expect(throws: RPCError.self) {
            try CallPayload<WireRequestHeader>(decoding: [0, 0, 0, 9, 1, 2])
        }
        #expect(throws: RPCError.self) {
            try CallPayload<WireRequestHeader>(decoding: [0, 0])
        }
    }

    @Test func rejectsAHeaderThatIsNotProtobuf() throws {
        let error = try #require(throws: RPCError.self) {
            try CallPayload<WireRequestHeader>(decoding: [0, 0, 0, 2, 0xFF, 0xFF])
        }
        #expect(error.code == .invalidArgument)
    }
}

@Suite struct RPCErrorTests {
    @Test func codesHaveGRPCNumbersAndNames() {
        #expect(RPCError.Code.all.count == 17)
        #expect(RPCError.Code.deadlineExceeded.rawValue == 4)
        #expect(RPCError.Code.unauthenticated.name == "UNAUTHENTICATED")
        #expect(RPCError.Code(rawValue: 99).name == "CODE_99")
        #expect("\(RPCError(code: .notFound, message: "no filing 7"))" == "NOT_FOUND: no filing 7")
    }
}

@Suite struct EndpointTests {
    @Test(arguments: [
        ("127.0.0.1:7878", "127.0.0.1", UInt16(7878)), ("[::1]:80", "::1", 80), ("localhost:0", "localhost", 0),
    ])
    func parses(text: String, host: String, port: UInt16) throws {
        let endpoint = try Endpoint(parsing: text)
        #expect(endpoint == Endpoint(host: host, port: port))
        #expect(endpoint.description == text)
    }

    @Test(arguments: ["7878", "host:", ":7878", "host:99999", "host:port"])
    func rejects(text: String) {
        #expect(throws: RPCError.self) { try Endpoint(parsing: text) }
    }

    @Test func parsesAList() throws {
        #expect(
            try Endpoint.list(parsing: "127.0.0.1:7878, [::1]:80 ,localhost:1")
                == [
                    Endpoint(host: "127.0.0.1", port: 7878), Endpoint(host: "::1", port: 80),
                    Endpoint(host: "localhost", port: 1),
                ]
        )
        #expect(throws: RPCError.self) { try Endpoint.list(parsing: "") }
        #expect(throws: RPCError.self) { try Endpoint.list(parsing: " , ") }
        #expect(throws: RPCError.self) { try Endpoint.list(parsing: "127.0.0.1:1,nope") }
    }
}

@Suite struct MetadataTests {
    @Test func keysAreCaseInsensitive() {
        var metadata: Metadata = ["Authorization": "Bearer x"]
        metadata.add("X-Request-ID", "1")
        metadata.add("x-request-id", "2")
        #expect(metadata["authorization"] == "Bearer x")
        #expect(metadata.values(for: "X-REQUEST-ID") == ["1", "2"])
        metadata["x-request-id"] = "3"
        #expect(metadata.values(for: "x-request-id") == ["3"])
    }
}
