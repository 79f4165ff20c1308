import Synchronization
import Testing

@testable import FilingsCore

@Suite struct AbandoningTests {
    @Test func givesTheValueOfWorkThatEnds() async {
        let value = await abandoningOnCancellation { 7 }
        #expect(value == 7)
    }

    /// Work that ignores cancellation (a call its backend never answers) does not hold up the cancelled caller:
    /// the caller has its nil while the work still waits.
    @Test func aCancelledCallerGetsNilWhileItsWorkStillWaits() async {
        let gate = Gate()
        let started = Flag()
        let finished = Flag()
        let caller = Task {
            await abandoningOnCancellation {
                started.set()
                await gate.wait()
                finished.set()
                return 1
            }
        }
        #expect(await started.becomesSet())
        let safety = gate.openLater()
        defer { safety.cancel() }
        caller.cancel()
        let value = await caller.value
        #expect(value == nil)
        #expect(!finished.isSet, "the caller did not wait for its work")
        gate.open()
        #expect(await finished.becomesSet(), "the work ends on its own")
    }

    /// The work is cancelled with its caller, so that work which does check stops.
    @Test func theWorkIsCancelledWithItsCaller() async {
        let started = Flag()
        let sawCancellation = Flag()
        let caller = Task {
            await abandoningOnCancellation {
                started.set()
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                sawCancellation.set()
                return 1
            }
        }
        #expect(await started.becomesSet())
        caller.cancel()
        _ = await caller.value
        #expect(await sawCancellation.becomesSet())
    }

    /// A caller cancelled before the call has nil without waiting for the work.
    @Test func aCallerCancelledBeforeTheCallGetsNil() async {
        let gate = Gate()
        let safety = gate.openLater()
        defer { safety.cancel() }
        let finished = Flag()
        let caller = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await abandoningOnCancellation {
                await gate.wait()
                finished.set()
                return 1
            }
        }
        #expect(await caller.value == nil)
        #expect(!finished.isSet)
        gate.open()
    }
}

/// A flag the tasks of a test share.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }

    /// Whether the flag is set within 30 s (a loaded machine can take long to run a task at all).
    func becomesSet() async -> Bool {
        // Two minutes, as the other tests' waits for what must happen (0141e9f): a loaded test pool can hold a task
        // back for half a minute.
        let end = ContinuousClock.now + .seconds(120)
        while !isSet, ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(5)) }
        return isSet
    }
}

/// A wait that cancellation does not end: it ends when the gate opens.
private final class Gate: Sendable {
    private let state = Lock<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    /// Opens the gate in 30 s if nothing has by then, so that a test of a caller that wrongly waits for its work
    /// fails instead of hanging.
    func openLater() -> Task<Void, Never> {
        Task {
            try? await Task.sleep(for: .seconds(30))
            open()
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
