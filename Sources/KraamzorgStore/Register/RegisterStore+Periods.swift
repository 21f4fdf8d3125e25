import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// What the dossier evaluation needs besides the norm and the period.
public struct DossierInputs: Sendable {
    public let completions: [Completion]
    public let ehbo: [EhboCertificate]
    public let careHours: [CareHoursRecord]

    public init(completions: [Completion], ehbo: [EhboCertificate], careHours: [CareHoursRecord]) {
        self.completions = completions
        self.ehbo = ehbo
        self.careHours = careHours
    }
}

/// Whose dossier: by id, or by a reference as a caller wrote it (an id or a registration number).
public enum PractitionerKey: Sendable {
    case id(UUID)
    case ref(String)
}

/// Which period's completions the dossier loader reads: one period by id, or the live (not cancelled)
/// period covering a date (periods never overlap, so there is at most one).
public enum DossierPeriodChoice: Sendable {
    case id(UUID)
    case covering(CivilDate)
}

/// Everything a dossier needs about one practitioner, read in one round trip.
public struct DossierFacts: Sendable {
    public let practitioner: PractitionerRecord
    /// All her periods by start date, each with the day it was submitted.
    public let periods: [PeriodRecord]
    /// The period whose completions `inputs` holds; nil when no period matched the choice (then it has none).
    public let inputsPeriodId: UUID?
    /// Her completions dated in that period (withdrawn ones included: the rules skip them), her EHBO
    /// certificates and care hours.
    public let inputs: DossierInputs
}

extension RegisterStore {
    // MARK: the dossier

