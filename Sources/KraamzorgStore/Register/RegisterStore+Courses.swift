import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

public struct CourseFields: Sendable {
    public var title: String
    public var externalId: String?
    public var format: String
    public var startDate: CivilDate
    public var endDate: CivilDate?
    public var location: String?
    public var contact: String?
    public var lines: [AccreditationLine]

    public init(
        title: String, externalId: String?, format: String, startDate: CivilDate, endDate: CivilDate?,
        location: String?, contact: String?, lines: [AccreditationLine]
    ) {
        self.title = title; self.externalId = externalId; self.format = format; self.startDate = startDate
        self.endDate = endDate; self.location = location; self.contact = contact; self.lines = lines
    }
}

public struct CourseFilter: Sendable {
    public var norm: String?
    public var category: String?
    public var subject: String?
    public var format: String?
    public var from: CivilDate?
    public var to: CivilDate?
    public var q: String?
    public var providerId: UUID?
    public var externalId: String?
    public init(
        norm: String? = nil, category: String? = nil, subject: String? = nil, format: String? = nil, from: CivilDate? = nil,
        to: CivilDate? = nil, q: String? = nil, providerId: UUID? = nil, externalId: String? = nil
    ) {
        self.norm = norm; self.category = category; self.subject = subject; self.format = format; self.from = from
        self.to = to; self.q = q; self.providerId = providerId; self.externalId = externalId
    }
}

extension RegisterStore {
    static func linesJSON(_ lines: [AccreditationLine]) throws -> String {
        String(decoding: try JSONEncoder().encode(lines), as: UTF8.self)
    }

    public static func insertCourse(providerId: UUID, _ f: CourseFields, on conn: PostgresConnection) async throws -> CourseRecord {
        let lines = try RegisterStore.linesJSON(f.lines)
        let rows = try await conn.query(
            """
            WITH co AS (
                INSERT INTO courses (provider_id, external_id, title, format, start_date, end_date, location, contact, lines)
                VALUES (\(providerId), \(f.externalId), \(f.title), \(f.format), \(f.startDate), \(f.endDate), \(f.location), \(f.contact), \(lines)::jsonb)
                RETURNING *)
            SELECT \(unsafeRaw: RegisterColumns.course) FROM co JOIN organizations o ON o.id = co.provider_id
            """)
        return try CourseRecord(row: rows[0])
    }

    /// Forgets the cached agenda: call once a course change has committed, so this instance shows it at once.
    public func courseAgendaChanged() { agenda.clear() }

