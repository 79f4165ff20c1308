import FilingsClient
import FilingsCore
import FilingsStore
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Logging
import Testing

/// Store, Query, Get, Delete and Stats through the real server and client, on a real SQLite file.
@Suite struct StoreServiceTests {
    static func withStoreServer<T: Sendable>(_ body: (TestServer) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-server-store-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "filings.test.store")
        logger.logLevel = .critical
        let store = try SQLiteFilingStore(path: directory.appendingPathComponent("filings.sqlite").path, logger: logger)
        defer { store.close() }
        return try await TestServer.with(store: store, body)
    }

    static func document(_ bytes: [UInt8], _ name: String) -> StoreDocument {
        StoreDocument(content: bytes, filename: name)
    }

    @Test func storeReportsEachDocumentAndIsIdempotent() async throws {
        try await Self.withStoreServer { server in
            let releases = SyntheticFiling.batch(count: 3, seed: 21)
            var documents = releases.enumerated().map { Self.document($1.bytes, "release-\($0).txt") }
            documents.insert(Self.document([], "empty.txt"), at: 1)
            documents.append(Self.document([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "logo.png"))
            let first = try await server.client.store(StoreRequest(documents: documents)).results
            #expect(first.map(\.filename) == documents.map(\.filename))
            #expect(first.filter { $0.created }.count == 3)
            #expect(first.filter { !$0.id.isEmpty }.count == 3)
            #expect(first[1].errorCode == RPCError.Code.invalidArgument.rawValue)
            #expect(first[1].errorMessage.contains("empty"))
            #expect(first[4].errorCode == RPCError.Code.invalidArgument.rawValue)
            #expect(first[4].errorMessage.contains("PNG image"))
            #expect(first.allSatisfy { $0.sha256.count == 64 })

            let again = try await server.client.store(StoreRequest(documents: documents)).results
            #expect(again.map(\.id) == first.map(\.id))
            #expect(again.allSatisfy { !$0.created })

            let got = try await server.client.get(GetRequest(id: first[0].id, includeRaw: true))
            #expect(got.raw == releases[0].bytes)
            #expect(got.filing?.documents.first?.issuer?.symbol == releases[0].symbol)
        }
    }

    /// Storing bytes that are stored already answers from a look-up by SHA-256: the server spends a small part of
    /// the CPU that parsing, compressing and indexing them cost the first time, and answers the same ids.
    @Test func storingStoredBytesAgainDoesNotParseThemAgain() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-server-restore-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(["--store", "sqlite:\(directory.path)/filings.sqlite"])
        defer { server.terminate() }
        let client = FilingsClient(configuration: .defaults(endpoints: [server.endpoint]))
        defer { client.close() }
        let documents = SyntheticFiling.batch(count: 8, seed: 31).enumerated().map { index, release in
            Self.document(release.longBytes(kilobytes: 64, variant: index), "release-\(index).txt")
        }
        _ = try await client.health()

        let beforeFirst = try server.cpuTime
        let first = try await client.store(StoreRequest(documents: documents)).results
        let firstCPU = try server.cpuTime - beforeFirst
        #expect(first.allSatisfy { $0.created && $0.errorCode == 0 })

        let beforeAgain = try server.cpuTime
        let again = try await client.store(StoreRequest(documents: documents)).results
        let againCPU = try server.cpuTime - beforeAgain
        #expect(again.map(\.id) == first.map(\.id))
        #expect(again.map(\.sha256) == first.map(\.sha256))
        #expect(again.map(\.filename) == first.map(\.filename))
        #expect(again.allSatisfy { !$0.created && $0.errorCode == 0 })
        #expect(
            againCPU * 4 < firstCPU,
            "storing again used \(againCPU) of CPU, storing the first time \(firstCPU): the documents were parsed again"
        )
    }

    @Test func batchesOverTheLimitsAreRefusedAndTheServerGoesOn() async throws {
        try await Self.withStoreServer { server in
            let one = SyntheticFiling.batch(count: 1, seed: 22)[0].bytes
            let tooMany = StoreRequest(documents: Array(repeating: Self.document(one, "a.txt"), count: 101))
            let tooBig = StoreRequest(
                documents: Array(repeating: Self.document(Array(repeating: 0x41, count: 64 << 10), "big.txt"), count: 5)
            )
            for (request, words) in [(tooMany, "at most 100 documents"), (tooBig, "at most 262144 bytes")] {
                do throws(RPCError) {
                    _ = try await server.client.store(request)
                    Issue.record("an oversize batch was accepted")
                } catch {
                    #expect(error.code == .resourceExhausted)
                    #expect(error.message.contains(words), "\(error.message)")
                }
            }
            do throws(RPCError) {
                _ = try await server.client.store(StoreRequest())
                Issue.record("an empty batch was accepted")
            } catch {
                #expect(error.code == .invalidArgument)
            }
            let stored = try await server.client.store(StoreRequest(documents: [Self.document(one, "a.txt")]))
            #expect(stored.results.first?.created == true)
        }
    }

    @Test func queryGetDeleteAndStatsOverTheWire() async throws {
        try await Self.withStoreServer { server in
            let releases = SyntheticFiling.batch(count: 30, seed: 23)
            let results = try await server.client.store(
                StoreRequest(documents: releases.map { Self.document($0.bytes, "r.txt") })
            ).results
            var request = QueryRequest()
            request.text = "dividend OR merger"
            request.limit = 4
            var ids: [String] = []
            while true {
                let page = try await server.client.query(request)
                #expect(page.hits.allSatisfy { $0.snippet.contains("**") })
                ids += page.hits.map(\.id)
                guard !page.nextPageToken.isEmpty else { break }
                request.pageToken = page.nextPageToken
            }
            let expected = releases.filter { $0.topic.contains("dividend") || $0.topic.contains("merger") }.count
            #expect(ids.count == expected && Set(ids).count == expected)

            for hostile in ["\"unclosed", "*", "-only", String(repeating: "x ", count: 6000), "\u{1}merger"] {
                do throws(RPCError) {
                    _ = try await server.client.query(QueryRequest(text: hostile))
                    Issue.record("accepted \(hostile.prefix(20))")
                } catch {
                    #expect(error.code == .invalidArgument)
                    #expect(error.message.hasPrefix("search text:"))
                }
            }
            // A NUL inside the text is refused, never cut (docs/PROTOCOL.md, Strings).
            do throws(RPCError) {
                _ = try await server.client.query(QueryRequest(text: "dividend\u{0}\"unclosed", limit: 1000))
                Issue.record("a search text with a NUL was sent")
            } catch {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("string field 'text' contains a NUL byte"))
            }
            do throws(RPCError) {
                _ = try await server.client.query(QueryRequest(pageToken: "not-a-token"))
                Issue.record("accepted a bad token")
            } catch {
                #expect(error.code == .invalidArgument)
            }

            do throws(RPCError) {
                _ = try await server.client.get(GetRequest(id: "ffffffffffffffffffff"))
                Issue.record("found a filing that is not there")
            } catch {
                #expect(error.code == .notFound)
            }
            #expect(try await server.client.delete(DeleteRequest(id: results[0].id)).deleted)
            #expect(try await !server.client.delete(DeleteRequest(id: results[0].id)).deleted)

            let stats = try await server.client.stats()
            let store = try #require(stats.store)
            #expect(store.backend == "sqlite")
            #expect(store.documents == 29)
            #expect(store.byKind.first?.key == "PRESS_RELEASE")
            #expect(store.bytesOnDisk > 0)
        }
    }
}