    /// The one dossier loader: her record, her periods (with `submittedOn`), her EHBO certificates and care
    /// hours as small JSON documents, and the completions of the chosen period as parallel arrays (one per
    /// field: array text decodes far faster than JSON objects). nil when no practitioner has this key.
    public static func dossierFacts(
        of who: PractitionerKey, period choice: DossierPeriodChoice,
        on conn: PostgresConnection
    ) async throws -> DossierFacts? {
        let id: UUID?, number: String?
        switch who {
        case .id(let u): id = u; number = nil
        case .ref(let ref):
            id = UUID(uuidString: ref.trimmingSpaces())
            number = id == nil ? RegistrationNumber.canonical(ref) : nil
        }
        let periodId: UUID?, day: CivilDate?
        switch choice {
        case .id(let u): periodId = u; day = nil
        case .covering(let d): periodId = nil; day = d
        }
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.practitioner),
                   (SELECT coalesce(json_agg(json_build_object('id', rp.id, 'startDate', rp.start_date, 'endDate', rp.end_date,
                                                               'effectiveEndDate', rp.effective_end, 'registeredOn', rp.registered_on,
                                                               'norm', rp.norm_code, 'status', rp.status, 'submittedOn', rp.submitted_on,
                                                               'firstSubmittedOn', (SELECT min(s.submitted_on) FROM submissions s
                                                                                    WHERE s.period_id = rp.id))
                                             ORDER BY rp.start_date, rp.created_at), '[]')::text
                    FROM registration_periods rp WHERE rp.practitioner_id = p.id) AS periods,
                   (SELECT coalesce(json_agg(json_build_object('id', e.id, 'obtainedOn', e.obtained_on, 'validUntil', e.valid_until,
                                                               'status', e.status)), '[]')::text
                    FROM ehbo_certificates e WHERE e.practitioner_id = p.id) AS ehbo,
                   (SELECT coalesce(json_agg(json_build_object('year', h.year, 'hours', h.hours, 'statement', h.statement)), '[]')::text
                    FROM care_hours h WHERE h.practitioner_id = p.id) AS care,
                   chosen.id AS chosen_id,
                   c.ids AS c_ids, c.course_ids AS c_course_ids, c.titles AS c_titles, c.completed AS c_completed,
                   c.recorded AS c_recorded, c.withdrawn AS c_withdrawn, c.lines AS c_lines
            FROM practitioners p
            LEFT JOIN LATERAL (
                SELECT rp.id, rp.start_date, rp.effective_end FROM registration_periods rp
                WHERE rp.practitioner_id = p.id
                  AND CASE WHEN \(periodId)::uuid IS NOT NULL THEN rp.id = \(periodId)::uuid
                           ELSE rp.status <> 'cancelled' AND rp.start_date <= \(day)::date AND rp.effective_end >= \(day)::date END
                ORDER BY rp.start_date, rp.created_at LIMIT 1) chosen ON true
            -- The arrays of one aggregation see the rows in the same order, so they stay aligned without a sort.
            CROSS JOIN LATERAL (
                SELECT coalesce(array_agg(a.id), '{}') AS ids,
                       coalesce(array_agg(a.course_id), '{}') AS course_ids,
                       coalesce(array_agg(co.title), '{}') AS titles,
                       coalesce(array_agg(a.completed_on::text), '{}') AS completed,
                       coalesce(array_agg(a.recorded_on::text), '{}') AS recorded,
                       coalesce(array_agg(a.withdrawn_at IS NOT NULL), '{}') AS withdrawn,
                       coalesce(array_agg(cv.lines::text), '{}') AS lines
                FROM accreditations a JOIN courses co ON co.id = a.course_id
                -- The lines of the version in force when it was booked: a later change of the course never changes them.
                JOIN course_versions cv ON cv.course_id = a.course_id AND cv.version = a.course_version
                WHERE a.practitioner_id = p.id AND a.completed_on BETWEEN chosen.start_date AND chosen.effective_end) c
            WHERE (\(id)::uuid IS NOT NULL AND p.id = \(id)::uuid) OR (\(id)::uuid IS NULL AND p.registration_number = \(number))
            """)
        guard let row = rows.first else { return nil }
        let practitioner = try PractitionerRecord(row: row)
        let decoder = JSONDecoder()
        func json<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
            try decoder.decode(T.self, from: Data(try row.decode(column, as: String.self).utf8))
        }
        let periods = try json("periods", [StoredPeriod].self).map { p -> PeriodRecord in
            guard let id = UUID(uuidString: p.period.id) else { throw CorruptRow(what: "period id") }
            return PeriodRecord(id: id, practitionerId: practitioner.id, period: p.period, submittedOn: p.submittedOn)
        }
        return DossierFacts(
            practitioner: practitioner, periods: periods, inputsPeriodId: try row.decode("chosen_id"),
            inputs: DossierInputs(
                completions: try RegisterStore.completions(parallelArraysIn: row),
                ehbo: try json("ehbo", [EhboCertificate].self),
                careHours: try json("care", [CareHoursRecord].self)))
    }

    /// A period of the loader's JSON: the rules' value and the day it was submitted.
    private struct StoredPeriod: Decodable {
        let period: RegistrationPeriod
        let submittedOn: CivilDate?

        private enum Keys: String, CodingKey { case submittedOn }

        init(from decoder: any Decoder) throws {
            period = try RegistrationPeriod(from: decoder)
            submittedOn = try decoder.container(keyedBy: Keys.self).decodeIfPresent(CivilDate.self, forKey: .submittedOn)
        }
    }

    /// The completions of `dossierFacts`'s `c_*` columns, one array per field, all of one length.
    static func completions(parallelArraysIn row: PostgresRow) throws -> [Completion] {
        let ids = try row.decode("c_ids", as: [UUID].self), courseIds = try row.decode("c_course_ids", as: [UUID].self)
        let titles = try row.decode("c_titles", as: [String].self), completed = try row.decode("c_completed", as: [String].self)
        let recorded = try row.decode("c_recorded", as: [String].self), withdrawn = try row.decode("c_withdrawn", as: [Bool].self)
        let lines = try row.decode("c_lines", as: [String].self)
        guard
            [courseIds.count, titles.count, completed.count, recorded.count, withdrawn.count, lines.count].allSatisfy({ $0 == ids.count })
        else {
            throw CorruptRow(what: "completion arrays")
        }
        return try ids.indices.map { i in
            guard let completedOn = CivilDate(iso: completed[i]), let recordedOn = CivilDate(iso: recorded[i]) else {
                throw CorruptRow(what: "completion date")
            }
            return Completion(
                id: ids[i].lowercasedString, courseId: courseIds[i].lowercasedString, courseTitle: titles[i],
                completedOn: completedOn, recordedAt: recordedOn, withdrawn: withdrawn[i], lines: try CourseLinesMemo.lines(lines[i]))
        }
    }

    // MARK: submission and review

    /// Marks the period submitted on `day`.
    public static func markSubmitted(periodId: UUID, on day: CivilDate, on conn: PostgresConnection) async throws -> PeriodRecord {
        let rows = try await conn.query(
            """
            UPDATE registration_periods rp SET status = 'submitted', submitted_on = \(day), updated_at = now()
            WHERE rp.id = \(periodId) RETURNING \(unsafeRaw: RegisterColumns.period)
            """)
        return try PeriodRecord(row: rows[0])
    }

    /// Records a submission (and the next period it leads to); returns its id.
    public static func recordSubmission(
        periodId: UUID, on day: CivilDate, nextPeriodId: UUID, by actor: AuditActor,
        on conn: PostgresConnection
    ) async throws -> UUID {
        let s = try await conn.query(
            """
            INSERT INTO submissions (period_id, submitted_on, submitted_by, next_period_id) VALUES (\(periodId), \(day), \(actor.userId), \(nextPeriodId))
            RETURNING id
            """)
        return try s[0].decode("id")
    }

    /// The period's latest submission and the next period it created.
    public static func latestSubmission(periodId: UUID, on conn: PostgresConnection) async throws -> (id: UUID, nextPeriodId: UUID)? {
        let sub = try await conn.query(
            "SELECT id, next_period_id FROM submissions WHERE period_id = \(periodId) ORDER BY submitted_at DESC LIMIT 1")
        guard let row = sub.first else { return nil }
        return (try row.decode("id"), try row.decode("next_period_id"))
    }

    /// A review's decision as stored: `approve`, `requestInfo` or `refuse` (its message is the reason).
    public enum ReviewDecision: String, Sendable {
        case approve, requestInfo, refuse
    }

    public static func recordReview(
        submissionId: UUID, periodId: UUID, decision: ReviewDecision, message: String?, by actor: AuditActor,
        on conn: PostgresConnection
    ) async throws {
        _ = try await conn.execute(
            """
            INSERT INTO reviews (submission_id, period_id, decision, message, reviewed_by, reviewed_by_name)
            VALUES (\(submissionId), \(periodId), \(decision.rawValue), \(message), \(actor.userId), \(actor.userName))
            """)
    }

    /// Cancels a period that is still upcoming (the next period of a refused one); nil when it is not upcoming.
    public static func cancelUpcoming(periodId: UUID, on conn: PostgresConnection) async throws -> PeriodRecord? {
        let rows = try await conn.query(
            """
            UPDATE registration_periods rp SET status = 'cancelled', updated_at = now() WHERE rp.id = \(periodId) AND rp.status = 'upcoming'
            RETURNING \(unsafeRaw: RegisterColumns.period)
            """)
        return try rows.first.map(PeriodRecord.init(row:))
    }

    /// Sets a period's stored status.
    public static func setStatus(_ status: PeriodStatus, periodId: UUID, on conn: PostgresConnection) async throws -> PeriodRecord {
        let rows = try await conn.query(
            """
            UPDATE registration_periods rp SET status = \(status.rawValue), updated_at = now() WHERE rp.id = \(periodId)
            RETURNING \(unsafeRaw: RegisterColumns.period)
            """)
        return try PeriodRecord(row: rows[0])
    }

    /// Makes an upcoming period the active one; nil when it is no longer upcoming.
    public static func activateUpcoming(periodId: UUID, on conn: PostgresConnection) async throws -> PeriodRecord? {
        let rows = try await conn.query(
            """
            UPDATE registration_periods rp SET status = 'active', updated_at = now() WHERE rp.id = \(periodId) AND rp.status = 'upcoming'
            RETURNING \(unsafeRaw: RegisterColumns.period)
            """)
        return try rows.first.map(PeriodRecord.init(row:))
    }

    // MARK: date changes

    /// Keeps a change of a period's dates with who, when and why.
    public static func recordDateChange(
        kind: String, old: RegistrationPeriod, new: RegistrationPeriod, periodId: UUID, reason: String,
        special: SpecialCircumstances?, requestId: UUID?, by actor: AuditActor,
        on conn: PostgresConnection
    ) async throws {
        let specialJSON = try special.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        _ = try await conn.execute(
            """
            INSERT INTO period_date_changes (period_id, kind, old_start_date, old_end_date, old_effective_end, new_start_date, new_end_date,
                                             new_effective_end, reason, special_circumstances, period_request_id, changed_by_user_id, changed_by_name)
            VALUES (\(periodId), \(kind), \(old.startDate), \(old.endDate), \(old.effectiveEndDate), \(new.startDate), \(new.endDate),
                    \(new.effectiveEndDate), \(reason), \(specialJSON)::jsonb, \(requestId), \(actor.userId), \(actor.userName))
            """)
    }

    public static func writeDates(_ p: RegistrationPeriod, id: UUID, on conn: PostgresConnection) async throws -> PeriodRecord {
        let rows = try await conn.query(
            """
            UPDATE registration_periods rp SET start_date = \(p.startDate), end_date = \(p.endDate), extended_until = \(p.extendedUntil), updated_at = now()
            WHERE rp.id = \(id) RETURNING \(unsafeRaw: RegisterColumns.period)
            """)
        return try PeriodRecord(row: rows[0])
    }

    // MARK: period requests

    public static func insertPeriodRequest(
        practitionerId: UUID, periodId: UUID, kind: String, until: CivilDate?, nextStart: CivilDate?,
        reason: String, specialCircumstances: Bool, on conn: PostgresConnection
    ) async throws -> PeriodRequestRecord {
        let rows = try await conn.query(
            """
            WITH r AS (
                INSERT INTO period_requests (practitioner_id, period_id, kind, until, next_start, reason, special_circumstances, status)
                VALUES (\(practitionerId), \(periodId), \(kind), \(until), \(nextStart), \(reason), \(specialCircumstances), 'open') RETURNING *)
            SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM r JOIN practitioners p ON p.id = r.practitioner_id
            """)
        return try PeriodRequestRecord(row: rows[0])
    }

    /// The request, locked for its decision.
    public static func lockPeriodRequest(id: UUID, on conn: PostgresConnection) async throws -> PeriodRequestRecord? {
        let locked = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM period_requests r JOIN practitioners p ON p.id = r.practitioner_id
            WHERE r.id = \(id) FOR UPDATE OF r
            """)
        return try locked.first.map(PeriodRequestRecord.init(row:))
    }

    public static func recordRequestDecision(
        id: UUID, approve: Bool, message: String, by actor: AuditActor,
        on conn: PostgresConnection
    ) async throws -> PeriodRequestRecord {
        let rows = try await conn.query(
            """
            WITH r AS (
                UPDATE period_requests SET status = \(approve ? "approved" : "rejected"), decided_by = \(actor.userId), decided_by_name = \(actor.userName),
                    decided_at = now(), decision_message = \(message)
                WHERE id = \(id) RETURNING *)
            SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM r JOIN practitioners p ON p.id = r.practitioner_id
            """)
        return try PeriodRequestRecord(row: rows[0])
    }

    public func periodRequest(id: UUID) async throws -> PeriodRequestRecord? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM period_requests r JOIN practitioners p ON p.id = r.practitioner_id WHERE r.id = \(id)
            """)
        return try rows.first.map(PeriodRequestRecord.init(row:))
    }

    public func periodRequests(practitionerId: UUID?, status: String?, page: PageRequest) async throws -> Page<PeriodRequestRecord> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query(
            """
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
            let key = try await pool.query(
                "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS k FROM period_requests WHERE id = \(last.id)"
            )
            next = PageCursor(key: try key[0].decode("k", as: String.self), id: last.id).encoded
        }
        return Page(items: items, total: total, nextCursor: next)
    }

    /// Stores her evidence (a statement) with the request.
    public static func storeEvidence(requestId: UUID, bytes: [UInt8], contentType: String, on conn: PostgresConnection) async throws
        -> PeriodRequestRecord
    {
        let rows = try await conn.query(
            """
            WITH r AS (
                UPDATE period_requests SET evidence = \(bytes), evidence_content_type = \(contentType), evidence_size = \(bytes.count),
                    evidence_uploaded_at = now()
                WHERE id = \(requestId) RETURNING *)
            SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM r JOIN practitioners p ON p.id = r.practitioner_id
            """)
        guard let row = rows.first else { throw StoreError.notFound("period request") }
        return try PeriodRequestRecord(row: row)
    }

    public func evidence(requestId: UUID) async throws -> (bytes: [UInt8], contentType: String)? {
        let rows = try await pool.query(
            "SELECT evidence, evidence_content_type FROM period_requests WHERE id = \(requestId) AND evidence IS NOT NULL")
        guard let r = rows.first else { return nil }
        return (try r.decode("evidence"), try r.decode("evidence_content_type"))
    }
}
