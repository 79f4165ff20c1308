import FilingsCore
import Testing

@testable import FilingsServer

/// A call's life without sockets: answered once, by the first event; its slot released only when its handler
/// has returned.
@Suite struct CallLifecycleTests {
    typealias Actions = CallLifecycle.Actions

    @Test func theHandlersResultIsTheAnswer() {
        var call = CallLifecycle()
        #expect(call.handle(.handlerReturned(.ok)) == Actions(answer: .ok, cancelWork: true, release: true))
        #expect(call.finalStatus == .ok)
        #expect(call.handle(.deadlinePassed) == Actions(), "a released call ignores everything")
    }

    @Test(arguments: [
        (CallLifecycle.Event.deadlinePassed, RPCError.Code?.some(.deadlineExceeded)),
        (.shutDown, .unavailable),
        (.cancelReceived, nil),
        (.connectionLost, nil),
    ])
    func anEarlyEndAnswersOnceAndKeepsTheSlot(event: CallLifecycle.Event, answer: RPCError.Code?) {
        var call = CallLifecycle()
        #expect(call.handle(event) == Actions(answer: answer, cancelWork: true, release: false))
        // Nothing else answers it, and the slot stays taken...
        for later in [CallLifecycle.Event.deadlinePassed, .shutDown, .cancelReceived, .connectionLost] {
            #expect(call.handle(later) == Actions())
        }
        #expect(call.phase == .answered(answer))
        // ...until the handler returns; its late result is not sent.
        #expect(call.handle(.handlerReturned(.ok)) == Actions(answer: nil, cancelWork: true, release: true))
        #expect(call.finalStatus == answer ?? .cancelled)
        #expect(call.handle(.handlerReturned(.ok)) == Actions(), "released once")
    }
}
