/// The value of `work`, or nil as soon as the calling task is cancelled, whether or not `work` returns then.
///
/// For an observer (a gauge reading the store's size) that must not hold up a shutdown on a call its backend
/// does not answer: on cancellation `work` is cancelled too and left to finish on its own, and its value is
/// dropped.
package func abandoningOnCancellation<T: Sendable>(
    _ work: @escaping @Sendable () async -> T
) async -> T? {
    let first = FirstValue<T?>()
    let task = Task {
        first.deliver(await work())
    }
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in first.wait(continuation) }
    } onCancel: {
        first.deliver(nil)
        task.cancel()
    }
}

/// The first value delivered, handed to the one waiter once both are there; later values are dropped. For a race
/// between pieces of work, a timer and a caller's cancellation, whichever answers first.
package final class FirstValue<T: Sendable>: Sendable {
    private enum Slot {
        case empty
        case value(T)
        case waiter(CheckedContinuation<T, Never>)
        case handedOver
    }
    private let slot = Lock(Slot.empty)

    package init() {}

    /// Resumes `continuation` with the first value, now or when it is delivered.
    package func wait(_ continuation: CheckedContinuation<T, Never>) {
        let ready: T? = slot.withLock { slot in
            guard case .value(let value) = slot else {
                slot = .waiter(continuation)
                return nil
            }
            slot = .handedOver
            return value
        }
        if let ready { continuation.resume(returning: ready) }
    }

    /// Delivers `value`, unless a value was delivered before.
    package func deliver(_ value: T) {
        let waiter: CheckedContinuation<T, Never>? = slot.withLock { slot in
            switch slot {
            case .empty:
                slot = .value(value)
                return nil
            case .waiter(let waiter):
                slot = .handedOver
                return waiter
            case .value, .handedOver:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }
}
