import Foundation
import PostgresClient
import Synchronization
import Testing

@Suite(needsDatabase) struct PoolTests {
    @Test func statementTimeoutCancelsAndTheConnectionStaysUsable() async throws {
        try await makePool {
            $0.poolSize = 1
            $0.statementTimeout = .milliseconds(200)
        }.using { pool in
            // queryCanceled is PostgreSQL's own word that the timeout, not the 2 s sleep, ended the statement.
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(2)") }
            #expect(error?.kind == .server)
            #expect(error?.sqlState == .queryCanceled)
            let rows = try await pool.query("SELECT 1 AS one")
            #expect(try rows[0].decode("one", as: Int.self) == 1)
            #expect(pool.statistics.open == 1)
        }
    }

    @Test func terminatedBackendIsReplaced() async throws {
        let admin = try makePool { $0.poolSize = 1 }
        try await makePool { $0.poolSize = 1 }.using { pool in
            let before = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            try await terminate(pid: before, using: admin)
            let after = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            #expect(after != before)
            #expect(pool.statistics.open == 1)
        }
        await admin.close()
    }

    @Test func queryOnABackendKilledMidStatementFailsWithConnectionError() async throws {
        let admin = try makePool { $0.poolSize = 1 }
        try await makePool { $0.poolSize = 1 }.using { pool in
            let pid = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            let sleeping = Task { try await pool.query("SELECT pg_sleep(5)") }
            try await Task.sleep(for: .milliseconds(200))
            _ = try await admin.query("SELECT pg_terminate_backend(\(pid))")
            let error = await #expect(throws: PostgresError.self) { try await sleeping.value }
            #expect(error?.kind == .connection)
            #expect(pool.statistics.open == 0)
            let rows = try await pool.query("SELECT 1 AS one")
            #expect(try rows[0].decode("one", as: Int.self) == 1)
        }
        await admin.close()
    }

    @Test func poolNeverOpensMoreThanItsSize() async throws {
        try await makePool { $0.poolSize = 2 }.using { pool in
            let maxOpen = Atomic<Int>(0)
            let done = Atomic<Bool>(false)
            let monitor = Task {
                while !done.load(ordering: .relaxed) {
                    let statistics = pool.statistics
                    maxOpen.max(statistics.open, ordering: .relaxed)
                    #expect(statistics.open <= 2)
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        try await pool.query("SELECT \(index)::int AS i, pg_sleep(0.1)")[0].decode("i", as: Int.self)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            done.store(true, ordering: .relaxed)
            await monitor.value
            #expect(results.sorted() == Array(0..<10))
            #expect(maxOpen.load(ordering: .relaxed) == 2)
            let statistics = pool.statistics
            #expect(statistics.open == 2 && statistics.idle == 2 && statistics.inUse == 0 && statistics.waiting == 0)
            #expect(statistics.maxSize == 2)
        }
    }

    @Test func waitingLongerThanAcquireTimeoutThrowsTimeout() async throws {
        try await makePool {
            $0.poolSize = 1
            $0.acquireTimeout = .milliseconds(200)
        }.using { pool in
            async let holder: Void = pool.withConnection { connection in
                _ = try await connection.query("SELECT pg_sleep(1)")
            }
            try await Task.sleep(for: .milliseconds(100))
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.kind == .timeout)
            try await holder
            #expect(pool.statistics.waiting == 0)
            _ = try await pool.query("SELECT 1")
        }
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            async let holder: Void = pool.withConnection { connection in
                _ = try await connection.query("SELECT pg_sleep(0.5)")
            }
            try await Task.sleep(for: .milliseconds(100))
            let waiter = Task { try await pool.query("SELECT 1") }
            try await Task.sleep(for: .milliseconds(50))
            #expect(pool.statistics.waiting == 1)
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(pool.statistics.waiting == 0)
            try await holder
        }
    }

