import FoundationEssentials
import PostgresClient

public struct WebhookDeliveryRow: Sendable {
    public let id: UUID
    public let subscriptionId: UUID
    /// `event`, `ping` or `redelivery`.
    public let kind: String
    public let eventId: UUID?
    /// The event's type; `ping` for a ping.
    public let eventType: String
    public let status: String
    public let attempts: Int
    public let lastStatus: Int?
    public let lastError: String?
    public let createdAt: Date
    public let deliveredAt: Date?
    public let redeliveryOf: UUID?
}

/// A delivery claimed for sending, with what is needed to send it.
public struct ClaimedDelivery: Sendable {
    public let id: UUID
    public let subscriptionId: UUID
    public let kind: String
    public let url: String
    /// Derived from the server key and the subscription's salt for this delivery; never stored.
    public let secret: String
    /// The secret before a rotation, while it still signs too (24 hours).
    public let previousSecret: String?
    public let organizationId: UUID
    /// nil for a ping.
    public let event: DomainEventRow?
    public let attempts: Int
    public let createdAt: Date
    /// The W3C `traceparent` of the request whose change wrote the event (migration 0024), passed on to the receiver.
    public let traceparent: String?
}

/// A subscription locked for fan-out.
public struct FanoutSubscription: Sendable {
    public let id: UUID
    public let organizationId: UUID
    public let eventTypes: [String]
    public let active: Bool
    public let cursor: EventCursor

    /// Whether the subscription asked for events of `type` (`*`: all).
    public func wants(_ type: String) -> Bool { active && (eventTypes.contains("*") || eventTypes.contains(type)) }
}

extension WebhookStore {
    static let deliveryColumns = """
        d.id, d.subscription_id, d.kind, e.id AS event_id, coalesce(e.type, 'ping') AS type, d.status, d.attempts, d.last_status,
        d.last_error, d.created_at, d.delivered_at, d.redelivery_of
        """

    static func delivery(_ r: PostgresRow) throws -> WebhookDeliveryRow {
        WebhookDeliveryRow(
            id: try r.decode("id"), subscriptionId: try r.decode("subscription_id"), kind: try r.decode("kind"),
            eventId: try r.decode("event_id"), eventType: try r.decode("type"), status: try r.decode("status"),
            attempts: try r.decode("attempts"), lastStatus: try r.decode("last_status"), lastError: try r.decode("last_error"),
            createdAt: try r.decode("created_at"), deliveredAt: try r.decode("delivered_at"), redeliveryOf: try r.decode("redelivery_of"))
    }

    public func deliveries(subscriptionId: UUID, limit: Int = 200) async throws -> [WebhookDeliveryRow] {
        try await pool.query(
            """
            SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries d LEFT JOIN events e ON e.seq = d.event_seq
            WHERE d.subscription_id = \(subscriptionId) ORDER BY d.created_at DESC, d.id LIMIT \(limit)
            """
        ).map(Self.delivery)
    }

    public func delivery(id: UUID, subscriptionId: UUID) async throws -> WebhookDeliveryRow? {
        try await pool.query(
            """
            SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries d LEFT JOIN events e ON e.seq = d.event_seq
            WHERE d.id = \(id) AND d.subscription_id = \(subscriptionId)
            """
        ).map(Self.delivery).first
    }

    /// A `ping` delivery, due now.
    public func ping(subscriptionId: UUID, now: Date) async throws -> WebhookDeliveryRow {
        let id: UUID = try await pool.query(
            """
            INSERT INTO webhook_deliveries (subscription_id, kind, next_attempt_at, created_at)
            VALUES (\(subscriptionId), 'ping', \(now), \(now)) RETURNING id
            """)[0].decode("id")
        return try await delivery(id: id, subscriptionId: subscriptionId)!
    }

    /// A new delivery of the same event (or a new ping), due now; the original stays in the log as it was.
    public func redeliver(deliveryId: UUID, subscriptionId: UUID, now: Date) async throws -> WebhookDeliveryRow? {
        guard
            let id: UUID = try await pool.query(
                """
                INSERT INTO webhook_deliveries (subscription_id, kind, event_seq, redelivery_of, next_attempt_at, created_at)
                SELECT o.subscription_id, CASE WHEN o.kind = 'ping' THEN 'ping' ELSE 'redelivery' END, o.event_seq, o.id, \(now), \(now)
                FROM webhook_deliveries o WHERE o.id = \(deliveryId) AND o.subscription_id = \(subscriptionId)
                RETURNING id
                """
            ).first?.decode("id")
        else { return nil }
        return try await delivery(id: id, subscriptionId: subscriptionId)
    }

    // MARK: fan-out

