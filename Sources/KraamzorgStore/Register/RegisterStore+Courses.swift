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

public enum CourseListStatus: String, Sendable, CaseIterable {
    case accredited, pending, refused

    /// Constant SQL: which courses of `co` the list holds.
    var condition: String {
        switch self {
        case .accredited: "co.status = 'accredited'"
        case .refused: "co.status = 'refused'"
        case .pending: "EXISTS (SELECT 1 FROM course_versions cv WHERE cv.course_id = co.id AND cv.status = 'pending')"
        }
    }

    /// Constant SQL: the list's order (a text key, then the id). Applications oldest first (the time applied as
    /// zero-padded microseconds, so text order is time order); otherwise by start date.
    var sortKey: String {
        switch self {
        case .accredited, .refused: "co.start_date::text"
        case .pending:
            "(SELECT lpad((extract(epoch FROM cv.applied_at) * 1000000)::bigint::text, 20, '0') FROM course_versions cv "
                + "WHERE cv.course_id = co.id AND cv.status = 'pending')"
        }
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
    /// Which courses: the public agenda (`accredited`), applications awaiting a decision (`pending`, oldest
    /// application first; a course in force with a new version awaiting a decision too), or `refused` ones.
    public var status: CourseListStatus
    public init(
        norm: String? = nil, category: String? = nil, subject: String? = nil, format: String? = nil, from: CivilDate? = nil,
        to: CivilDate? = nil, q: String? = nil, providerId: UUID? = nil, externalId: String? = nil, status: CourseListStatus = .accredited
    ) {
        self.norm = norm; self.category = category; self.subject = subject; self.format = format; self.from = from
        self.to = to; self.q = q; self.providerId = providerId; self.externalId = externalId; self.status = status
    }
}

extension RegisterStore {
    static func linesJSON(_ lines: [AccreditationLine]) throws -> String {
        String(decoding: try JSONEncoder().encode(lines), as: UTF8.self)
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

    /// The public agenda (accredited courses) by start date; or applications awaiting a decision, oldest first; or
    /// refused courses.
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
                SELECT co.*, \(unsafeRaw: f.status.sortKey) AS sort_key FROM courses co
                WHERE co.deleted_at IS NULL AND \(unsafeRaw: f.status.condition)
                  AND (\(lineFilter)::jsonb IS NULL OR co.lines @> \(lineFilter)::jsonb)
                  AND (\(f.format)::text IS NULL OR co.format = \(f.format))
                  AND (\(f.from)::date IS NULL OR coalesce(co.end_date, co.start_date) >= \(f.from)::date)
                  AND (\(f.to)::date IS NULL OR co.start_date <= \(f.to)::date)
                  AND (\(pattern)::text IS NULL OR lower(co.title) LIKE \(pattern))
                  AND (\(f.providerId)::uuid IS NULL OR co.provider_id = \(f.providerId))
                  AND (\(f.externalId)::text IS NULL OR co.external_id = \(f.externalId))
            )
            SELECT \(unsafeRaw: RegisterColumns.course), co.sort_key, (SELECT count(*) FROM m) AS total
            FROM m co JOIN organizations o ON o.id = co.provider_id
            WHERE (\(afterKey)::text IS NULL OR (co.sort_key, co.id) > (\(afterKey), \(afterId)))
            ORDER BY co.sort_key, co.id LIMIT \(page.limit + 1)
            """)
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        var items = try rows.map(CourseRecord.init(row:))
        var next: String?
        if items.count > page.limit {
            items.removeLast()
            next = PageCursor(key: try rows[items.count - 1].decode("sort_key"), id: items[items.count - 1].id).encoded
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
                WHERE co.deleted_at IS NULL AND co.status = 'accredited' AND co.start_date >= \(from) AND co.lines @> \(filter)::jsonb
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
