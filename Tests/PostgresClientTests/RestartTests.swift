import PostgresClient
import Testing
import TestSupport

/// Stops and starts a private cluster, never the shared one.
@Suite struct RestartTests {
    @Test func poolHealsAfterTheServerRestarts() async throws {
        let cluster = try await offCooperativePool { try PostgresTestCluster() }
        defer { cluster.remove() }
        try await offCooperativePool { try cluster.start() }
        var configuration = try PostgresConfiguration(url: cluster.url)
        configuration.poolSize = 3
        configuration.connectTimeout = .seconds(2)
        let pool = PostgresPool(configuration: configuration)

        #expect(await pool.ping())
        _ = try await pool.query("SELECT 1")

        try await offCooperativePool { try cluster.stop() }
        #expect(await pool.ping() == false)
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .connection)
        #expect(pool.statistics.open == 0)

        try await offCooperativePool { try cluster.start() }
        #expect(await pool.ping())
        let rows = try await pool.query("SELECT 2 AS two")
        #expect(try rows[0].decode("two", as: Int.self) == 2)
        await pool.close()
    }
}
