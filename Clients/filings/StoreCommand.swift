import ArgumentParser
import FilingsArchive
import FilingsClient
import FilingsCore
import Foundation

struct StoreCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store EDGAR filings: each is parsed on the server and kept with its facts.",
        discussion: """
            Storing the same bytes again is harmless: the filing is reported as already present. Files that \
            cannot be stored (empty, binary, unreadable) are listed with the reason at the end, and the command \
            exits 1; the others are stored. A progress bar is shown on a terminal.

            Archives are read member by member without unpacking them: .tar, .tar.gz/.tgz (the SEC's daily \
            feed), .tar.bz2, .tar.xz, .zip, and single .gz files. Each member is stored as its own document, \
            named ARCHIVE!MEMBER; a corrupt or truncated archive is reported (DATA_LOSS) after the members \
            before the damage are stored.

            Examples:
              filings store filing.txt exhibit.htm
              filings store ../shared/corpus/dev/docs
              filings store 20240102.nc.tar.gz
              curl -s https://example.com/filing.txt | filings store -
              filings store --json docs/ | jq -r 'select(.created) | .id'
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    @Option(help: "Most documents per Store call.")
    var batch: Int = 16

    @Option(help: "Store calls in flight at once.")
    var jobs: Int = 4

    @Argument(help: "Files or directories (recursive) to store; - for standard input.")
    var paths: [String]

    func validate() throws {
        guard batch > 0, batch <= 1000 else { throw ValidationError("--batch is 1 to 1000") }
        guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
    }

    /// Bytes of documents in one call: well under the server's default 16 MiB frame.
    static let batchBytes = 8 << 20

    func run() async throws {
        let inputs = try InputFiles.expand(paths)
        let client = try global.makeClient()
        defer { client.close() }
        do throws(RPCError) {
            _ = try await client.health()
        } catch {
            throw fail(error, addr: global.addr)
        }

        var batches = StoreBatches(inputs: inputs, maximumDocuments: batch, maximumBytes: Self.batchBytes)
        // Archives hold an unknown number of documents until they are read: no total, no time left, then.
        let hasArchives = inputs.contains { $0.path.flatMap(ArchiveReader.kind(ofPath:)) != nil }
        let progress = Progress(total: hasArchives ? nil : inputs.count, style: .standardError, enabled: !output.json)
        var tally = StoreTally()
        var unreachable: RPCError?
        await withTaskGroup(of: [StoreLine].self) { group in
            func submit() {
                guard let documents = batches.next() else { return }
                group.addTask { await Self.store(documents, client: client) }
            }
            for _ in 0..<jobs { submit() }
            for await lines in group {
                for line in lines {
                    if line.code == .unavailable { unreachable = RPCError(code: .unavailable, message: line.message) }
                    tally.add(line)
                    if output.json {
                        print(line.json)
                    }
                }
                progress.advance(by: lines.count)
                submit()
            }
        }
        progress.finish()
        if let unreachable, tally.created + tally.present == 0 { throw fail(unreachable, addr: global.addr) }
        if !output.json { print(tally.summary(style: .standardOutput)) }
        if tally.failed.count > 0 { throw ExitCode(ExitCodes.someFailed) }
    }

    /// One Store call for `inputs`; every input gets a line, whatever happens.
    static func store(_ inputs: [StoreInput], client: FilingsClient) async -> [StoreLine] {
        var documents: [StoreDocument] = []
        var lines: [StoreLine?] = []
        for input in inputs {
            switch input {
            case .file(let file, _):
                do {
                    documents.append(StoreDocument(content: try file.read(), filename: file.name))
                    lines.append(nil)
                } catch {
                    lines.append(
                        StoreLine(name: file.name, code: .invalidArgument, message: "cannot read it: \(error)")
                    )
                }
            case .member(let name, let bytes):
                documents.append(StoreDocument(content: bytes, filename: name))
                lines.append(nil)
            case .failed(let line):
                lines.append(line)
            }
        }
        guard !documents.isEmpty else { return lines.compactMap { $0 } }
        do throws(RPCError) {
            let results = try await client.store(StoreRequest(documents: documents)).results
            var iterator = results.makeIterator()
            return zip(inputs, lines).map { input, line in
                if let line { return line }
                guard let result = iterator.next() else {
                    return StoreLine(name: input.name, code: .internal, message: "the server sent no result for it")
                }
                return StoreLine(name: input.name, result: result)
            }
        } catch {
            return zip(inputs, lines).map { input, line in
                line ?? StoreLine(name: input.name, code: error.code, message: error.message)
            }
        }
    }
}

/// One document for a Store call: a file (read when its batch is sent), a member already read from an archive,
/// or an input that failed before reaching the server.
enum StoreInput {
    case file(InputFile, size: Int)
    case member(name: String, bytes: [UInt8])
    case failed(StoreLine)

    /// The name it is reported under: the file's, `ARCHIVE!MEMBER`, or the failed input's.
    var name: String {
        switch self {
        case .file(let file, _): file.name
        case .member(let name, _): name
        case .failed(let line): line.name
        }
    }

    /// Bytes it adds to a batch.
    var size: Int {
        switch self {
        case .file(_, let size): size
        case .member(_, let bytes): bytes.count
        case .failed: 0
        }
    }
}

/// Batches of ``StoreInput`` by count and size, made as they are asked for: archives are read one member at a
/// time, so only the batches in flight are in memory. A document bigger than a batch goes alone.
struct StoreBatches {
    private let inputs: [InputFile]
    private let maximumDocuments: Int
    private let maximumBytes: Int
    private var index = 0
    private var archive: (reader: ArchiveReader, name: String)?
    private var carried: StoreInput?

    init(inputs: [InputFile], maximumDocuments: Int, maximumBytes: Int) {
        self.inputs = inputs
        self.maximumDocuments = maximumDocuments
        self.maximumBytes = maximumBytes
    }

    /// The next batch, or nil when every input has been given out.
    mutating func next() -> [StoreInput]? {
        var batch: [StoreInput] = []
        var bytes = 0
        while let input = carried.take() ?? nextInput() {
            if !batch.isEmpty && (batch.count == maximumDocuments || bytes + input.size > maximumBytes) {
                carried = input
                break
            }
            batch.append(input)
            bytes += input.size
        }
        return batch.isEmpty ? nil : batch
    }

    private mutating func nextInput() -> StoreInput? {
        while true {
            if case let (reader, name)? = archive {
                do throws(ArchiveError) {
                    if let member = try reader.next() {
                        let memberName = "\(name)!\(member.path)"
                        switch member.content {
                        case .bytes(let bytes):
                            return .member(name: memberName, bytes: bytes)
                        case .skipped(let reason):
                            return .failed(StoreLine(name: memberName, code: .resourceExhausted, message: reason))
                        }
                    }
                    archive = nil
                } catch {
                    archive = nil
                    return .failed(StoreLine(name: name, code: .dataLoss, message: error.message))
                }
                continue
            }
            guard index < inputs.count else { return nil }
            let input = inputs[index]
            index += 1
            if let path = input.path, let kind = ArchiveReader.kind(ofPath: path) {
                do throws(ArchiveError) {
                    archive = (try ArchiveReader(path: path, kind: kind), input.name)
                } catch {
                    return .failed(StoreLine(name: input.name, code: .invalidArgument, message: error.message))
                }
                continue
            }
            return .file(input, size: input.size)
        }
    }
}

/// What happened to one file.
struct StoreLine: Sendable {
    var name: String
    var id = ""
    var sha256 = ""
    var created = false
    var code: RPCError.Code = .ok
    var message = ""

    init(name: String, code: RPCError.Code, message: String) {
        self.name = name
        self.code = code
        self.message = message
    }

    init(name: String, result: StoreResult) {
        self.name = name
        id = result.id
        sha256 = result.sha256
        created = result.created
        code = RPCError.Code(rawValue: result.errorCode)
        message = result.errorMessage
    }

    /// The StoreResult's proto3 JSON, with the file's path as its filename.
    var json: String {
        StoreResult(
            id: id,
            sha256: sha256,
            created: created,
            filename: name,
            errorCode: code.rawValue,
            errorMessage: message
        ).jsonString()
    }
}

/// Counts for the closing summary.
struct StoreTally {
    var created = 0
    var present = 0
    var failed: [StoreLine] = []

    mutating func add(_ line: StoreLine) {
        if line.code != .ok {
            failed.append(line)
        } else if line.created {
            created += 1
        } else {
            present += 1
        }
    }

    func summary(style: Style) -> String {
        let total = created + present + failed.count
        var lines = [
            "\(Units.count(total)) \(total == 1 ? "document" : "documents"): "
                + style.green("\(Units.count(created)) created") + ", \(Units.count(present)) already present, "
                + (failed.isEmpty ? "0 failed" : style.red("\(Units.count(failed.count)) failed"))
        ]
        for line in failed.sorted(by: { $0.name < $1.name }) {
            lines.append("  \(style.red("failed")) \(line.name): \(line.message) (\(line.code.name))")
        }
        return lines.joined(separator: "\n")
    }
}

/// A progress bar on standard error: documents, documents/s and the time left.
final class Progress: @unchecked Sendable {
    /// Nil when it is not known in advance (archives).
    private let total: Int?
    private let style: Style
    private let enabled: Bool
    private let start = ContinuousClock.now
    private var done = 0
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(total: Int?, style: Style, enabled: Bool) {
        self.total = total
        self.style = style
        // Only for people at a terminal, and only when there is enough to wait for.
        self.enabled = enabled && style.width != nil && (total ?? 2) > 1
    }

    func advance(by count: Int) {
        done += count
        guard enabled, ContinuousClock.now - lastDraw > .milliseconds(100) || done == total else { return }
        lastDraw = ContinuousClock.now
        let elapsed = max((ContinuousClock.now - start).secondsValue, 0.001)
        let rate = Double(done) / elapsed
        guard let total else {
            let text = " \(Units.count(done)) documents  \(String(format: "%.0f", rate))/s"
            FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
            return
        }
        let left = rate > 0 ? Double(total - done) / rate : 0
        let text =
            " \(Units.count(done))/\(Units.count(total)) documents  \(String(format: "%.0f", rate))/s  "
            + "ETA \(Units.duration(seconds: left))"
        let barWidth = max(10, min(40, (style.width ?? 80) - text.count - 4))
        let filled = total == 0 ? barWidth : barWidth * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        FileHandle.standardError.write(Data("\r\(style.green(bar))\(text)\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
