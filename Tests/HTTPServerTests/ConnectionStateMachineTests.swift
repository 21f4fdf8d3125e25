import Testing
@testable import HTTPServer

/// A manual clock: nanoseconds that only move when the test says so.
struct ManualClock {
    var now: UInt64 = 1_000_000_000
    mutating func advance(by duration: Duration) { now += duration.nanoseconds }
}

@Suite("Connection timing")
struct ConnectionStateMachineTests {
    static let timeouts = ConnectionStateMachine.Timeouts(
        header: .seconds(10), idle: .seconds(30), body: .seconds(20),
        write: .seconds(15), linger: .seconds(2))

    @Test func closesASilentConnectionAfterTheHeaderTimeout() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        clock.advance(by: .milliseconds(9999))
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(by: .milliseconds(1))
        #expect(machine.tick(now: clock.now) == .close)
        #expect(machine.phase == .closed)
    }

    @Test func answers408WhenAHeadArrivesTooSlowly() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        clock.advance(by: .seconds(3))
        machine.bytesReceived(now: clock.now)  // trickling bytes do not extend the deadline
        clock.advance(by: .seconds(6))
        machine.bytesReceived(now: clock.now)
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(by: .seconds(1))
        #expect(machine.tick(now: clock.now) == .requestTimeout)
    }

    @Test func closesAnIdleKeepAliveConnectionAfterTheIdleTimeout() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        machine.bytesReceived(now: clock.now)
        machine.headReceived(now: clock.now, expectsBody: false)
        #expect(machine.deadline == nil)  // handlers own their time
        clock.advance(by: .seconds(100))
        #expect(machine.tick(now: clock.now) == .none)
        machine.responseWritten(now: clock.now, keepAlive: true, bufferedBytes: false)
        #expect(machine.phase == .idle)
        clock.advance(by: .seconds(29))
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(by: .seconds(1))
        #expect(machine.tick(now: clock.now) == .close)
    }

    @Test func theHeaderTimeoutRestartsWithTheNextRequestsFirstByte() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        machine.headReceived(now: clock.now, expectsBody: false)
        machine.responseWritten(now: clock.now, keepAlive: true, bufferedBytes: false)
        clock.advance(by: .seconds(25))
        machine.bytesReceived(now: clock.now)
        #expect(machine.deadline == clock.now + 10_000_000_000)
        clock.advance(by: .seconds(10))
        #expect(machine.tick(now: clock.now) == .requestTimeout)
    }

    @Test func pipelinedBytesUseTheHeaderTimeout() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        machine.headReceived(now: clock.now, expectsBody: false)
        machine.responseWritten(now: clock.now, keepAlive: true, bufferedBytes: true)
        #expect(machine.phase == .readingHead(receivedBytes: true))
        #expect(machine.deadline == clock.now + 10_000_000_000)
    }

    @Test func answers408WhenTheBodyIsTooSlow() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        machine.bytesReceived(now: clock.now)
        clock.advance(by: .seconds(1))
        machine.headReceived(now: clock.now, expectsBody: true)
        #expect(machine.phase == .readingBody)
        clock.advance(by: .seconds(19))
        machine.bytesReceived(now: clock.now)
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(by: .seconds(1))
        #expect(machine.tick(now: clock.now) == .requestTimeout)
    }

    @Test func aCompleteBodyStopsTheBodyTimer() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        machine.headReceived(now: clock.now, expectsBody: true)
        clock.advance(by: .seconds(5))
        machine.bodyReceived(now: clock.now)
        clock.advance(by: .seconds(60))
        #expect(machine.tick(now: clock.now) == .none)
    }

    @Test func closesAStalledWriterAfterTheWriteTimeout() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        machine.headReceived(now: clock.now, expectsBody: false)
        machine.writeBlocked(now: clock.now)
        clock.advance(by: .seconds(10))
        machine.writeBlocked(now: clock.now)  // progress refreshes the deadline
        clock.advance(by: .seconds(14))
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(by: .seconds(1))
        #expect(machine.tick(now: clock.now) == .close)
    }

    @Test func lingersAtMostTheLingerTimeout() {
        var clock = ManualClock()
        var machine = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        machine.startLingering(now: clock.now)
        machine.bytesReceived(now: clock.now)
        clock.advance(by: .seconds(2))
        #expect(machine.tick(now: clock.now) == .close)
    }

    @Test func drainingClosesIdleConnectionsButNotBusyOnes() {
        let clock = ManualClock()
        var idle = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        idle.headReceived(now: clock.now, expectsBody: false)
        idle.responseWritten(now: clock.now, keepAlive: true, bufferedBytes: false)
        #expect(idle.drain(now: clock.now) == .close)

        var busy = ConnectionStateMachine(timeouts: Self.timeouts, now: clock.now)
        busy.headReceived(now: clock.now, expectsBody: false)
        #expect(busy.drain(now: clock.now) == .none)
        #expect(busy.phase == .processing)
    }
}
