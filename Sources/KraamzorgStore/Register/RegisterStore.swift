import FoundationEssentials
import Hashing
import KraamzorgRules
import PostgresClient
import Synchronization
import DatesAndIDs

/// The quality register's facts: practitioners, periods, certificates, courses, accreditations, EHBO
/// certificates, requests. The store loads and writes; every rule is evaluated by KraamzorgRules.
public struct RegisterStore: Sendable {
    public let pool: PostgresPool
    let norms: NormCache
    let agenda: AgendaCache
    let audit: AuditBatcher

    public init(pool: PostgresPool) {
        self.pool = pool
        self.norms = NormCache()
        self.agenda = AgendaCache()
        self.audit = AuditBatcher(pool: pool)
    }
}

extension RegisterStore {
    // MARK: practitioners

    public struct NewPractitioner: Sendable {
        public var firstName: String
        public var lastName: String
        public var email: String
        public var dateOfBirth: CivilDate?
        public var registrationNumber: String?
        public var periodStart: CivilDate
        public var registeredOn: CivilDate
        public var diplomaObtainedOn: CivilDate?
        public var reentrant: Bool
        public var entryDeadline: CivilDate?
        public var normCode: String

        public init(
            firstName: String, lastName: String, email: String, dateOfBirth: CivilDate?, registrationNumber: String?,
            periodStart: CivilDate, registeredOn: CivilDate, diplomaObtainedOn: CivilDate?, reentrant: Bool,
            entryDeadline: CivilDate?, normCode: String
        ) {
            self.firstName = firstName
            self.lastName = lastName
            self.email = email
            self.dateOfBirth = dateOfBirth
            self.registrationNumber = registrationNumber
            self.periodStart = periodStart
            self.registeredOn = registeredOn
            self.diplomaObtainedOn = diplomaObtainedOn
            self.reentrant = reentrant
            self.entryDeadline = entryDeadline
            self.normCode = normCode
        }
    }

    /// A free registration number in sequence (`KCKZ-2` + five digits), skipping numbers imported earlier;
    /// nil when twenty tries found none.
    public static func nextRegistrationNumber(on conn: PostgresConnection) async throws -> String? {
        for _ in 0..<20 {
            let rows = try await conn.query(
                """
                SELECT n FROM (SELECT 'KCKZ-2' || lpad(nextval('registration_number_seq')::text, 5, '0') AS n) s
                WHERE NOT EXISTS (SELECT 1 FROM practitioners WHERE registration_number = s.n)
                """)
            if let row = rows.first { return try row.decode("n", as: String.self) }
        }
        return nil
    }

    public static func insertPractitioner(_ new: NewPractitioner, number: String, on conn: PostgresConnection) async throws
        -> PractitionerRecord
    {
        let pRows = try await conn.query(
            """
            INSERT INTO practitioners AS p (registration_number, first_name, last_name, email, date_of_birth,
                                            diploma_obtained_on, reentrant, entry_deadline)
            VALUES (\(number), \(new.firstName), \(new.lastName), \(new.email), \(new.dateOfBirth), \(new.diplomaObtainedOn),
                    \(new.reentrant), \(new.entryDeadline))
            RETURNING \(unsafeRaw: RegisterColumns.practitioner)
            """)
        return try PractitionerRecord(row: pRows[0])
    }

    public static func insertPeriod(_ p: RegistrationPeriod, practitionerId: UUID, on conn: PostgresConnection) async throws -> PeriodRecord
    {
        let rows = try await conn.query(
            """
            INSERT INTO registration_periods AS rp (practitioner_id, start_date, end_date, extended_until, registered_on, norm_code, status)
            VALUES (\(practitionerId), \(p.startDate), \(p.endDate), \(p.extendedUntil), \(p.registeredOn), \(p.normCode), \(p.status.rawValue))
            RETURNING \(unsafeRaw: RegisterColumns.period)
            """)
        return try PeriodRecord(row: rows[0])
    }

