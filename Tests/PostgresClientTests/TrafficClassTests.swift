import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// Traffic classes (`PostgresPool.forClass`): a cap per class, the other classes and the pool itself keep the
/// rest; and the connection kept apart for health checks. Connections are held on gates the test opens, and
/// the test waits for the pool's figures rather than for time: no wall-clock duration is asserted.
@Suite(needsDatabase) struct TrafficClassTests {
    @Test func aClassAtItsCapWaitsAndTimesOutWhileOthersAreServed() async throws {
        try await makePool { $0.poolSize = 3 }.using { pool in
            let stuck = pool.forClass(.init(name: "stuck", maxConnections: 2, acquireTimeout: .milliseconds(200)))
            let other = pool.forClass(.init(name: "other", maxConnections: 2, acquireTimeout: .milliseconds(200)))
            let gate = ReleaseGate()
            let holders = (0..<2).map { _ in Task { try await stuck.withConnection { _ in await gate.wait() } } }
            try await until { pool.statistics.inUseByClass["stuck"] == 2 }

            // The third caller of the stuck class waits (a connection is free, but not for it) and gives up.
            let error = await #expect(throws: PostgresError.self) { try await stuck.query("SELECT 1") }
            #expect(error?.kind == .timeout)
            #expect(error?.message.contains("stuck") == true)
            // The other class and the pool itself are served meanwhile, from the third connection.
            #expect(try await other.query("SELECT 2 AS n")[0].decode("n", as: Int.self) == 2)
            #expect(try await pool.query("SELECT 3 AS n")[0].decode("n", as: Int.self) == 3)
            let statistics = pool.statistics
            #expect(statistics.open == 3 && statistics.inUse == 2 && statistics.waiting == 0)
            #expect(statistics.inUseByClass == ["stuck": 2, "other": 0])

            gate.open()
            for holder in holders { try await holder.value }
            #expect(pool.statistics.inUseByClass["stuck"] == 0)
            _ = try await stuck.query("SELECT 1")
        }
    }

    /// Pool of 2, class a capped at 1. While a holds one connection and b the other, a waiter of a and then
    /// one of b queue; when b's connection comes back it goes to b's waiter, past a's (still at its cap).
    @Test func aReturnedConnectionGoesToTheFirstWaiterWhoseClassIsUnderItsCap() async throws {
        try await makePool { $0.poolSize = 2 }.using { pool in
            let a = pool.forClass(.init(name: "a", maxConnections: 1, acquireTimeout: .seconds(30)))
            let b = pool.forClass(.init(name: "b", maxConnections: 2, acquireTimeout: .seconds(30)))
            let gateA = ReleaseGate(), gateB = ReleaseGate()
            let holderA = Task { try await a.withConnection { _ in await gateA.wait() } }
            let holderB = Task { try await b.withConnection { _ in await gateB.wait() } }
            try await until { pool.statistics.inUse == 2 }
            let waiterA = Task { try await a.query("SELECT 'a' AS who")[0].decode("who", as: String.self) }
            try await until { pool.statistics.waiting == 1 }
            let waiterB = Task { try await b.query("SELECT 'b' AS who")[0].decode("who", as: String.self) }
            try await until { pool.statistics.waiting == 2 }

            gateB.open()
            try await holderB.value
            #expect(try await waiterB.value == "b")
            #expect(pool.statistics.waiting == 1, "a's waiter stays queued while a is at its cap")
            #expect(pool.statistics.inUseByClass["a"] == 1)

            gateA.open()
            try await holderA.value
            #expect(try await waiterA.value == "a")
            let statistics = pool.statistics
            #expect(statistics.waiting == 0 && statistics.inUse == 0 && statistics.inUseByClass == ["a": 0, "b": 0])
        }
    }

    @Test func aClassNeverHasMoreThanItsCapLent() async throws {
        try await makePool { $0.poolSize = 4 }.using { pool in
            let capped = pool.forClass(.init(name: "capped", maxConnections: 2, acquireTimeout: .seconds(30)))
            let most = Peak()
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        try await capped.withConnection { connection in
                            most.record(pool.statistics.inUseByClass["capped"] ?? 0)
                            return try await connection.query("SELECT \(index)::int AS i, pg_sleep(0.05)")[0].decode("i", as: Int.self)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(0..<10))
            #expect(most.value == 2)
            #expect(pool.statistics.open <= 2, "the class never needed more than its two connections")
        }
    }

    @Test func aClassRunsWithItsOwnStatementTimeoutAndThePoolWithItsOwn() async throws {
        try await makePool {
            $0.poolSize = 1
            $0.statementTimeout = .seconds(30)
        }.using { pool in
            let quick = pool.forClass(
                .init(name: "quick", maxConnections: 1, acquireTimeout: .seconds(5), statementTimeout: .milliseconds(200)))
            #expect(quick.configuration.statementTimeout == .milliseconds(200))
            #expect(quick.configuration.acquireTimeout == .seconds(5))
            let error = await #expect(throws: PostgresError.self) { try await quick.query("SELECT pg_sleep(2)") }
            #expect(error?.sqlState == .queryCanceled)
            // One connection throughout: the setting follows the class that borrows it.
            let settings = [
                try await quick.query("SHOW statement_timeout")[0].decode(0, as: String.self),
                try await pool.query("SHOW statement_timeout")[0].decode(0, as: String.self),
                try await quick.query("SHOW statement_timeout")[0].decode(0, as: String.self),
            ]
            #expect(settings == ["200ms", "30s", "200ms"])
            #expect(pool.statistics.open == 1)
        }
    }

    /// With every connection lent and a caller queued, a ping answers on the connection kept for health
    /// checks, ahead of the queue and without taking the queued caller's turn.
    @Test func pingAnswersFromTheHealthConnectionWhenThePoolIsTaken() async throws {
        try await makePool {
            $0.poolSize = 1
            $0.acquireTimeout = .seconds(30)
        }.using { pool in
            // Generous timeouts: opening a connection can be slow while every suite starts at once.
            #expect(await pool.ping(timeout: .seconds(30)))
            #expect(pool.statistics.healthConnections == 0, "a free connection answers while there is one")

            let gate = ReleaseGate()
            let holder = Task { try await pool.withConnection { _ in await gate.wait() } }
            try await until { pool.statistics.inUse == 1 }
            let queued = Task { try await pool.query("SELECT 1 AS one")[0].decode("one", as: Int.self) }
            try await until { pool.statistics.waiting == 1 }

            for _ in 0..<5 { #expect(await pool.ping(timeout: .seconds(30))) }
            let statistics = pool.statistics
            #expect(statistics.healthConnections == 1)
            #expect(statistics.open == 1 && statistics.waiting == 1)

            gate.open()
            try await holder.value
            #expect(try await queued.value == 1)
        }
    }

    @Test func pingOnAClosedPoolIsFalse() async throws {
        let pool = try makePool { $0.poolSize = 1 }
        #expect(await pool.ping(timeout: .seconds(30)))
        await pool.close()
        #expect(await pool.ping() == false)
    }
}

/// The largest value recorded, from any task.
final class Peak: Sendable {
    private let atomic = Atomic<Int>(0)
    func record(_ value: Int) { atomic.max(value, ordering: .relaxed) }
    var value: Int { atomic.load(ordering: .relaxed) }
}

/// Polls `condition` (every 5 ms, up to 10 s) and fails the test if it never holds.
func until(_ what: String = "condition", sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool) async throws {
    for _ in 0..<2_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("\(what) never held", sourceLocation: sourceLocation)
    throw ExpectedFailure()
}
