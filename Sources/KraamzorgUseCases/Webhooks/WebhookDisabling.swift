import FoundationEssentials
import KraamzorgStore
import PostgresClient

/// Switches off subscriptions whose deliveries failed for a week without a success, and tells the organisation's
/// managers, in one transaction (`WebhookStore.disableFailing`, `WebhookMessages.disabled`).
public struct WebhookDisabling: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// Returns the subscriptions switched off now.
    @discardableResult
    public func run(now: Date) async throws -> [DisabledWebhook] {
        try await pool.withTransaction { conn in
            let disabled = try await WebhookStore.disableFailing(now: now, reason: WebhookMessages.disabledReason, on: conn)
            for w in disabled {
                let m = WebhookMessages.disabled(w)
                try await WebhookStore.enqueueToManagers(
                    .webhookDisabled, organizationId: w.organizationId, subject: m.subject, body: m.body, on: conn)
            }
            return disabled
        }
    }
}
