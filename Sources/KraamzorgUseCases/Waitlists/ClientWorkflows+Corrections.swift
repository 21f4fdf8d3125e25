import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// What she corrects through her link, and the undoing or correcting of a birth report (DOMAIN §7a).
extension ClientWorkflows {
    /// Who undoes a birth report: she (within 24 hours of the report) or a coordinator/admin (at any time).
    public enum BirthUndoer: Sendable { case client, coordinator }

    /// Her phone number and/or due date, through her link. Every change is audited (the actor is she, via her link;
    /// the details name the fields, never their values). A due date outside her waitlist's range is refused with the
    /// reason (`StoreError.refused`, field `dueDate`) and her region's coordinators are told, in a transaction of its
    /// own that commits (the message is sent even though nothing of hers changed).
    public func correct(clientId: UUID, phone: String?, dueDate: CivilDate?, by actor: AuditActor) async throws -> ClientRow {
        enum Outcome { case changed(ClientRow), refused(StoreError) }
        let outcome: Outcome = try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client link") }
            guard [.waiting, .enrolled, .birthReported].contains(c.status) else {
                throw StoreError.conflict(WaitlistRefusals.correctionsOnlyWhileActive(c.status))
            }
            if let dueDate, dueDate != c.dueDate {
                let waitlist = try await WaitlistStore.waitlist(id: c.waitlistId, on: conn)!
                if !waitlist.dueDates.contains(dueDate) {
                    let m = WaitlistMessages.dueDateOutsideRange(c, asked: dueDate, waitlist: waitlist)
                    try await Outbox.enqueueToCoordinators(
                        .providerNotice, regionId: c.regionId, clientId: clientId, subject: m.subject, body: m.body, on: conn)
                    try await AuditLog.record(
                        .update, objectType: "client", objectId: clientId, clientId: clientId,
                        details: ["event": "correctionRefused", "fields": "dueDate"], outcome: "refused", by: actor, on: conn)
                    return .refused(
                        StoreError.refused([
                            .init(field: "dueDate", message: WaitlistRefusals.dueDateOutsideWaitlist(waitlist.dueDates))
                        ]))
                }
            }
            var fields: [String] = []
            if let phone, phone != c.phone { fields.append("phone") }
            if let dueDate, dueDate != c.dueDate { fields.append("dueDate") }
            guard !fields.isEmpty else { return .changed(c) }
            try await ClientStore.correct(
                clientId: clientId, phone: fields.contains("phone") ? phone : nil, dueDate: fields.contains("dueDate") ? dueDate : nil,
                linkDaysAfterDue: ClientWorkflows.clientLinkDaysAfterDue, on: conn)
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId,
                details: ["event": "corrected", "fields": fields.joined(separator: ","), "via": "client link"], by: actor, on: conn)
            return .changed(try await ClientStore.client(id: clientId, lock: false, on: conn)!)
        }
        switch outcome {
        case .changed(let row): return row
        case .refused(let error): throw error
        }
    }

    /// A birth report taken back: she waits again. Through her link only within 24 hours of the report (else
    /// `StoreError.conflict` with the reason); a coordinator or admin at any time. The coordinators and providers
    /// who had the urgent notice are told.
    public func undoBirth(clientId: UUID, by undoer: BirthUndoer, actor: AuditActor) async throws -> ClientRow {
        let now = clock.now()
        return try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client") }
            guard case .success(let next) = ClientStatus.transition(from: c.status, event: .undoBirth) else {
                throw StoreError.conflict(WaitlistRefusals.noBirthToUndo(c.status))
            }
            if undoer == .client {
                let reportedAt = try await ClientStore.birthReportedAt(clientId: clientId, on: conn)
                guard let reportedAt, BirthReport.clientMayUndo(reportedAt: reportedAt, now: now) else {
                    throw StoreError.conflict(WaitlistRefusals.birthUndoWindowPassed)
                }
            }
            try await ClientStore.undoBirth(clientId: clientId, status: next, on: conn)
            let b = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            let m = WaitlistMessages.birthUndone(b)
            try await Outbox.enqueueToCoordinators(
                .urgentBirthNotice, regionId: b.regionId, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            let providers = try await ClientStore.providers(servingRegion: b.regionId, on: conn)
            try await Outbox.enqueueToOrganizations(
                .urgentBirthNotice, providers, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId, details: ["event": "birthReportUndone"], by: actor,
                on: conn)
            return b
        }
    }

    /// A coordinator's correction of the date of a reported birth (she is still `birthReported`).
    public func correctBirthDate(clientId: UUID, bornOn: CivilDate, by actor: AuditActor) async throws -> ClientRow {
        try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client") }
            guard c.status == .birthReported || (c.status == .enrolled && c.bornOn != nil) else {
                throw StoreError.conflict(WaitlistRefusals.noBirthToUndo(c.status))
            }
            try await ClientStore.correctBirthDate(clientId: clientId, bornOn: bornOn, on: conn)
            let b = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            let m = WaitlistMessages.birthDateCorrected(b, bornOn: bornOn)
            try await Outbox.enqueueToCoordinators(
                .urgentBirthNotice, regionId: b.regionId, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId,
                details: ["event": "birthDateCorrected", "bornOn": bornOn.iso], by: actor, on: conn)
            return b
        }
    }
}
