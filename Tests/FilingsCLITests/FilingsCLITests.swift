import FilingsCore
import FilingsTestSupport
import Foundation
import Testing

/// `filings` as people and scripts use it: the built binary against a live server, output and exit codes.
@Suite(.serialized) struct FilingsCLITests {
    static let releases = SyntheticFiling.batch(count: 3, seed: 101)

    /// Three releases, an empty file and a binary file.
    func mixedFolder(_ live: LiveServer) throws -> String {
        var files: [String: [UInt8]] = [:]
        for (index, release) in Self.releases.enumerated() { files["release-\(index).txt"] = release.bytes }
        files["empty.txt"] = []
        files["logo.png"] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        return try live.folder("mixed", files)
    }

    @Test func storeOnAFolderStoresTheGoodFilesAndReportsTheBadOnes() async throws {
        try await LiveServer.with { live in
            let folder = try mixedFolder(live)
            let first = try await live.filings("store", folder)
            #expect(first.status == 1, "some items failed")
            #expect(
                first.lines == [
                    "5 documents: 3 created, 0 already present, 2 failed",
                    "  failed \(folder)/empty.txt: The input is empty: there is nothing to parse. (INVALID_ARGUMENT)",
                    "  failed \(folder)/logo.png: The input is a PNG image, not an EDGAR text or HTML filing. (INVALID_ARGUMENT)",
                ]
            )
            #expect(first.stderr.isEmpty, "no progress bar when standard error is not a terminal")

            let again = try await live.filings("store", "--json", folder)
            #expect(again.status == 1)
            let objects = try again.lines.map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(objects.count == 5)
            #expect(objects.filter { ($0["id"] as? String)?.count == 20 }.count == 3)
            #expect(objects.allSatisfy { $0["created"] == nil }, "already present: created is false, so omitted")
            #expect(objects.filter { $0["errorCode"] as? Int == 3 }.count == 2)

            let fromStdin = try await live.filings(
                "store",
                "-",
                stdin: SyntheticFiling.batch(count: 1, seed: 102)[0].bytes
            )
            #expect(fromStdin.status == 0)
            #expect(fromStdin.lines == ["1 document: 1 created, 0 already present, 0 failed"])
        }
    }

    @Test func queryPrintsATableOrJSONLines() async throws {
        try await LiveServer.with { live in
            _ = try await live.filings("store", try mixedFolder(live))
            let table = try await live.filings("query", "pleased", "--order", "oldest")
            #expect(table.status == 0)
            #expect(table.lines.count == 5, "header, three hits, footer")
            #expect(table.lines[0].hasPrefix("ID                    DATE        FORM"))
            #expect(table.lines[0].hasSuffix("MATCHED TEXT"))
            #expect(table.lines.last == "3 of 3 filings")
            let dates = Self.releases.map(\.date).sorted()
            for (line, date) in zip(table.lines[1...3], dates) {
                #expect(line.contains("  \(date)  "), "\(line)")
                #expect(line.contains("**pleased**"), "matches are marked when there is no colour")
            }
            #expect(!table.stdout.contains("\u{1B}["), "no colour when standard output is not a terminal")

            let json = try await live.filings("query", "pleased", "--json", "--limit", "1", "--all")
            #expect(json.status == 0)
            let hits = try json.lines.map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(hits.count == 3)
            #expect(Set(hits.compactMap { $0["symbol"] as? String }) == Set(Self.releases.map(\.symbol)))
            #expect(hits.allSatisfy { $0["kind"] as? String == "PRESS_RELEASE" })

            let paged = try await live.filings("query", "--symbol", Self.releases[0].symbol, "--limit", "1")
            #expect(
                paged.lines.last?.contains("; next page: --page-token ") == true || paged.lines.last == "1 of 1 filing"
            )

            let none = try await live.filings("query", "zebra")
            #expect(none.status == 0 && none.lines == ["No filings match."])
        }
    }

    /// Past the server's count limit the footer says "at least"; --exact-total counts every match.
    @Test func queryShowsATotalThatIsALowerBound() async throws {
        try await LiveServer.with(["--count-limit", "2"]) { live in
            _ = try await live.filings("store", try mixedFolder(live))
            // Newest first: a ranked page scores, and so counts, every match anyway.
            let bounded = try await live.filings("query", "pleased", "--order", "newest", "--limit", "1")
            #expect(bounded.status == 0)
            #expect(bounded.lines.last?.hasPrefix("1 of at least 2 filings; next page: --page-token ") == true)
            let exact = try await live.filings("query", "pleased", "--order", "newest", "--limit", "1", "--exact-total")
            #expect(exact.lines.last?.hasPrefix("1 of 3 filings; next page: --page-token ") == true)
            let all = try await live.filings("query", "pleased", "--all")
            #expect(all.lines.count == 5 && all.lines.last == "3 of 3 filings", "every page shown is the total")
        }
    }

    @Test func getAndDelete() async throws {
        try await LiveServer.with { live in
            let release = Self.releases[0]
            let stored = try await live.filings("store", "--json", "-", stdin: release.bytes)
            let id = try #require(
                (try JSONSerialization.jsonObject(with: Data(stored.stdout.utf8)) as? [String: Any])?["id"] as? String
            )
            let summary = try await live.filings("get", id)
            #expect(summary.status == 0)
            #expect(summary.lines.first?.hasPrefix("\(id): PLAIN_TEXT, \(release.bytes.count) bytes") == true)
            #expect(summary.stdout.contains("issuer: \(release.company) (NASDAQ: \(release.symbol))"))
            #expect(summary.lines.last?.hasPrefix("  stored 20") == true)

            let raw = try await live.filings("get", "--raw", id)
            #expect(raw.stdoutBytes == release.bytes)
            let json = try await live.filings("get", "--json", id)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["id"] as? String == id)

            let deleted = try await live.filings("delete", id)
            #expect(deleted.status == 0 && deleted.lines == ["deleted \(id)"])
            let gone = try await live.filings("get", id)
            #expect(gone.status == 1)
            #expect(gone.stderr.contains("no filing has id \(id)"))
            let again = try await live.filings("delete", id)
            #expect(again.status == 1 && again.lines == ["not found \(id)"])
        }
    }

    /// A store whose filings an older parser wrote (its version set in the database, as a store written by an
    /// older filings-server has it) is re-parsed in batches, and stats shows the versions before and after.
    @Test func reparseBringsOldFilingsToTheServersParser() async throws {
        try await LiveServer.with { live in
            for release in Self.releases.prefix(3) {
                #expect(try await live.filings("store", "-", stdin: release.bytes).status == 0)
            }
            let path = live.directory.appendingPathComponent("store/filings.sqlite").path
            let downgrade = try ChildProcess(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    """
                    import sqlite3; c = sqlite3.connect('\(path)', timeout=10)
                    c.execute("UPDATE filings SET parser_version = 'filings-parser/0.9.0'"); c.commit()
                    """,
                ]
            )
            #expect(await offPool { downgrade.wait() } == .exited(0))
            let before = try await live.filings("stats")
            #expect(before.stdout.contains("by parser     filings-parser/0.9.0 3"), "\(before.stdout)")

            let refused = try await live.filings("reparse", "--older-than", "filings-parser/99.0")
            #expect(refused.status == 4)
            #expect(refused.stderr.contains("newer than this server's parser"), "\(refused.stderr)")

            let run = try await live.filings("reparse", "--batch", "2")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.lines.first?.hasPrefix("reparsed 3 filings with filings-parser/") == true, "\(run.stdout)")
            let after = try await live.filings("stats")
            #expect(!after.stdout.contains("filings-parser/0.9.0"))

            let again = try await live.filings("reparse", "--json")
            #expect(again.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
            #expect(object["reparsed"] == nil, "nothing to do: proto3 JSON leaves the zero out")
            #expect((object["parserVersion"] as? String)?.hasPrefix("filings-parser/") == true)
        }
    }

    @Test func statsAndHealth() async throws {
        try await LiveServer.with { live in
            _ = try await live.filings("store", "-", stdin: Self.releases[1].bytes)
            let stats = try await live.filings("stats")
            #expect(stats.status == 0)
            #expect(stats.stdout.contains("store sqlite: 1 documents, "))
            #expect(stats.stdout.contains("by kind       PRESS_RELEASE 1"))
            #expect(stats.stdout.contains("  Store "))
            let json = try await live.filings("stats", "--json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(
                (object["store"] as? [String: Any])?["documents"] as? String == "1",
                "uint64 is a string in proto3 JSON"
            )

            let health = try await live.filings("health")
            #expect(health.status == 0 && health.lines == ["SERVING"])
        }
    }

    @Test func exitCodesForUsageUnreachableAndBadQueries() async throws {
        try await LiveServer.with { live in
            for arguments in [
                ["query", "--limit", "0"], ["query", "--kind", "NOPE"], ["bogus"], ["query", "--order", "sideways"],
            ] {
                let run = try await CommandRunner.run("filings", arguments, environment: live.environment)
                #expect(run.status == 2, "\(arguments): \(run.stderr)")
                #expect(!run.stderr.isEmpty)
            }
            let badText = try await live.filings("query", "\"unclosed")
            #expect(badText.status == 2)
            #expect(badText.stderr == "filings: search text: the quote at column 1 is not closed\n")

            let unreachable = try await CommandRunner.run("filings", ["health", "--addr", "127.0.0.1:1"])
            #expect(unreachable.status == 3)
            #expect(unreachable.stderr.contains("Start one with `filings-server`"))

            let local = try await CommandRunner.run(
                "filings",
                ["parse", "--local", "-"],
                stdin: Self.releases[2].bytes
            )
            #expect(local.status == 0)
            #expect(local.stdout.contains("issuer: \(Self.releases[2].company)"))
            let empty = try await CommandRunner.run("filings", ["parse", "--local", "-"], stdin: [])
            #expect(empty.status == 1)
        }
    }

    /// JSON lines of a `filings store --json` run, as objects.
    private func objects(_ output: CommandOutput) throws -> [[String: Any]] {
        try output.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func storeReadsArchivesMemberByMember() async throws {
        try await LiveServer.with { live in
            let releases = SyntheticFiling.batch(count: 3, seed: 103).map(\.bytes)
            let files: [(path: String, bytes: [UInt8])] = [
                ("2024/01/a.nc", releases[0]), ("2024/02/b.nc", releases[1]), ("c.txt", releases[2]),
                ("2024/empty.nc", []), ("logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]),
            ]
            let tgz = try await offPool {
                try TestArchive.make(.tarGzip, name: "feed", files: files, in: live.directory)
            }
            let stored = try await live.filings("store", "--json", tgz)
            #expect(stored.status == 1, "two members could not be stored")
            let lines = try objects(stored)
            #expect(lines.compactMap { $0["filename"] as? String } == files.map { "\(tgz)!\($0.path)" })
            #expect(lines.filter { $0["created"] as? Bool == true }.count == 3)
            #expect(lines.filter { $0["errorCode"] as? Int == 3 }.count == 2, "the empty and the binary member")

            // The same documents in a zip and a lone gzip file are the same filings: already present.
            let zip = try await offPool { try TestArchive.make(.zip, name: "same", files: files, in: live.directory) }
            let gz = try await offPool {
                try TestArchive.gzip(releases[0], name: "a.nc.gz", in: live.directory)
            }
            let again = try await live.filings("store", zip, gz)
            #expect(again.lines.first == "6 documents: 0 created, 4 already present, 2 failed")

            let stats = try await live.filings("stats", "--json")
            #expect(stats.stdout.contains("\"documents\": \"3\"") || stats.stdout.contains("\"documents\":\"3\""))
        }
    }

    @Test func aCorruptArchiveIsReportedAfterTheMembersBeforeTheDamageAreStored() async throws {
        try await LiveServer.with { live in
            let releases = SyntheticFiling.batch(count: 8, seed: 104).enumerated().map { index, release in
                (path: "filing-\(index).nc", bytes: release.longBytes(kilobytes: 48, variant: index))
            }
            let tgz = try await offPool {
                let path = try TestArchive.make(.tarGzip, name: "damaged", files: releases, in: live.directory)
                try TestArchive.truncate(path, to: 0.6)
                return path
            }
            let stored = try await live.filings("store", "--json", tgz)
            #expect(stored.status == 1)
            let lines = try objects(stored)
            let damage = lines.filter { $0["filename"] as? String == tgz }
            #expect(damage.count == 1 && damage.first?["errorCode"] as? Int == 15, "DATA_LOSS for the archive")
            #expect((damage.first?["errorMessage"] as? String)?.contains("corrupt or truncated") == true)
            let created = lines.filter { $0["created"] as? Bool == true }
            #expect((1..<8).contains(created.count), "the members before the damage: \(created.count)")
            let names = created.compactMap { $0["filename"] as? String }
            #expect(names == (0..<created.count).map { "\(tgz)!filing-\($0).nc" }, "in order, from the first")

            let summary = try await live.filings("store", tgz)
            #expect(
                summary.lines.first
                    == "\(created.count + 1) documents: 0 created, \(created.count) already present, 1 failed"
            )
            #expect(summary.lines.last?.contains("failed \(tgz): the archive is corrupt or truncated") == true)
        }
    }

    /// Rows of RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
    private func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text).makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    guard let next = characters.next() else { break }
                    if next == "\"" {
                        field.append("\"")
                        continue
                    }
                    quoted = false
                    if next == "," {
                        row.append(field)
                        field = ""
                    } else if next == "\n" {
                        row.append(field)
                        rows.append(row)
                        (row, field) = ([], "")
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" {
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            } else {
                field.append(character)
            }
        }
        return rows
    }

    @Test func optionsBeforeTheCommandVersionAndCSV() async throws {
        try await LiveServer.with { live in
            _ = try await live.filings("store", try mixedFolder(live))
            // No FILINGS_ADDR: the address comes only from the option before the command.
            let csv = try await CommandRunner.run(
                "filings",
                ["--addr", live.addr, "query", "pleased", "--format", "csv"]
            )
            #expect(csv.status == 0, "\(csv.stderr)")
            let rows = csvRows(csv.stdout)
            #expect(
                rows.first == [
                    "id", "document_date", "form_type", "kind", "issuer_name", "symbol", "cik", "title", "score",
                    "snippet",
                ]
            )
            let json = try await CommandRunner.run("filings", ["--addr", live.addr, "query", "pleased", "--json"])
            let hits = try objects(json)
            #expect(rows.count == hits.count + 1 && hits.count == 3)
            for (row, hit) in zip(rows.dropFirst(), hits) {
                #expect(row.count == 10)
                #expect(row[0] == hit["id"] as? String)
                #expect(row[3] == hit["kind"] as? String)
                #expect(row[4] == hit["issuerName"] as? String)
                #expect(row[7] == hit["title"] as? String)
                #expect(row[9] == hit["snippet"] as? String, "commas and quotes survive the quoting")
            }

            // The command's own option wins over the one before it.
            let own = try await CommandRunner.run("filings", ["--addr", "127.0.0.1:1", "health", "--addr", live.addr])
            #expect(own.status == 0)
            let root = try await CommandRunner.run("filings", ["--addr", "127.0.0.1:1", "health"])
            #expect(root.status == 3, "the option before the command is used when the command has none")

            let clash = try await live.filings("query", "x", "--json", "--format", "csv")
            #expect(clash.status == 2)

            let version = try await CommandRunner.run("filings", ["--version"])
            #expect(version.status == 0)
            #expect(version.stdout.hasPrefix("filings ") && version.stdout.contains("(protocol version 1)"))
        }
    }
}