    @Test func closedPoolRefusesWork() async throws {
        let pool = try makePool()
        _ = try await pool.query("SELECT 1")
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .poolClosed)
        #expect(pool.statistics.open == 0)
    }

    @Test func sameQueryTextIsPreparedOnce() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            for value in 0..<50 {
                let rows = try await pool.query("SELECT \(value)::int + 1 AS next")
                #expect(try rows[0].decode("next", as: Int.self) == value + 1)
            }
            let prepared = try await pool.query(
                """
                SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = \("SELECT $1::int + 1 AS next")
                """)
            #expect(try prepared[0].decode("n", as: Int.self) == 1)
            // Lost statements (DEALLOCATE, DISCARD ALL) are prepared again transparently.
            try await pool.withConnection { connection in
                try await connection.simpleQuery(unsafeSQL: "DEALLOCATE ALL")
                let rows = try await connection.query("SELECT \(41)::int + 1 AS next")
                #expect(try rows[0].decode("next", as: Int.self) == 42)
            }
        }
    }

    @Test func changedTableShapeIsPreparedAgain() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            let table = uniqueName("shape")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (a int)")
            try await pool.execute("INSERT INTO \(unsafeRaw: table) VALUES (1)")
            #expect(try await pool.query("SELECT * FROM \(unsafeRaw: table)").columns == ["a"])
            try await pool.execute("ALTER TABLE \(unsafeRaw: table) ADD COLUMN b int")
            #expect(try await pool.query("SELECT * FROM \(unsafeRaw: table)").columns == ["a", "b"])
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func pingAnswersAndStatisticsAreReported() async throws {
        try await makePool().using { pool in
            #expect(await pool.ping())
            let statistics = pool.statistics
            #expect(statistics.open == 1 && statistics.idle == 1 && statistics.maxSize == 10)
        }
    }

    @Test func leftOpenTransactionIsRolledBackOnRelease() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            let table = uniqueName("dangling")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (id int)")
            try await pool.withConnection { connection in
                try await connection.simpleQuery(unsafeSQL: "BEGIN")
                try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (1)")
            }
            let rows = try await pool.query("SELECT count(*) AS n FROM \(unsafeRaw: table)")
            #expect(try rows[0].decode("n", as: Int.self) == 0)
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }
}

/// Terminates a backend and waits until it is gone, so its socket is closed.
func terminate(pid: Int, using admin: PostgresPool) async throws {
    _ = try await admin.query("SELECT pg_terminate_backend(\(pid))")
    for _ in 0..<200 {
        let rows = try await admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = \(pid)")
        if try rows[0].decode("n", as: Int.self) == 0 { break }
        try await Task.sleep(for: .milliseconds(10))
    }
    try await Task.sleep(for: .milliseconds(20))
}

@Suite(needsDatabase) struct CooperativePoolTests {
    /// Swift's cooperative pool has as many threads as cores (2 here). Four queries sleeping in
    /// PostgreSQL at the same moment (seen from a fifth connection), while a task on the cooperative
    /// pool still runs to completion, shows that libpq waits on the connections' own Dispatch queues,
    /// not on cooperative threads. No wall-clock duration is asserted.
    @Test func blockingLibpqCallsDoNotOccupyCooperativeThreads() async throws {
        let observer = try makePool { $0.poolSize = 1 }
        try await makePool { $0.poolSize = 4 }.using { pool in
            let sleepers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 { group.addTask { _ = try await pool.query("SELECT pg_sleep(2), 'cooperative-test' AS tag") } }
                    try await group.waitForAll()
                }
            }
            var together = 0
            for _ in 0..<400 where together < 4 {
                together = try await observer.query(
                    """
                    SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(2), ''cooperative-test''%'
                      AND pid <> pg_backend_pid()
                    """)[0].decode("n", as: Int.self)
                if together < 4 { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(together == 4, "four queries were never in PostgreSQL at once")
            // While all four block in libpq, the cooperative pool still runs other work.
            let worked = await Task { (0..<1000).reduce(0, +) }.value
            #expect(worked == 499_500)
            #expect(pool.statistics.inUse == 4)
            try await sleepers.value
        }
        await observer.close()
    }
}
