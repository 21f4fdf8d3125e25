import FoundationEssentials
import PostgresClient

/// Who did something, for the audit log: the membership a request acted for.
public struct AuditActor: Sendable {
    public let userId: UUID?
    public let userName: String?
    public let organizationId: UUID?
    public let role: String?
    public let membershipId: UUID?
    public let requestId: String?

    public init(userId: UUID?, userName: String?, organizationId: UUID?, role: String?, membershipId: UUID?, requestId: String?) {
        self.userId = userId
        self.userName = userName
        self.organizationId = organizationId
        self.role = role
        self.membershipId = membershipId
        self.requestId = requestId
    }

    /// The service itself (bootstrap, jobs).
    public static let system = AuditActor(
        userId: nil, userName: "system", organizationId: nil, role: nil, membershipId: nil, requestId: nil)
}

public enum AuditAction: String, Sendable { case create, read, update, delete, search, export }

/// Writes audit events. Call it on the connection of the change it records, so both commit or neither.
public enum AuditLog {
    public static func record(
        _ action: AuditAction, objectType: String, objectId: UUID?, clientId: UUID? = nil,
        details: [String: String] = [:], outcome: String = "success", by actor: AuditActor, on conn: PostgresConnection
    ) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        _ = try await conn.execute(
            """
            INSERT INTO audit_events (action, outcome, user_id, user_name, organization_id, role, membership_id,
                                      object_type, object_id, client_id, request_id, details)
            VALUES (\(action.rawValue), \(outcome), \(actor.userId), \(actor.userName), \(actor.organizationId), \(actor.role),
                    \(actor.membershipId), \(objectType), \(objectId), \(clientId), \(actor.requestId), \(detailsJSON)::jsonb)
            """)
    }

    /// One event per object in one statement, each with a count in its details (`{countKey: "n"}`): a batch
    /// that changed many objects at once (the completions booked per practitioner).
    public static func recordCounts(
        _ action: AuditAction, objectType: String, counts: [(objectId: UUID, count: Int)], countKey: String,
        by actor: AuditActor, on conn: PostgresConnection
    ) async throws {
        guard !counts.isEmpty else { return }
        _ = try await conn.execute(
            """
            INSERT INTO audit_events (action, user_id, user_name, organization_id, role, membership_id, object_type, object_id, request_id, details)
            SELECT \(action.rawValue)::text, \(actor.userId)::uuid, \(actor.userName)::text, \(actor.organizationId)::uuid, \(actor.role)::text,
                   \(actor.membershipId)::uuid, \(objectType)::text, x.id, \(actor.requestId)::text, jsonb_build_object(\(countKey)::text, x.n::text)
            FROM unnest(\(counts.map(\.objectId))::uuid[], \(counts.map(\.count))::int[]) AS x(id, n)
            """)
    }

    /// Makes this month's partition of the audit log and the next `monthsAhead` months' where missing (migration
    /// 0016; the function runs as the owner, so the partitions are the owner's); returns how many were made.
    public static func createPartitions(monthsAhead: Int, on conn: PostgresConnection) async throws -> Int {
        try await conn.query("SELECT audit_events_create_partitions(\(monthsAhead)::int) AS made")[0].decode("made")
    }

    /// Several events in one statement (the read events `AuditBatcher` groups), committed on their own.
    static func record(_ events: [AuditEvent], on pool: PostgresPool) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let details = try events.map { String(decoding: try encoder.encode($0.details), as: UTF8.self) }
        _ = try await pool.execute(
            """
            INSERT INTO audit_events (action, outcome, user_id, user_name, organization_id, role, membership_id,
                                      object_type, object_id, request_id, details)
            SELECT * FROM unnest(\(events.map(\.action.rawValue))::text[], \(events.map { _ in "success" })::text[],
                                 \(events.map(\.actor.userId))::uuid[], \(events.map(\.actor.userName))::text[],
                                 \(events.map(\.actor.organizationId))::uuid[], \(events.map(\.actor.role))::text[],
                                 \(events.map(\.actor.membershipId))::uuid[], \(events.map(\.objectType))::text[],
                                 \(events.map(\.objectId))::uuid[], \(events.map(\.actor.requestId))::text[], \(details)::jsonb[])
            """)
    }
}

/// One audit event of a read, waiting to be written.
struct AuditEvent: Sendable {
    let action: AuditAction
    let objectType: String
    let objectId: UUID?
    let details: [String: String]
    let actor: AuditActor
}
