import FilingsArchive
import FilingsTestSupport
import Foundation
import Testing

/// ``ArchiveReader`` on archives made by GNU tar, gzip and Python's zipfile in the test.
@Suite struct ArchiveReaderTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-archive-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Nested folders, an empty member and a binary one.
    static let files: [(path: String, bytes: [UInt8])] = [
        ("0001.nc", Array("<SUBMISSION>\n<TYPE>8-K\n".utf8)),
        ("2024/01/0002.nc", Array("<SUBMISSION>\n<TYPE>10-K\n".utf8)),
        ("2024/01/empty.nc", []),
        ("2024/logo.gif", [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 0xFF, 0x00, 0x10]),
    ]

    static func read(_ reader: ArchiveReader) throws -> [(path: String, bytes: [UInt8])] {
        var members: [(path: String, bytes: [UInt8])] = []
        while let member = try reader.next() {
            guard case .bytes(let bytes) = member.content else {
                Issue.record("\(member.path) was skipped")
                continue
            }
            members.append((member.path, bytes))
        }
        return members
    }

    @Test(arguments: TestArchive.Format.allCases)
    func readsEveryRegularFileWithItsPathAndBytes(format: TestArchive.Format) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try TestArchive.make(format, name: "feed", files: Self.files, in: directory)
        #expect(ArchiveReader.kind(ofPath: path) == .archive)
        let members = try Self.read(try ArchiveReader(path: path))
        #expect(members.map(\.path) == Self.files.map(\.path), "directories are passed over, files kept in order")
        #expect(members.map(\.bytes) == Self.files.map(\.bytes))
    }

    @Test func aGzipFileIsOneMemberNamedWithoutGz() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = TestArchive.noise(200_000, seed: 1)
        let path = try TestArchive.gzip(bytes, name: "0000950170-24-000001.txt.gz", in: directory)
        #expect(ArchiveReader.kind(ofPath: path) == .gzip)
        let members = try Self.read(try ArchiveReader(path: path))
        #expect(members.count == 1)
        #expect(members.first?.path == "0000950170-24-000001.txt")
        #expect(members.first?.bytes == bytes)
    }

    @Test(arguments: [TestArchive.Format.tarGzip, .tar])
    func aTruncatedArchiveGivesTheWholeMembersBeforeTheDamageThenAnError(format: TestArchive.Format) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = (0..<10).map { ("member-\($0).nc", TestArchive.noise(50_000, seed: UInt64($0))) }
        let path = try TestArchive.make(format, name: "cut", files: files, in: directory)
        try TestArchive.truncate(path, to: 0.55)
        let reader = try ArchiveReader(path: path)
        var members: [(path: String, bytes: [UInt8])] = []
        let error = #expect(throws: ArchiveError.self) {
            while let member = try reader.next() {
                if case .bytes(let bytes) = member.content { members.append((member.path, bytes)) }
            }
        }
        #expect(error?.message.contains("corrupt or truncated") == true, "\(String(describing: error))")
        #expect((3...6).contains(members.count), "the members before the cut: \(members.count)")
        for (index, member) in members.enumerated() {
            #expect(member.path == files[index].0)
            #expect(member.bytes == files[index].1, "a member returned is whole")
        }
        #expect(try reader.next() == nil, "the reader is finished after the error")
    }

    @Test func garbageNamedLikeAnArchiveIsAClearError() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("not-really.zip").path
        try Data(TestArchive.noise(4096, seed: 9)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ArchiveError.self) {
            let reader = try ArchiveReader(path: path)
            _ = try reader.next()
        }
        #expect(error?.message.isEmpty == false)
    }

    @Test func aMemberOverTheLimitIsSkippedAndTheNextIsRead() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [("big.nc", TestArchive.noise(10_000, seed: 3)), ("small.nc", Array("small".utf8))]
        let path = try TestArchive.make(.tarGzip, name: "limits", files: files, in: directory)
        let reader = try ArchiveReader(path: path, maximumMemberSize: 4096)
        let big = try #require(try reader.next())
        guard case .skipped(let reason) = big.content else {
            Issue.record("the big member was read")
            return
        }
        #expect(big.path == "big.nc" && reason.contains("10000 bytes"))
        let small = try #require(try reader.next())
        guard case .bytes(let bytes) = small.content else {
            Issue.record("the small member was skipped")
            return
        }
        #expect(bytes == Array("small".utf8))
        #expect(try reader.next() == nil)
    }

    @Test func kindsByName() {
        #expect(ArchiveReader.kind(ofPath: "a/20240102.nc.tar.gz") == .archive)
        #expect(ArchiveReader.kind(ofPath: "X.TGZ") == .archive)
        #expect(ArchiveReader.kind(ofPath: "x.zip") == .archive)
        #expect(ArchiveReader.kind(ofPath: "x.tar.xz") == .archive)
        #expect(ArchiveReader.kind(ofPath: "x.txt.gz") == .gzip)
        #expect(ArchiveReader.kind(ofPath: "x.txt") == nil)
        #expect(ArchiveReader.kind(ofPath: "x.htm") == nil)
    }
}
