import PostgresClient
import Testing

/// `PostgresTransactionSettings`: a task's settings are set, transaction-local, in every transaction it opens,
/// and in no other (the connection goes back to the pool without them).
@Suite(needsDatabase) struct TransactionSettingsTests {
    static let name = "kraamzorg_test.trace"

    func current(_ pool: PostgresPool) async throws -> String? {
        try await pool.withTransaction { connection in
            try await connection.query("SELECT nullif(current_setting(\(Self.name), true), '') AS v")[0].decode("v", as: String?.self)
        }
    }

    @Test func aTasksSettingsHoldInItsTransactionsOnly() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            #expect(try await current(pool) == nil)
            let inside = try await PostgresTransactionSettings.$current.withValue([.init(name: Self.name, value: "it's 'quoted'")]) {
                try await current(pool)
            }
            #expect(inside == "it's 'quoted'")
            // The same (only) connection, afterwards: transaction-local, so gone.
            #expect(try await current(pool) == nil)
            let plain = try await pool.query("SELECT nullif(current_setting(\(Self.name), true), '') AS v")[0].decode("v", as: String?.self)
            #expect(plain == nil)
        }
    }
}
