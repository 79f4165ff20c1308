import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation

/// `filings`: the command-line client of a filings server.
@main
struct FilingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filings",
        abstract: "Parse, store and query SEC EDGAR filings.",
        discussion: """
            Examples:
              filings store ../shared/corpus/dev/docs
              filings query merger --kind PRESS_RELEASE --from 2020-01-01
              filings get 3f9a0c41d2e87b6a5c10
              filings parse --local filing.txt
              filings --addr 10.0.0.5:7878 query dividend --format csv > hits.csv

            Exit codes: 0 ok, 1 some items failed (or not found, or not serving), 2 usage error, \
            3 server unreachable, 4 the server refused the call (its status is printed).
            Environment: FILINGS_ADDR (default 127.0.0.1:7878), FILINGS_TOKEN, NO_COLOR.
            Shell completion: filings --generate-completion-script bash|zsh|fish (see the README)
            """,
        version: "filings \(Release.version) (protocol version \(Preface.version))",
        subcommands: [
            ParseCommand.self, StoreCommand.self, QueryCommand.self, GetCommand.self, DeleteCommand.self,
            ReparseCommand.self, StatsCommand.self, HealthCommand.self,
        ]
    )

    /// `--addr`, `--token` and `--deadline` given before the subcommand's name.
    @OptionGroup var global: GlobalOptions

    /// Runs the command, with usage errors exiting 2 rather than ArgumentParser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitCodes.usage)
            }
            exit(withError: error)
        }
    }
}

/// The exit codes of `filings`, as documented in `--help`.
enum ExitCodes {
    static let someFailed: Int32 = 1
    static let usage: Int32 = 2
    static let unreachable: Int32 = 3
    static let refused: Int32 = 4
}

/// Ends the command for a call that failed as a whole: unreachable servers exit 3 with what to do, any other
/// status exits 4 with the server's message.
func fail(_ error: RPCError, addr: String) -> ExitCode {
    if error.code == .unavailable {
        Terminal.error(
            "cannot reach a filings server at \(addr): \(error.message). Start one with `filings-server`, "
                + "or point --addr (or FILINGS_ADDR) at a running one."
        )
        return ExitCode(ExitCodes.unreachable)
    }
    if error.code == .unauthenticated || error.code == .permissionDenied {
        Terminal.error("\(error.message) (\(error.code.name)): pass the server's token with --token or FILINGS_TOKEN.")
        return ExitCode(ExitCodes.refused)
    }
    Terminal.error("\(error.message) (\(error.code.name))")
    return ExitCode(ExitCodes.refused)
}

/// Options every command that talks to a server takes, after the command's name or before it
/// (`filings --addr host:7878 query merger`, as in git or kubectl); the command's own win.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Server address HOST:PORT; several comma-separated for round-robin [FILINGS_ADDR, else 127.0.0.1:7878]."
    )
    var addr: String?

    @Option(name: .long, help: "Bearer token sent with every call [FILINGS_TOKEN].")
    var token: String?

    @Option(name: .long, help: "Seconds each call may take [30].")
    var deadline: Double?
}

/// The options in effect for a command: its own, else those given before its name, else the environment's and
/// the defaults.
struct ServerOptions {
    var addr: String
    var token: String
    var deadline: Double

    init(_ own: GlobalOptions, over root: GlobalOptions) {
        let environment = ProcessInfo.processInfo.environment
        addr = own.addr ?? root.addr ?? environment["FILINGS_ADDR"] ?? "127.0.0.1:7878"
        token = own.token ?? root.token ?? environment["FILINGS_TOKEN"] ?? ""
        deadline = own.deadline ?? root.deadline ?? 30
    }

    func makeClient() throws -> FilingsClient {
        let endpoints: [Endpoint]
        do throws(RPCError) {
            endpoints = try Endpoint.list(parsing: addr)
        } catch {
            throw ValidationError("--addr: \(error.message)")
        }
        var configuration = ClientConfiguration.defaults(endpoints: endpoints)
        configuration.defaultDeadline = .milliseconds(Int64(deadline * 1000))
        if !token.isEmpty { configuration.metadata["authorization"] = "Bearer \(token)" }
        return FilingsClient(configuration: configuration)
    }
}

/// A subcommand that talks to a server: its options merged with the ones given before its name.
protocol ServerCommand {
    var own: GlobalOptions { get }
    var root: FilingsCommand { get }
}

extension ServerCommand {
    /// The options in effect.
    var global: ServerOptions { ServerOptions(own, over: root.global) }
}

/// `--json`.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print proto3 JSON, one object per line.")
    var json = false
}

/// Messages for people on standard error.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("filings: \(message)\n".utf8))
    }
}

/// One input named on the command line.
struct InputFile: Sendable {
    var name: String
    var path: String?

    /// The file's size in bytes (0 for standard input or a file that cannot be read).
    var size: Int {
        guard let path, let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return 0 }
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    func read() throws -> [UInt8] {
        if let path {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return Array(FileHandle.standardInput.readDataToEndOfFile())
    }
}

enum InputFiles {
    /// Files, directories (recursively, sorted) and `-` for standard input.
    static func expand(_ paths: [String]) throws -> [InputFile] {
        var result: [InputFile] = []
        let manager = FileManager.default
        for path in paths {
            if path == "-" {
                result.append(InputFile(name: "<stdin>", path: nil))
                continue
            }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                let enumerator = manager.enumerator(atPath: path)
                var files: [String] = []
                while let entry = enumerator?.nextObject() as? String {
                    var entryIsDirectory: ObjCBool = false
                    let full = (path as NSString).appendingPathComponent(entry)
                    if manager.fileExists(atPath: full, isDirectory: &entryIsDirectory), !entryIsDirectory.boolValue,
                        !(entry as NSString).lastPathComponent.hasPrefix(".")
                    {
                        files.append(full)
                    }
                }
                result.append(contentsOf: files.sorted().map { InputFile(name: $0, path: $0) })
            } else {
                result.append(InputFile(name: path, path: path))
            }
        }
        return result
    }
}
