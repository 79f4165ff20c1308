import FilingsCore
import Testing

@testable import FilingsServer

@Suite struct ServerConnectionStateMachineTests {
    let t0 = ContinuousClock.now

    private func machine(maximumCalls: Int = 2) -> ServerConnectionStateMachine {
        var machine = ServerConnectionStateMachine(
            maximumConcurrentCalls: maximumCalls,
            idleTimeout: .seconds(60),
            frameTimeout: .seconds(5),
            now: t0
        )
        machine.prefaceAccepted(now: t0)
        machine.bytesReceived(partial: false, now: t0)
        return machine
    }

    @Test func callIDsMustRise() {
        var machine = machine()
        #expect(machine.requestReceived(callID: 1, now: t0) == .accept)
        #expect(machine.requestReceived(callID: 7, now: t0) == .accept)
        guard case .protocolError(let goAway) = machine.requestReceived(callID: 7, now: t0) else {
            Issue.record("a repeated id is a protocol error")
            return
        }
        #expect(goAway.lastCallId == 7)
        #expect(machine.phase == .draining(reading: false))
    }

    @Test func stopsReadingAtTheCallLimitAndResumesWhenACallEnds() {
        var machine = machine(maximumCalls: 2)
        _ = machine.requestReceived(callID: 1, now: t0)
        machine.callStarted()
        #expect(machine.nextStep(now: t0)?.read == true)
        _ = machine.requestReceived(callID: 2, now: t0)
        machine.callStarted()
        #expect(machine.nextStep(now: t0)?.read == false)
        let wakes = machine.callEnded(now: t0)
        #expect(wakes, "ending a call at the limit wakes the loop")
        #expect(machine.nextStep(now: t0)?.read == true)
    }

    /// A frame left incomplete while the server does not read (at the call limit) is not timed: its clock starts
    /// again when reading resumes.
    @Test func theFrameClockStopsWhileTheServerDoesNotRead() {
        var machine = machine(maximumCalls: 1)
        _ = machine.requestReceived(callID: 1, now: t0)
        machine.callStarted()
        machine.bytesReceived(partial: true, now: t0)
        let later = t0 + .seconds(30)
        #expect(machine.nextStep(now: later)?.until == nil, "no deadline while not reading")
        let fired = machine.timerFired(now: later)
        #expect(fired == .none)
        let wakes = machine.callEnded(now: later)
        #expect(wakes)
        #expect(machine.nextStep(now: later)?.until == later + .seconds(5))
        let expired = machine.timerFired(now: later + .seconds(5))
        #expect(expired != .none, "once reading, a slow frame still times out")
    }

    @Test func drainAnswersCallsTakenThenCloses() {
        var machine = machine()
        _ = machine.requestReceived(callID: 3, now: t0)
        machine.callStarted()
        let goAway = machine.drain(code: .ok, message: "bye")
        #expect(goAway?.lastCallId == 3)
        #expect(machine.drain(code: .ok, message: "again") == nil, "one GOAWAY only")
        #expect(machine.requestReceived(callID: 4, now: t0) == .ignore, "calls after the GOAWAY are not taken")
        #expect(machine.nextStep(now: t0) != nil, "stays open while a call is in flight")
        let closes = machine.callEnded(now: t0)
        #expect(closes)
        #expect(machine.nextStep(now: t0) == nil, "closes when the last call ends")
    }

    @Test func partialFrameTimesOut() {
        var machine = machine()
        machine.bytesReceived(partial: true, now: t0)
        #expect(machine.nextStep(now: t0)?.until == t0 + .seconds(5))
        #expect(machine.timerFired(now: t0 + .seconds(4)) == ServerConnectionStateMachine.TimerAction.none)
        guard case .goAway(let goAway) = machine.timerFired(now: t0 + .seconds(5)) else {
            Issue.record("a partial frame past the frame timeout gets a GOAWAY")
            return
        }
        #expect(goAway.code == RPCError.Code.deadlineExceeded.rawValue)
        #expect(goAway.message.contains("a frame was not completed"))
    }

    @Test func idleTimesOutOnlyWithoutCallsInFlight() {
        var machine = machine()
        _ = machine.requestReceived(callID: 1, now: t0)
        machine.callStarted()
        #expect(machine.nextStep(now: t0)?.until == nil, "no idle timer while a call runs")
        _ = machine.callEnded(now: t0 + .seconds(1))
        #expect(machine.nextStep(now: t0)?.until == t0 + .seconds(61))
        guard case .goAway(let goAway) = machine.timerFired(now: t0 + .seconds(61)) else {
            Issue.record("an idle connection gets a GOAWAY")
            return
        }
        #expect(goAway.code == 0)
    }

    @Test func prefaceMustArriveWithinTheFrameTimeout() {
        var machine = ServerConnectionStateMachine(
            maximumConcurrentCalls: 1,
            idleTimeout: .seconds(60),
            frameTimeout: .seconds(5),
            now: t0
        )
        #expect(machine.nextStep(now: t0)?.until == t0 + .seconds(5))
        #expect(
            machine.timerFired(now: t0 + .seconds(5)) == .closeWithoutReply,
            "no frame may come before the server's preface, and none came: close without a reply"
        )
        #expect(machine.nextStep(now: t0 + .seconds(5)) == nil, "closed")
    }
}
