import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

extension RegisterWorkflows {
    /// Her request for an extension or an advance (DOMAIN §2), checked with the same rules as the decision,
    /// with the evidence still to come.
    public func createPeriodRequest(
        practitionerId: UUID, periodId: UUID, kind: String, until: CivilDate?, nextStart: CivilDate?, reason: String,
        specialCircumstances: Bool, by actor: AuditActor
    ) async throws -> PeriodRequestRecord {
        try await pool.withTransaction { conn in
            let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: false, on: conn)
            guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
            if kind == "extension", let until {
                let placeholder = specialCircumstances ? SpecialCircumstances(reason: reason, evidence: "to be uploaded") : nil
                do throws(ExtensionRefusal) { _ = try record.period.extended(until: until, specialCircumstances: placeholder) } catch {
                    throw StoreError.refused([RegisterRefusals.extensionRefused(error)])
                }
            } else if kind == "advance", let nextStart {
                do throws(AdvanceRefusal) { _ = try record.period.advancing(nextStart: nextStart) } catch {
                    throw StoreError.refused([RegisterRefusals.advanceRefused(error)])
                }
            }
            let request = try await RegisterStore.insertPeriodRequest(
                practitionerId: practitionerId, periodId: periodId, kind: kind, until: until,
                nextStart: nextStart, reason: reason,
                specialCircumstances: specialCircumstances, on: conn)
            try await AuditLog.record(
                .create, objectType: "periodRequest", objectId: request.id,
                details: ["practitionerId": practitionerId.lowercasedString, "kind": kind], by: actor, on: conn)
            return request
        }
    }

    /// Her evidence (an uploaded statement) for a request that is still open, decided under the request's lock.
    public func addEvidence(requestId: UUID, bytes: [UInt8], contentType: String, by actor: AuditActor) async throws -> PeriodRequestRecord
    {
        try await pool.withTransaction { conn in
            guard let request = try await RegisterStore.lockPeriodRequest(id: requestId, on: conn) else {
                throw StoreError.notFound("period request")
            }
            guard request.status == "open" else { throw StoreError.conflict(RegisterRefusals.evidenceOnlyWhileOpen) }
            let stored = try await RegisterStore.storeEvidence(requestId: requestId, bytes: bytes, contentType: contentType, on: conn)
            try await AuditLog.record(
                .update, objectType: "periodRequest", objectId: requestId, details: ["evidence": contentType], by: actor, on: conn)
            return stored
        }
    }

    /// Approve applies the request with the same rules as a direct change; reject only records the decision.
    public func decidePeriodRequest(id: UUID, approve: Bool, message: String, by actor: AuditActor) async throws -> PeriodRequestRecord {
        try await pool.withTransaction { conn in
            guard let request = try await RegisterStore.lockPeriodRequest(id: id, on: conn) else {
                throw StoreError.notFound("period request")
            }
            guard request.status == "open" else { throw StoreError.conflict(RegisterRefusals.alreadyDecided(request.status)) }
            if approve {
                _ = try await RegisterStore.lockPractitioner(request.practitionerId, on: conn)
                if request.kind == "extension", let until = request.until {
                    let special =
                        request.specialCircumstances
                        ? SpecialCircumstances(
                            reason: request.reason,
                            evidence: request.evidenceContentType == nil ? "" : "period-request:\(id.lowercasedString)")
                        : nil
                    _ = try await RegisterWorkflows.applyExtension(
                        practitionerId: request.practitionerId, periodId: request.periodId, until: until,
                        special: special, reason: request.reason, requestId: id, actor: actor, on: conn)
                } else if let nextStart = request.nextStart {
                    _ = try await RegisterWorkflows.applyAdvance(
                        practitionerId: request.practitionerId, periodId: request.periodId,
                        nextStart: nextStart, reason: request.reason, requestId: id, actor: actor, on: conn)
                }
            }
            let decided = try await RegisterStore.recordRequestDecision(id: id, approve: approve, message: message, by: actor, on: conn)
            try await AuditLog.record(
                .update, objectType: "periodRequest", objectId: id, details: ["decision": approve ? "approve" : "reject"],
                by: actor, on: conn)
            return decided
        }
    }
}
