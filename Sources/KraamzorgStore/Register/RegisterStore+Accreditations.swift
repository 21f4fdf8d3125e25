import FoundationEssentials
import KraamzorgRules
import PostgresClient

/// An accreditation with the period it counts in today (nil when none covers its date).
public struct AccreditationView: Sendable {
    public let record: AccreditationRecord
    public let period: RegistrationPeriod?

    public init(record: AccreditationRecord, period: RegistrationPeriod?) {
        self.record = record
        self.period = period
    }
}

/// A booked completion as a push reads it back: its own columns only (the push has loaded its course
/// and practitioner already, so no per-row join).
public struct BookingRow: Sendable {
    public let id: UUID
    public let courseId: UUID
    public let practitionerId: UUID
    public let completedOn: CivilDate
    public let recordedAt: Date
    /// Not read back for a row just inserted (the push knows them).
    public let recordedOn: CivilDate?
    public let late: Bool?
    public let withdrawnAt: Date?
    /// The lines of the version it was booked under; not read back for a row just inserted (the push knows them).
    public let lines: [AccreditationLine]?
}

extension RegisterStore {
    // MARK: pushing completions (set-based: a handful of statements for any batch size)

    /// Courses by id, and the provider's own by external id; share-locked when `share` (while booking, so the
    /// version in force cannot change, nor the course be deleted, before the bookings commit).
    public static func courses(ids: [UUID], externalIds: [String], providerId: UUID?, share: Bool = false, on conn: PostgresConnection)
        async throws -> [CourseRecord]
    {
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.course) FROM courses co JOIN organizations o ON o.id = co.provider_id
            WHERE co.id = ANY(\(ids)) OR (co.provider_id = \(providerId) AND co.external_id = ANY(\(externalIds)))
            ORDER BY co.id \(unsafeRaw: share ? "FOR SHARE OF co" : "")
            """)
        return try rows.map(CourseRecord.init(row:))
    }

    /// Practitioners by (canonical) registration number.
    public static func practitioners(registrationNumbers numbers: [String], on conn: PostgresConnection) async throws
        -> [PractitionerRecord]
    {
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.practitioner) FROM practitioners p WHERE p.registration_number = ANY(\(numbers))
            """)
        return try rows.map(PractitionerRecord.init(row:))
    }

    /// Periods of many practitioners by start date; share-locked when `share` (while booking, so a concurrent
    /// review cannot interleave).
    public static func periods(practitionerIds: [UUID], share: Bool, on conn: PostgresConnection) async throws -> [PeriodRecord] {
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.period) FROM registration_periods rp WHERE rp.practitioner_id = ANY(\(practitionerIds))
            ORDER BY rp.start_date \(unsafeRaw: share ? "FOR SHARE" : "")
            """)
        return try rows.map(PeriodRecord.init(row:))
    }

    /// The booked rows for these (course, practitioner, date) keys, given as three parallel arrays.
    public static func bookings(
        courseIds: [UUID], practitionerIds: [UUID], dates: [CivilDate],
        on conn: PostgresConnection
    ) async throws -> [BookingRow] {
        let rows = try await conn.query(
            """
            SELECT a.id, a.course_id, a.practitioner_id, a.completed_on::text AS completed_on, a.recorded_at, a.recorded_on::text AS recorded_on,
                   a.late, a.withdrawn_at, cv.lines::text AS lines
            FROM unnest(\(courseIds)::uuid[], \(practitionerIds)::uuid[], \(dates.map(\.iso))::text[]) AS k(c, p, d)
            JOIN accreditations a ON a.course_id = k.c AND a.practitioner_id = k.p AND a.completed_on = k.d::date
            JOIN course_versions cv ON cv.course_id = a.course_id AND cv.version = a.course_version
            """)
        return try rows.map { row in
            BookingRow(
                id: try row.decode("id"), courseId: try row.decode("course_id"), practitionerId: try row.decode("practitioner_id"),
                completedOn: try row.date("completed_on"), recordedAt: try row.decode("recorded_at"),
                recordedOn: try row.date("recorded_on"),
                late: try row.decode("late"), withdrawnAt: try row.decode("withdrawn_at"), lines: try row.lines("lines"))
        }
    }

    /// Books every key in one statement (parallel arrays); a key already booked (or booked by a concurrent
    /// push) is skipped. Each names the course's version in force (`versions`): its lines are the booking's,
    /// for good. Returns the rows inserted.
    public static func book(
        courseIds: [UUID], versions: [Int], practitionerIds: [UUID], dates: [CivilDate], late: [Bool], recordedOn day: CivilDate,
        by actor: AuditActor, on conn: PostgresConnection
    ) async throws -> [BookingRow] {
        let rows = try await conn.query(
            """
            INSERT INTO accreditations (course_id, course_version, practitioner_id, completed_on, recorded_on, late, recorded_by)
            SELECT k.c, k.v, k.p, k.d::date, \(day)::date, k.l = 1, \(actor.userId)::uuid
            FROM unnest(\(courseIds)::uuid[], \(versions)::int[], \(practitionerIds)::uuid[], \(dates.map(\.iso))::text[],
                        \(late.map { $0 ? 1 : 0 })::int[]) AS k(c, v, p, d, l)
            ON CONFLICT (course_id, practitioner_id, completed_on) DO NOTHING
            RETURNING id, course_id, practitioner_id, completed_on::text AS completed_on, recorded_at
            """)
        return try rows.map { row in
            BookingRow(
                id: try row.decode("id"), courseId: try row.decode("course_id"), practitionerId: try row.decode("practitioner_id"),
                completedOn: try row.date("completed_on"), recordedAt: try row.decode("recorded_at"), recordedOn: nil, late: nil,
                withdrawnAt: nil, lines: nil)
        }
    }

    /// Restores withdrawn completions.
    public static func restoreBookings(ids: [UUID], on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            UPDATE accreditations SET withdrawn_at = NULL, withdrawn_by = NULL, withdrawn_by_name = NULL WHERE id = ANY(\(ids))
            """)
    }

    public struct AccreditationFilter: Sendable {
        public var providerId: UUID?
        public var practitionerId: UUID?
        public var registrationNumber: String?
        public var courseId: UUID?
        public var late: Bool?
        public var from: CivilDate?
        public var to: CivilDate?
        public init(
            providerId: UUID? = nil, practitionerId: UUID? = nil, registrationNumber: String? = nil, courseId: UUID? = nil,
            late: Bool? = nil, from: CivilDate? = nil, to: CivilDate? = nil
        ) {
            self.providerId = providerId; self.practitionerId = practitionerId; self.registrationNumber = registrationNumber
            self.courseId = courseId; self.late = late; self.from = from; self.to = to
        }
    }

    public func accreditations(_ f: AccreditationFilter, page: PageRequest) async throws -> Page<AccreditationView> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let lateInt: Int? = f.late.map { $0 ? 1 : 0 }
        let rows = try await pool.query(
            """
            WITH m AS (
                SELECT a.* FROM accreditations a JOIN courses co ON co.id = a.course_id JOIN practitioners p ON p.id = a.practitioner_id
                WHERE (\(f.providerId)::uuid IS NULL OR co.provider_id = \(f.providerId))
                  AND (\(f.practitionerId)::uuid IS NULL OR a.practitioner_id = \(f.practitionerId))
                  AND (\(f.registrationNumber)::text IS NULL OR p.registration_number = \(f.registrationNumber))
                  AND (\(f.courseId)::uuid IS NULL OR a.course_id = \(f.courseId))
                  AND (\(lateInt)::int IS NULL OR a.late = (\(lateInt)::int = 1))
                  AND (\(f.from)::date IS NULL OR a.completed_on >= \(f.from)::date)
                  AND (\(f.to)::date IS NULL OR a.completed_on <= \(f.to)::date)
            )
            SELECT \(unsafeRaw: RegisterColumns.accreditation), (SELECT count(*) FROM m) AS total
            FROM m a JOIN courses co ON co.id = a.course_id JOIN practitioners p ON p.id = a.practitioner_id
            WHERE (\(afterKey)::text IS NULL OR (a.completed_on::text, a.id) > (\(afterKey), \(afterId)))
            ORDER BY a.completed_on, a.id LIMIT \(page.limit + 1)
            """)
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        var records = try rows.map(AccreditationRecord.init(row:))
        var next: String?
        if records.count > page.limit {
            records.removeLast()
            next = PageCursor(key: records[records.count - 1].completedOn.iso, id: records[records.count - 1].id).encoded
        }
        let periods = try await self.periods(practitionerIds: Array(Set(records.map(\.practitionerId))))
        let views = records.map { r in
            AccreditationView(
                record: r, period: CompletionPush.countingPeriod(for: r.completedOn, in: (periods[r.practitionerId] ?? []).map(\.period)))
        }
        return Page(items: views, total: total, nextCursor: next)
    }

    public func accreditation(id: UUID) async throws -> AccreditationRecord? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.accreditation) FROM accreditations a JOIN courses co ON co.id = a.course_id
            JOIN practitioners p ON p.id = a.practitioner_id WHERE a.id = \(id)
            """)
        return try rows.first.map(AccreditationRecord.init(row:))
    }

    public static func accreditation(id: UUID, on conn: PostgresConnection) async throws -> AccreditationRecord? {
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.accreditation) FROM accreditations a JOIN courses co ON co.id = a.course_id
            JOIN practitioners p ON p.id = a.practitioner_id WHERE a.id = \(id)
            """)
        return try rows.first.map(AccreditationRecord.init(row:))
    }

    /// Marks a completion withdrawn (kept, with who and when); false when it already was.
    public static func withdraw(accreditationId id: UUID, by actor: AuditActor, on conn: PostgresConnection) async throws -> Bool {
        try await conn.execute(
            """
            UPDATE accreditations SET withdrawn_at = now(), withdrawn_by = \(actor.userId), withdrawn_by_name = \(actor.userName)
            WHERE id = \(id) AND withdrawn_at IS NULL
            """) == 1
    }
}
