import FoundationEssentials
import PostgresClient

public struct WebhookSubscriptionRow: Sendable {
    public let id: UUID
    public let organizationId: UUID
    public let url: String
    public let eventTypes: [String]
    public let createdAt: Date
}

public struct WebhookDeliveryRow: Sendable {
    public let id: UUID
    public let subscriptionId: UUID
    public let eventId: UUID
    public let eventType: String
    public let status: String
    public let attempts: Int
    public let lastStatus: Int?
    public let lastError: String?
    public let createdAt: Date
    public let deliveredAt: Date?
}

/// A subscription just made, with its signing secret: the one time the secret is in hand outside a delivery.
public struct CreatedWebhookSubscription: Sendable {
    public let subscription: WebhookSubscriptionRow
    public let secret: String
}

/// A delivery claimed for sending, with what is needed to send it.
public struct ClaimedDelivery: Sendable {
    public let id: UUID
    public let subscriptionId: UUID
    public let url: String
    /// Derived from the server key and the subscription's salt for this delivery; never stored.
    public let secret: String
    public let organizationId: UUID
    public let event: DomainEventRow
    public let attempts: Int
    /// The W3C `traceparent` of the request whose change wrote the event (migration 0024), passed on to the receiver.
    public let traceparent: String?
}

/// A subscription locked for fan-out.
public struct FanoutSubscription: Sendable {
    public let id: UUID
    public let organizationId: UUID
    public let eventTypes: [String]
    public let cursor: EventCursor
}

/// Webhook subscriptions and their deliveries (the same claim/lease/backoff pattern as the outbox).
/// A subscription's signing secret is not stored: its row keeps a random salt, and the secret is derived
/// from `secretKey` when the subscription is made and when a delivery is claimed (`WebhookSecretKey`).
public struct WebhookStore: Sendable {
    let pool: PostgresPool
    public let policy: RetryPolicy
    let secretKey: WebhookSecretKey

    public init(pool: PostgresPool, policy: RetryPolicy = RetryPolicy(), secretKey: WebhookSecretKey) {
        self.pool = pool
        self.policy = policy
        self.secretKey = secretKey
    }

    // MARK: subscriptions

    /// A new subscription with a fresh salt (PostgreSQL's strong random source, migration 0009) and its secret.
    public func create(organizationId: UUID, url: String, eventTypes: [String], createdBy: UUID?) async throws -> CreatedWebhookSubscription
    {
        let row = try await pool.query(
            """
            INSERT INTO webhook_subscriptions (organization_id, url, event_types, created_by)
            VALUES (\(organizationId), \(url), \(eventTypes), \(createdBy))
            RETURNING id, organization_id, url, event_types, created_at, secret_salt
            """)[0]
        let subscription = try Self.subscription(row)
        return CreatedWebhookSubscription(
            subscription: subscription,
            secret: secretKey.secret(subscriptionId: subscription.id, salt: try row.decode("secret_salt")))
    }

    public func subscriptions(organizationId: UUID?) async throws -> [WebhookSubscriptionRow] {
        try await pool.query(
            """
            SELECT id, organization_id, url, event_types, created_at FROM webhook_subscriptions
            WHERE deleted_at IS NULL AND (\(organizationId)::uuid IS NULL OR organization_id = \(organizationId))
            ORDER BY created_at, id
            """
        ).map(Self.subscription)
    }

    public func subscription(id: UUID) async throws -> WebhookSubscriptionRow? {
        try await pool.query(
            """
            SELECT id, organization_id, url, event_types, created_at FROM webhook_subscriptions WHERE id = \(id) AND deleted_at IS NULL
            """
        ).map(Self.subscription).first
    }

    /// Stops a subscription; pending deliveries are not sent any more.
    public func delete(id: UUID) async throws {
        try await pool.withTransaction { conn in
            _ = try await conn.execute("UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = \(id) AND deleted_at IS NULL")
            _ = try await conn.execute(
                """
                UPDATE webhook_deliveries SET status = 'failed', last_error = 'subscription deleted', claimed_until = NULL
                WHERE subscription_id = \(id) AND status = 'pending'
                """)
        }
    }

    public func deliveries(subscriptionId: UUID, limit: Int = 200) async throws -> [WebhookDeliveryRow] {
        try await pool.query(
            """
            SELECT d.id, d.subscription_id, e.id AS event_id, e.type, d.status, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at
            FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
            WHERE d.subscription_id = \(subscriptionId) ORDER BY d.created_at DESC, d.id LIMIT \(limit)
            """
        ).map {
            WebhookDeliveryRow(
                id: try $0.decode("id"), subscriptionId: try $0.decode("subscription_id"), eventId: try $0.decode("event_id"),
                eventType: try $0.decode("type"), status: try $0.decode("status"), attempts: try $0.decode("attempts"),
                lastStatus: try $0.decode("last_status"), lastError: try $0.decode("last_error"),
                createdAt: try $0.decode("created_at"), deliveredAt: try $0.decode("delivered_at"))
        }
    }

    static func subscription(_ r: PostgresRow) throws -> WebhookSubscriptionRow {
        WebhookSubscriptionRow(
            id: try r.decode("id"), organizationId: try r.decode("organization_id"), url: try r.decode("url"),
            eventTypes: try r.decode("event_types"), createdAt: try r.decode("created_at"))
    }

