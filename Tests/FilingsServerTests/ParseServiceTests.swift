import FilingsClient
import FilingsCore
import FilingsParser
import Testing

/// The Parse method over the real transport.
@Suite struct ParseServiceTests {
    static let release = """
        EXHIBIT 99.1

        ACME WIDGETS REPORTS RECORD THIRD QUARTER RESULTS

             SPRINGFIELD, Ill., March 3, 2003 -- Acme Widgets, Inc. (NYSE: ACME) today
        announced revenue of $12.5 million, up 8%.
        """

    @Test func parsesOverTheWire() async throws {
        try await TestServer.with { test in
            let bytes = Array(Self.release.utf8)
            let response = try await test.client.parse(ParseRequest(content: bytes, filename: "release.txt"))
            let filing = try #require(response.filing)
            #expect(filing == (try EDGARParser().parse(bytes)))
            #expect(filing.documents.first?.kind == .pressRelease)
            #expect(filing.documents.first?.money.first?.value == 12_500_000)
        }
    }

    @Test func badInputGetsItsStatusAndTheServerKeepsServing() async throws {
        try await TestServer.with { test in
            await #expect(
                throws: RPCError(code: .invalidArgument, message: "The input is empty: there is nothing to parse.")
            ) {
                try await test.client.parse(ParseRequest(content: []))
            }
            let binary: [UInt8] = [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x00, 0x00]
            do throws(RPCError) {
                _ = try await test.client.parse(ParseRequest(content: binary))
                Issue.record("a PDF was parsed")
            } catch {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("PDF"))
            }
            let answer = try await test.client.parse(ParseRequest(content: Array(Self.release.utf8)))
            #expect(answer.filing?.documents.count == 1)
        }
    }
}
