import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

extension WaitlistStore {
    // MARK: audit log (read only)

    public func auditEvents(clientId: UUID?, userId: UUID?, from: Date?, to: Date?, page: PageRequest) async throws -> Page<AuditEventRow> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query(
            """
            SELECT a.id, a.at, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_text, a.action, a.outcome, a.user_id,
                   a.user_name, a.organization_id, a.role, a.membership_id, a.object_type, a.object_id, a.client_id, a.request_id,
                   a.details::text AS details
            FROM audit_events a
            WHERE (\(clientId)::uuid IS NULL OR a.client_id = \(clientId)) AND (\(userId)::uuid IS NULL OR a.user_id = \(userId))
              AND (\(from)::timestamptz IS NULL OR a.at >= \(from)) AND (\(to)::timestamptz IS NULL OR a.at < \(to))
              AND (\(afterKey)::text IS NULL OR (a.at, a.id) > (\(afterKey)::timestamptz, \(afterId)))
            ORDER BY a.at, a.id
            LIMIT \(page.limit + 1)
            """)
        let total = try await pool.query(
            """
            SELECT count(*) AS n FROM audit_events a
            WHERE (\(clientId)::uuid IS NULL OR a.client_id = \(clientId)) AND (\(userId)::uuid IS NULL OR a.user_id = \(userId))
              AND (\(from)::timestamptz IS NULL OR a.at >= \(from)) AND (\(to)::timestamptz IS NULL OR a.at < \(to))
            """)
        var items = try rows.map {
            AuditEventRow(
                id: try $0.decode("id"), at: try $0.decode("at"), atText: try $0.decode("at_text"), action: try $0.decode("action"),
                outcome: try $0.decode("outcome"), userId: try $0.decode("user_id"), userName: try $0.decode("user_name"),
                organizationId: try $0.decode("organization_id"), role: try $0.decode("role"), membershipId: try $0.decode("membership_id"),
                objectType: try $0.decode("object_type"), objectId: try $0.decode("object_id"), clientId: try $0.decode("client_id"),
                requestId: try $0.decode("request_id"), details: try $0.decode("details"))
        }
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = PageCursor(key: items[items.count - 1].atText, id: items[items.count - 1].id).encoded
        }
        return Page(items: items, total: try total[0].decode("n"), nextCursor: next)
    }

    /// Records a read of the audit log itself.
    public func recordAuditRead(details: [String: String], by actor: AuditActor) async throws {
        try await pool.withConnection { conn in
            try await AuditLog.record(.search, objectType: "auditEvents", objectId: nil, details: details, by: actor, on: conn)
        }
    }

    // MARK: outbox

    public func notifications(to: String?, kind: String?, status: String? = nil, page: PageRequest) async throws -> Page<NotificationRow> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query(
            """
            SELECT n.id, n.kind, n.recipient, n.subject, n.body, n.link, n.status, n.attempts, n.last_error, n.created_at, n.sent_at, n.client_id,
                   to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_text
            FROM notifications n
            WHERE (\(to)::text IS NULL OR lower(n.recipient) = lower(\(to))) AND (\(kind)::text IS NULL OR n.kind = \(kind))
              AND (\(status)::text IS NULL OR n.status = \(status))
              AND (\(afterKey)::text IS NULL OR (n.created_at, n.id) > (\(afterKey)::timestamptz, \(afterId)))
            ORDER BY n.created_at, n.id
            LIMIT \(page.limit + 1)
            """)
        let total = try await pool.query(
            """
            SELECT count(*) AS n FROM notifications n
            WHERE (\(to)::text IS NULL OR lower(n.recipient) = lower(\(to))) AND (\(kind)::text IS NULL OR n.kind = \(kind))
              AND (\(status)::text IS NULL OR n.status = \(status))
            """)
        var items = try rows.map {
            NotificationRow(
                id: try $0.decode("id"), kind: try $0.decode("kind"), to: try $0.decode("recipient"), subject: try $0.decode("subject"),
                body: try $0.decode("body"), link: try $0.decode("link"), status: try $0.decode("status"),
                attempts: try $0.decode("attempts"),
                lastError: try $0.decode("last_error"), createdAt: try $0.decode("created_at"),
                createdAtText: try $0.decode("created_text"),
                sentAt: try $0.decode("sent_at"), clientId: try $0.decode("client_id"))
        }
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = PageCursor(key: items[items.count - 1].createdAtText, id: items[items.count - 1].id).encoded
        }
        return Page(items: items, total: try total[0].decode("n"), nextCursor: next)
    }

    // MARK: capacity

    public func setCapacity(providerId: UUID, regionId: UUID, week: ISOWeek, places: Int, by actor: AuditActor) async throws {
        try await pool.withTransaction { conn in
            _ = try await conn.execute(
                """
                INSERT INTO capacity (provider_id, region_id, week, week_start, places) VALUES (\(providerId), \(regionId), \(week.description), \(week.monday), \(places))
                ON CONFLICT (provider_id, region_id, week) DO UPDATE SET places = EXCLUDED.places, updated_at = now()
                """)
            try await AuditLog.record(
                .update, objectType: "capacity", objectId: regionId,
                details: ["week": week.description, "places": String(places), "providerId": providerId.lowercasedString], by: actor,
                on: conn)
        }
    }

    public func capacity(regionId: UUID, from: ISOWeek, to: ISOWeek, providerId: UUID?) async throws -> [CapacityRow] {
        try await pool.query(
            """
            SELECT c.provider_id, o.name, c.week, c.places FROM capacity c JOIN organizations o ON o.id = c.provider_id
            WHERE c.region_id = \(regionId) AND c.week_start BETWEEN \(from.monday) AND \(to.monday)
              AND (\(providerId)::uuid IS NULL OR c.provider_id = \(providerId))
            ORDER BY c.week, o.name
            """
        ).map {
            CapacityRow(
                providerId: try $0.decode("provider_id"), providerName: try $0.decode("name"), week: try $0.decode("week"),
                places: try $0.decode("places"))
        }
    }

    /// Whether the provider serves the region.
    public func serves(providerId: UUID, regionId: UUID) async throws -> Bool {
        !(try await pool.query("SELECT 1 FROM provider_regions WHERE provider_id = \(providerId) AND region_id = \(regionId)")).isEmpty
    }
}

extension WaitlistStore {
    /// A report export: counts only, but who exported what is still worth knowing.
    public func recordExport(waitlistId: UUID, week: String, by actor: AuditActor) async throws {
        try await pool.withConnection { conn in
            try await AuditLog.record(
                .export, objectType: "waitlistReport", objectId: waitlistId, details: ["week": week], by: actor, on: conn)
        }
    }
}
