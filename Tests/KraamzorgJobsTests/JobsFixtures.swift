import Foundation
import Hashing
import Logging
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import SMTPClient
import TestSupport

/// A database of the test's own (senders, deliverers and jobs take every row that is due, so each test
/// sees only what it made) and the background work of one instance on it, built as the executable builds it.
struct JobsDatabase {
    let pool: PostgresPool
    /// For a second instance's pool.
    let url: String
    /// The key webhook secrets are derived from, shared by every instance (as `WEBHOOK_SECRET_KEY` would be).
    let webhookKey = WebhookSecretKey.random()

    static func make() async throws -> JobsDatabase {
        let url = try await TestDatabases.createURL(prefix: "jobs")
        return JobsDatabase(pool: try await TestDatabases.migrated(url: url, poolSize: 8), url: url)
    }

    func close() async { await pool.close() }

    func sender(
        sink: SMTPSink?, policy: RetryPolicy = RetryPolicy(maxAttempts: 3, base: .seconds(60), lease: .seconds(120)),
        instance: UUID = UUID()
    ) -> OutboxSender {
        // No TLS offered by the sink: STARTTLS is tried and the message goes in the clear (CURLUSESSL_TRY).
        let mailer: (any Mailer)? = sink.map { SMTPClient(configuration: .init(host: "127.0.0.1", port: $0.port, timeout: .seconds(5))) }
        return sender(mailer: mailer, policy: policy, instance: instance)
    }

    func sender(
        mailer: (any Mailer)?, policy: RetryPolicy = RetryPolicy(maxAttempts: 3, base: .seconds(60), lease: .seconds(120)),
        instance: UUID = UUID()
    ) -> OutboxSender {
        OutboxSender(
            delivery: OutboxDelivery(pool: pool, policy: policy), mailer: mailer, from: "noreply@kraamzorg.test",
            logger: Logger(level: .error), instance: instance)
    }

    func deliverer(
        policy: RetryPolicy = RetryPolicy(maxAttempts: 5, base: .seconds(60), lease: .seconds(120)), caFile: String? = nil
    ) -> WebhookDeliverer {
        WebhookDeliverer(
            store: webhooks(policy: policy), waitlists: WaitlistStore(pool: pool), clients: ClientStore(pool: pool),
            http: WebhookHTTPClient(timeout: .seconds(5), allowPrivate: true, caFile: caFile), logger: Logger(level: .error))
    }

    func webhooks(policy: RetryPolicy = RetryPolicy(), pool: PostgresPool? = nil) -> WebhookStore {
        WebhookStore(pool: pool ?? self.pool, policy: policy, secretKey: webhookKey)
    }

    func scheduler() -> JobScheduler { standardScheduler(pool) }

    /// A subscription as `POST /v1/webhooks` stores it (the route's checks are the API suite's); returns its id and
    /// signing secret (derived from `webhookKey`, as the 201 shows it).
    func subscribe(organizationId: UUID, url: String, events: [String]) async throws -> (id: UUID, secret: String) {
        let created = try await webhooks().create(organizationId: organizationId, url: url, eventTypes: events.sorted(), createdBy: nil)
        return (created.subscription.id, created.secret)
    }

    /// The register organisation (its members are the admins).
    func registerOrganizationId() async throws -> UUID {
        try await pool.query("SELECT id FROM organizations WHERE kind = 'register'")[0].decode("id")
    }

    func eventsSettled(timeout: Duration = .seconds(60)) async throws { try await TestDatabases.eventsSettled(pool, timeout: timeout) }

    func count(_ sql: PostgresQuery) async throws -> Int {
        try await pool.query(sql)[0].decode(0, as: Int.self)
    }

    func statuses(kind: String? = nil) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await pool.query(
            "SELECT status, count(*)::bigint AS n FROM notifications WHERE (\(kind)::text IS NULL OR kind = \(kind)) GROUP BY status")
        {
            out[try row.decode("status")] = try row.decode("n", as: Int.self)
        }
        return out
    }
}

/// The scheduler the executable builds, on `pool`.
func standardScheduler(_ pool: PostgresPool) -> JobScheduler {
    JobScheduler(
        pool: pool,
        jobs: StandardJobs.all(waitlists: WaitlistStore(pool: pool), clients: ClientStore(pool: pool), register: RegisterStore(pool: pool)),
        logger: Logger(level: .error))
}

/// Noon in the Netherlands on `day`: the moment a job is run for.
func noon(_ day: CivilDate) -> Date { DutchTime.startOfDay(day).addingTimeInterval(12 * 3600) }

/// The fields of group 2 (personal) that an event must not show to an organisation.
let personalFields = ["firstName", "lastName", "email", "phone", "postcode"]
