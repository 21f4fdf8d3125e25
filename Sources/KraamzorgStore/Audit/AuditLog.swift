#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
    public static let system = AuditActor(userId: nil, userName: "system", organizationId: nil, role: nil, membershipId: nil, requestId: nil)
}

public enum AuditAction: String, Sendable { case create, read, update, delete, search, export }

/// Writes audit events. Call it on the connection of the change it records, so both commit or neither.
public enum AuditLog {
    public static func record(
        _ action: AuditAction, objectType: String, objectId: UUID?, clientId: UUID? = nil,
        details: [String: String] = [:], outcome: String = "success", by actor: AuditActor, on conn: PostgresConnection
    ) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        _ = try await conn.execute("""
            INSERT INTO audit_events (action, outcome, user_id, user_name, organization_id, role, membership_id,
                                      object_type, object_id, client_id, request_id, details)
            VALUES (\(action.rawValue), \(outcome), \(actor.userId), \(actor.userName), \(actor.organizationId), \(actor.role),
                    \(actor.membershipId), \(objectType), \(objectId), \(clientId), \(actor.requestId), \(detailsJSON)::jsonb)
            """)
    }
}
