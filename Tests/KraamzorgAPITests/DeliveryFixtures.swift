import Foundation
import Logging
import KraamzorgJobs
import KraamzorgStore
import PostgresClient
import TestSupport

/// A fresh database of its own (created next to the shared test database), so that the event feed, the
/// outbox view and the job routes see only what the test made.
enum IsolatedDatabase {
    /// Created by the owner (`DATABASE_OWNER_URL`); the URL returned logs in as the request role.
    static func url() async throws -> String {
        guard let shared = testDatabaseURL(), let owner = testDatabaseOwnerURL() else { throw TestAppError.noDatabase }
        let name = "jobs_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: owner))
        try await admin.withConnection { conn in try await conn.simpleQuery(unsafeSQL: "CREATE DATABASE \(name)") }
        await admin.close()
        return databaseURL(shared, database: name)
    }

    /// A whole service (HTTP + stores) on its own database.
    static func app() async throws -> TestApp {
        try await TestApp.start(databaseURL: try await url())
    }
}

extension TestApp {
    /// Waits until every event is readable by the feed and the fan-out: they show events only once every
    /// older transaction in the cluster has ended (other suites run transactions in parallel).
    func eventsSettled(timeout: Duration = .seconds(60)) async throws {
        let clock = ContinuousClock(), deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            let open = try await count("SELECT count(*)::bigint FROM events WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())")
            if open == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestAppError.fixture("events did not settle")
    }
}

/// The scheduler the executable builds, on `pool`.
func standardScheduler(_ pool: PostgresPool) -> JobScheduler {
    JobScheduler(
        pool: pool,
        jobs: StandardJobs.all(waitlists: WaitlistStore(pool: pool), clients: ClientStore(pool: pool), register: RegisterStore(pool: pool)),
        logger: Logger(level: .error))
}
