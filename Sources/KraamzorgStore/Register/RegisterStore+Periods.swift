#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// What the dossier evaluation needs besides the norm and the period.
public struct DossierInputs: Sendable {
    public let completions: [Completion]
    public let ehbo: [EhboCertificate]
    public let careHours: [CareHoursRecord]
}

public struct SubmissionResult: Sendable {
    public let period: PeriodRecord
    public let next: PeriodRecord
    public let submissionId: UUID
}

public struct ReviewResult: Sendable {
    public let period: PeriodRecord
    public let next: PeriodRecord?
    public let certificate: CertificateRecord?
}

extension ExtensionRefusal {
    public var reason: StoreError.Reason {
        switch self {
        case .notAfterEnd(let end): return .init(field: "until", message: "must be after the period's end (\(end.iso))")
        case .beyondThreeMonths(let latest):
            return .init(field: "until", message: "more than 3 months in total (after \(latest.iso)) needs special circumstances with a reason and evidence")
        case .specialCircumstancesReasonMissing: return .init(field: "specialCircumstances.reason", message: "special circumstances need a written reason")
        case .specialCircumstancesEvidenceMissing: return .init(field: "specialCircumstances.evidence", message: "special circumstances need evidence (an uploaded statement)")
        case .periodClosed(let s): return .init(field: "periodId", message: "a period with status \(s.rawValue) cannot be extended")
        }
    }
}

extension AdvanceRefusal {
    public var reason: StoreError.Reason {
        switch self {
        case .notEarlier(let regular): return .init(field: "nextStart", message: "must be before the regular start of the next period (\(regular.iso))")
        case .moreThanThreeMonths(let earliest): return .init(field: "nextStart", message: "may be at most 3 months earlier: not before \(earliest.iso)")
        case .periodCancelled: return .init(field: "periodId", message: "the period is cancelled")
        }
    }
}

extension RegisterStore {
    static func dossierInputs(practitionerId: UUID, period: RegistrationPeriod, on conn: PostgresConnection) async throws -> DossierInputs {
        let aRows = try await conn.query("""
            SELECT \(unsafeRaw: RegisterColumns.accreditation) FROM accreditations a JOIN courses co ON co.id = a.course_id
            JOIN practitioners p ON p.id = a.practitioner_id
            WHERE a.practitioner_id = \(practitionerId) AND a.completed_on BETWEEN \(period.startDate) AND \(period.effectiveEndDate)
            """)
        let eRows = try await conn.query("SELECT \(unsafeRaw: RegisterColumns.ehbo) FROM ehbo_certificates e WHERE e.practitioner_id = \(practitionerId)")
        let hRows = try await conn.query("SELECT year, hours, statement FROM care_hours WHERE practitioner_id = \(practitionerId)")
        return DossierInputs(
            completions: try aRows.map { try AccreditationRecord(row: $0).completion },
            ehbo: try eRows.map { try EhboRecord(row: $0).certificate },
            careHours: try hRows.map { CareHoursRecord(year: try $0.decode("year"), hours: try $0.decode("hours"), statement: try $0.decode("statement")) })
    }

