import Foundation
import Testing
import TestSupport

@testable import PostgresClient

/// Statements a connection has prepared are sent from the caller's thread and answered through the reactor
/// (`PostgresReactor`); the first run of a statement, large parameters and lost statements take the connection's queue.
@Suite(needsDatabase) struct SentStatementTests {
    @Test func aPreparedStatementIsAnsweredThroughTheReactor() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            try await pool.withConnection { connection in
                for value in 0..<20 {
                    let rows = try await connection.query("SELECT \(value)::int * 2 AS twice")
                    #expect(try rows[0].decode("twice", as: Int.self) == value * 2)
                }
                #expect(connection.preparedStatementCount == 1)
                #expect(connection.reactorAnswerCount == 19, "all but the first run, which prepared it")
                #expect(try await connection.execute("SELECT generate_series(1, \(3)::int)") == 3)
                #expect(try await connection.execute("SELECT generate_series(1, \(4)::int)") == 4)
            }
        }
    }

    @Test func concurrentCallersGetTheirOwnAnswers() async throws {
        try await makePool { $0.poolSize = 8 }.using { pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for value in 0..<400 {
                    group.addTask {
                        let rows = try await pool.query("SELECT \(value)::int AS n, \("v\(value)")::text AS t")
                        #expect(try rows[0].decode("n", as: Int.self) == value)
                        #expect(try rows[0].decode("t", as: String.self) == "v\(value)")
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// DISCARD ALL drops the statements on the server: the answer says so, and the query is prepared again.
    @Test func aDiscardedStatementIsPreparedAgain() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            try await pool.withConnection { connection in
                for _ in 0..<2 { _ = try await connection.query("SELECT \(1)::int AS one") }
                try await connection.simpleQuery(unsafeSQL: "DISCARD ALL")
                #expect(try await connection.query("SELECT \(7)::int AS one")[0].decode("one", as: Int.self) == 7)
                #expect(connection.preparedStatementCount == 2)
                #expect(try await connection.query("SELECT \(8)::int AS one")[0].decode("one", as: Int.self) == 8)
            }
        }
    }

    /// Inside a transaction the lost statement aborted it: the error is the caller's, not retried.
    @Test func aStatementLostInsideATransactionFails() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            try await pool.withConnection { connection in
                for _ in 0..<2 { _ = try await connection.query("SELECT \(1)::int AS one") }
                try await connection.simpleQuery(unsafeSQL: "BEGIN")
                try await connection.simpleQuery(unsafeSQL: "DEALLOCATE ALL")
                let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT \(2)::int AS one") }
                #expect(error?.sqlState == .invalidSQLStatementName)
                try await connection.simpleQuery(unsafeSQL: "ROLLBACK")
                #expect(try await connection.query("SELECT \(3)::int AS one")[0].decode("one", as: Int.self) == 3)
            }
        }
    }

    @Test func aServerErrorLeavesTheConnectionUsable() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            try await pool.withConnection { connection in
                _ = try await connection.query("SELECT 10 / \(1)::int AS q")
                let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 10 / \(0)::int AS q") }
                #expect(error?.kind == .server)
                #expect(error?.sqlState == SQLState("22012"))
                #expect(try await connection.query("SELECT 10 / \(5)::int AS q")[0].decode("q", as: Int.self) == 2)
                #expect(connection.transactionStatus == .idle)
            }
        }
    }

    @Test func aBackendKilledWhileTheReactorWaitsFailsWithConnectionError() async throws {
        let admin = try makePool { $0.poolSize = 1 }
        try await makePool { $0.poolSize = 1 }.using { pool in
            let pid = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            _ = try await pool.query("SELECT pg_sleep(\(0.0))")
            let sleeping = Task { try await pool.query("SELECT pg_sleep(\(5.0))") }
            try await Task.sleep(for: .milliseconds(200))
            try await terminate(pid: pid, using: admin)
            let error = await #expect(throws: PostgresError.self) { try await sleeping.value }
            #expect(error?.kind == .connection)
            #expect(pool.statistics.open == 0)
            #expect(try await pool.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
        }
        await admin.close()
    }

    @Test func largeParametersTakeTheQueue() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            try await pool.withConnection { connection in
                let text = String(repeating: "x", count: 100_000)
                for _ in 0..<2 {
                    let rows = try await connection.query("SELECT length(\(text)::text) AS n")
                    #expect(try rows[0].decode("n", as: Int.self) == 100_000)
                }
                #expect(connection.reactorAnswerCount == 0)
            }
        }
    }
}
