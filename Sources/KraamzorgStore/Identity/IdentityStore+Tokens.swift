import FoundationEssentials
import PostgresClient
import DatesAndIDs

extension IdentityStore {
    /// The membership's live tokens, newest first; never their secrets.
    public func tokens(membershipId: UUID) async throws -> [TokenRecord] {
        let rows = try await pool.query(
            """
            SELECT id, membership_id, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
            WHERE membership_id = \(membershipId) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
            ORDER BY created_at DESC, id
            """)
        return try rows.map { r in
            TokenRecord(
                id: try r.decode("id"), membershipId: try r.decode("membership_id"), createdAt: try r.decode("created_at"),
                expiresAt: try r.decode("expires_at"), lastUsedAt: try r.decode("last_used_at"), revokedAt: try r.decode("revoked_at"))
        }
    }

    /// A new token for the same membership (rotation): the old ones keep working until revoked or expired.
    public func createToken(membershipId: UUID, tokenHash: [UInt8], expiresAt: Date, by actor: AuditActor) async throws -> TokenRecord {
        try await pool.withTransaction { conn in
            let token = try await IdentityStore.insertToken(membershipId: membershipId, hash: tokenHash, expiresAt: expiresAt, on: conn)
            try await AuditLog.record(
                .create, objectType: "token", objectId: token.id,
                details: ["membershipId": membershipId.lowercasedString], by: actor, on: conn)
            return token
        }
    }

    /// Revokes one of the membership's own tokens.
    public func revokeToken(id: UUID, membershipId: UUID, by actor: AuditActor) async throws {
        try await pool.withTransaction { conn in
            let n = try await conn.execute(
                """
                UPDATE api_tokens SET revoked_at = now() WHERE id = \(id) AND membership_id = \(membershipId) AND revoked_at IS NULL
                """)
            guard n == 1 else { throw StoreError.notFound("token") }
            try await AuditLog.record(
                .delete, objectType: "token", objectId: id,
                details: ["membershipId": membershipId.lowercasedString], by: actor, on: conn)
        }
    }
}