    /// Everything a dossier needs about one practitioner (by id or registration number) in one round trip:
    /// her record, periods, EHBO certificates and care hours as small JSON documents, and her completions as
    /// parallel arrays (one per field: array text decodes far faster than JSON objects).
    public func dossierData(ref: String) async throws -> (PractitionerRecord, [PeriodRecord], DossierInputs)? {
        let id = UUID(uuidString: ref.trimmingSpaces())
        let number: String? = id == nil ? RegistrationNumber.canonical(ref) : nil
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: RegisterColumns.practitioner),
                   (SELECT coalesce(json_agg(json_build_object('id', rp.id, 'startDate', rp.start_date, 'endDate', rp.end_date,
                                                               'effectiveEndDate', rp.effective_end, 'registeredOn', rp.registered_on,
                                                               'norm', rp.norm_code, 'status', rp.status) ORDER BY rp.start_date), '[]')::text
                    FROM registration_periods rp WHERE rp.practitioner_id = p.id) AS periods,
                   (SELECT coalesce(json_agg(json_build_object('id', e.id, 'obtainedOn', e.obtained_on, 'validUntil', e.valid_until,
                                                               'status', e.status)), '[]')::text
                    FROM ehbo_certificates e WHERE e.practitioner_id = p.id) AS ehbo,
                   (SELECT coalesce(json_agg(json_build_object('year', h.year, 'hours', h.hours, 'statement', h.statement)), '[]')::text
                    FROM care_hours h WHERE h.practitioner_id = p.id) AS care,
                   c.ids AS c_ids, c.course_ids AS c_course_ids, c.titles AS c_titles, c.completed AS c_completed,
                   c.recorded AS c_recorded, c.withdrawn AS c_withdrawn, c.lines AS c_lines
            FROM practitioners p
            -- The arrays of one aggregation see the rows in the same order, so they stay aligned without a sort.
            CROSS JOIN LATERAL (
                SELECT coalesce(array_agg(a.id), '{}') AS ids,
                       coalesce(array_agg(a.course_id), '{}') AS course_ids,
                       coalesce(array_agg(co.title), '{}') AS titles,
                       coalesce(array_agg(a.completed_on::text), '{}') AS completed,
                       coalesce(array_agg(a.recorded_on::text), '{}') AS recorded,
                       coalesce(array_agg(a.withdrawn_at IS NOT NULL), '{}') AS withdrawn,
                       coalesce(array_agg(co.lines::text), '{}') AS lines
                FROM accreditations a JOIN courses co ON co.id = a.course_id WHERE a.practitioner_id = p.id) c
            WHERE (\(id)::uuid IS NOT NULL AND p.id = \(id)::uuid) OR (\(id)::uuid IS NULL AND p.registration_number = \(number))
            """)
        guard let row = rows.first else { return nil }
        let practitioner = try PractitionerRecord(row: row)
        let decoder = JSONDecoder()
        func json<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
            try decoder.decode(T.self, from: Data(try row.decode(column, as: String.self).utf8))
        }
        let periods = try json("periods", [RegistrationPeriod].self).map { p -> PeriodRecord in
            guard let id = UUID(uuidString: p.id) else { throw CorruptRow(what: "period id") }
            return PeriodRecord(id: id, practitionerId: practitioner.id, period: p, submittedOn: nil)
        }
        return (practitioner, periods, DossierInputs(completions: try RegisterStore.completions(parallelArraysIn: row),
                                                     ehbo: try json("ehbo", [EhboCertificate].self),
                                                     careHours: try json("care", [CareHoursRecord].self)))
    }

    /// The completions of `dossierData`'s `c_*` columns, one array per field, all of one length.
    static func completions(parallelArraysIn row: PostgresRow) throws -> [Completion] {
        let ids = try row.decode("c_ids", as: [UUID].self), courseIds = try row.decode("c_course_ids", as: [UUID].self)
        let titles = try row.decode("c_titles", as: [String].self), completed = try row.decode("c_completed", as: [String].self)
        let recorded = try row.decode("c_recorded", as: [String].self), withdrawn = try row.decode("c_withdrawn", as: [Bool].self)
        let lines = try row.decode("c_lines", as: [String].self)
        guard [courseIds.count, titles.count, completed.count, recorded.count, withdrawn.count, lines.count].allSatisfy({ $0 == ids.count }) else {
            throw CorruptRow(what: "completion arrays")
        }
        return try ids.indices.map { i in
            guard let completedOn = CivilDate(iso: completed[i]), let recordedOn = CivilDate(iso: recorded[i]) else { throw CorruptRow(what: "completion date") }
            return Completion(id: ids[i].lowercasedString, courseId: courseIds[i].lowercasedString, courseTitle: titles[i],
                              completedOn: completedOn, recordedAt: recordedOn, withdrawn: withdrawn[i], lines: try CourseLinesMemo.lines(lines[i]))
        }
    }

    public func dossierInputs(practitionerId: UUID, period: RegistrationPeriod) async throws -> DossierInputs {
        try await pool.withConnection { conn in try await RegisterStore.dossierInputs(practitionerId: practitionerId, period: period, on: conn) }
    }

    static func reasons(_ eligibility: SubmissionEligibility) -> [StoreError.Reason] {
        eligibility.reasons.map { .init(field: $0.code, message: $0.message) }
    }

    /// Submission (DOMAIN §2): evaluated by the rules inside the transaction that records it; creates the upcoming
    /// next period (or keeps the one a previous submission created).
    public func submit(practitionerId: UUID, periodId: UUID, today: CivilDate, catalog: NormCatalog, by actor: AuditActor) async throws -> SubmissionResult {
        try await pool.withTransaction { conn in
            _ = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
            guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
            guard let norm = catalog.norm(code: record.period.normCode) else { throw StoreError.refused([.init(field: "norm", message: "the period's norm is not published")]) }
            let inputs = try await RegisterStore.dossierInputs(practitionerId: practitionerId, period: record.period, on: conn)
            let dossier = DossierEvaluator.evaluate(norm: norm, period: record.period, completions: inputs.completions,
                                                    ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: today)
            guard dossier.submission.allowed else { throw StoreError.refused(RegisterStore.reasons(dossier.submission)) }
            let updated = try await conn.query("""
                UPDATE registration_periods rp SET status = 'submitted', submitted_on = \(today), updated_at = now()
                WHERE rp.id = \(periodId) RETURNING \(unsafeRaw: RegisterColumns.period)
                """)
            let nextStart = record.period.regularNextStart
            let next: PeriodRecord
            if let existing = all.first(where: { $0.period.status == .upcoming && $0.period.startDate == nextStart }) {
                next = existing
            } else {
                let candidate: RegistrationPeriod
                do { candidate = try record.period.nextPeriod(id: "", submittedOn: today, catalog: catalog) } catch {
                    throw StoreError.refused([.init(field: "norm", message: "no norm applies to a registration on \(today.iso)")])
                }
                next = try await RegisterStore.insertPeriod(candidate, practitionerId: practitionerId, on: conn)
            }
            let s = try await conn.query("""
                INSERT INTO submissions (period_id, submitted_on, submitted_by, next_period_id) VALUES (\(periodId), \(today), \(actor.userId), \(next.id))
                RETURNING id
                """)
            try await AuditLog.record(.create, objectType: "submission", objectId: try s[0].decode("id"),
                                      details: ["periodId": periodId.lowercasedString, "practitionerId": practitionerId.lowercasedString],
                                      by: actor, on: conn)
            return SubmissionResult(period: try PeriodRecord(row: updated[0]), next: next, submissionId: try s[0].decode("id"))
        }
    }

    /// Review of a submitted period: approve (the next period becomes the registered one, with a certificate and
    /// the annotations earned in this period) or ask for information.
    public func review(practitionerId: UUID, periodId: UUID, approve: Bool, message: String?, today: CivilDate, catalog: NormCatalog,
                       by actor: AuditActor) async throws -> ReviewResult {
        try await pool.withTransaction { conn in
            let practitioner = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
            guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
            guard record.period.status == .submitted else {
                throw StoreError.conflict("only a submitted period can be reviewed; this one is \(record.period.status.rawValue)")
            }
            let sub = try await conn.query("SELECT id, next_period_id FROM submissions WHERE period_id = \(periodId) ORDER BY submitted_at DESC LIMIT 1")
            guard let subRow = sub.first else { throw StoreError.conflict("no submission found for this period") }
            let submissionId: UUID = try subRow.decode("id"), nextId: UUID = try subRow.decode("next_period_id")
            _ = try await conn.execute("""
                INSERT INTO reviews (submission_id, period_id, decision, message, reviewed_by, reviewed_by_name)
                VALUES (\(submissionId), \(periodId), \(approve ? "approve" : "requestInfo"), \(message), \(actor.userId), \(actor.userName))
                """)
            if !approve {
                let rows = try await conn.query("""
                    UPDATE registration_periods rp SET status = 'infoRequested', updated_at = now() WHERE rp.id = \(periodId)
                    RETURNING \(unsafeRaw: RegisterColumns.period)
                    """)
                try await AuditLog.record(.update, objectType: "period", objectId: periodId, details: ["review": "requestInfo"], by: actor, on: conn)
                try await Outbox.enqueue(.reviewOutcome, to: practitioner.email, clientId: nil,
                                         subject: "Vraag over uw aanmelding voor herregistratie",
                                         body: """
                                            Beste \(practitioner.firstName),

