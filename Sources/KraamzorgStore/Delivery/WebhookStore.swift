import FoundationEssentials
import PostgresClient

public struct WebhookSubscriptionRow: Sendable {
    public let id: UUID
    public let organizationId: UUID
    public let url: String
    public let eventTypes: [String]
    public let createdAt: Date
    public let active: Bool
    public let disabledAt: Date?
    public let disabledReason: String?
    /// While the previous secret still signs too (a rotation's 24 hours).
    public let previousSecretUntil: Date?
}

/// A subscription just made or rotated, with its signing secret: the one time the secret is in hand outside a delivery.
public struct CreatedWebhookSubscription: Sendable {
    public let subscription: WebhookSubscriptionRow
    public let secret: String
}

/// Webhook subscriptions and their deliveries (the same claim/lease/backoff pattern as the outbox).
/// A subscription's signing secret is not stored: its row keeps a random salt, and the secret is derived
/// from `secretKey` when the subscription is made and when a delivery is claimed (`WebhookSecretKey`).
/// Rotating gives a new salt; the previous salt keeps signing alongside for `rotationOverlap`.
public struct WebhookStore: Sendable {
    public let pool: PostgresPool
    public let policy: RetryPolicy
    let secretKey: WebhookSecretKey
    /// How long both secrets sign after a rotation.
    public static let rotationOverlap: TimeInterval = 24 * 3600
    /// A subscription whose deliveries failed for this long without a success is disabled.
    public static let disableAfter: TimeInterval = 7 * 24 * 3600

    public init(pool: PostgresPool, policy: RetryPolicy = RetryPolicy(), secretKey: WebhookSecretKey) {
        self.pool = pool
        self.policy = policy
        self.secretKey = secretKey
    }

    static let columns = """
        id, organization_id, url, event_types, created_at, active, disabled_at, disabled_reason,
        CASE WHEN previous_salt_expires_at > clock_timestamp() THEN previous_salt_expires_at END AS previous_until
        """

    // MARK: subscriptions

    /// A new subscription with a fresh salt (PostgreSQL's strong random source, migration 0009) and its secret.
    public func create(organizationId: UUID, url: String, eventTypes: [String], createdBy: UUID?) async throws -> CreatedWebhookSubscription
    {
        let row = try await pool.query(
            """
            INSERT INTO webhook_subscriptions (organization_id, url, event_types, created_by)
            VALUES (\(organizationId), \(url), \(eventTypes), \(createdBy))
            RETURNING \(unsafeRaw: Self.columns), secret_salt
            """)[0]
        let subscription = try Self.subscription(row)
        return CreatedWebhookSubscription(
            subscription: subscription,
            secret: secretKey.secret(subscriptionId: subscription.id, salt: try row.decode("secret_salt")))
    }

    public func subscriptions(organizationId: UUID?) async throws -> [WebhookSubscriptionRow] {
        try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM webhook_subscriptions
            WHERE deleted_at IS NULL AND (\(organizationId)::uuid IS NULL OR organization_id = \(organizationId))
            ORDER BY created_at, id
            """
        ).map(Self.subscription)
    }

    public func subscription(id: UUID) async throws -> WebhookSubscriptionRow? {
        try await pool.query(
            "SELECT \(unsafeRaw: Self.columns) FROM webhook_subscriptions WHERE id = \(id) AND deleted_at IS NULL"
        ).map(Self.subscription).first
    }

    /// Changes what is given; switching it on again clears an automatic disabling and its failure streak.
    public func update(id: UUID, url: String?, eventTypes: [String]?, active: Bool?) async throws -> WebhookSubscriptionRow? {
        try await pool.query(
            """
            UPDATE webhook_subscriptions SET
                url = coalesce(\(url), url), event_types = coalesce(\(eventTypes)::text[], event_types),
                active = coalesce(\(active), active),
                failing_since = CASE WHEN \(active) IS TRUE AND NOT active THEN NULL ELSE failing_since END,
                disabled_at = CASE WHEN \(active) IS TRUE THEN NULL ELSE disabled_at END,
                disabled_reason = CASE WHEN \(active) IS TRUE THEN NULL ELSE disabled_reason END,
                updated_at = now()
            WHERE id = \(id) AND deleted_at IS NULL
            RETURNING \(unsafeRaw: Self.columns)
            """
        ).map(Self.subscription).first
    }

    /// A new salt, so a new secret (returned, shown once); the previous salt signs too for `rotationOverlap`.
    public func rotateSecret(id: UUID, now: Date) async throws -> CreatedWebhookSubscription? {
        guard
            let row = try await pool.query(
                """
                UPDATE webhook_subscriptions SET previous_salt = secret_salt,
                       previous_salt_expires_at = \(now.addingTimeInterval(Self.rotationOverlap)),
                       secret_salt = replace(gen_random_uuid()::text, '-', ''), updated_at = now()
                WHERE id = \(id) AND deleted_at IS NULL
                RETURNING \(unsafeRaw: Self.columns), secret_salt
                """
            ).first
        else { return nil }
        let subscription = try Self.subscription(row)
        return CreatedWebhookSubscription(
            subscription: subscription, secret: secretKey.secret(subscriptionId: id, salt: try row.decode("secret_salt")))
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

    static func subscription(_ r: PostgresRow) throws -> WebhookSubscriptionRow {
        WebhookSubscriptionRow(
            id: try r.decode("id"), organizationId: try r.decode("organization_id"), url: try r.decode("url"),
            eventTypes: try r.decode("event_types"), createdAt: try r.decode("created_at"), active: try r.decode("active"),
            disabledAt: try r.decode("disabled_at"), disabledReason: try r.decode("disabled_reason"),
            previousSecretUntil: try r.decode("previous_until"))
    }
}