    // MARK: fan-out

    /// Locks one subscription at a time (SKIP LOCKED, so instances share the work), lets `body` pick the
    /// events after its cursor that it may receive, inserts those as deliveries, and moves the cursor, all
    /// in one transaction. Returns the number of deliveries created.
    public func fanOut(
        now: Date, limit: Int = 500,
        select: @escaping @Sendable (FanoutSubscription, [DomainEventRow]) async throws -> [DomainEventRow]
    ) async throws -> Int {
        let ids: [UUID] = try await pool.query("SELECT id FROM webhook_subscriptions WHERE deleted_at IS NULL").map { try $0.decode("id") }
        var created = 0
        for id in ids {
            created += try await pool.withTransaction { conn in
                guard
                    let s = try await conn.query(
                        """
                        SELECT id, organization_id, event_types, cursor_txid::text AS cursor_txid, cursor_seq FROM webhook_subscriptions
                        WHERE id = \(id) AND deleted_at IS NULL FOR UPDATE SKIP LOCKED
                        """
                    ).first
                else { return 0 }
                let sub = FanoutSubscription(
                    id: try s.decode("id"), organizationId: try s.decode("organization_id"),
                    eventTypes: try s.decode("event_types"),
                    cursor: EventCursor(txid: try s.decode("cursor_txid"), seq: try s.decode("cursor_seq")))
                let events = try await conn.query(
                    """
                    SELECT seq, id, txid::text AS txid, type, occurred_at, client_id, practitioner_id, organization_id, data::text AS data
                    FROM events
                    WHERE (txid, seq) > (\(sub.cursor.txid)::xid8, \(sub.cursor.seq)::bigint)
                      AND txid < pg_snapshot_xmin(pg_current_snapshot())
                    ORDER BY txid, seq LIMIT \(limit)
                    """
                ).map(DomainEvents.row)
                guard let last = events.last else { return 0 }
                let chosen = try await select(sub, events.filter { sub.eventTypes.contains($0.type) })
                var n = 0
                if !chosen.isEmpty {
                    n = try await conn.execute(
                        """
                        INSERT INTO webhook_deliveries (subscription_id, event_seq, next_attempt_at)
                        SELECT \(sub.id), unnest(\(chosen.map(\.seq))::bigint[]), \(now) ON CONFLICT DO NOTHING
                        """)
                }
                _ = try await conn.execute(
                    """
                    UPDATE webhook_subscriptions SET cursor_txid = \(last.txid)::xid8, cursor_seq = \(last.seq) WHERE id = \(sub.id)
                    """)
                return n
            }
        }
        return created
    }

    // MARK: deliveries

    public func claim(instance: UUID, now: Date, limit: Int = 20) async throws -> [ClaimedDelivery] {
        let until = now.addingTimeInterval(policy.leaseSeconds)
        return try await pool.query(
            """
            WITH claimed AS (
                UPDATE webhook_deliveries d SET claimed_until = \(until), claimed_by = \(instance), attempts = d.attempts + 1
                WHERE d.id IN (SELECT id FROM webhook_deliveries
                               WHERE status = 'pending' AND next_attempt_at <= \(now) AND (claimed_until IS NULL OR claimed_until <= \(now))
                               ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.subscription_id, d.event_seq, d.attempts)
            SELECT c.id AS delivery_id, c.subscription_id, c.attempts, s.url, s.secret_salt, s.organization_id AS subscriber_id,
                   e.seq, e.id, e.txid::text AS txid, e.type, e.occurred_at, e.client_id, e.practitioner_id, e.organization_id, e.data::text AS data,
                   e.traceparent
            FROM claimed c JOIN webhook_subscriptions s ON s.id = c.subscription_id JOIN events e ON e.seq = c.event_seq
            """
        ).map {
            let subscriptionId: UUID = try $0.decode("subscription_id")
            return ClaimedDelivery(
                id: try $0.decode("delivery_id"), subscriptionId: subscriptionId, url: try $0.decode("url"),
                secret: secretKey.secret(subscriptionId: subscriptionId, salt: try $0.decode("secret_salt")),
                organizationId: try $0.decode("subscriber_id"), event: try DomainEvents.row($0), attempts: try $0.decode("attempts"),
                traceparent: try $0.decode("traceparent"))
        }
    }

    @discardableResult
    public func markDelivered(_ id: UUID, instance: UUID, status: Int, now: Date) async throws -> Bool {
        try await pool.execute(
            """
            UPDATE webhook_deliveries SET status = 'delivered', delivered_at = \(now), last_status = \(status), last_error = NULL, claimed_until = NULL
            WHERE id = \(id) AND claimed_by = \(instance) AND status = 'pending'
            """) == 1
    }

    public func markFailed(_ id: UUID, instance: UUID, attempts: Int, status: Int?, error: String, permanent: Bool, now: Date) async throws
    {
        let final = permanent || attempts >= policy.maxAttempts
        let next = now.addingTimeInterval(policy.delay(afterAttempt: attempts))
        _ = try await pool.execute(
            """
            UPDATE webhook_deliveries SET status = \(final ? "failed" : "pending"), last_status = \(status), last_error = \(String(error.prefix(1000))),
                   next_attempt_at = \(next), claimed_until = NULL
            WHERE id = \(id) AND claimed_by = \(instance) AND status = 'pending'
            """)
    }
}
