#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Threads of their own for CPU-heavy work (parsing, compression, encoding large messages), so that it never
/// occupies the cooperative thread pool that answers calls and fires deadlines.
///
/// A job whose awaiting task is cancelled sees its ``CancellationFlag`` set; a job still queued then is not started
/// at all.
///
/// ```swift
/// let pool = WorkerPool(name: "filings-cpu")
/// let filing = try await pool.run { flag throws(ParseError) in try parser.parse(bytes, cancellation: flag) }
/// ```
public final class WorkerPool: Sendable {
    private let jobs = JobQueue<@Sendable () -> Void>()
    private let threads = ThreadGroup()
    /// How many threads run jobs.
    public let threadCount: Int

    /// How the operating system schedules a pool's threads against the process's other threads.
    public enum Priority: Sendable {
        /// Like every other thread.
        case normal
        /// Below the threads that answer calls (nice 10): when a connection's thread or the concurrency pool has
        /// work, it runs at once instead of waiting for a parse to use up its time slice. The pool still gets
        /// every cycle no one else wants.
        case background
    }

    /// Starts `threads` worker threads (default: one per active core) at `priority`.
    public init(name: String, threads: Int = WorkerPool.activeCores, priority: Priority = .normal) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            self.threads.start(name: "\(name)-\(index)") { [jobs] in
                if priority == .background { WorkerPool.runThisThreadInTheBackground() }
                while let batch = jobs.pop(limit: 1) {
                    for job in batch { job() }
                }
            }
        }
    }

    deinit {
        jobs.close()
    }

    /// A pool with one thread per core at background priority, for the whole process.
    public static let shared = WorkerPool(name: "filings-cpu", priority: .background)

    /// The nice value of a background pool's threads.
    public static let backgroundNiceness: Int32 = 10

    /// Lowers the calling thread to the priority of a background pool's threads, for a thread of its own that does
    /// CPU-heavy work (the SQLite store's writer, which builds full-text indexes).
    public static func runThisThreadInTheBackground() {
        #if os(Linux)
        // On Linux a thread's nice value is its own (PRIO_PROCESS with a thread id); raising it needs no privilege.
        // The thread id is the last part of /proc/thread-self's target, "PID/task/TID".
        var link = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &link, link.count - 1)
        guard count > 0,
            let tid = String(decoding: link[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .split(separator: "/").last.flatMap({ id_t($0) })
        else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), tid, backgroundNiceness)
        #endif
    }

    /// The cores this process may run on.
    public static var activeCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Runs `body` on a worker thread and returns its value.
    ///
    /// When the calling task is cancelled, `body`'s flag is set; a job not yet started ends with
    /// `CancellationError` without running, which `body` itself should throw as soon as it sees the flag.
    public func run<T: Sendable, E: Error>(
        _ body: @escaping @Sendable (CancellationFlag) throws(E) -> T
    ) async throws -> T {
        let flag = CancellationFlag()
        let result: Result<T, any Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let queued = jobs.push {
                    guard !flag.isCancelled else {
                        continuation.resume(returning: .failure(CancellationError()))
                        return
                    }
                    do throws(E) {
                        continuation.resume(returning: .success(try body(flag)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                if !queued {
                    continuation.resume(returning: .failure(CancellationError()))
                }
            }
        } onCancel: {
            flag.cancel()
        }
        return try result.get()
    }

    /// `transform` applied to each of `items`, in order, on one worker thread; it stops between two items once the
    /// calling task is cancelled, and throws `CancellationError` then.
    public func map<Item: Sendable, Value: Sendable>(
        _ items: [Item],
        _ transform: @escaping @Sendable (Item) -> Value
    ) async throws(CancellationError) -> [Value] {
        do {
            return try await run { flag throws(CancellationError) in
                try items.map { item throws(CancellationError) in
                    try flag.check()
                    return transform(item)
                }
            }
        } catch {
            throw CancellationError()
        }
    }

    /// Stops taking jobs; the threads finish the queued ones and end. Blocks until they have.
    public func shutDown() {
        jobs.close()
        threads.wait()
    }
}
