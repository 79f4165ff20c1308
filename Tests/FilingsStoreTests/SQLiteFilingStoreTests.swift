import FilingsCore
import FilingsParser
import FilingsStore
import FilingsStoreSQLite
import FilingsTestSupport
import Foundation
import Testing

/// What only the SQLite store does: the file, its schema version, its integrity checks.
@Suite struct SQLiteFilingStoreTests {
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
        let bump = try ChildProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3; c = sqlite3.connect('\(temporary.path)'); c.execute('PRAGMA user_version = 99'); c.commit()",
            ]
        )
        #expect(bump.wait() == .exited(0))
        #expect(throws: StoreError.self) { try temporary.open() }
        do {
            _ = try temporary.open()
        } catch {
            let storeError = try #require(error as? StoreError)
            #expect(storeError.code == .cannotOpen)
            #expect(storeError.message.contains("newer than this server"))
        }
    }

    @Test func integrityHoldsAfterStoresAndDeletes() async throws {
        try await TemporaryStore.with { store, _ in
            let ids = try await store.store(try await parsedBatch(count: 20, seed: 2)).map(\.id)
            for id in ids.prefix(7) { #expect(try await store.delete(id: id)) }
            #expect(try await store.checkIntegrity() == [])
        }
    }
}
