import FilingsStore
import Testing

@Suite struct StoreLocationTests {
    @Test func parsesEachForm() throws {
        #expect(try StoreLocation(parsing: "none") == .none)
        #expect(try StoreLocation(parsing: "sqlite:./data/x.sqlite").sqlitePath == "./data/x.sqlite")
        let full = try #require(
            try StoreLocation(parsing: "postgres://filings:s%40cret@db.internal:6543/archive").postgres
        )
        #expect(
            full
                == PostgresAddress(
                    user: "filings",
                    password: "s@cret",
                    host: "db.internal",
                    port: 6543,
                    database: "archive"
                )
        )
        let short = try #require(try StoreLocation(parsing: "postgresql://me@[::1]/db").postgres)
        #expect(short.host == "::1" && short.port == 5432 && short.password == nil)
    }

    @Test func neverShowsThePassword() throws {
        let location = try StoreLocation(parsing: "postgres://filings:hunter2@db:5432/filings")
        #expect(location.description == "postgres://filings:***@db:5432/filings")
        #expect(!"\(location)".contains("hunter2"))
        do {
            _ = try StoreLocation(parsing: "postgres://filings:hunter2@db:99999/filings")
            Issue.record("port 99999 was accepted")
        } catch {
            #expect(!error.message.contains("hunter2"))
            #expect(error.message.contains("99999"))
        }
    }

    @Test(arguments: [
        "postgres://db/filings", "postgres://u@db", "postgres://u@:5432/x", "postgres://u@db:port/x", "mysql://u@db/x",
        "postgres://u@db/x?sslmode=require", "sqlite:", "",
    ])
    func refusesWithTheFormsAccepted(_ text: String) {
        #expect(throws: StoreError.self) { try StoreLocation(parsing: text) }
    }
}
