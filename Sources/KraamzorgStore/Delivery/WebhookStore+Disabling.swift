import FoundationEssentials
import PostgresClient

/// A subscription the service switched off after a week of failed deliveries.
public struct DisabledWebhook: Sendable {
    public let id: UUID
    public let organizationId: UUID
    public let url: String
    public let failingSince: Date
    public let lastError: String?
}

extension WebhookStore {
    /// Switches off every active subscription whose deliveries have failed, without a success, since `disableAfter`
    /// before `now`; its pending deliveries are given up. On the caller's connection (the workflow also queues the
    /// managers' message in that transaction).
    public static func disableFailing(now: Date, reason: String, on conn: PostgresConnection) async throws -> [DisabledWebhook] {
        let rows = try await conn.query(
            """
            UPDATE webhook_subscriptions SET active = false, disabled_at = \(now), disabled_reason = \(reason), updated_at = now()
            WHERE active AND deleted_at IS NULL AND failing_since <= \(now.addingTimeInterval(-disableAfter))
            RETURNING id, organization_id, url, failing_since,
                      (SELECT last_error FROM webhook_deliveries d WHERE d.subscription_id = webhook_subscriptions.id
                       AND d.last_error IS NOT NULL ORDER BY d.next_attempt_at DESC LIMIT 1) AS last_error
            """)
        let disabled = try rows.map {
            DisabledWebhook(
                id: try $0.decode("id"), organizationId: try $0.decode("organization_id"), url: try $0.decode("url"),
                failingSince: try $0.decode("failing_since"), lastError: try $0.decode("last_error"))
        }
        if !disabled.isEmpty {
            _ = try await conn.execute(
                """
                UPDATE webhook_deliveries SET status = 'failed', last_error = \(reason), claimed_until = NULL
                WHERE subscription_id = ANY(\(disabled.map(\.id))::uuid[]) AND status = 'pending'
                """)
        }
        return disabled
    }

    /// One message to each live manager of the organisation (or one failed row naming it when it has none).
    public static func enqueueToManagers(
        _ kind: Outbox.Kind, organizationId: UUID, subject: String, body: String, on conn: PostgresConnection
    ) async throws {
        _ = try await conn.execute(
            """
            INSERT INTO notifications (kind, recipient, organization_id, subject, body, status, last_error)
            SELECT \(kind.rawValue), coalesce(m.email, 'organization:' || o.id::text), o.id, \(subject), \(body),
                   CASE WHEN m.email IS NULL THEN 'failed' ELSE 'pending' END,
                   CASE WHEN m.email IS NULL THEN 'the organisation has no managers to tell' END
            FROM organizations o
            LEFT JOIN LATERAL (
                SELECT DISTINCT lower(u.email) AS email FROM memberships mm JOIN users u ON u.id = mm.user_id
                WHERE mm.organization_id = o.id AND mm.manager AND mm.revoked_at IS NULL AND u.revoked_at IS NULL
            ) m ON true
            WHERE o.id = \(organizationId)
            """)
    }
}