                                            Het Kwaliteitsregister heeft een vraag over uw aanmelding voor herregistratie (\(practitioner.registrationNumber)):

                                            \(message ?? "")

                                            Vul uw dossier aan en meld het daarna opnieuw aan.
                                            """, on: conn)
                return ReviewResult(period: try PeriodRecord(row: rows[0]), next: all.first { $0.id == nextId }, certificate: nil)
            }
            guard let norm = catalog.norm(code: record.period.normCode) else { throw StoreError.refused([.init(field: "norm", message: "the period's norm is not published")]) }
            let inputs = try await RegisterStore.dossierInputs(practitionerId: practitionerId, period: record.period, on: conn)
            let dossier = DossierEvaluator.evaluate(norm: norm, period: record.period, completions: inputs.completions,
                                                    ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: today)
            let rows = try await conn.query("""
                UPDATE registration_periods rp SET status = 'approved', updated_at = now() WHERE rp.id = \(periodId)
                RETURNING \(unsafeRaw: RegisterColumns.period)
                """)
            let nextRows = try await conn.query("""
                UPDATE registration_periods rp SET status = 'active', updated_at = now() WHERE rp.id = \(nextId) AND rp.status = 'upcoming'
                RETURNING \(unsafeRaw: RegisterColumns.period)
                """)
            guard let nextRow = nextRows.first else { throw StoreError.conflict("the next period is no longer upcoming") }
            let next = try PeriodRecord(row: nextRow)
            let certificate = try await RegisterStore.issueCertificate(practitioner, period: next.period, annotations: dossier.annotations,
                                                                       today: today, on: conn)
            try await AuditLog.record(.update, objectType: "period", objectId: periodId,
                                      details: ["review": "approve", "certificateId": certificate.id.lowercasedString], by: actor, on: conn)
            try await Outbox.enqueue(.reviewOutcome, to: practitioner.email, clientId: nil,
                                     subject: "Uw herregistratie is goedgekeurd",
                                     body: """
                                        Beste \(practitioner.firstName),