    public func course(id: UUID) async throws -> CourseRecord? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.course) FROM courses co JOIN organizations o ON o.id = co.provider_id WHERE co.id = \(id)
            """)
        return try rows.first.map(CourseRecord.init(row:))
    }

    public func updateCourse(id: UUID, _ f: CourseFields, by actor: AuditActor) async throws -> CourseRecord {
        defer { agenda.clear() }
        return try await pool.withTransaction { conn in
            let lines = try RegisterStore.linesJSON(f.lines)
            let rows = try await conn.query(
                """
                WITH co AS (
                    UPDATE courses SET external_id = \(f.externalId), title = \(f.title), format = \(f.format), start_date = \(f.startDate),
                        end_date = \(f.endDate), location = \(f.location), contact = \(f.contact), lines = \(lines)::jsonb, updated_at = now()
                    WHERE id = \(id) AND deleted_at IS NULL RETURNING *)
                SELECT \(unsafeRaw: RegisterColumns.course) FROM co JOIN organizations o ON o.id = co.provider_id
                """)
            guard let row = rows.first else { throw StoreError.notFound("course") }
            try await AuditLog.record(.update, objectType: "course", objectId: id, by: actor, on: conn)
            return try CourseRecord(row: row)
        }
    }

    /// Takes the course off the agenda; completions already booked stay (they are facts).
    public func deleteCourse(id: UUID, by actor: AuditActor) async throws {
        defer { agenda.clear() }
        try await pool.withTransaction { conn in
            let n = try await conn.execute("UPDATE courses SET deleted_at = now() WHERE id = \(id) AND deleted_at IS NULL")
            guard n == 1 else { throw StoreError.notFound("course") }
            try await AuditLog.record(.delete, objectType: "course", objectId: id, by: actor, on: conn)
        }
    }

    /// The public agenda, by start date.
    public func agenda(_ f: CourseFilter, page: PageRequest) async throws -> Page<CourseRecord> {
        var containment: [String: String] = [:]
        if let n = f.norm { containment["norm"] = n }
        if let c = f.category { containment["category"] = c }
        if let s = f.subject { containment["subject"] = s }
        let lineFilter: String? = containment.isEmpty ? nil : String(decoding: try JSONEncoder().encode([containment]), as: UTF8.self)
        let pattern = f.q.map { "%" + $0.trimmingSpaces().lowercased().replacingAll("%", with: "\\%").replacingAll("_", with: "\\_") + "%" }
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query(
            """
            WITH m AS (
                SELECT co.* FROM courses co
                WHERE co.deleted_at IS NULL
                  AND (\(lineFilter)::jsonb IS NULL OR co.lines @> \(lineFilter)::jsonb)
                  AND (\(f.format)::text IS NULL OR co.format = \(f.format))
                  AND (\(f.from)::date IS NULL OR coalesce(co.end_date, co.start_date) >= \(f.from)::date)
                  AND (\(f.to)::date IS NULL OR co.start_date <= \(f.to)::date)
                  AND (\(pattern)::text IS NULL OR lower(co.title) LIKE \(pattern))
                  AND (\(f.providerId)::uuid IS NULL OR co.provider_id = \(f.providerId))
                  AND (\(f.externalId)::text IS NULL OR co.external_id = \(f.externalId))
            )
            SELECT \(unsafeRaw: RegisterColumns.course), (SELECT count(*) FROM m) AS total
            FROM m co JOIN organizations o ON o.id = co.provider_id
            WHERE (\(afterKey)::text IS NULL OR (co.start_date::text, co.id) > (\(afterKey), \(afterId)))
            ORDER BY co.start_date, co.id LIMIT \(page.limit + 1)
            """)
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        var items = try rows.map(CourseRecord.init(row:))
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = PageCursor(key: items[items.count - 1].startDate.iso, id: items[items.count - 1].id).encoded
        }
        return Page(items: items, total: total, nextCursor: next)
    }

    /// Upcoming agenda courses with a line for `norm` between two dates: what the dossier may suggest.
    /// The first `limit` agenda courses of the norm starting in [from, through], soonest first.
    /// Served from a short cache keyed by (norm, from): the same list, cut at `through`.
    public func agendaCourses(norm: String, from: CivilDate, through: CivilDate, limit: Int = 300) async throws -> [AgendaCourse] {
        guard from <= through else { return [] }
        let key = AgendaCache.Key(norm: norm, from: from)
        let upcoming: [AgendaCourse]
        let (hit, generation) = agenda.lookup(key)
        if let cached = hit {
            upcoming = cached
        } else {
            let filter = String(decoding: try JSONEncoder().encode([["norm": norm]]), as: UTF8.self)
            let rows = try await pool.query(
                """
                SELECT co.id, co.title, co.start_date::text AS start, co.lines::text AS lines FROM courses co
                WHERE co.deleted_at IS NULL AND co.start_date >= \(from) AND co.lines @> \(filter)::jsonb
                ORDER BY co.start_date, co.id LIMIT \(AgendaCache.maxCourses)
                """)
            let decoder = JSONDecoder()
            upcoming = try rows.map { r in
                let id: UUID = try r.decode("id")
                let lines = try decoder.decode([AccreditationLine].self, from: Data(try r.decode("lines", as: String.self).utf8))
                return AgendaCourse(id: id.lowercasedString, title: try r.decode("title"), startDate: try r.date("start"), lines: lines)
            }
            agenda.set(upcoming, for: key, loadedAtGeneration: generation)
        }
        return Array(upcoming.prefix { $0.startDate <= through }.prefix(limit))
    }
}
