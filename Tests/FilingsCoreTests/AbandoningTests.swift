import Synchronization
import Testing

@testable import FilingsCore

@Suite struct AbandoningTests {
    @Test func givesTheValueOfWorkThatEnds() async {
        let value = await abandoningOnCancellation { 7 }
        #expect(value == 7)
    }

    /// Work that ignores cancellation (a call its backend never answers) does not hold up the cancelled caller.
    @Test func aCancelledCallerReturnsNilAtOnceWhileItsWorkRunsOn() async {
        let finished = Flag()
        let caller = Task {
            await abandoningOnCancellation {
                // Not cancelled with its task: a detached wait of 10 s.
                await Task.detached { try? await Task.sleep(for: .seconds(10)) }.value
                finished.set()
                return 1
            }
        }
        try? await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        caller.cancel()
        let value = await caller.value
        #expect(value == nil)
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(!finished.isSet, "the work was left running")
    }

    /// The work is cancelled with its caller, so that work which does check stops.
    @Test func theWorkIsCancelledWithItsCaller() async {
        let sawCancellation = Flag()
        let caller = Task {
            await abandoningOnCancellation {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                sawCancellation.set()
                return 1
            }
        }
        try? await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        _ = await caller.value
        var waited = 0
        while !sawCancellation.isSet, waited < 400 {
            try? await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        #expect(sawCancellation.isSet)
    }

    /// A caller cancelled before the call returns nil without waiting.
    @Test func aCallerCancelledBeforeTheCallReturnsNil() async {
        let caller = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await abandoningOnCancellation {
                await Task.detached { try? await Task.sleep(for: .seconds(10)) }.value
                return 1
            }
        }
        let start = ContinuousClock.now
        #expect(await caller.value == nil)
        #expect(ContinuousClock.now - start < .seconds(2))
    }
}

/// A flag the tasks of a test share.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
