import Synchronization

/// A flag that long synchronous work polls to learn that its caller gave up.
///
/// Work that runs on threads of its own, outside any task, cannot see `Task.isCancelled`; the task that waits for
/// it sets the flag when it is cancelled, and the work stops at its next check.
///
/// A flag can also be *sealed*: from then on the work is past its point of no return (a transaction is
/// committing) and cancelling it no longer has any effect.
///
/// ```swift
/// let flag = CancellationFlag()
/// for chunk in chunks {
///     try flag.check()   // throws CancellationError once cancelled
///     process(chunk)
/// }
/// ```
public final class CancellationFlag: Sendable {
    private enum State: UInt8 {
        case running = 0
        case cancelled = 1
        case sealed = 2
    }

    private let state = Atomic<UInt8>(State.running.rawValue)

    /// Creates a flag that is not cancelled.
    public init() {}

    /// Whether the work was cancelled (and not sealed before).
    public var isCancelled: Bool {
        state.load(ordering: .acquiring) == State.cancelled.rawValue
    }

    /// Asks the work to stop; no effect once sealed.
    public func cancel() {
        _ = state.compareExchange(
            expected: State.running.rawValue,
            desired: State.cancelled.rawValue,
            ordering: .acquiringAndReleasing
        )
    }

    /// Makes the work uncancellable from now on; false when it was cancelled first.
    public func seal() -> Bool {
        let (exchanged, original) = state.compareExchange(
            expected: State.running.rawValue,
            desired: State.sealed.rawValue,
            ordering: .acquiringAndReleasing
        )
        return exchanged || original == State.sealed.rawValue
    }

    /// Throws `CancellationError` when the work was cancelled.
    public func check() throws(CancellationError) {
        if isCancelled { throw CancellationError() }
    }
}
