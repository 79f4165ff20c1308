import ArgumentParser
import FilingsClient
import FilingsCore
import FilingsParser
import Foundation

struct ParseCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse EDGAR filings into structured facts.",
        discussion: """
            Prints a summary for people, or proto3 JSON with --json (one object per line for several files).

            Examples:
              filings parse --local filing.txt
              filings parse --json exhibit.htm | jq .documents[0].title
              cat filing.txt | filings parse --local -
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Parse in this process, without a server.")
    var local = false

    @Argument(help: "Files or directories (recursive) to parse; - for standard input.")
    var paths: [String]

    func run() async throws {
        let inputs = try InputFiles.expand(paths)
        var failures = 0
        let client = local ? nil : try global.makeClient()
        defer { client?.close() }
        for input in inputs {
            let bytes: [UInt8]
            do {
                bytes = try input.read()
            } catch {
                failures += 1
                Terminal.error("\(input.name): \(error)")
                continue
            }
            let filing: ParsedFiling
            if let client {
                do throws(RPCError) {
                    filing =
                        try await client.parse(ParseRequest(content: bytes, filename: input.name)).filing
                        ?? ParsedFiling()
                } catch {
                    if error.code == .unavailable { throw fail(error, addr: global.addr) }
                    failures += 1
                    Terminal.error("\(input.name): \(error.message) (\(error.code))")
                    continue
                }
            } else {
                do throws(ParseError) {
                    filing = try EDGARParser().parse(bytes)
                } catch {
                    failures += 1
                    Terminal.error("\(input.name): \(error.message)")
                    continue
                }
            }
            if output.json {
                print(filing.jsonString())
            } else {
                print(ParseSummary.render(filing, name: input.name))
            }
        }
        if failures > 0 { throw ExitCode(ExitCodes.someFailed) }
    }
}