    /// Locks one subscription at a time (SKIP LOCKED, so instances share the work), lets `body` pick the
    /// events after its cursor that it may receive, inserts those as deliveries, and moves the cursor, all
    /// in one transaction. Returns the number of deliveries created. A subscription that is switched off gets
    /// none (its cursor moves on: it receives what happens after it is switched on again).
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
                        SELECT id, organization_id, event_types, active, cursor_txid::text AS cursor_txid, cursor_seq FROM webhook_subscriptions
                        WHERE id = \(id) AND deleted_at IS NULL FOR UPDATE SKIP LOCKED
                        """
                    ).first
                else { return 0 }
                let sub = FanoutSubscription(
                    id: try s.decode("id"), organizationId: try s.decode("organization_id"),
                    eventTypes: try s.decode("event_types"), active: try s.decode("active"),
                    cursor: EventCursor(txid: try s.decode("cursor_txid"), seq: try s.decode("cursor_seq")))
                let events = try await conn.query(
                    """
                    SELECT \(unsafeRaw: DomainEvents.columns) FROM events
                    WHERE (txid, seq) > (\(sub.cursor.txid)::xid8, \(sub.cursor.seq)::bigint)
                      AND txid < pg_snapshot_xmin(pg_current_snapshot())
                    ORDER BY events.txid, events.seq LIMIT \(limit)
                    """
                ).map(DomainEvents.row)
                guard let last = events.last else { return 0 }
                let wanted = events.filter { sub.wants($0.type) }
                let chosen = wanted.isEmpty ? [] : try await select(sub, wanted)
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

    /// Claims due deliveries of active subscriptions. Event deliveries go out in event order per subscription:
    /// only the first pending one (in (txid, seq) order) of a subscription can be claimed, so a later event
    /// never overtakes one that is still being retried. Pings and redeliveries are sent when due.
    public func claim(instance: UUID, now: Date, limit: Int = 20) async throws -> [ClaimedDelivery] {
        let until = now.addingTimeInterval(policy.leaseSeconds)
        return try await pool.query(
            """
            WITH heads AS (
                SELECT DISTINCT ON (d.subscription_id) d.id
                FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
                WHERE d.status = 'pending' AND d.kind = 'event'
                ORDER BY d.subscription_id, e.txid, e.seq),
            candidates AS (
                SELECT id FROM heads
                UNION ALL
                SELECT id FROM webhook_deliveries WHERE status = 'pending' AND kind <> 'event'),
            claimed AS (
                UPDATE webhook_deliveries d SET claimed_until = \(until), claimed_by = \(instance), attempts = d.attempts + 1
                WHERE d.id IN (SELECT w.id FROM webhook_deliveries w JOIN webhook_subscriptions s ON s.id = w.subscription_id
                               WHERE w.id IN (SELECT id FROM candidates) AND s.active AND s.deleted_at IS NULL
                                 AND w.status = 'pending' AND w.next_attempt_at <= \(now)
                                 AND (w.claimed_until IS NULL OR w.claimed_until <= \(now))
                               ORDER BY w.next_attempt_at LIMIT \(limit) FOR UPDATE OF w SKIP LOCKED)
                RETURNING d.id, d.subscription_id, d.event_seq, d.attempts, d.kind, d.created_at AS delivery_created_at)
            SELECT c.id AS delivery_id, c.subscription_id, c.attempts, c.kind AS delivery_kind, c.delivery_created_at, s.url, s.secret_salt,
                   CASE WHEN s.previous_salt_expires_at > \(now) THEN s.previous_salt END AS previous_salt,
                   s.organization_id AS subscriber_id, e.seq AS event_seq_or_null, e.traceparent, \(unsafeRaw: DomainEvents.columns("e"))
            FROM claimed c JOIN webhook_subscriptions s ON s.id = c.subscription_id LEFT JOIN events e ON e.seq = c.event_seq
            """
        ).map {
            let subscriptionId: UUID = try $0.decode("subscription_id")
            let previous: String? = try $0.decode("previous_salt")
            let hasEvent: Int? = try $0.decode("event_seq_or_null")
            return ClaimedDelivery(
                id: try $0.decode("delivery_id"), subscriptionId: subscriptionId, kind: try $0.decode("delivery_kind"),
                url: try $0.decode("url"),
                secret: secretKey.secret(subscriptionId: subscriptionId, salt: try $0.decode("secret_salt")),
                previousSecret: previous.map { secretKey.secret(subscriptionId: subscriptionId, salt: $0) },
                organizationId: try $0.decode("subscriber_id"), event: hasEvent == nil ? nil : try DomainEvents.row($0),
                attempts: try $0.decode("attempts"), createdAt: try $0.decode("delivery_created_at"),
                traceparent: try $0.decode("traceparent"))
        }
    }

    /// Delivered; the subscription's failure streak ends.
    @discardableResult
    public func markDelivered(_ id: UUID, instance: UUID, status: Int, now: Date) async throws -> Bool {
        try await pool.withTransaction { conn in
            let rows = try await conn.query(
                """
                UPDATE webhook_deliveries SET status = 'delivered', delivered_at = \(now), last_status = \(status), last_error = NULL,
                       claimed_until = NULL
                WHERE id = \(id) AND claimed_by = \(instance) AND status = 'pending' RETURNING subscription_id
                """)
            guard let sub: UUID = try rows.first?.decode("subscription_id") else { return false }
            _ = try await conn.execute("UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = \(sub)")
            return true
        }
    }

    /// Failed (retried after the backoff unless `permanent` or out of attempts); the subscription's failure
    /// streak starts now unless it already runs.
    public func markFailed(_ id: UUID, instance: UUID, attempts: Int, status: Int?, error: String, permanent: Bool, now: Date) async throws
    {
        let final = permanent || attempts >= policy.maxAttempts
        let next = now.addingTimeInterval(policy.delay(afterAttempt: attempts))
        try await pool.withTransaction { conn in
            let rows = try await conn.query(
                """
                UPDATE webhook_deliveries SET status = \(final ? "failed" : "pending"), last_status = \(status),
                       last_error = \(String(error.prefix(1000))), next_attempt_at = \(next), claimed_until = NULL
                WHERE id = \(id) AND claimed_by = \(instance) AND status = 'pending' RETURNING subscription_id
                """)
            guard let sub: UUID = try rows.first?.decode("subscription_id") else { return }
            _ = try await conn.execute(
                "UPDATE webhook_subscriptions SET failing_since = coalesce(failing_since, \(now)) WHERE id = \(sub)")
        }
    }
}
