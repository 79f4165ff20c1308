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
    package let process: ChildProcess
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
        // Its log is not the test runner's own standard error: a server left running by a failed test would hold
        // that open, and the runner would wait for it forever.
        let process = try ChildProcess(
            binary.path,
            ["--listen", "127.0.0.1:0", "--log-level", "warning"] + arguments,
            stdout: .pipe,
            stderr: log.map { .file($0.path) } ?? .null
        )
        guard let output = process.standardOutput,
            let line = await offPool({ readBannerThenDrain(output) })
        else {
            process.signal(SIGKILL)
            _ = await offPool { process.wait() }
            throw ProcessTestError(description: "the server printed no banner")
        }
        let endpoint = try Endpoint(parsing: String(line.split(separator: " ")[4]))
        return ServerProcess(process: process, endpoint: endpoint, banner: line)
    }

    /// The CPU time (user and system) the process has used so far, from `/proc`.
    public var cpuTime: Duration {
        get throws {
            let stat = try String(contentsOfFile: "/proc/\(process.pid)/stat", encoding: .utf8)
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

    /// Sends `signal` (SIGTERM unless given), waits for the process to end, and says how it ended.
    @discardableResult
    package func stop(signal: Int32 = SIGTERM) async -> ChildProcess.Termination {
        process.signal(signal)
        return await offPool { process.wait() }
    }

    /// Sends SIGTERM without waiting; a thread of its own reaps the process when it ends.
    public func terminate() {
        process.terminate()
        Thread { [process] in process.wait() }.start()
    }

    /// The first line of `fd`, after which a thread of its own reads the rest to its end (so that the server never
    /// blocks on a full pipe) and closes it.
    private static func readBannerThenDrain(_ fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else {
                close(fd)
                return nil
            }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        Thread { _ = ChildProcess.readAll(fd) }.start()
        return String(decoding: bytes, as: UTF8.self)
    }
}
