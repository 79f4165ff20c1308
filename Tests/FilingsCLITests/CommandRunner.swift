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
        return try await offPool {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "FILINGS_ADDR")
            env.removeValue(forKey: "FILINGS_TOKEN")
            for (key, value) in environment { env[key] = value }
            process.environment = env
            let out = Pipe()
            let err = Pipe()
            let input = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            try process.run()
            if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
            try input.fileHandleForWriting.close()
            // Read both pipes to the end before waiting, so that a full pipe cannot stall the child.
            let errorData = Box<Data>()
            let reader = Thread { errorData.value = err.fileHandleForReading.readDataToEndOfFile() }
            reader.start()
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            while errorData.value == nil { usleep(1000) }
            return CommandOutput(
                status: process.terminationStatus,
                stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errorData.value ?? Data(), as: UTF8.self),
                stdoutBytes: Array(outData)
            )
        }
    }
}

private final class Box<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    var value: Value? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A `filings-server` with an SQLite store in a temporary directory, and files to feed it.
struct LiveServer {
    let server: ServerProcess
    let directory: URL

    var addr: String { "\(server.endpoint.host):\(server.endpoint.port)" }
    var environment: [String: String] { ["FILINGS_ADDR": addr] }

    static func with(_ body: (LiveServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("filings-cli-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(["--store", "sqlite:\(directory.path)/store/filings.sqlite"])
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
