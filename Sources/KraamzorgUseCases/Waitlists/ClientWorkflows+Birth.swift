import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

extension ClientWorkflows {
    /// Birth before enrolment (DOMAIN §7), reported by her link or a coordinator: she is `birthReported`,
    /// the most urgent case, and the region's coordinators and providers are told at once.
    public func reportBirth(clientId: UUID, bornOn: CivilDate, by actor: AuditActor) async throws -> ClientRow {
        let now = clock.now()
        return try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client") }
            guard case .success(let next) = ClientStatus.transition(from: c.status, event: .reportBirth) else {
                throw StoreError.conflict(WaitlistRefusals.birthOnlyWhileWaiting(c.status))
            }
            try await ClientStore.recordBirth(clientId: clientId, status: next, bornOn: bornOn, reportedAt: now, on: conn)
            let b = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            let m = WaitlistMessages.bornWithoutCare(b, bornOn: bornOn)
            try await Outbox.enqueueToCoordinators(
                .urgentBirthNotice, regionId: b.regionId, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            let providers = try await ClientStore.providers(servingRegion: b.regionId, on: conn)
            try await Outbox.enqueueToOrganizations(
                .urgentBirthNotice, providers, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId,
                details: ["event": "birthReported", "bornOn": bornOn.iso], by: actor, on: conn)
            try await DomainEvents.record(
                .clientBirthReported, clientId: clientId,
                data: ["waitlistId": b.waitlistId.lowercasedString, "bornOn": bornOn.iso], on: conn)
            return b
        }
    }
}
