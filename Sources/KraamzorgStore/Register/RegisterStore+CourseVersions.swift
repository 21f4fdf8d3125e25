import FoundationEssentials
import KraamzorgRules
import PostgresClient

/// A course's rows in the caller's transaction: the course, its versions of lines (applications and the
/// register's decisions, DOMAIN §3a), and the version in force. The workflows decide; these only write.
extension RegisterStore {
    /// The course, in the caller's transaction; locked against every other change until it ends when `lock`.
    public static func course(id: UUID, lock: Bool, on conn: PostgresConnection) async throws -> CourseRecord? {
        let rows = try await conn.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.course) FROM courses co JOIN organizations o ON o.id = co.provider_id WHERE co.id = \(id)
            \(unsafeRaw: lock ? "FOR UPDATE OF co" : "")
            """)
        return try rows.first.map(CourseRecord.init(row:))
    }

    /// A new course with its lines as version 1: `pending` (an application), or `accredited` at once (the
    /// register's own course, decided by `actor`).
    public static func insertCourse(
        providerId: UUID, _ f: CourseFields, accredited: Bool, by actor: AuditActor, on conn: PostgresConnection
    ) async throws -> CourseRecord {
        let lines = try RegisterStore.linesJSON(f.lines)
        let id: UUID = try await conn.query(
            """
            INSERT INTO courses (provider_id, external_id, title, format, start_date, end_date, location, contact, lines, status)
            VALUES (\(providerId), \(f.externalId), \(f.title), \(f.format), \(f.startDate), \(f.endDate), \(f.location), \(f.contact),
                    \(lines)::jsonb, 'pending')
            RETURNING id
            """)[0].decode("id")
        try await insertVersion(courseId: id, version: 1, lines: f.lines, accredited: accredited, by: actor, on: conn)
        if accredited {
            try await setInForce(courseId: id, status: "accredited", version: 1, lines: f.lines, on: conn)
        }
        guard let course = try await course(id: id, lock: false, on: conn) else { throw StoreError.notFound("course") }
        return course
    }

    /// A new version of the lines: an application (`pending`), or accredited at once by `actor`.
    public static func insertVersion(
        courseId: UUID, version: Int, lines: [AccreditationLine], accredited: Bool, by actor: AuditActor, on conn: PostgresConnection
    ) async throws {
        let json = try RegisterStore.linesJSON(lines)
        let status = accredited ? "accredited" : "pending"
        _ = try await conn.execute(
            """
            INSERT INTO course_versions (course_id, version, status, lines, proposed_lines, decided_at, decided_by, decided_by_name)
            VALUES (\(courseId), \(version), \(status), \(json)::jsonb, \(json)::jsonb,
                    CASE WHEN \(accredited)::boolean THEN now() END, CASE WHEN \(accredited)::boolean THEN \(actor.userId)::uuid END,
                    CASE WHEN \(accredited)::boolean THEN \(actor.userName)::text END)
            """)
    }

    /// Replaces the lines of the application awaiting a decision (the provider amends it before it is decided).
    public static func amendPendingVersion(courseId: UUID, version: Int, lines: [AccreditationLine], on conn: PostgresConnection)
        async throws
    {
        let json = try RegisterStore.linesJSON(lines)
        let n = try await conn.execute(
            """
            UPDATE course_versions SET lines = \(json)::jsonb, proposed_lines = \(json)::jsonb
            WHERE course_id = \(courseId) AND version = \(version) AND status = 'pending'
            """)
        guard n == 1 else { throw StoreError.conflict("the application was decided meanwhile") }
    }

    /// Decides the pending version: accredited with `lines` (as approved), or refused with `reason`.
    public static func decideVersion(
        courseId: UUID, version: Int, accredited: Bool, lines: [AccreditationLine]?, reason: String?, by actor: AuditActor,
        on conn: PostgresConnection
    ) async throws {
        let json = try lines.map(RegisterStore.linesJSON)
        let n = try await conn.execute(
            """
            UPDATE course_versions SET status = \(accredited ? "accredited" : "refused"), lines = coalesce(\(json)::jsonb, lines),
                reason = \(reason), decided_at = now(), decided_by = \(actor.userId), decided_by_name = \(actor.userName)
            WHERE course_id = \(courseId) AND version = \(version) AND status = 'pending'
            """)
        guard n == 1 else { throw StoreError.conflict("the application was decided meanwhile") }
    }

    /// The course's status, the version in force for new bookings (nil: none) and the lines it shows.
    public static func setInForce(
        courseId: UUID, status: String, version: Int?, lines: [AccreditationLine], on conn: PostgresConnection
    ) async throws {
        let json = try RegisterStore.linesJSON(lines)
        _ = try await conn.execute(
            """
            UPDATE courses SET status = \(status), accredited_version = \(version), lines = \(json)::jsonb, updated_at = now()
            WHERE id = \(courseId)
            """)
    }

    /// The fields that are not lines: they change freely, whatever the course's status.
    public static func updateCourseFields(id: UUID, _ f: CourseFields, on conn: PostgresConnection) async throws {
        let n = try await conn.execute(
            """
            UPDATE courses SET external_id = \(f.externalId), title = \(f.title), format = \(f.format), start_date = \(f.startDate),
                end_date = \(f.endDate), location = \(f.location), contact = \(f.contact), updated_at = now()
            WHERE id = \(id) AND deleted_at IS NULL
            """)
        guard n == 1 else { throw StoreError.notFound("course") }
    }

    /// Completions booked for the course, withdrawn ones included (they are kept as facts).
    public static func bookingCount(courseId: UUID, on conn: PostgresConnection) async throws -> Int {
        try await conn.query("SELECT count(*)::bigint AS n FROM accreditations WHERE course_id = \(courseId)")[0].decode("n", as: Int.self)
    }

    /// Takes the course off the agenda.
    public static func markCourseDeleted(id: UUID, on conn: PostgresConnection) async throws {
        let n = try await conn.execute("UPDATE courses SET deleted_at = now() WHERE id = \(id) AND deleted_at IS NULL")
        guard n == 1 else { throw StoreError.notFound("course") }
    }
}
