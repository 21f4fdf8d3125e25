import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// Waitlists (DOMAIN §7), each change in one transaction with its audit event. Within a region the
/// due-date ranges of waitlists do not overlap, closed ones included (a closed list can be reopened).
public struct WaitlistWorkflows: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func createWaitlist(regionId: UUID, name: String, status: WaitlistStatus, dueDates: DueDateRange, by actor: AuditActor)
        async throws -> WaitlistRecord
    {
        try await pool.withTransaction { conn in
            guard try await WaitlistStore.region(id: regionId, on: conn) != nil else {
                throw StoreError.refused([.init(field: "regionId", message: WaitlistRefusals.noSuchRegion)])
            }
            let id = UUID()
            try await WaitlistWorkflows.checkOverlap(
                Waitlist(id: id.lowercasedString, regionId: regionId.lowercasedString, name: name, status: status, dueDates: dueDates),
                regionId: regionId, on: conn)
            let created = try await WaitlistStore.insertWaitlist(
                id: id, regionId: regionId, name: name, status: status, dueDates: dueDates, on: conn)
            try await AuditLog.record(.create, objectType: "waitlist", objectId: id, details: ["name": name], by: actor, on: conn)
            return created
        }
    }

    public func updateWaitlist(id: UUID, _ changes: WaitlistChanges, by actor: AuditActor) async throws -> WaitlistRecord {
        try await pool.withTransaction { conn in
            guard let old = try await WaitlistStore.waitlist(id: id, lock: .update, on: conn) else { throw StoreError.notFound("waitlist") }
            let range: DueDateRange
            let dueFrom = changes.dueFrom ?? old.dueDates.dueFrom, dueTo = changes.dueTo ?? old.dueDates.dueTo
            do throws(DueDateRangeError) {
                range = try DueDateRange(dueFrom: dueFrom, dueTo: dueTo)
            } catch {
                throw StoreError.refused([.init(field: "dueTo", message: error.message)])
            }
            let candidate = Waitlist(
                id: id.lowercasedString, regionId: old.regionId.lowercasedString, name: changes.name ?? old.name,
                status: changes.status ?? old.status, dueDates: range)
            try await WaitlistWorkflows.checkOverlap(candidate, regionId: old.regionId, on: conn)
            let updated = try await WaitlistStore.updateWaitlistFields(
                id: id, name: candidate.name, status: candidate.status, dueDates: range, on: conn)
            try await AuditLog.record(
                .update, objectType: "waitlist", objectId: id, details: ["status": candidate.status.rawValue], by: actor, on: conn)
            return updated
        }
    }

    /// Refused (409, every overlap named) when the candidate's due dates overlap another waitlist of its region.
    static func checkOverlap(_ candidate: Waitlist, regionId: UUID, on conn: PostgresConnection) async throws {
        let existing = try await WaitlistStore.waitlists(inRegion: regionId, on: conn).map(\.rule)
        let conflicts = Waitlist.dueDateConflicts(of: candidate, with: existing)
        if !conflicts.isEmpty {
            throw StoreError.conflict(conflicts.map { WaitlistRefusals.dueDatesCovered($0.overlap) }.joined(separator: "; "))
        }
    }
}
