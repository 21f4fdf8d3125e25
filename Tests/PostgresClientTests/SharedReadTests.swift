import Foundation
import Synchronization
import Testing
import TestSupport

@testable import PostgresClient

/// `PostgresPool.sharedRead`: one-statement reads share pipelined connections; statements that arrive while a batch
/// is at the server go out together as the next batch.
@Suite(needsDatabase) struct SharedReadTests {
    /// A pool with one shared connection, open before the test starts (it opens in the background on first use).
    private func sharedPool(_ configure: (inout PostgresConfiguration) -> Void = { _ in }) async throws -> PostgresPool {
        let pool = try makePool {
            $0.poolSize = 2
            $0.sharedReadConnections = 1
            configure(&$0)
        }
        _ = try await pool.sharedRead("SELECT 1 AS one")
        try await until("the shared connection is open") { pool.statistics.sharedReadConnections == 1 }
        return pool
    }

    @Test func readsArrivingDuringABatchGoTogetherAndEachGetsItsOwnAnswer() async throws {
        try await sharedPool().using { pool in
            let before = pool.statistics
            try await withThrowingTaskGroup(of: Void.self) { group in
                // At the server for 300 ms: everything below arrives meanwhile and waits for the next batch.
                group.addTask { _ = try await pool.sharedRead("SELECT pg_sleep(\(0.3))") }
                try await Task.sleep(for: .milliseconds(20))
                for value in 0..<400 {
                    group.addTask {
                        let rows = try await pool.sharedRead("SELECT \(value)::int AS n, \("v\(value)")::text AS t")
                        #expect(try rows[0].decode("n", as: Int.self) == value)
                        #expect(try rows[0].decode("t", as: String.self) == "v\(value)")
                    }
                }
                try await group.waitForAll()
            }
            let after = pool.statistics
            #expect(after.sharedReads - before.sharedReads == 401, "every read ran on the shared connection")
            let batches = after.sharedReadBatches - before.sharedReadBatches
            #expect(batches >= 2 && batches <= 1 + 400 / PipelinedConnection.maxBatch + 2, "\(batches) batches")
            #expect(after.open <= 1, "no pool connection was needed (one may remain from opening)")
        }
    }

