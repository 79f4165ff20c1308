import Foundation

/// Runs blocking or long CPU-bound work on a new thread and waits for it without holding one of the concurrency
/// pool's threads: tests run in parallel on that pool (two threads on a two-core machine), and a test that holds
/// one for seconds delays the servers and timers of every other test.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// ``offPool(_:)`` for work that throws.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await offPool { Result { try work() } }.get()
}

/// Runs CPU-heavy work (parsing a corpus, thousands of mutations) off the concurrency pool, one such job at a time
/// in the whole test process: so that however many tests do it at once, one core is left for the servers, clients
/// and timers of the tests that measure time.
public func heavyWork<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await offPool {
        heavyWorkGate.wait()
        defer { heavyWorkGate.signal() }
        return try work()
    }
}

/// ``heavyWork(_:)`` for work that does not throw.
public func heavyWork<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await offPool {
        heavyWorkGate.wait()
        defer { heavyWorkGate.signal() }
        return work()
    }
}

private let heavyWorkGate = DispatchSemaphore(value: 1)
