import FoundationEssentials
import KraamzorgStore
import PostgresClient

extension ClientWorkflows {
    /// Her placement and her region, as she sees them through her own link; the read is logged (§8).
    public func ownView(clientId: UUID, actor: AuditActor) async throws -> (ClientRow, RegionRecord) {
        try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: false, on: conn) else {
                throw StoreError.notFound("client link")
            }
            try await AuditLog.record(
                .read, objectType: "client", objectId: clientId, clientId: clientId, details: ["via": "client link"], by: actor, on: conn)
            return (c, try await WaitlistStore.region(id: c.regionId, on: conn)!)
        }
    }

    /// Who accessed her data, oldest first (§8). Reading it is logged first, so the list ends with this read.
    public func accessLog(clientId: UUID, actor: AuditActor) async throws -> [AccessLogEntry] {
        try await pool.withTransaction { conn in
            try await AuditLog.record(
                .read, objectType: "accessLog", objectId: clientId, clientId: clientId, details: ["via": "client link"], by: actor, on: conn
            )
            return try await ClientStore.accessLog(clientId: clientId, on: conn)
        }
    }
}
