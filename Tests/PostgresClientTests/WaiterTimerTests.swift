import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// The waiters' one timer (`PoolCore`): each waiter still gives up at its own `acquireTimeout`, whatever the
/// order in which waiters of different timeouts arrive, and a waiter served in time leaves the timer to the next.
/// Connections are held on gates; what is asserted is the order of events, not their durations.
@Suite(needsDatabase) struct WaiterTimerTests {
    /// A waiter with a long timeout queues first, then one with a short timeout: the second gives up first,
    /// while the first still waits; then the first gives up too.
    @Test func aLaterWaiterWithAShorterTimeoutGivesUpFirst() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            let patient = pool.forClass(.init(name: "patient", maxConnections: 1, acquireTimeout: .milliseconds(1_500)))
            let hasty = pool.forClass(.init(name: "hasty", maxConnections: 1, acquireTimeout: .milliseconds(150)))
            let gate = ReleaseGate()
            let holder = Task { try await pool.withConnection { _ in await gate.wait() } }
            try await until { pool.statistics.inUse == 1 }

            let first = Task { try await patient.query("SELECT 1") }
            try await until { pool.statistics.waiting == 1 }
            let error = await #expect(throws: PostgresError.self) { try await hasty.query("SELECT 2") }
            #expect(error?.kind == .timeout)
            #expect(error?.message.contains("hasty") == true)
            #expect(pool.statistics.waiting == 1, "the patient waiter still waits")

            let late = await #expect(throws: PostgresError.self) { _ = try await first.value }
            #expect(late?.kind == .timeout)
            #expect(pool.statistics.waiting == 0)
            gate.open()
            try await holder.value
            _ = try await hasty.query("SELECT 3")
        }
    }

    /// A waiter is served before its deadline; a later one, still waiting when the timer set for the first fires,
    /// gives up at its own deadline (the timer set itself again) instead of waiting until a connection comes back.
    @Test func aServedWaiterLeavesTheTimerToTheNext() async throws {
        try await makePool {
            $0.poolSize = 1
            $0.acquireTimeout = .milliseconds(300)
        }.using { pool in
            let firstGate = ReleaseGate()
            let firstHolder = Task { try await pool.withConnection { _ in await firstGate.wait() } }
            try await until { pool.statistics.inUse == 1 }
            let served = Task { try await pool.query("SELECT 'served' AS s")[0].decode("s", as: String.self) }
            try await until { pool.statistics.waiting == 1 }
            firstGate.open()
            try await firstHolder.value
            #expect(try await served.value == "served")

            let secondGate = ReleaseGate()
            let secondHolder = Task { try await pool.withConnection { _ in await secondGate.wait() } }
            try await until { pool.statistics.inUse == 1 }
            // Had the timer not set itself again, this waiter would be served once the gate opens, 5 s from now.
            let opener = Task {
                try await Task.sleep(for: .seconds(5))
                secondGate.open()
            }
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.kind == .timeout)
            secondGate.open()
            opener.cancel()
            try await secondHolder.value
            #expect(pool.statistics.waiting == 0)
        }
    }
}
