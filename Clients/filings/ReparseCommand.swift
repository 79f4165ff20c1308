import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation

struct ReparseCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "reparse",
        abstract: "Parse stored filings again with the server's parser, and re-index them.",
        discussion: """
            Filings whose facts came from a parser older than --older-than (by default, older than the \
            server's own) are parsed again from their stored bytes, a batch per call, while queries go on \
            being answered. Stopped, it resumes where it was when run again: a filing once re-parsed carries \
            the new version. A filing the parser now refuses keeps its facts and is listed; exits 1 then.
            `filings stats` shows the documents by parser version. A progress bar is shown on a terminal.

            Examples:
              filings reparse
              filings reparse --older-than filings-parser/1.1.0 --limit 10000
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    @Option(help: "Re-parse filings whose parser version is older than this [the server's parser version].")
    var olderThan: String?

    @Option(help: "Re-parse at most this many filings.")
    var limit: Int?

    @Option(help: "Filings per call, 1 to 1000.")
    var batch: Int = 100

    func validate() throws {
        guard batch > 0, batch <= 1000 else { throw ValidationError("--batch is 1 to 1000") }
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let client = try global.makeClient()
        defer { client.close() }
        let start = ContinuousClock.now
        var total = ReparseResponse()
        var processed = 0
        var progress: Progress?
        var after = ""
        repeat {
            let want = min(batch, (limit ?? Int.max) - processed)
            let response: ReparseResponse
            do throws(RPCError) {
                response = try await client.reparse(
                    ReparseRequest(olderThan: olderThan ?? "", limit: UInt32(want), afterId: after)
                )
            } catch {
                progress?.finish()
                if processed > 0 {
                    Terminal.error("stopped after \(processed) filings; run it again to go on from there")
                }
                throw fail(error, addr: global.addr)
            }
            let count = Int(response.reparsed) + response.failures.count
            processed += count
            total.reparsed += response.reparsed
            total.failures += response.failures
            total.remaining = response.remaining
            total.parserVersion = response.parserVersion
            after = response.nextAfterId
            if progress == nil {
                // The first answer says how much there is: what it did and what remains, up to --limit.
                let known = min(limit ?? Int.max, count + Int(response.remaining) - response.failures.count)
                progress = Progress(total: max(known, count), style: .standardError, enabled: !output.json)
            }
            progress?.advance(by: count)
        } while !after.isEmpty && processed < (limit ?? Int.max)
        progress?.finish()
        total.nextAfterId = after

        if output.json {
            print(total.jsonString())
        } else {
            print(Self.summary(total, elapsed: ContinuousClock.now - start, style: .standardOutput))
        }
        if !total.failures.isEmpty { throw ExitCode(ExitCodes.someFailed) }
    }

    static func summary(_ total: ReparseResponse, elapsed: Duration, style: Style) -> String {
        let seconds = max(elapsed.secondsValue, 0.001)
        var lines = [
            "reparsed \(style.bold(Units.count(Int(total.reparsed)))) filings with \(total.parserVersion) in "
                + "\(Units.duration(seconds: seconds)) (\(String(format: "%.0f", Double(total.reparsed) / seconds))/s)"
        ]
        if !total.failures.isEmpty {
            lines.append("\(style.red(Units.count(total.failures.count))) failed and keep their facts:")
            for failure in total.failures {
                let code = RPCError.Code(rawValue: failure.errorCode).name
                lines.append("  \(style.red("failed")) \(failure.id): \(failure.errorMessage) (\(code))")
            }
        }
        if total.remaining > 0 {
            lines.append(
                "\(Units.count(Int(total.remaining))) filings still have facts from an older parser"
                    + (total.failures.isEmpty ? "; run it again to go on" : "")
            )
        }
        return lines.joined(separator: "\n")
    }
}