                                        Uw herregistratie is goedgekeurd. U staat ingeschreven tot en met \(certificate.validUntil.iso).
                                        Uw certificaat (\(practitioner.registrationNumber)) heeft verificatiecode \(certificate.verificationCode).\(certificate.annotations.isEmpty ? "" : "\nAantekeningen: \(certificate.annotations.joined(separator: ", ")).")
                                        """, on: conn)
            try await DomainEvents.record(.periodApproved, practitionerId: practitionerId,
                                          data: ["periodId": periodId.lowercasedString, "registrationNumber": practitioner.registrationNumber,
                                                 "validUntil": certificate.validUntil.iso], on: conn)
            return ReviewResult(period: try PeriodRecord(row: rows[0]), next: next, certificate: certificate)
        }
    }

    static func recordChange(kind: String, old: RegistrationPeriod, new: RegistrationPeriod, periodId: UUID, reason: String,
                             special: SpecialCircumstances?, requestId: UUID?, actor: AuditActor, on conn: PostgresConnection) async throws {
        let specialJSON = try special.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        _ = try await conn.execute("""
            INSERT INTO period_date_changes (period_id, kind, old_start_date, old_end_date, old_effective_end, new_start_date, new_end_date,
                                             new_effective_end, reason, special_circumstances, period_request_id, changed_by_user_id, changed_by_name)
            VALUES (\(periodId), \(kind), \(old.startDate), \(old.endDate), \(old.effectiveEndDate), \(new.startDate), \(new.endDate),
                    \(new.effectiveEndDate), \(reason), \(specialJSON)::jsonb, \(requestId), \(actor.userId), \(actor.userName))
            """)
        try await AuditLog.record(.update, objectType: "period", objectId: periodId, details: ["change": kind], by: actor, on: conn)
    }

    static func writeDates(_ p: RegistrationPeriod, id: UUID, on conn: PostgresConnection) async throws -> PeriodRecord {
        let rows = try await conn.query("""
            UPDATE registration_periods rp SET start_date = \(p.startDate), end_date = \(p.endDate), extended_until = \(p.extendedUntil), updated_at = now()
            WHERE rp.id = \(id) RETURNING \(unsafeRaw: RegisterColumns.period)
            """)
        return try PeriodRecord(row: rows[0])
    }

    static func applyExtension(practitionerId: UUID, periodId: UUID, until: CivilDate, special: SpecialCircumstances?, reason: String,
                               requestId: UUID?, actor: AuditActor, on conn: PostgresConnection) async throws -> PeriodRecord {
        let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
        guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
        let extended: RegistrationPeriod
        do { extended = try record.period.extended(until: until, specialCircumstances: special) } catch { throw StoreError.refused([error.reason]) }
        let stored = try await writeDates(extended, id: periodId, on: conn)
        try await recordChange(kind: "extension", old: record.period, new: extended, periodId: periodId, reason: reason, special: special,
                               requestId: requestId, actor: actor, on: conn)
        return stored
    }

    static func applyAdvance(practitionerId: UUID, periodId: UUID, nextStart: CivilDate, reason: String, requestId: UUID?,
                             actor: AuditActor, on conn: PostgresConnection) async throws -> (PeriodRecord, PeriodRecord?) {
        let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: true, on: conn)
        guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
        let advance: PeriodAdvance
        do { advance = try record.period.advancing(nextStart: nextStart) } catch { throw StoreError.refused([error.reason]) }
        let regular = record.period.regularNextStart
        // Shorten this period first, then move the next one: the periods never overlap, not even in between.
        let previous = try await writeDates(advance.previous, id: periodId, on: conn)
        try await recordChange(kind: "advance", old: record.period, new: advance.previous, periodId: periodId, reason: reason, special: nil,
                               requestId: requestId, actor: actor, on: conn)
        var next: PeriodRecord?
        if let existing = all.first(where: { $0.period.status != .cancelled && $0.period.startDate == regular }) {
            let moved = advance.apply(to: existing.period)
            next = try await writeDates(moved, id: existing.id, on: conn)
            try await recordChange(kind: "advancedByPrevious", old: existing.period, new: moved, periodId: existing.id, reason: reason,
                                   special: nil, requestId: requestId, actor: actor, on: conn)
        }
        return (previous, next)
    }

    public func extend(practitionerId: UUID, periodId: UUID, until: CivilDate, special: SpecialCircumstances?, reason: String,
                       by actor: AuditActor) async throws -> PeriodRecord {
        try await pool.withTransaction { conn in
            _ = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            return try await RegisterStore.applyExtension(practitionerId: practitionerId, periodId: periodId, until: until, special: special,
                                                          reason: reason, requestId: nil, actor: actor, on: conn)
        }
    }

    public func advance(practitionerId: UUID, periodId: UUID, nextStart: CivilDate, reason: String, by actor: AuditActor) async throws -> (PeriodRecord, PeriodRecord?) {
        try await pool.withTransaction { conn in
            _ = try await RegisterStore.lockPractitioner(practitionerId, on: conn)
            return try await RegisterStore.applyAdvance(practitionerId: practitionerId, periodId: periodId, nextStart: nextStart, reason: reason,
                                                        requestId: nil, actor: actor, on: conn)
        }
    }

    // MARK: period requests

    public func createPeriodRequest(practitionerId: UUID, periodId: UUID, kind: String, until: CivilDate?, nextStart: CivilDate?, reason: String,
                                    specialCircumstances: Bool, by actor: AuditActor) async throws -> PeriodRequestRecord {
        try await pool.withTransaction { conn in
            let all = try await RegisterStore.periods(practitionerId: practitionerId, lock: false, on: conn)
            guard let record = all.first(where: { $0.id == periodId }) else { throw StoreError.notFound("period") }
            // The same rules as the decision, with the evidence still to come.
            if kind == "extension", let until {
                let placeholder = specialCircumstances ? SpecialCircumstances(reason: reason, evidence: "to be uploaded") : nil
                do throws(ExtensionRefusal) { _ = try record.period.extended(until: until, specialCircumstances: placeholder) } catch { throw StoreError.refused([error.reason]) }
            } else if kind == "advance", let nextStart {
                do throws(AdvanceRefusal) { _ = try record.period.advancing(nextStart: nextStart) } catch { throw StoreError.refused([error.reason]) }
            }
            let rows = try await conn.query("""
                WITH r AS (
                    INSERT INTO period_requests (practitioner_id, period_id, kind, until, next_start, reason, special_circumstances, status)
                    VALUES (\(practitionerId), \(periodId), \(kind), \(until), \(nextStart), \(reason), \(specialCircumstances), 'open') RETURNING *)
                SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM r JOIN practitioners p ON p.id = r.practitioner_id
                """)
            let request = try PeriodRequestRecord(row: rows[0])
            try await AuditLog.record(.create, objectType: "periodRequest", objectId: request.id,
                                      details: ["practitionerId": practitionerId.lowercasedString, "kind": kind], by: actor, on: conn)
            return request
        }
    }

    public func periodRequest(id: UUID) async throws -> PeriodRequestRecord? {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM period_requests r JOIN practitioners p ON p.id = r.practitioner_id WHERE r.id = \(id)
            """)
        return try rows.first.map(PeriodRequestRecord.init(row:))
    }

    public func periodRequests(practitionerId: UUID?, status: String?, page: PageRequest) async throws -> Page<PeriodRequestRecord> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query("""
            WITH m AS (SELECT r.* FROM period_requests r
                       WHERE (\(practitionerId)::uuid IS NULL OR r.practitioner_id = \(practitionerId)) AND (\(status)::text IS NULL OR r.status = \(status)))
            SELECT \(unsafeRaw: RegisterColumns.periodRequest), (SELECT count(*) FROM m) AS total
            FROM m r JOIN practitioners p ON p.id = r.practitioner_id
            WHERE (\(afterKey)::text IS NULL OR (to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), r.id) > (\(afterKey), \(afterId)))
            ORDER BY to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), r.id LIMIT \(page.limit + 1)
            """)
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        var items = try rows.map(PeriodRequestRecord.init(row:))
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            let last = items[items.count - 1]
            let key = try await pool.query("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS k FROM period_requests WHERE id = \(last.id)")
            next = PageCursor(key: try key[0].decode("k", as: String.self), id: last.id).encoded
        }
        return Page(items: items, total: total, nextCursor: next)
    }

    public func putEvidence(requestId: UUID, bytes: [UInt8], contentType: String, by actor: AuditActor) async throws -> PeriodRequestRecord {
        try await pool.withTransaction { conn in
            let rows = try await conn.query("""
                WITH r AS (
                    UPDATE period_requests SET evidence = \(bytes), evidence_content_type = \(contentType), evidence_size = \(bytes.count),
                        evidence_uploaded_at = now()
                    WHERE id = \(requestId) AND status = 'open' RETURNING *)
                SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM r JOIN practitioners p ON p.id = r.practitioner_id
                """)
            guard let row = rows.first else { throw StoreError.conflict("evidence can only be added to an open request") }
            try await AuditLog.record(.update, objectType: "periodRequest", objectId: requestId, details: ["evidence": contentType], by: actor, on: conn)
            return try PeriodRequestRecord(row: row)
        }
    }

    /// Approve applies the request with the same rules as a direct change; reject only records the decision.
    public func decidePeriodRequest(id: UUID, approve: Bool, message: String, by actor: AuditActor) async throws -> PeriodRequestRecord {
        try await pool.withTransaction { conn in
            let locked = try await conn.query("""
                SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM period_requests r JOIN practitioners p ON p.id = r.practitioner_id
                WHERE r.id = \(id) FOR UPDATE OF r
                """)
            guard let row = locked.first else { throw StoreError.notFound("period request") }
            let request = try PeriodRequestRecord(row: row)
            guard request.status == "open" else { throw StoreError.conflict("this request was already decided (\(request.status))") }
            if approve {
                _ = try await RegisterStore.lockPractitioner(request.practitionerId, on: conn)
                if request.kind == "extension", let until = request.until {
                    let special = request.specialCircumstances
                        ? SpecialCircumstances(reason: request.reason, evidence: request.evidenceContentType == nil ? "" : "period-request:\(id.lowercasedString)")
                        : nil
                    _ = try await RegisterStore.applyExtension(practitionerId: request.practitionerId, periodId: request.periodId, until: until,
                                                               special: special, reason: request.reason, requestId: id, actor: actor, on: conn)
                } else if let nextStart = request.nextStart {
                    _ = try await RegisterStore.applyAdvance(practitionerId: request.practitionerId, periodId: request.periodId, nextStart: nextStart,
                                                             reason: request.reason, requestId: id, actor: actor, on: conn)
                }
            }
            let rows = try await conn.query("""
                WITH r AS (
                    UPDATE period_requests SET status = \(approve ? "approved" : "rejected"), decided_by = \(actor.userId), decided_by_name = \(actor.userName),
                        decided_at = now(), decision_message = \(message)
                    WHERE id = \(id) RETURNING *)
                SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM r JOIN practitioners p ON p.id = r.practitioner_id
                """)
            try await AuditLog.record(.update, objectType: "periodRequest", objectId: id, details: ["decision": approve ? "approve" : "reject"],
                                      by: actor, on: conn)
            return try PeriodRequestRecord(row: rows[0])
        }
    }

    public func evidence(requestId: UUID) async throws -> (bytes: [UInt8], contentType: String)? {
        let rows = try await pool.query("SELECT evidence, evidence_content_type FROM period_requests WHERE id = \(requestId) AND evidence IS NOT NULL")
        guard let r = rows.first else { return nil }
        return (try r.decode("evidence"), try r.decode("evidence_content_type"))
    }
}
