import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// A practitioner's EHBO certificates (DOMAIN §6): her file, then an admin's review. Each step in one
/// transaction that locks the certificate, decides on its status, writes and audits.
public struct EhboWorkflows: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// A file (again) makes the certificate `pendingReview`; an approved one keeps its file.
    public func putFile(certificateId id: UUID, bytes: [UInt8], contentType: String, by actor: AuditActor) async throws -> EhboRecord {
        try await pool.withTransaction { conn in
            guard let current = try await RegisterStore.lockEhbo(id: id, on: conn) else { throw StoreError.notFound("EHBO certificate") }
            guard current.status != .approved else { throw StoreError.conflict(RegisterRefusals.approvedEhboFileStays) }
            let stored = try await RegisterStore.storeEhboFile(id: id, bytes: bytes, contentType: contentType, on: conn)
            try await AuditLog.record(
                .update, objectType: "ehboCertificate", objectId: id, details: ["file": contentType], by: actor, on: conn)
            return stored
        }
    }

    /// Approve or reject a certificate whose uploaded file awaits review; anything else is refused.
    public func review(certificateId id: UUID, approve: Bool, reason: String?, by actor: AuditActor) async throws -> EhboRecord {
        try await pool.withTransaction { conn in
            guard let current = try await RegisterStore.lockEhbo(id: id, on: conn) else { throw StoreError.notFound("EHBO certificate") }
            guard current.status == .pendingReview else { throw StoreError.conflict(RegisterRefusals.ehboNotAwaitingReview) }
            let reviewed = try await RegisterStore.recordEhboReview(id: id, approve: approve, reason: reason, by: actor, on: conn)
            try await AuditLog.record(
                .update, objectType: "ehboCertificate", objectId: id, details: ["review": approve ? "approve" : "reject"],
                by: actor, on: conn)
            return reviewed
        }
    }
}
