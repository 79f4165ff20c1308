import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store EDGAR filings: each is parsed on the server and kept with its facts.",
        discussion: """
            Storing the same bytes again is harmless: the filing is reported as already present. Files that
            cannot be stored (empty, binary, unreadable) are listed with the reason at the end, and the command
            exits 1; the others are stored. A progress bar is shown on a terminal.

            Examples:
              filings store filing.txt exhibit.htm
              filings store ../shared/corpus/dev/docs
              curl -s https://example.com/filing.txt | filings store -
              filings store --json docs/ | jq -r 'select(.created) | .id'
            """
    )

    @OptionGroup var global: GlobalOptions
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

        // Batches of files by count and size; a file bigger than a batch goes alone.
        var batches: [[InputFile]] = []
        var current: [InputFile] = []
        var currentBytes = 0
        for input in inputs {
            let size = input.size
            if !current.isEmpty && (current.count == batch || currentBytes + size > Self.batchBytes) {
                batches.append(current)
                current = []
                currentBytes = 0
            }
            current.append(input)
            currentBytes += size
        }
        if !current.isEmpty { batches.append(current) }

        let progress = Progress(total: inputs.count, style: .standardError, enabled: !output.json)
        var tally = StoreTally()
        var unreachable: RPCError?
        await withTaskGroup(of: [StoreLine].self) { group in
            var next = 0
            func submit() {
                guard next < batches.count else { return }
                let files = batches[next]
                next += 1
                group.addTask { await Self.store(files, client: client) }
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

    /// One Store call for `files`; every file gets a line, whatever happens.
    static func store(_ files: [InputFile], client: FilingsClient) async -> [StoreLine] {
        var documents: [StoreDocument] = []
        var lines: [StoreLine?] = []
        for file in files {
            do {
                documents.append(StoreDocument(content: try file.read(), filename: file.name))
                lines.append(nil)
            } catch {
                lines.append(StoreLine(name: file.name, code: .invalidArgument, message: "cannot read it: \(error)"))
            }
        }
        guard !documents.isEmpty else { return lines.compactMap { $0 } }
        do throws(RPCError) {
            let results = try await client.store(StoreRequest(documents: documents)).results
            var iterator = results.makeIterator()
            return zip(files, lines).map { file, line in
                if let line { return line }
                guard let result = iterator.next() else {
                    return StoreLine(name: file.name, code: .internal, message: "the server sent no result for it")
                }
                return StoreLine(name: file.name, result: result)
            }
        } catch {
            return zip(files, lines).map { file, line in
                line ?? StoreLine(name: file.name, code: error.code, message: error.message)
            }
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
    private let total: Int
    private let style: Style
    private let enabled: Bool
    private let start = ContinuousClock.now
    private var done = 0
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(total: Int, style: Style, enabled: Bool) {
        self.total = total
        self.style = style
        // Only for people at a terminal, and only when there is enough to wait for.
        self.enabled = enabled && style.width != nil && total > 1
    }

    func advance(by count: Int) {
        done += count
        guard enabled, ContinuousClock.now - lastDraw > .milliseconds(100) || done == total else { return }
        lastDraw = ContinuousClock.now
        let elapsed = max((ContinuousClock.now - start).secondsValue, 0.001)
        let rate = Double(done) / elapsed
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
