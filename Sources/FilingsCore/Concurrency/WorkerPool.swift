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

    /// Starts `threads` worker threads (default: one per active core).
    public init(name: String, threads: Int = WorkerPool.activeCores) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            self.threads.start(name: "\(name)-\(index)") { [jobs] in
                while let batch = jobs.pop(limit: 1) {
                    for job in batch { job() }
                }
            }
        }
    }

    deinit {
        jobs.close()
    }

    /// A pool with one thread per core, for the whole process.
    public static let shared = WorkerPool(name: "filings-cpu")

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

    /// Stops taking jobs; the threads finish the queued ones and end. Blocks until they have.
    public func shutDown() {
        jobs.close()
        threads.wait()
    }
}