    /// A certificate with a fresh verification code (`XXXX-XXXX-XXXX`, no look-alike characters).
    public static func issueCertificate(
        _ practitioner: PractitionerRecord, period: RegistrationPeriod, annotations: [String],
        today: CivilDate, on conn: PostgresConnection
    ) async throws -> CertificateRecord {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let bytes = SecureRandom.bytes(count: 12)
        var code = ""
        for (i, b) in bytes.enumerated() {
            if i > 0 && i % 4 == 0 { code.append("-") }
            code.append(alphabet[Int(b) % alphabet.count])
        }
        guard let periodId = UUID(uuidString: period.id) else { throw CorruptRow(what: "period id") }
        let rows = try await conn.query(
            """
            INSERT INTO certificates AS c (practitioner_id, period_id, verification_code, registration_number, name,
                                           valid_from, valid_until, annotations, issued_on)
            VALUES (\(practitioner.id), \(periodId), \(code), \(practitioner.registrationNumber), \(practitioner.name),
                    \(period.startDate), \(period.effectiveEndDate), \(annotations), \(today))
            RETURNING \(unsafeRaw: RegisterColumns.certificate)
            """)
        return try CertificateRecord(row: rows[0])
    }

    /// By id or by registration number (any case, surrounding spaces ignored).
    public func practitioner(ref: String) async throws -> PractitionerRecord? {
        if let id = UUID(uuidString: ref.trimmingSpaces()) {
            let rows = try await pool.query("SELECT \(unsafeRaw: RegisterColumns.practitioner) FROM practitioners p WHERE p.id = \(id)")
            return try rows.first.map(PractitionerRecord.init(row:))
        }
        let number = RegistrationNumber.canonical(ref)
        let rows = try await pool.query(
            "SELECT \(unsafeRaw: RegisterColumns.practitioner) FROM practitioners p WHERE p.registration_number = \(number)")
        return try rows.first.map(PractitionerRecord.init(row:))
    }

    public func practitioner(id: UUID) async throws -> PractitionerRecord? {
        let rows = try await pool.query("SELECT \(unsafeRaw: RegisterColumns.practitioner) FROM practitioners p WHERE p.id = \(id)")
        return try rows.first.map(PractitionerRecord.init(row:))
    }

