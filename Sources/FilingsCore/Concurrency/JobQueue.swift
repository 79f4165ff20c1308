import Foundation

/// A queue of work for dedicated threads: producers push from any task; each consumer thread blocks until
/// there is work or the queue is closed.
package final class JobQueue<Job>: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var closed = false

    package init() {}

    /// Adds `job`; false when the queue is closed and the job will never run.
    package func push(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Waits for work and takes up to `limit` jobs in the order they came; nil once closed and empty. With a
    /// `timeout`, waits for at most that long: no jobs when none came meanwhile.
    package func pop(limit: Int, waitingAtMost timeout: Duration? = nil) -> [Job]? {
        let deadline = timeout.map { Date(timeIntervalSinceNow: $0.secondsValue) }
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !closed {
            if let deadline {
                guard condition.wait(until: deadline) else { return [] }
            } else {
                condition.wait()
            }
        }
        guard head < jobs.count else { return nil }
        let end = min(jobs.count, head + limit)
        let taken = Array(jobs[head..<end])
        head = end
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 4096 {
            jobs.removeFirst(head)
            head = 0
        }
        if head < jobs.count { condition.signal() }
        return taken
    }

    /// Refuses new work; consumers finish what was queued, then see nil.
    package func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Counts finished threads so that a closer can wait for all of them.
package final class ThreadGroup: @unchecked Sendable {
    private let condition = NSCondition()
    private var running = 0

    package init() {}

    /// Starts `body` on a new thread that the group waits for.
    package func start(name: String, _ body: @escaping @Sendable () -> Void) {
        condition.lock()
        running += 1
        condition.unlock()
        let work = OneRun(body)
        startThread(name: name, stackSize: 1 << 20) { [self] in
            work.run()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Blocks until every thread started has returned and let go of its body, and so of what the body captured
    /// (a database connection is closed by then).
    package func wait() {
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}

/// A thread's body, let go of as soon as it has run. The thread's own closure lives on until Foundation frees the
/// thread, after the group has counted it finished: what the body captured must not live as long.
private final class OneRun: @unchecked Sendable {
    /// Touched only by the thread that runs it.
    private var body: (@Sendable () -> Void)?

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
    }

    /// Runs the body, then releases it.
    func run() {
        let body = self.body
        self.body = nil
        body?()
    }
}
