import PostgresClient
import Synchronization
import Testing

@Suite(needsDatabase) struct TransactionTests {
    @Test func bodyErrorRollsBackAndIsRethrownAsIs() async throws {
        try await makePool().using { pool in
            let table = uniqueName("rollback")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (id int PRIMARY KEY)")
            await #expect(throws: ExpectedFailure.self) {
                try await pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(1))")
                    throw ExpectedFailure()
                }
            }
            let rows = try await pool.query("SELECT count(*) AS n FROM \(unsafeRaw: table)")
            #expect(try rows[0].decode("n", as: Int.self) == 0)
            #expect(pool.statistics.inUse == 0)
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func successCommitsAndReturnsTheValue() async throws {
        try await makePool().using { pool in
            let table = uniqueName("commit")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (id int PRIMARY KEY)")
            let inserted = try await pool.withTransaction(isolation: .repeatableRead) { connection in
                try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(1)), (\(2))")
            }
            #expect(inserted == 2)
            let rows = try await pool.query("SELECT count(*) AS n FROM \(unsafeRaw: table)")
            #expect(try rows[0].decode("n", as: Int.self) == 2)
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func serializationFailureIsRetriedAndCommitsOnTheSecondAttempt() async throws {
        try await makePool().using { pool in
            let table = uniqueName("retried")
            let function = uniqueName("fail_first")
            try await pool.withConnection { connection in
                try await connection.simpleQuery(
                    unsafeSQL: """
                        CREATE TABLE \(table) (attempt int NOT NULL);
                        CREATE FUNCTION \(function)(attempt int) RETURNS void LANGUAGE plpgsql AS $$
                        BEGIN
                            IF attempt = 1 THEN
                                RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
                            END IF;
                        END $$;
                        """)
            }
            let attempts = Counter()
            let committed = try await pool.withTransaction(isolation: .serializable) { connection in
                let attempt = attempts.increment()
                try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(attempt))")
                _ = try await connection.query("SELECT \(unsafeRaw: function)(\(attempt))")
                return attempt
            }
            #expect(committed == 2)
            #expect(attempts.value == 2)
            let rows = try await pool.query("SELECT attempt FROM \(unsafeRaw: table)")
            #expect(try rows.map { try $0.decode("attempt", as: Int.self) } == [2])
            try await pool.withConnection { connection in
                try await connection.simpleQuery(unsafeSQL: "DROP TABLE \(table); DROP FUNCTION \(function)(int)")
            }
        }
    }

    @Test func realWriteSkewBetweenTwoSerializableTransactionsIsRetried() async throws {
        try await makePool().using { pool in
            let table = uniqueName("oncall")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (doctor text PRIMARY KEY, on_call bool NOT NULL)")
            try await pool.execute("INSERT INTO \(unsafeRaw: table) VALUES ('a', true), ('b', true)")
            // Both read "two on call" before either writes; one of them must fail with 40001 and,
            // retried, see only one left and refuse to go off call.
            let bothRead = Barrier(parties: 2)
            let attempts = Counter()
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for doctor in ["a", "b"] {
                    group.addTask {
                        try await pool.withTransaction(isolation: .serializable, maxAttempts: 3) { connection in
                            let attempt = attempts.increment()
                            let rows = try await connection.query(
                                "SELECT count(*) AS n FROM \(unsafeRaw: table) WHERE on_call")
                            if attempt <= 2 { await bothRead.arrive() }
                            guard try rows[0].decode("n", as: Int.self) > 1 else { return false }
                            try await connection.execute(
                                "UPDATE \(unsafeRaw: table) SET on_call = false WHERE doctor = \(doctor)")
                            return true
                        }
                    }
                }
                var wentOffCall = 0
                for try await result in group where result { wentOffCall += 1 }
                #expect(wentOffCall == 1)
            }
            #expect(attempts.value >= 3)
            let rows = try await pool.query("SELECT count(*) AS n FROM \(unsafeRaw: table) WHERE on_call")
            #expect(try rows[0].decode("n", as: Int.self) == 1)
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func retriesStopAfterMaxAttempts() async throws {
        try await makePool().using { pool in
            let attempts = Counter()
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction(maxAttempts: 2) { connection in
                    attempts.increment()
                    try await connection.simpleQuery(
                        unsafeSQL: "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40P01'; END $$")
                }
            }
            #expect(error?.sqlState == .deadlockDetected)
            #expect(attempts.value == 2)
        }
    }

    @Test func swallowedStatementErrorMakesCommitFail() async throws {
        try await makePool().using { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    _ = try? await connection.query("SELECT 1/0")
                    return 1
                }
            }
            #expect(error?.sqlState == .inFailedTransaction)
        }
    }
}

/// Lets `parties` tasks continue only once all of them have arrived.
final class Barrier: Sendable {
    private let state: Mutex<(count: Int, waiting: [CheckedContinuation<Void, Never>])>
    private let parties: Int

    init(parties: Int) {
        self.parties = parties
        self.state = Mutex((0, []))
    }

    func arrive() async {
        await withCheckedContinuation { continuation in
            let release: [CheckedContinuation<Void, Never>] = state.withLock { state in
                state.count += 1
                state.waiting.append(continuation)
                guard state.count >= parties else { return [] }
                defer { state.waiting = [] }
                return state.waiting
            }
            for waiter in release { waiter.resume() }
        }
    }
}
