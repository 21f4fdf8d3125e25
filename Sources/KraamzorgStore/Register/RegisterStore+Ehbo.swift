import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

extension RegisterStore {
    public func createEhbo(practitionerId: UUID, obtainedOn: CivilDate, validUntil: CivilDate, by actor: AuditActor) async throws
        -> EhboRecord
    {
        try await pool.withTransaction { conn in
            let rows = try await conn.query(
                """
                INSERT INTO ehbo_certificates AS e (practitioner_id, obtained_on, valid_until, status)
                VALUES (\(practitionerId), \(obtainedOn), \(validUntil), 'awaitingFile') RETURNING \(unsafeRaw: RegisterColumns.ehbo)
                """)
            let record = try EhboRecord(row: rows[0])
            try await AuditLog.record(
                .create, objectType: "ehboCertificate", objectId: record.id,
                details: ["practitionerId": practitionerId.lowercasedString], by: actor, on: conn)
            return record
        }
    }

    public func ehbo(id: UUID) async throws -> EhboRecord? {
        let rows = try await pool.query("SELECT \(unsafeRaw: RegisterColumns.ehbo) FROM ehbo_certificates e WHERE e.id = \(id)")
        return try rows.first.map(EhboRecord.init(row:))
    }

    public func ehboCertificates(practitionerId: UUID) async throws -> [EhboRecord] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.ehbo) FROM ehbo_certificates e WHERE e.practitioner_id = \(practitionerId) ORDER BY e.obtained_on, e.created_at
            """)
        return try rows.map(EhboRecord.init(row:))
    }

    /// The certificate, locked until the transaction ends (nil: no such certificate).
    public static func lockEhbo(id: UUID, on conn: PostgresConnection) async throws -> EhboRecord? {
        let rows = try await conn.query("SELECT \(unsafeRaw: RegisterColumns.ehbo) FROM ehbo_certificates e WHERE e.id = \(id) FOR UPDATE")
        return try rows.first.map(EhboRecord.init(row:))
    }

    /// Stores the file and makes the certificate `pendingReview` again (an earlier review is cleared).
    public static func storeEhboFile(id: UUID, bytes: [UInt8], contentType: String, on conn: PostgresConnection) async throws -> EhboRecord
    {
        let rows = try await conn.query(
            """
            UPDATE ehbo_certificates e SET file = \(bytes), content_type = \(contentType), file_size = \(bytes.count), uploaded_at = now(),
                status = 'pendingReview', review_reason = NULL, reviewed_at = NULL, reviewed_by = NULL, reviewed_by_name = NULL
            WHERE e.id = \(id) RETURNING \(unsafeRaw: RegisterColumns.ehbo)
            """)
        guard let row = rows.first else { throw StoreError.notFound("EHBO certificate") }
        return try EhboRecord(row: row)
    }

    public func ehboFile(id: UUID) async throws -> (bytes: [UInt8], contentType: String)? {
        let rows = try await pool.query("SELECT file, content_type FROM ehbo_certificates WHERE id = \(id) AND file IS NOT NULL")
        guard let r = rows.first else { return nil }
        return (try r.decode("file"), try r.decode("content_type"))
    }

    /// Records the review: approved or rejected (with the reason), by whom and when.
    public static func recordEhboReview(
        id: UUID, approve: Bool, reason: String?, by actor: AuditActor,
        on conn: PostgresConnection
    ) async throws -> EhboRecord {
        let rows = try await conn.query(
            """
            UPDATE ehbo_certificates e SET status = \(approve ? "approved" : "rejected"), review_reason = \(reason), reviewed_at = now(),
                reviewed_by = \(actor.userId), reviewed_by_name = \(actor.userName)
            WHERE e.id = \(id) RETURNING \(unsafeRaw: RegisterColumns.ehbo)
            """)
        guard let row = rows.first else { throw StoreError.notFound("EHBO certificate") }
        return try EhboRecord(row: row)
    }

    // MARK: reports and statistics

    public struct ReportTable: Sendable {
        public let columns: [String]
        public let rows: [[String]]
    }

    /// Admin reports. Candidates are selected in SQL; whether a period is expired or a review overdue is
    /// decided with the rules' dates.
    public func report(_ name: String, today: CivilDate) async throws -> ReportTable? {
        switch name {
        case "late-providers":
            let rows = try await pool.query(
                """
                SELECT o.id, o.name, count(*) FILTER (WHERE a.late) AS late, count(*) AS total, max(a.recorded_on)::text AS last_push
                FROM accreditations a JOIN courses co ON co.id = a.course_id JOIN organizations o ON o.id = co.provider_id
                WHERE a.withdrawn_at IS NULL GROUP BY o.id, o.name HAVING count(*) FILTER (WHERE a.late) > 0
                ORDER BY late DESC, o.name
                """)
            return ReportTable(
                columns: ["providerId", "providerName", "latePushes", "totalPushes", "lastPush"],
                rows: try rows.map { r in
                    let id: UUID = try r.decode("id")
                    return [
                        id.lowercasedString, try r.decode("name"), String(try r.decode("late", as: Int.self)),
                        String(try r.decode("total", as: Int.self)), try r.decode("last_push", as: String?.self) ?? "",
                    ]
                })
        case "overdue-reviews":
            let rows = try await pool.query(
                """
                SELECT rp.id, p.registration_number, p.first_name || ' ' || p.last_name AS name, rp.submitted_on::text AS submitted_on
                FROM registration_periods rp JOIN practitioners p ON p.id = rp.practitioner_id
                WHERE rp.status = 'submitted' ORDER BY rp.submitted_on, rp.id
                """)
            var out: [[String]] = []
            for r in rows {
                guard let submitted = try r.optionalDate("submitted_on") else { continue }
                // Review within two weeks of submission (DOMAIN §2).
                let due = submitted.adding(weeks: 2)
                guard today > due else { continue }
                let id: UUID = try r.decode("id")
                out.append([
                    id.lowercasedString, try r.decode("registration_number"), try r.decode("name"), submitted.iso, due.iso,
                    String(due.days(until: today)),
                ])
            }
            return ReportTable(columns: ["periodId", "registrationNumber", "name", "submittedOn", "reviewDue", "daysOverdue"], rows: out)
        case "expired-unsubmitted":
            let rows = try await pool.query(
                """
                SELECT \(unsafeRaw: RegisterColumns.period), p.registration_number, p.first_name || ' ' || p.last_name AS name
                FROM registration_periods rp JOIN practitioners p ON p.id = rp.practitioner_id
                WHERE rp.status = 'active' AND rp.effective_end < \(today) AND p.struck_off_on IS NULL
                ORDER BY rp.effective_end, rp.id
                """)
            var out: [[String]] = []
            for r in rows {
                let p = try PeriodRecord(row: r)
                guard p.period.status(on: today) == .expired else { continue }
                out.append([
                    p.id.lowercasedString, try r.decode("registration_number"), try r.decode("name"), p.period.effectiveEndDate.iso,
                ])
            }
            return ReportTable(columns: ["periodId", "registrationNumber", "name", "effectiveEndDate"], rows: out)
        case "open-period-requests":
            let rows = try await pool.query(
                """
                SELECT \(unsafeRaw: RegisterColumns.periodRequest) FROM period_requests r JOIN practitioners p ON p.id = r.practitioner_id
                WHERE r.status = 'open' ORDER BY r.created_at
                """)
            return ReportTable(
                columns: [
                    "requestId", "registrationNumber", "kind", "until", "nextStart", "specialCircumstances", "evidence", "createdAt",
                ],
                rows: try rows.map { r in
                    let q = try PeriodRequestRecord(row: r)
                    return [
                        q.id.lowercasedString, q.registrationNumber, q.kind, q.until?.iso ?? "", q.nextStart?.iso ?? "",
                        String(q.specialCircumstances), q.evidenceContentType ?? "", isoSeconds(q.createdAt),
                    ]
                })
        default:
            return nil
        }
    }

    public struct Statistics: Sendable {
        public let registeredByNorm: [String: Int]
        public let registeredByAnnotation: [String: Int]
        public let periodsByStatus: [String: Int]
        public let registered: Int
    }

    /// Aggregates only. Each practitioner's standing today is decided by `RegisterStanding.standing` over her
    /// periods (as the public lookup does, grace of a pending review included); her norm and annotations are
    /// those of the period it rests on (annotations: that period's latest certificate).
    public func statistics(today: CivilDate) async throws -> Statistics {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.period), p.struck_off_on::text AS struck, p.deregistered_on::text AS dereg,
                   (SELECT c.annotations FROM certificates c WHERE c.period_id = rp.id ORDER BY c.created_at DESC LIMIT 1) AS annotations
            FROM registration_periods rp JOIN practitioners p ON p.id = rp.practitioner_id
            WHERE rp.status NOT IN ('cancelled', 'upcoming') AND rp.start_date <= \(today)
              AND (p.struck_off_on IS NULL OR p.struck_off_on > \(today)) AND (p.deregistered_on IS NULL OR p.deregistered_on > \(today))
            ORDER BY rp.practitioner_id, rp.start_date
            """)
        var periods: [UUID: [(period: RegistrationPeriod, annotations: [String])]] = [:]
        var ends: [UUID: (struck: CivilDate?, dereg: CivilDate?)] = [:]
        for r in rows {
            let p = try PeriodRecord(row: r)
            periods[p.practitionerId, default: []].append((p.period, try r.decode("annotations", as: [String]?.self) ?? []))
            ends[p.practitionerId] = (try r.optionalDate("struck"), try r.optionalDate("dereg"))
        }
        var byNorm: [String: Int] = [:], byAnnotation: [String: Int] = [:], registered = 0
        for (id, list) in periods {
            let decision = RegisterStanding.standing(
                on: today, today: today, periods: list.map(\.period), struckOffOn: ends[id]?.struck, deregisteredOn: ends[id]?.dereg)
            guard decision.registered, let period = decision.period else { continue }
            registered += 1
            byNorm[period.normCode, default: 0] += 1
            for a in list.first(where: { $0.period.id == period.id })?.annotations ?? [] { byAnnotation[a, default: 0] += 1 }
        }
        // Grouped by stored status and whether the effective end has passed: the rules decide what that status is today.
        let statusRows = try await pool.query(
            """
            SELECT status, (effective_end < \(today)) AS past, count(*) AS n FROM registration_periods GROUP BY 1, 2
            """)
        var byStatus: [String: Int] = [:]
        for s in PeriodStatus.allCases { byStatus[s.rawValue] = 0 }
        for r in statusRows {
            guard let stored = PeriodStatus(rawValue: try r.decode("status", as: String.self)) else { continue }
            let end = (try r.decode("past", as: Bool.self)) ? today.adding(days: -1) : today
            let probe = RegistrationPeriod(id: "", startDate: end.adding(years: -4), endDate: end, normCode: "", status: stored)
            byStatus[probe.status(on: today).rawValue, default: 0] += try r.decode("n", as: Int.self)
        }
        return Statistics(registeredByNorm: byNorm, registeredByAnnotation: byAnnotation, periodsByStatus: byStatus, registered: registered)
    }
}

/// `2024-07-01T12:00:00Z` as ISO8601DateFormatter (not in FoundationEssentials) wrote it: whole
/// seconds, after rounding to the millisecond as CoreFoundation does.
private func isoSeconds(_ d: Date) -> String {
    let ms = ((d.timeIntervalSinceReferenceDate + 978307200) * 1000 + 0.5).rounded(.down)
    return Date(timeIntervalSince1970: (ms / 1000).rounded(.down)).formatted(.iso8601)
}
