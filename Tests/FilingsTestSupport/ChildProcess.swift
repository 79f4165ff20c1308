import FilingsCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, for tests that run the package's binaries and the tools that
/// build their fixtures.
///
/// Not Foundation's `Process`: on Linux its `run()` (swift-corelibs-foundation before #5472) can crash reading
/// past a `readdir` buffer of `/proc/self/fd`, the likelier the more processes and descriptors a test run has,
/// and its `waitUntilExit()` was seen spinning after a child whose own children live on had exited.
package final class ChildProcess: Sendable {
    /// Where one of the child's standard streams goes.
    package enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// The file at the path, created or truncated.
        case file(String)
        /// A pipe whose other end the parent reads or writes (``standardInput``, ``standardOutput``,
        /// ``standardError``).
        case pipe
        /// The same place as the child's standard output (for standard error only).
        case standardOutput
    }

    /// How the child ended.
    package enum Termination: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        package var description: String {
            switch self {
            case .exited(let code): "exited with \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    package let pid: Int32
    /// The parent's end of each stream spawned with ``Stream/pipe``; the caller closes it.
    package let standardInput: Int32?
    package let standardOutput: Int32?
    package let standardError: Int32?
    private let ended = Lock<Termination?>(nil)
    private static let spawning = NSLock()

    /// Starts `executable` (an absolute path) with `arguments`, in `environment` (the parent's when nil).
    package init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        stdin: Stream = .null,
        stdout: Stream = .null,
        stderr: Stream = .null
    ) throws {
        Self.spawning.lock()
        defer { Self.spawning.unlock() }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }
        var parentEnds: [Int32?] = [nil, nil, nil]
        for (descriptor, stream) in [stdin, stdout, stderr].enumerated() {
            let target = Int32(descriptor)
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
            case .pipe:
                // Both ends close on exec, so that no other child holds them open (pipes are made and children
                // spawned under one lock); dup2 makes the child's copy inheritable.
                var ends: [Int32] = [-1, -1]
                guard pipe(&ends) == 0 else {
                    parentEnds.compactMap { $0 }.forEach { close($0) }
                    throw ProcessTestError(description: "pipe: errno \(errno)")
                }
                ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
                let (parent, child) = target == 0 ? (ends[1], ends[0]) : (ends[0], ends[1])
                posix_spawn_file_actions_adddup2(&actions, child, target)
                childEnds.append(child)
                parentEnds[descriptor] = parent
            }
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned: Int32
        if let environment {
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        } else {
            spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        }
        guard spawned == 0 else {
            parentEnds.compactMap { $0 }.forEach { close($0) }
            throw ProcessTestError(description: "cannot run \(executable): error \(spawned)")
        }
        self.pid = pid
        (standardInput, standardOutput, standardError) = (parentEnds[0], parentEnds[1], parentEnds[2])
    }

    /// Sends `signal` unless the child is known to have ended (its pid could belong to another process by then).
    package func signal(_ signal: Int32) {
        ended.withLock { termination in
            if termination == nil { _ = kill(pid, signal) }
        }
    }

    /// Sends SIGTERM without waiting.
    package func terminate() {
        signal(SIGTERM)
    }

    /// Waits for the child to end (blocking the calling thread: call it through ``offPool(_:)`` from a task).
    @discardableResult
    package func wait() -> Termination {
        if let known = ended.withLock({ $0 }) { return known }
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
        return ended.withLock { termination in
            // A second waiter finds the child already reaped (ECHILD) and the first one's answer.
            if let known = termination { return known }
            let signal = status & 0x7F
            let result: Termination = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
            termination = result
            return result
        }
    }

    /// Runs `executable` to its end and returns how it ended with what it wrote on standard output and error.
    /// Blocking: call it through ``offPool(_:)`` from a task.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        stdin: [UInt8]? = nil
    ) throws -> (termination: Termination, stdout: [UInt8], stderr: [UInt8]) {
        let child = try ChildProcess(
            executable,
            arguments,
            environment: environment,
            stdin: stdin == nil ? .null : .pipe,
            stdout: .pipe,
            stderr: .pipe
        )
        // Input is written on a thread of its own, and both outputs are read to their ends before waiting, so
        // that no full pipe can stall the child.
        let input = onThread {
            if let fd = child.standardInput {
                // A child that exits without reading its input makes the write fail with EPIPE; the SIGPIPE it
                // also raises is this thread's alone, blocked here, and goes with the thread.
                var pipeSignal = sigset_t()
                sigemptyset(&pipeSignal)
                sigaddset(&pipeSignal, SIGPIPE)
                pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
                if let stdin { writeAll(stdin, to: fd) }
                close(fd)
            }
        }
        let errors = Lock<[UInt8]>([])
        let errorReader = onThread {
            let bytes = child.standardError.map(readAll) ?? []
            errors.withLock { $0 = bytes }
        }
        let output = child.standardOutput.map(readAll) ?? []
        errorReader.wait()
        input.wait()
        return (child.wait(), output, errors.withLock { $0 })
    }

    private static func onThread(_ work: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread {
            work()
            done.signal()
        }.start()
        return done
    }

    /// Reads `fd` to its end and closes it.
    package static func readAll(_ fd: Int32) -> [UInt8] {
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno != EINTR {
                return bytes
            }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
            } else if errno != EINTR {
                return  // the child closed its input early: what it read is what it got
            }
        }
    }
}
