import FoundationEssentials
import KraamzorgStore
import PostgresClient
import TestSupport

/// A fixture that could not be built (no database, an unexpected row).
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Databases for the suites that work on the store: the shared test database (`DATABASE_URL`, started by
/// `scripts/with-test-postgres.sh`), or a fresh one created next to it, each migrated. The owner
/// (`DATABASE_OWNER_URL`) creates and migrates them and grants the request role; the pools returned log in
/// as the request role (`DATABASE_URL`), like the service's.
public enum TestDatabases {
    /// The shared test database's URL.
    public static func sharedURL() throws -> String {
        guard let url = testDatabaseURL() else { throw FixtureError("DATABASE_URL is not set (run under scripts/with-test-postgres.sh)") }
        return url
    }

    /// The shared test database, migrated once per run. Tests there make their own rows.
    public static let shared = Task<PostgresPool, any Error> { try await migrated(url: try sharedURL(), poolSize: 4) }

    /// Creates an empty database named `<prefix>_<random>` next to the shared one (as the owner); returns its
    /// request role's URL.
    public static func createURL(prefix: String) async throws -> String {
        let url = try sharedURL()
        guard let ownerURL = testDatabaseOwnerURL() else { throw FixtureError("DATABASE_URL is not set") }
        let name = "\(prefix)_\(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(12))"
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: ownerURL))
        try await admin.withConnection { conn in try await conn.simpleQuery(unsafeSQL: "CREATE DATABASE \(name)") }
        await admin.close()
        return databaseURL(url, database: name)
    }

    /// A pool on `url` (the request role), migrated by the owner, who grants the request role.
    public static func migrated(url: String, poolSize: Int = 4) async throws -> PostgresPool {
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = poolSize
        let pool = PostgresPool(configuration: configuration)
        _ = try await DatabaseRoles.migrate(
            requestPool: pool, ownerURL: testOwnerURL(forDatabaseOf: url), requestRole: testDatabaseAppRole())
        return pool
    }

    /// A fresh database of its own, migrated: for the jobs and their workflows, which take every row that is due.
    public static func isolated(prefix: String = "fixtures", poolSize: Int = 4) async throws -> PostgresPool {
        try await migrated(url: try await createURL(prefix: prefix), poolSize: poolSize)
    }

    /// Waits until every event is readable by the feed, the fan-out and the dossier watcher: they see events
    /// only once every older transaction in the cluster has ended (other suites run transactions in parallel).
    /// It waits for the database; it asserts nothing about time.
    public static func eventsSettled(_ pool: PostgresPool, timeout: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock(), deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            let open = try await pool.query(
                "SELECT count(*)::bigint AS n FROM events WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())")[0]
                .decode("n", as: Int.self)
            if open == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw FixtureError("events did not settle")
    }
}
