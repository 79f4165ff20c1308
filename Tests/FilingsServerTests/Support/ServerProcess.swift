import FilingsCore
import FilingsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `filings-server` binary, running as a child process on a free loopback port.
struct ServerProcess {
    let process: Process
    let endpoint: Endpoint
    /// The first line the server printed.
    let banner: String

    static var binary: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/filings-server")
    }

    /// Starts the server with `arguments` (after `--listen 127.0.0.1:0 --log-level warning`) and waits for its
    /// banner.
    static func start(_ arguments: [String]) async throws -> ServerProcess {
        try #require(
            FileManager.default.isExecutableFile(atPath: binary.path),
            "build the server first: swift build (the README's test command does)"
        )
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--listen", "127.0.0.1:0", "--log-level", "warning"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        let line = try #require(await offPool { readLine(from: handle) }, "the server printed no banner")
        let endpoint = try Endpoint(parsing: String(line.split(separator: " ")[4]))
        return ServerProcess(process: process, endpoint: endpoint, banner: line)
    }

    /// Sends `signal` and waits for the process to end.
    func stop(signal: Int32 = SIGTERM) async {
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