    /// An error aborts the rest of its batch at the server: the failing read gets its error, the others run again
    /// on the pool and get their answers.
    @Test func anErrorFailsOnlyItsOwnRead() async throws {
        try await sharedPool().using { pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await pool.sharedRead("SELECT pg_sleep(\(0.2))") }
                try await Task.sleep(for: .milliseconds(50))
                for value in 0..<60 {
                    group.addTask {
                        if value == 20 {
                            let error = await #expect(throws: PostgresError.self) {
                                try await pool.sharedRead("SELECT 10 / \(0)::int AS q")
                            }
                            #expect(error?.sqlState == SQLState("22012"))
                            #expect(error?.kind == .server)
                        } else {
                            let rows = try await pool.sharedRead("SELECT 10 * \(value)::int AS q")
                            #expect(try rows[0].decode("q", as: Int.self) == 10 * value)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.sharedRead("SELECT \(5)::int AS n")[0].decode("n", as: Int.self) == 5)
        }
    }

    /// In submission order on one connection: the statement before the error has its rows, the error is its own, and
    /// the statement after it (aborted at the server) is handed back to run elsewhere.
    @Test func anAbortedStatementIsHandedBack() async throws {
        let configuration = try PostgresConfiguration(url: try #require(testDatabaseOwnerURL()))
        let connection = PipelinedConnection(
            id: PoolCore.connectionIDs.add(1, ordering: .relaxed).newValue,
            parameters: configuration.libpqParameters)
        connection.connectIfNeeded()
        try await until("open") { connection.load != nil }
        let outcomes = Mutex<[Int: PipelinedConnection.Outcome]>([:])
        let statements: [PostgresQuery] = [
            "SELECT pg_sleep(\(0.2))", "SELECT \(1)::int AS n", "SELECT 1 / \(0)::int AS n", "SELECT \(3)::int AS n",
        ]
        for (index, statement) in statements.enumerated() {
            connection.submit(statement) { outcome in outcomes.withLock { $0[index] = outcome } }
        }
        try await until("answered") { outcomes.withLock { $0.count } == 4 }
        let answers = outcomes.withLock { $0 }
        guard case .rows(let rows) = answers[1] else { Issue.record("\(String(describing: answers[1]))"); return }
        #expect(try rows[0].decode("n", as: Int.self) == 1)
        guard case .failed(let error) = answers[2] else { Issue.record("\(String(describing: answers[2]))"); return }
        #expect(error.sqlState == SQLState("22012"))
        guard case .elsewhere = answers[3] else { Issue.record("\(String(describing: answers[3]))"); return }
        #expect(connection.counts.batches == 2)
        connection.close()
    }

    /// A slow statement holds its batch at the server: reads that come meanwhile do not wait behind it.
    @Test func readsDoNotWaitBehindASlowStatement() async throws {
        try await sharedPool().using { pool in
            let slow = Task { try await pool.sharedRead("SELECT pg_sleep(\(1.5))") }
            try await Task.sleep(for: .milliseconds(400))
            let started = ContinuousClock.now
            #expect(try await pool.sharedRead("SELECT \(4)::int AS n")[0].decode("n", as: Int.self) == 4)
            #expect(ContinuousClock.now - started < .milliseconds(1000), "answered by the pool, not after the slow one")
            _ = try await slow.value
        }
    }

    @Test func aWriteIsRefused() async throws {
        try await sharedPool().using { pool in
            let table = uniqueName("shared_read")
            try await pool.withConnection { try await $0.simpleQuery(unsafeSQL: "CREATE TABLE \(table) (n int)") }
            let insert = PostgresQuery(unsafeSQL: "INSERT INTO \(table) (n) VALUES (1)")
            let error = await #expect(throws: PostgresError.self) { try await pool.sharedRead(insert) }
            #expect(error?.sqlState == SQLState("25006"), "read_only_sql_transaction")
            let count = try await pool.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int AS n FROM \(table)"))
            #expect(try count[0].decode("n", as: Int.self) == 0)
            try await pool.withConnection { try await $0.simpleQuery(unsafeSQL: "DROP TABLE \(table)") }
        }
    }

    /// The shared connection's backend dies with a read at the server: the read runs again on the pool, and the shared
    /// connection is opened again for later reads.
    @Test func aKilledSharedBackendHandsItsReadToThePoolAndReopens() async throws {
        let admin = try makePool { $0.poolSize = 1 }
        try await sharedPool().using { pool in
            let pid = try await pool.sharedRead("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            let sleeping = Task { try await pool.sharedRead("SELECT pg_sleep(\(0.5)), pg_backend_pid() AS pid") }
            try await Task.sleep(for: .milliseconds(150))
            try await terminate(pid: pid, using: admin)
            let answeredBy = try await sleeping.value[0].decode("pid", as: Int.self)
            #expect(answeredBy != pid, "answered by a pool connection")
            _ = try await pool.sharedRead("SELECT 1 AS one")
            try await until("the shared connection is open again") { pool.statistics.sharedReadConnections == 1 }
            let reopened = try await pool.sharedRead("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            #expect(reopened != pid)
        }
        await admin.close()
    }

    @Test func withoutSharedConnectionsOrWithLargeParametersReadsTakeThePool() async throws {
        try await makePool { $0.sharedReadConnections = 0 }.using { pool in
            let rows = try await pool.sharedRead("SELECT \(3)::int AS n")
            #expect(try rows[0].decode("n", as: Int.self) == 3)
            #expect(pool.statistics.sharedReads == 0)
            #expect(pool.statistics.sharedReadConnections == 0)
        }
        try await sharedPool().using { pool in
            let before = pool.statistics.sharedReads
            let text = String(repeating: "x", count: 100_000)
            let rows = try await pool.sharedRead("SELECT length(\(text)::text) AS n")
            #expect(try rows[0].decode("n", as: Int.self) == 100_000)
            #expect(pool.statistics.sharedReads == before)
        }
    }

    @Test func aClosedPoolRefusesSharedReads() async throws {
        let pool = try await sharedPool()
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.sharedRead("SELECT 1 AS one") }
        #expect(error?.kind == .poolClosed)
        #expect(pool.statistics.sharedReadConnections == 0)
    }
}
