import Testing
@testable import HTTPServer

/// The connection's state beyond timing (it used to be flags on `Connection`): what is owed, keep-alive,
/// pipelining, backpressure, lingering, draining. The clock is driven by hand.
@Suite("Connection state")
struct ConnectionStateTests {
    typealias Machine = ConnectionStateMachine
    static let timeouts = ConnectionStateMachineTests.timeouts

    /// A machine whose request head (without a body) has just been read.
    static func requestRead(_ clock: ManualClock) -> Machine {
        var machine = Machine(timeouts: timeouts, now: clock.now)
        #expect(machine.received(40, now: clock.now) == .parse)
        machine.headReceived(now: clock.now, expectsBody: false)
        machine.bodyReceived(now: clock.now)
        return machine
    }

    @Test func aKeptAliveResponseLeadsToTheNextRequest() {
        var clock = ManualClock()
        var machine = Self.requestRead(clock)
        #expect(machine.takesRequests)
        machine.handlerStarted()
        #expect(machine.awaitsHandler)
        #expect(!machine.takesRequests)  // pipelined requests wait for this answer
        clock.advance(by: .seconds(100))
        #expect(machine.tick(now: clock.now) == .none)
        #expect(machine.responseReady(now: clock.now, requestKeepAlive: true, closing: false) == true)
        #expect(machine.response == .sending(keepAlive: true))
        #expect(!machine.awaitsHandler && !machine.takesRequests)
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: false) == .nextRequest)
        #expect(machine.phase == .idle)
        #expect(machine.deadline == clock.now + 30_000_000_000)
        #expect(machine.takesRequests)
    }

    @Test func aPipelinedRequestAlreadyBufferedGetsTheHeaderTimeout() {
        var clock = ManualClock()
        var machine = Self.requestRead(clock)
        #expect(machine.responseReady(now: clock.now, requestKeepAlive: true, closing: false) == true)
        clock.advance(by: .seconds(1))
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: true) == .nextRequest)
        #expect(machine.phase == .readingHead(receivedBytes: true))
        clock.advance(by: .seconds(10))
        #expect(machine.tick(now: clock.now) == .requestTimeout)
    }

    @Test func connectionCloseLingersThenClosesAtTheLingerTimeout() {
        var clock = ManualClock()
        var machine = Self.requestRead(clock)
        #expect(machine.responseReady(now: clock.now, requestKeepAlive: false, closing: false) == false)
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: false) == .linger)
        #expect(machine.phase == .lingering)
        #expect(!machine.takesRequests)
        clock.advance(by: .milliseconds(1999))
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(by: .milliseconds(1))
        #expect(machine.tick(now: clock.now) == .close)
        #expect(machine.isClosed)
    }

    @Test func aClosingResponseClosesWhateverTheRequestAsked() {
        let clock = ManualClock()
        var machine = Self.requestRead(clock)
        #expect(machine.responseReady(now: clock.now, requestKeepAlive: true, closing: true) == false)
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: true) == .linger)
    }

    @Test func aPeerThatClosedGetsNoKeepAliveAndNoLingering() {
        let clock = ManualClock()
        var machine = Self.requestRead(clock)
        machine.handlerStarted()
        machine.endOfInput()
        #expect(machine.peerClosed)
        #expect(machine.responseReady(now: clock.now, requestKeepAlive: true, closing: false) == false)
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: false) == .close)
        #expect(machine.isClosed)
    }

    @Test func aPartialRequestAfterTheEndOfInputCloses() {
        let clock = ManualClock()
        var machine = Machine(timeouts: Self.timeouts, now: clock.now)
        #expect(machine.received(10, now: clock.now) == .parse)
        #expect(machine.needsMoreInput() == .none)
        machine.endOfInput()
        #expect(machine.afterReading() == .parse)
        #expect(machine.needsMoreInput() == .close)
        #expect(machine.isClosed)
    }

    @Test func readingPausesWhileAResponseIsOwedAndEnoughIsBuffered() {
        let clock = ManualClock()
        var machine = Self.requestRead(clock)
        let limit = Machine.pendingInputLimit
        #expect(machine.shouldRead(bufferedBytes: limit) == true)  // nothing owed yet: read on
        machine.handlerStarted()
        #expect(machine.shouldRead(bufferedBytes: limit - 1) == true)
        #expect(machine.shouldRead(bufferedBytes: limit) == false)
        #expect(machine.readPaused)
        #expect(machine.responseReady(now: clock.now, requestKeepAlive: true, closing: false) == true)
        #expect(machine.shouldRead(bufferedBytes: limit) == false)  // still owed while it is written
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: true) == .nextRequest)
        #expect(machine.readPaused)  // the loop resumes by reading what was held back
        #expect(machine.shouldRead(bufferedBytes: limit) == true)
        machine.inputDrained()
        #expect(!machine.readPaused)
    }

    @Test func theEndOfInputEndsAPause() {
        let clock = ManualClock()
        var machine = Self.requestRead(clock)
        machine.handlerStarted()
        #expect(machine.shouldRead(bufferedBytes: Machine.pendingInputLimit) == false)
        machine.endOfInput()
        #expect(!machine.readPaused)
    }

    @Test func lingeringDiscardsInputUpToALimitAndClosesWhenThePeerDoes() {
        let clock = ManualClock()
        var machine = Self.requestRead(clock)
        _ = machine.responseReady(now: clock.now, requestKeepAlive: false, closing: false)
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: false) == .linger)
        #expect(machine.received(Machine.lingerDiscardLimit, now: clock.now) == .discard)
        #expect(machine.afterReading() == .discard)
        #expect(machine.received(1, now: clock.now) == .close)
        #expect(machine.isClosed)

        var quiet = Self.requestRead(clock)
        _ = quiet.responseReady(now: clock.now, requestKeepAlive: false, closing: false)
        _ = quiet.outputFlushed(now: clock.now, bufferedBytes: false)
        quiet.endOfInput()
        #expect(quiet.afterReading() == .close)
        #expect(quiet.isClosed)
    }

    @Test func drainingMakesTheNextResponseClose() {
        let clock = ManualClock()
        var busy = Self.requestRead(clock)
        busy.handlerStarted()
        #expect(busy.drain(now: clock.now) == .none)
        #expect(busy.draining)
        #expect(busy.responseReady(now: clock.now, requestKeepAlive: true, closing: false) == false)
        #expect(busy.outputFlushed(now: clock.now, bufferedBytes: false) == .linger)

        var started = Machine(timeouts: Self.timeouts, now: clock.now)
        _ = started.received(5, now: clock.now)  // a request under way finishes
        #expect(started.drain(now: clock.now) == .none)
        #expect(started.phase == .readingHead(receivedBytes: true))

        var lingering = Self.requestRead(clock)
        _ = lingering.responseReady(now: clock.now, requestKeepAlive: false, closing: false)
        _ = lingering.outputFlushed(now: clock.now, bufferedBytes: false)
        #expect(lingering.drain(now: clock.now) == .none)
        #expect(lingering.phase == .lingering)
    }

    @Test func aTimedOutRequestIsAnsweredThenItsWriteIsBounded() {
        var clock = ManualClock()
        var machine = Machine(timeouts: Self.timeouts, now: clock.now)
        _ = machine.received(5, now: clock.now)
        clock.advance(by: .seconds(10))
        #expect(machine.tick(now: clock.now) == .requestTimeout)
        #expect(machine.takesRequests)  // the loop answers 408 through the usual path
        #expect(machine.responseReady(now: clock.now, requestKeepAlive: true, closing: true) == false)
        machine.writeBlocked(now: clock.now)
        #expect(machine.phase == .writing)
        clock.advance(by: .seconds(15))
        #expect(machine.tick(now: clock.now) == .close)
    }

    @Test func aBlocked100ContinueKeepsTheBodyTimeoutAndOwesNothing() {
        var clock = ManualClock()
        var machine = Machine(timeouts: Self.timeouts, now: clock.now)
        _ = machine.received(60, now: clock.now)
        machine.headReceived(now: clock.now, expectsBody: true)
        machine.writeBlocked(now: clock.now)  // the 100 Continue did not leave whole
        #expect(machine.phase == .readingBody)
        #expect(machine.deadline == clock.now + 20_000_000_000)
        clock.advance(by: .seconds(1))
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: false) == .none)
        #expect(machine.phase == .readingBody)
        machine.bodyReceived(now: clock.now)
        machine.handlerStarted()
        // A 100 Continue leaving while the handler runs does not count as its response.
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: false) == .none)
        #expect(machine.awaitsHandler)
    }

    @Test func aClosedConnectionIgnoresLaterEvents() {
        let clock = ManualClock()
        var machine = Self.requestRead(clock)
        machine.handlerStarted()
        machine.closed()
        #expect(!machine.takesRequests)
        #expect(machine.received(10, now: clock.now) == .discard)
        #expect(machine.afterReading() == .discard)
        #expect(machine.outputFlushed(now: clock.now, bufferedBytes: false) == .none)
        machine.writeBlocked(now: clock.now)
        #expect(machine.isClosed && machine.deadline == nil)
    }
}
