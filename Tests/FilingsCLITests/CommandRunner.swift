import FilingsCore
import FilingsTestSupport
import Foundation

/// What a run of a built binary printed and how it exited.
struct CommandOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutBytes: [UInt8]

    var lines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}

/// Runs a built binary of the package with arguments and environment, and collects its output.
enum CommandRunner {
    static func run(
        _ product: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        stdin: [UInt8]? = nil
    ) async throws -> CommandOutput {
        let binary = BuiltProducts.path(product)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ProcessTestError(description: "build \(product) first: swift build")
        }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "FILINGS_ADDR")
        env.removeValue(forKey: "FILINGS_TOKEN")
        for (key, value) in environment { env[key] = value }
        let run = try await offPool { [env] in
            try ChildProcess.run(binary.path, arguments, environment: env, stdin: stdin ?? [])
        }
        let status: Int32
        switch run.termination {
        case .exited(let code): status = code
        case .signalled(let signal): status = 128 + signal
        }
        return CommandOutput(
            status: status,
            stdout: String(decoding: run.stdout, as: UTF8.self),
            stderr: String(decoding: run.stderr, as: UTF8.self),
            stdoutBytes: run.stdout
        )
    }
}

/// A `filings-server` with an SQLite store in a temporary directory, and files to feed it.
struct LiveServer {
    let server: ServerProcess
    let directory: URL

    var addr: String { "\(server.endpoint.host):\(server.endpoint.port)" }
    var environment: [String: String] { ["FILINGS_ADDR": addr] }

    /// Runs `body` with a new server started with `arguments` besides its store.
    static func with(_ arguments: [String] = [], _ body: (LiveServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-cli-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(
            ["--store", "sqlite:\(directory.path)/store/filings.sqlite"] + arguments
        )
        let live = LiveServer(server: server, directory: directory)
        do {
            try await body(live)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Runs `filings` against this server.
    func filings(_ arguments: String..., stdin: [UInt8]? = nil) async throws -> CommandOutput {
        try await CommandRunner.run("filings", arguments, environment: environment, stdin: stdin)
    }

    /// Writes `files` (name → bytes) into a new folder and returns its path.
    func folder(_ name: String, _ files: [String: [UInt8]]) throws -> String {
        let folder = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (file, bytes) in files {
            try Data(bytes).write(to: folder.appendingPathComponent(file))
        }
        return folder.path
    }
}
