import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

extension RegisterWorkflows {
    /// An extension applied by an admin (DOMAIN §2): the rules decide the new end; the change is kept.
    public func extend(
        practitionerId: UUID, periodId: UUID, until: CivilDate, special: SpecialCircumstances?, reason: String,
        by actor: AuditActor
    ) async throws -> PeriodRecord {
        try await pool.withTransaction { conn in
            _ = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            return try await RegisterWorkflows.applyExtension(
                practitionerId: practitionerId, periodId: periodId, until: until, special: special,
                reason: reason, requestId: nil, actor: actor, on: conn)
        }
    }

    /// An advance applied by an admin (DOMAIN §2): this period ends earlier and the next one moves with it.
    public func advance(
        practitionerId: UUID, periodId: UUID, nextStart: CivilDate, reason: String,
        by actor: AuditActor
    ) async throws -> (PeriodRecord, PeriodRecord?) {
        try await pool.withTransaction { conn in
            _ = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            return try await RegisterWorkflows.applyAdvance(
                practitionerId: practitionerId, periodId: periodId, nextStart: nextStart, reason: reason,
                requestId: nil, actor: actor, on: conn)
        }
    }

    /// The extension, on a transaction that holds her record's lock (a direct change or an approved request).
    static func applyExtension(
        practitionerId: UUID, periodId: UUID, until: CivilDate, special: SpecialCircumstances?, reason: String,
        requestId: UUID?, actor: AuditActor, on conn: PostgresConnection
    ) async throws -> PeriodRecord {
        let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
        guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
        let extended: RegistrationPeriod
        do { extended = try record.period.extended(until: until, specialCircumstances: special) } catch {
            throw StoreError.refused([RegisterRefusals.extensionRefused(error)])
        }
        let stored = try await RegisterStore.writeDates(extended, id: periodId, on: conn)
        try await recordChange(
            kind: "extension", old: record.period, new: extended, periodId: periodId, reason: reason, special: special,
            requestId: requestId, actor: actor, on: conn)
        return stored
    }

    /// The advance, on a transaction that holds her record's lock (a direct change or an approved request).
    static func applyAdvance(
        practitionerId: UUID, periodId: UUID, nextStart: CivilDate, reason: String, requestId: UUID?,
        actor: AuditActor, on conn: PostgresConnection
    ) async throws -> (PeriodRecord, PeriodRecord?) {
        let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
        guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
        let advance: PeriodAdvance
        do { advance = try record.period.advancing(nextStart: nextStart) } catch {
            throw StoreError.refused([RegisterRefusals.advanceRefused(error)])
        }
        let regular = record.period.regularNextStart
        // Shorten this period first, then move the next one: the periods never overlap, not even in between.
        let previous = try await RegisterStore.writeDates(advance.previous, id: periodId, on: conn)
        try await recordChange(
            kind: "advance", old: record.period, new: advance.previous, periodId: periodId, reason: reason, special: nil,
            requestId: requestId, actor: actor, on: conn)
        var next: PeriodRecord?
        if let existing = all.first(where: { $0.period.status != .cancelled && $0.period.startDate == regular }) {
            let moved = advance.apply(to: existing.period)
            next = try await RegisterStore.writeDates(moved, id: existing.id, on: conn)
            try await recordChange(
                kind: "advancedByPrevious", old: existing.period, new: moved, periodId: existing.id, reason: reason,
                special: nil, requestId: requestId, actor: actor, on: conn)
        }
        return (previous, next)
    }

    /// Every change to a period's dates is kept with who, when and why, and audited.
    static func recordChange(
        kind: String, old: RegistrationPeriod, new: RegistrationPeriod, periodId: UUID, reason: String,
        special: SpecialCircumstances?, requestId: UUID?, actor: AuditActor, on conn: PostgresConnection
    ) async throws {
        try await RegisterStore.recordDateChange(
            kind: kind, old: old, new: new, periodId: periodId, reason: reason, special: special,
            requestId: requestId, by: actor, on: conn)
        try await AuditLog.record(.update, objectType: "period", objectId: periodId, details: ["change": kind], by: actor, on: conn)
    }
}
