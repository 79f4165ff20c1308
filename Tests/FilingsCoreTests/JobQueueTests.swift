import FilingsCore
import Foundation
import Testing

/// The queue between the store's callers and its threads, waiting with a time limit.
@Suite struct JobQueueTests {
    @Test func aTimedPopGivesNoJobsWhenNoneComeInTime() {
        let queue = JobQueue<Int>()
        let start = ContinuousClock.now
        #expect(queue.pop(limit: 4, waitingAtMost: .milliseconds(50)) == [])
        #expect(ContinuousClock.now - start >= .milliseconds(50))
    }

    @Test func aTimedPopTakesJobsThatComeWhileItWaits() {
        let queue = JobQueue<Int>()
        let pusher = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            _ = queue.push(7)
        }
        pusher.start()
        #expect(queue.pop(limit: 4, waitingAtMost: .seconds(30)) == [7])
    }

    @Test func aTimedPopTakesQueuedJobsAndThenSeesTheQueueClosed() {
        let queue = JobQueue<Int>()
        for job in 1...3 { #expect(queue.push(job)) }
        queue.close()
        #expect(!queue.push(4))
        #expect(queue.pop(limit: 2, waitingAtMost: .zero) == [1, 2])
        #expect(queue.pop(limit: 2, waitingAtMost: .seconds(30)) == [3])
        #expect(queue.pop(limit: 2, waitingAtMost: .seconds(30)) == nil)
    }
}