    public func periods(practitionerId: UUID) async throws -> [PeriodRecord] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.period) FROM registration_periods rp
            WHERE rp.practitioner_id = \(practitionerId) ORDER BY rp.start_date, rp.created_at
            """)
        return try rows.map(PeriodRecord.init(row:))
    }

    public static func periods(practitionerId: UUID, lock: Bool, on conn: PostgresConnection) async throws -> [PeriodRecord] {
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.period) FROM registration_periods rp
            WHERE rp.practitioner_id = \(practitionerId) ORDER BY rp.start_date, rp.created_at
            \(unsafeRaw: lock ? "FOR UPDATE" : "")
            """)
        return try rows.map(PeriodRecord.init(row:))
    }

    public static func lockPractitioner(_ id: UUID, on conn: PostgresConnection) async throws -> PractitionerRecord {
        let rows = try await conn.query(
            "SELECT \(unsafeRaw: RegisterColumns.practitioner) FROM practitioners p WHERE p.id = \(id) FOR UPDATE")
        guard let row = rows.first else { throw StoreError.notFound("practitioner") }
        return try PractitionerRecord(row: row)
    }

    public func periodChanges(periodIds: [UUID]) async throws -> [PeriodDateChange] {
        let rows = try await pool.query(
            """
            SELECT id, period_id, kind, old_start_date::text AS os, old_end_date::text AS oe, old_effective_end::text AS oee,
                   new_start_date::text AS ns, new_end_date::text AS ne, new_effective_end::text AS nee, reason,
                   special_circumstances::text AS sc, changed_by_name, changed_at
            FROM period_date_changes WHERE period_id = ANY(\(periodIds)) ORDER BY changed_at
            """)
        return try rows.map { r in
            PeriodDateChange(
                id: try r.decode("id"), periodId: try r.decode("period_id"), kind: try r.decode("kind"),
                oldStartDate: try r.date("os"), oldEndDate: try r.date("oe"), oldEffectiveEndDate: try r.date("oee"),
                newStartDate: try r.date("ns"), newEndDate: try r.date("ne"), newEffectiveEndDate: try r.date("nee"),
                reason: try r.decode("reason"), specialCircumstances: try r.decode("sc"),
                changedByName: try r.decode("changed_by_name"), changedAt: try r.decode("changed_at"))
        }
    }

    /// Writes a read (or search) of personal data to the audit log; returns once it is committed
    /// (reads that arrive together share one insert).
    public func auditRead(
        _ action: AuditAction = .read, objectType: String, objectId: UUID?, details: [String: String] = [:],
        by actor: AuditActor
    ) async throws {
        try await audit.record(AuditEvent(action: action, objectType: objectType, objectId: objectId, details: details, actor: actor))
    }

    public struct PractitionerFilter: Sendable {
        public var q: String?
        public var status: String?
        public var today: CivilDate
        public init(q: String?, status: String?, today: CivilDate) { self.q = q; self.status = status; self.today = today }
    }

    /// Admin search by name or number. The status filter selects candidates with the same facts the rules use
    /// (`RegisterStanding.standing`: strike-off, deregistration, a granted period covering today, or the grace of a
    /// review pending after a dossier submitted in time); each item's status is derived by the rules.
    public func practitioners(_ filter: PractitionerFilter, page: PageRequest) async throws -> Page<PractitionerRecord> {
        let pattern = filter.q.map {
            "%" + $0.trimmingSpaces().lowercased().replacingAll("%", with: "\\%").replacingAll("_", with: "\\_") + "%"
        }
        let afterKey = page.after?.key, afterId = page.after?.id
        let t = filter.today, s = filter.status
        let rows = try await pool.query(
            """
            WITH m AS (
                SELECT p.* FROM practitioners p
                WHERE (\(pattern)::text IS NULL OR lower(p.first_name || ' ' || p.last_name) LIKE \(pattern)
                       OR lower(p.registration_number) LIKE \(pattern) OR lower(p.last_name) LIKE \(pattern))
                  AND (\(s)::text IS NULL
                    OR (\(s) = 'struckOff' AND p.struck_off_on <= \(t))
                    OR (\(s) = 'deregistered' AND p.deregistered_on <= \(t) AND (p.struck_off_on IS NULL OR p.struck_off_on > \(t)))
                    OR (\(s) IN ('registered', 'expired')
                        AND (p.struck_off_on IS NULL OR p.struck_off_on > \(t)) AND (p.deregistered_on IS NULL OR p.deregistered_on > \(t))
                        AND (\(s) = 'registered') = EXISTS (SELECT 1 FROM registration_periods rp WHERE rp.practitioner_id = p.id
                            AND rp.status NOT IN ('cancelled', 'upcoming')
                            AND rp.start_date <= \(t)
                            AND (rp.effective_end >= \(t)
                                 OR (rp.status IN ('submitted', 'infoRequested')
                                     AND (SELECT min(su.submitted_on) FROM submissions su WHERE su.period_id = rp.id) <= rp.effective_end)))))
            )
            SELECT \(unsafeRaw: RegisterColumns.practitioner), (SELECT count(*) FROM m) AS total
            FROM m p
            WHERE (\(afterKey)::text IS NULL OR (p.registration_number, p.id) > (\(afterKey), \(afterId)))
            ORDER BY p.registration_number, p.id LIMIT \(page.limit + 1)
            """)
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        var items = try rows.map(PractitionerRecord.init(row:))
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = PageCursor(key: items[items.count - 1].registrationNumber, id: items[items.count - 1].id).encoded
        }
        return Page(items: items, total: total, nextCursor: next)
    }

    /// Periods of many practitioners at once (lists, batch lookups).
    public func periods(practitionerIds: [UUID]) async throws -> [UUID: [PeriodRecord]] {
        guard !practitionerIds.isEmpty else { return [:] }
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.period) FROM registration_periods rp
            WHERE rp.practitioner_id = ANY(\(practitionerIds)) ORDER BY rp.start_date
            """)
        var result: [UUID: [PeriodRecord]] = [:]
        for row in rows {
            let p = try PeriodRecord(row: row)
            result[p.practitionerId, default: []].append(p)
        }
        return result
    }

    public struct ContactChanges: Sendable {
        public var firstName: String?
        public var lastName: String?
        public var email: String?
        /// `.some(nil)` clears it.
        public var dateOfBirth: CivilDate??
        public init(firstName: String?, lastName: String?, email: String?, dateOfBirth: CivilDate??) {
            self.firstName = firstName; self.lastName = lastName; self.email = email; self.dateOfBirth = dateOfBirth
        }
    }

    public func updateContact(id: UUID, _ c: ContactChanges, by actor: AuditActor) async throws -> PractitionerRecord {
        try await pool.withTransaction { conn in
            let dobGiven = c.dateOfBirth != nil
            let dob: CivilDate? = c.dateOfBirth ?? nil
            let rows = try await conn.query(
                """
                UPDATE practitioners p SET first_name = coalesce(\(c.firstName), p.first_name), last_name = coalesce(\(c.lastName), p.last_name),
                    email = coalesce(\(c.email), p.email),
                    date_of_birth = CASE WHEN \(dobGiven) THEN \(dob)::date ELSE p.date_of_birth END, updated_at = now()
                WHERE p.id = \(id) RETURNING \(unsafeRaw: RegisterColumns.practitioner)
                """)
            guard let row = rows.first else { throw StoreError.notFound("practitioner") }
            var fields: [String] = []
            if c.firstName != nil { fields.append("firstName") }
            if c.lastName != nil { fields.append("lastName") }
            if c.email != nil { fields.append("email") }
            if dobGiven { fields.append("dateOfBirth") }
            try await AuditLog.record(
                .update, objectType: "practitioner", objectId: id, details: ["fields": fields.joined(separator: ",")],
                by: actor, on: conn)
            return try PractitionerRecord(row: row)
        }
    }

    /// Strike-off from `date`: the reason kept, her upcoming periods cancelled (DOMAIN §2).
    public static func recordStrikeOff(id: UUID, on date: CivilDate, reason: String, on conn: PostgresConnection) async throws
        -> PractitionerRecord
    {
        let rows = try await conn.query(
            """
            UPDATE practitioners p SET struck_off_on = \(date), struck_off_reason = \(reason), updated_at = now()
            WHERE p.id = \(id) RETURNING \(unsafeRaw: RegisterColumns.practitioner)
            """)
        _ = try await conn.execute(
            "UPDATE registration_periods SET status = 'cancelled', updated_at = now() WHERE practitioner_id = \(id) AND status = 'upcoming'"
        )
        guard let row = rows.first else { throw StoreError.notFound("practitioner") }
        return try PractitionerRecord(row: row)
    }

    public static func recordDeregistration(id: UUID, on date: CivilDate, on conn: PostgresConnection) async throws -> PractitionerRecord {
        let rows = try await conn.query(
            """
            UPDATE practitioners p SET deregistered_on = \(date), updated_at = now()
            WHERE p.id = \(id) RETURNING \(unsafeRaw: RegisterColumns.practitioner)
            """)
        guard let row = rows.first else { throw StoreError.notFound("practitioner") }
        return try PractitionerRecord(row: row)
    }

    public func putCareHours(practitionerId: UUID, year: Int, hours: Int, statement: String?, by actor: AuditActor) async throws -> (
        CareHoursRecord, Bool
    ) {
        try await pool.withTransaction { conn in
            let rows = try await conn.query(
                """
                INSERT INTO care_hours (practitioner_id, year, hours, statement) VALUES (\(practitionerId), \(year), \(hours), \(statement))
                ON CONFLICT (practitioner_id, year) DO UPDATE SET hours = EXCLUDED.hours, statement = EXCLUDED.statement, updated_at = now()
                RETURNING (xmax = 0) AS inserted
                """)
            let inserted: Bool = try rows[0].decode("inserted")
            try await AuditLog.record(
                inserted ? .create : .update, objectType: "careHours", objectId: practitionerId,
                details: ["year": String(year)], by: actor, on: conn)
            return (CareHoursRecord(year: year, hours: hours, statement: statement), inserted)
        }
    }

    public func careHours(practitionerId: UUID) async throws -> [CareHoursRecord] {
        let rows = try await pool.query(
            "SELECT year, hours, statement FROM care_hours WHERE practitioner_id = \(practitionerId) ORDER BY year")
        return try rows.map {
            CareHoursRecord(year: try $0.decode("year"), hours: try $0.decode("hours"), statement: try $0.decode("statement"))
        }
    }
}
