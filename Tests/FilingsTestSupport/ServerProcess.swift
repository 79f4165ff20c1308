public import FilingsCore
public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The package's built executables, for end-to-end tests.
public enum BuiltProducts {
    /// `.build/debug/NAME`, built by `swift build` (the README's test command builds it before testing).
    public static func path(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/\(name)")
    }
}

/// Why a child process could not be used.
public struct ProcessTestError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// The built `filings-server` binary, running as a child process on a free loopback port.
public struct ServerProcess: Sendable {
    public let process: Process
    public let endpoint: Endpoint
    /// The first line the server printed.
    public let banner: String

    /// Starts the server with `arguments` (after `--listen 127.0.0.1:0 --log-level warning`) and waits for its
    /// banner. Its log goes to `log` when given, else nowhere.
    public static func start(_ arguments: [String], log: URL? = nil) async throws -> ServerProcess {
        let binary = BuiltProducts.path("filings-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ProcessTestError(description: "build the server first: swift build (the README's test command does)")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--listen", "127.0.0.1:0", "--log-level", "warning"] + arguments
        let output = Pipe()
        process.standardOutput = output
        // Not the test runner's own standard error: a server left running by a failed test would hold it open,
        // and the runner would wait for it forever.
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        let handle = output.fileHandleForReading
        guard let line = await offPool({ readLine(from: handle) }) else {
            throw ProcessTestError(description: "the server printed no banner")
        }
        let endpoint = try Endpoint(parsing: String(line.split(separator: " ")[4]))
        return ServerProcess(process: process, endpoint: endpoint, banner: line)
    }

    /// The CPU time (user and system) the process has used so far, from `/proc`.
    public var cpuTime: Duration {
        get throws {
            let stat = try String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)
            // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the
            // 14th and 15th fields of the line, the 12th and 13th after the name.
            guard let close = stat.lastIndex(of: ")") else { throw ProcessTestError(description: "bad stat") }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let user = Int64(fields[11]), let system = Int64(fields[12]) else {
                throw ProcessTestError(description: "bad stat")
            }
            let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
            return .milliseconds((user + system) * 1000 / ticks)
        }
    }

    /// Sends `signal` and waits for the process to end.
    public func stop(signal: Int32 = 15) async {  // SIGTERM
        kill(process.processIdentifier, signal)
        await offPool { process.waitUntilExit() }
    }

    private static func readLine(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
