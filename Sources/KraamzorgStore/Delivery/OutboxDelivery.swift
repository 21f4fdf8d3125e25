import FoundationEssentials
import PostgresClient

/// A message claimed for sending.
public struct ClaimedNotification: Sendable {
    public let id: UUID
    public let kind: String
    public let recipient: String
    public let subject: String
    public let body: String
    public let link: String?
    /// Including this one.
    public let attempts: Int
    public let createdAt: Date
}

/// Claims, completes and retries outbox messages. Every method takes `now` so tests drive time.
public struct OutboxDelivery: Sendable {
    let pool: PostgresPool
    public let policy: RetryPolicy

    public init(pool: PostgresPool, policy: RetryPolicy = RetryPolicy()) {
        self.pool = pool
        self.policy = policy
    }

    /// Claims up to `limit` due messages for `instance` (a lease until now + policy.lease) and counts the attempt.
    public func claim(instance: UUID, now: Date, limit: Int = 20) async throws -> [ClaimedNotification] {
        let until = now.addingTimeInterval(policy.leaseSeconds)
        return try await pool.query(
            """
            UPDATE notifications n SET claimed_until = \(until), claimed_by = \(instance), attempts = n.attempts + 1
            WHERE n.id IN (SELECT id FROM notifications
                           WHERE status = 'pending' AND next_attempt_at <= \(now) AND (claimed_until IS NULL OR claimed_until <= \(now))
                           ORDER BY next_attempt_at, created_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING n.id, n.kind, n.recipient, n.subject, n.body, n.link, n.attempts, n.created_at
            """
        ).map {
            ClaimedNotification(
                id: try $0.decode("id"), kind: try $0.decode("kind"), recipient: try $0.decode("recipient"),
                subject: try $0.decode("subject"), body: try $0.decode("body"), link: try $0.decode("link"),
                attempts: try $0.decode("attempts"), createdAt: try $0.decode("created_at"))
        }
    }

    /// Marks a claimed message sent; false when the claim was lost (the lease ran out and another instance took it).
    /// The link (her invitation or client-link token) is cleared in the same UPDATE: once the mail is out, the
    /// token is nowhere at rest in plain text (DOMAIN §8, second round; `notifications_link_only_while_pending`).
    @discardableResult
    public func markSent(_ id: UUID, instance: UUID, now: Date) async throws -> Bool {
        try await pool.execute(
            """
            UPDATE notifications SET status = 'sent', sent_at = \(now), claimed_until = NULL, last_error = NULL, link = NULL
            WHERE id = \(id) AND claimed_by = \(instance) AND status = 'pending'
            """) == 1
    }

    /// Records a failure: retried after the backoff (keeping its link, needed to send it), or `failed` after the
    /// last attempt (or at once when `permanent`), which drops the link: a message given up on needs no token.
    public func markFailed(_ id: UUID, instance: UUID, attempts: Int, error: String, permanent: Bool, now: Date) async throws {
        let final = permanent || attempts >= policy.maxAttempts
        let status = final ? "failed" : "pending"
        let next = now.addingTimeInterval(policy.delay(afterAttempt: attempts))
        _ = try await pool.execute(
            """
            UPDATE notifications SET status = \(status), last_error = \(String(error.prefix(1000))),
                   next_attempt_at = \(next), claimed_until = NULL, link = CASE WHEN \(status) = 'pending' THEN link END
            WHERE id = \(id) AND claimed_by = \(instance) AND status = 'pending'
            """)
    }

    /// Messages waiting to be sent (for logs and metrics).
    public func pendingCount() async throws -> Int {
        try await pool.query("SELECT count(*)::bigint AS n FROM notifications WHERE status = 'pending'")[0].decode("n", as: Int.self)
    }

    /// Backlog for /metrics: outbox messages and webhook deliveries by status (pending and failed only).
    public static func backlog(on pool: PostgresPool) async throws -> [(queue: String, status: String, count: Int)] {
        try await pool.query(
            """
            SELECT 'email' AS queue, status, count(*)::bigint AS n FROM notifications WHERE status <> 'sent' GROUP BY status
            UNION ALL
            SELECT 'webhook', status, count(*)::bigint FROM webhook_deliveries WHERE status <> 'delivered' GROUP BY status
            """
        ).map { (try $0.decode("queue"), try $0.decode("status"), try $0.decode("n", as: Int.self)) }
    }
}
