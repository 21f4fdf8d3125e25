import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

extension RegisterWorkflows {
    /// Strike-off: ends her registration from `date`; upcoming periods are cancelled (DOMAIN §2). Once only:
    /// decided under the lock on her record.
    public func strikeOff(practitionerId id: UUID, on date: CivilDate, reason: String, by actor: AuditActor) async throws
        -> PractitionerRecord
    {
        try await pool.withTransaction { conn in
            let current = try await RegisterStore.lockPractitioner(id, on: conn)
            if let struckOffOn = current.struckOffOn { throw StoreError.conflict(RegisterRefusals.alreadyStruckOff(on: struckOffOn)) }
            let updated = try await RegisterStore.recordStrikeOff(id: id, on: date, reason: reason, on: conn)
            try await AuditLog.record(
                .update, objectType: "practitioner", objectId: id, details: ["action": "strikeOff", "on": date.iso],
                by: actor, on: conn)
            return updated
        }
    }

    /// Deregistration (by her or an admin) from `date`. Once only: decided under the lock on her record.
    public func deregister(practitionerId id: UUID, on date: CivilDate, by actor: AuditActor) async throws -> PractitionerRecord {
        try await pool.withTransaction { conn in
            let current = try await RegisterStore.lockPractitioner(id, on: conn)
            if let deregisteredOn = current.deregisteredOn {
                throw StoreError.conflict(RegisterRefusals.alreadyDeregistered(on: deregisteredOn))
            }
            let updated = try await RegisterStore.recordDeregistration(id: id, on: date, on: conn)
            try await AuditLog.record(
                .update, objectType: "practitioner", objectId: id, details: ["action": "deregistration", "on": date.iso],
                by: actor, on: conn)
            return updated
        }
    }
}
