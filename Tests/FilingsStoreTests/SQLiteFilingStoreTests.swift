import FilingsCore
import FilingsParser
import FilingsTestSupport
import Foundation
import Testing

@testable import FilingsStore

@Suite struct SQLiteFilingStoreTests {
    @Test func storesOnceByContentAndReadsBack() async throws {
        try await TemporaryStore.with { store, _ in
            let seeds = try seedDocuments()
            let first = try await store.store(try seeds.map { try parsed($0.bytes) })
            #expect(first.allSatisfy { $0.created && $0.error == nil && $0.id.count == 20 })
            #expect(Set(first.map(\.id)).count == seeds.count)

            // The same bytes again: the same ids, not created; nothing new on disk.
            let again = try await store.store(try seeds.map { try parsed($0.bytes) })
            #expect(again.map(\.id) == first.map(\.id))
            #expect(again.allSatisfy { !$0.created })
            #expect(try await store.stats().documents == UInt64(seeds.count))

            // The same bytes twice in one call: one filing.
            let sample = SyntheticFiling.batch(count: 1, seed: 9)[0].bytes
            let pair = try await store.store([try parsed(sample), try parsed(sample)])
            #expect(pair[0].created && !pair[1].created && pair[0].id == pair[1].id)

            for (seed, outcome) in zip(seeds, first) {
                let got = try #require(try await store.get(id: outcome.id, includeRaw: true))
                #expect(got.raw == seed.bytes)
                #expect(got.filing == (try EDGARParser().parse(seed.bytes)))
                #expect(!got.storedAt.isEmpty)
                let bySHA = try #require(try await store.get(id: got.filing?.sha256 ?? "", includeRaw: false))
                #expect(bySHA.id == outcome.id && bySHA.raw.isEmpty)
            }
            #expect(try await store.get(id: "0000000000", includeRaw: false) == nil)
        }
    }

    @Test func survivesCloseAndReopen() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let filings = SyntheticFiling.batch(count: 20, seed: 1)
        let ids: [String]
        do {
            let store = try temporary.open()
            ids = try await store.store(try filings.map { try parsed($0.bytes) }).map(\.id)
            store.close()
        }
        let reopened = try temporary.open()
        defer { reopened.close() }
        #expect(try await reopened.stats().documents == 20)
        for (filing, id) in zip(filings, ids) {
            #expect(try await reopened.get(id: id, includeRaw: true)?.raw == filing.bytes)
        }
        #expect(try await reopened.checkIntegrity() == [])
    }

    @Test func refusesADatabaseFromANewerVersion() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try temporary.open().close()
        let bump = Process()
        bump.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        bump.arguments = [
            "python3", "-c",
            "import sqlite3; c = sqlite3.connect('\(temporary.path)'); c.execute('PRAGMA user_version = 99'); c.commit()",
        ]
        try bump.run()
        bump.waitUntilExit()
        #expect(throws: StoreError.self) { try temporary.open() }
        do {
            _ = try temporary.open()
        } catch {
            let storeError = try #require(error as? StoreError)
            #expect(storeError.code == .cannotOpen)
            #expect(storeError.message.contains("newer than this server"))
        }
    }

    @Test func deleteRemovesAFilingFromEveryIndex() async throws {
        try await TemporaryStore.with { store, _ in
            let filings = SyntheticFiling.batch(count: 10, seed: 2)
            let ids = try await store.store(try filings.map { try parsed($0.bytes) }).map(\.id)
            let victim = filings[0]
            let requests: [QueryRequest] = [
                .with { $0.text = "\"Update Number 0 2\"" },
                .with { $0.symbol = victim.symbol },
                .with { $0.company = victim.company },
                .with { $0.person = victim.person },
                .with { $0.kinds = [.pressRelease] },
            ]
            for request in requests {
                #expect(try await store.allHits(request).contains { $0.id == ids[0] })
            }
            #expect(try await store.delete(id: ids[0]))
            #expect(try await !store.delete(id: ids[0]))
            #expect(try await store.get(id: ids[0], includeRaw: false) == nil)
            for request in requests {
                #expect(try await !store.allHits(request).contains { $0.id == ids[0] })
            }
            #expect(try await store.stats().documents == 9)
            #expect(try await store.checkIntegrity() == [])
            // Stored again, it comes back as new.
            #expect(try await store.store([try parsed(victim.bytes)])[0].created)
        }
    }

    @Test func statsCountByKindAndFormType() async throws {
        try await TemporaryStore.with { store, _ in
            _ = try await store.store(try seedDocuments().map { try parsed($0.bytes) })
            _ = try await store.store(try await parsedBatch(count: 4, seed: 3))
            let stats = try await store.stats()
            #expect(stats.backend == "sqlite")
            #expect(stats.documents == 7)
            #expect(stats.byKind.reduce(0) { $0 + $1.count } == 7)
            #expect(stats.byKind.contains { $0.key == "PRESS_RELEASE" && $0.count >= 4 })
            #expect(stats.byFormType.reduce(0) { $0 + $1.count } == 7)
            #expect(stats.bytesOnDisk > 0)
        }
    }

    @Test func concurrentStoresShareCommitsAndAllLand() async throws {
        try await TemporaryStore.with { store, _ in
            let parsedFilings = try await parsedBatch(count: 200, seed: 4)
            let outcomes = try await withThrowingTaskGroup(of: StoreOutcome.self) { group in
                for filing in parsedFilings {
                    group.addTask { try await store.store([filing])[0] }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == 200)
            #expect(outcomes.allSatisfy { $0.created && $0.error == nil })
            #expect(try await store.stats().documents == 200)
        }
    }
}
