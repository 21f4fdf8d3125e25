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

    /// Who accessed her data (§8), newest first, her own views left out, each line named as she recognises the
    /// organisation and role, identical accesses within an hour merged (`AccessLogNaming`). Reading it is logged.
    public func accessLog(clientId: UUID, actor: AuditActor) async throws -> [AccessLogEntry] {
        try await pool.withTransaction { conn in
            try await AuditLog.record(
                .read, objectType: "accessLog", objectId: clientId, clientId: clientId, details: ["via": "client link"], by: actor, on: conn
            )
            let region = try await ClientStore.client(id: clientId, lock: false, on: conn)?.regionName ?? ""
            return AccessLogNaming.named(try await ClientStore.accessLog(clientId: clientId, on: conn), regionName: region)
        }
    }
}
