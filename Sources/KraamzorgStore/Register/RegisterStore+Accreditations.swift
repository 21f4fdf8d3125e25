#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import PostgresClient

/// One completion to push, already checked for shape by the API.
public struct PushItem: Sendable {
    public var courseId: UUID?
    public var externalId: String?
    /// Canonical (upper case, trimmed).
    public var registrationNumber: String
    public var completedOn: CivilDate
    public init(courseId: UUID?, externalId: String?, registrationNumber: String, completedOn: CivilDate) {
        self.courseId = courseId; self.externalId = externalId; self.registrationNumber = registrationNumber; self.completedOn = completedOn
    }
}

/// Who pushes: a provider (only its own courses; `externalId` resolves among them) or an admin (any course by id).
public enum PushCaller: Sendable {
    case provider(UUID)
    case admin
}

/// An accreditation with the period it counts in today (nil when none covers its date).
public struct AccreditationView: Sendable {
    public let record: AccreditationRecord
    public let period: RegistrationPeriod?
}

public struct PushOutcome: Sendable {
    public enum Kind: Sendable { case created, existing, restored, refused }
    public let kind: Kind
    /// 201, 200, or the problem's status.
    public let status: Int
    public let view: AccreditationView?
    public let problem: (status: Int, field: String, message: String)?
    /// Dry run: the name the registration number belongs to (so a typo shows).
    public let practitionerName: String?
    public let late: Bool?

    static func refused(_ status: Int, _ field: String, _ message: String, name: String? = nil) -> PushOutcome {
        PushOutcome(kind: .refused, status: status, view: nil, problem: (status, field, message), practitionerName: name, late: nil)
    }
}

extension RegisterStore {
    /// Books completions: per item all-or-nothing, one result per item in order; the same completion again
    /// is 200 with the booked one (a withdrawn one is restored). Set-based: a handful of statements for
    /// any batch size. Periods are share-locked so a concurrent review cannot interleave.
    public func push(_ items: [PushItem?], caller: PushCaller, today: CivilDate, dryRun: Bool, by actor: AuditActor) async throws -> [PushOutcome?] {
        if dryRun {
            return try await pool.withConnection { conn in
                try await RegisterStore.push(items, caller: caller, today: today, dryRun: true, actor: actor, on: conn)
            }
        }
        return try await pool.withTransaction { conn in
            try await RegisterStore.push(items, caller: caller, today: today, dryRun: false, actor: actor, on: conn)
        }
    }

    private struct Key: Hashable { let course: UUID; let practitioner: UUID; let date: CivilDate }

    private static func push(_ items: [PushItem?], caller: PushCaller, today: CivilDate, dryRun: Bool, actor: AuditActor,
                             on conn: PostgresConnection) async throws -> [PushOutcome?] {
        var courseIds = Set<UUID>(), externalIds = Set<String>(), numbers = Set<String>()
        for case let item? in items {
            if let c = item.courseId { courseIds.insert(c) }
            if let e = item.externalId { externalIds.insert(e) }
            numbers.insert(item.registrationNumber)
        }
        var providerId: UUID?
        if case .provider(let p) = caller { providerId = p }

        // 1. Courses: by id, and the caller's own by external id.
        let courseRows = try await conn.query("""
            SELECT \(unsafeRaw: RegisterColumns.course) FROM courses co JOIN organizations o ON o.id = co.provider_id
            WHERE co.id = ANY(\(Array(courseIds))) OR (co.provider_id = \(providerId) AND co.external_id = ANY(\(Array(externalIds))))
            """)
        var coursesById: [UUID: CourseRecord] = [:], coursesByExternal: [String: CourseRecord] = [:]
        for row in courseRows {
            let c = try CourseRecord(row: row)
            coursesById[c.id] = c
            if let e = c.externalId, c.providerId == providerId { coursesByExternal[e] = c }
        }

        // 2. Practitioners and their periods (share-locked while booking).
        let pRows = try await conn.query("""
            SELECT \(unsafeRaw: RegisterColumns.practitioner) FROM practitioners p WHERE p.registration_number = ANY(\(Array(numbers)))
            """)
        var practitioners: [String: PractitionerRecord] = [:]
        for row in pRows {
            let p = try PractitionerRecord(row: row)
            practitioners[p.registrationNumber] = p
        }
        let pIds = practitioners.values.map(\.id)
        var periods: [UUID: [RegistrationPeriod]] = [:]
        if !pIds.isEmpty {
            let periodRows = try await conn.query("""
                SELECT \(unsafeRaw: RegisterColumns.period) FROM registration_periods rp WHERE rp.practitioner_id = ANY(\(pIds))
                ORDER BY rp.start_date \(unsafeRaw: dryRun ? "" : "FOR SHARE")
                """)
            for row in periodRows {
                let p = try PeriodRecord(row: row)
                periods[p.practitionerId, default: []].append(p.period)
            }
        }

        // 3. Check every item with the rules.
        struct Accepted { let index: Int; let key: Key; let course: CourseRecord; let practitioner: PractitionerRecord; let placement: CompletionPlacement }
        var outcomes = [PushOutcome?](repeating: nil, count: items.count)
        var accepted: [Accepted] = []
        for (i, slot) in items.enumerated() {
            guard let item = slot else { continue }
            let course: CourseRecord
            if let id = item.courseId {
                guard let c = coursesById[id], !c.deleted else {
                    outcomes[i] = .refused(404, "courseId", "no course with this id"); continue
                }
                if let providerId, c.providerId != providerId {
                    outcomes[i] = .refused(403, "courseId", "this course belongs to another provider; push only your own courses"); continue
                }
                course = c
            } else if let e = item.externalId {
                guard providerId != nil else {
                    outcomes[i] = .refused(400, "externalId", "admins push by courseId; externalId names a provider's own course"); continue
                }
                guard let c = coursesByExternal[e], !c.deleted else {
                    outcomes[i] = .refused(404, "externalId", "none of your courses has this externalId"); continue
                }
                course = c
            } else {
                outcomes[i] = .refused(400, "courseId", "give courseId or externalId"); continue
            }
            guard let practitioner = practitioners[item.registrationNumber] else {
                outcomes[i] = .refused(404, "registrationNumber", "no practitioner with this registration number"); continue
            }
            do {
                let placement = try CompletionPush.check(completedOn: item.completedOn, recordedAt: today, courseLines: course.lines,
                                                         periods: periods[practitioner.id] ?? [])
                accepted.append(Accepted(index: i, key: Key(course: course.id, practitioner: practitioner.id, date: item.completedOn),
                                         course: course, practitioner: practitioner, placement: placement))
            } catch {
                let message: String
                switch error {
                case .futureDate: message = "the completion date \(item.completedOn.iso) is in the future"
                case .noCoveringPeriod: message = "no registration period of \(practitioner.registrationNumber) that accepts completions covers \(item.completedOn.iso)"
                case .noLineForNorm(let n): message = "the course has no accreditation line for norm \(n), the norm of the period this completion counts in"
                }
                outcomes[i] = .refused(422, error == .futureDate ? "completedOn" : (error == .noCoveringPeriod ? "completedOn" : "courseId"), message,
                                       name: dryRun ? practitioner.name : nil)
            }
        }
        guard !accepted.isEmpty else { return outcomes }

        // 4. Already booked?
        var existing: [Key: AccreditationRecord] = [:]
        var byKey: [Key: Accepted] = [:]
        for a in accepted where byKey[a.key] == nil { byKey[a.key] = a }
        /// Booked rows for these keys; course and practitioner come from what was loaded above (no per-row JSON).
        func booked(_ keys: [Key]) async throws {
            let rows = try await conn.query("""
                SELECT a.id, a.course_id, a.practitioner_id, a.completed_on::text AS completed_on, a.recorded_at, a.recorded_on::text AS recorded_on,
                       a.late, a.withdrawn_at
                FROM unnest(\(keys.map(\.course))::uuid[], \(keys.map(\.practitioner))::uuid[], \(keys.map(\.date.iso))::text[]) AS k(c, p, d)
                JOIN accreditations a ON a.course_id = k.c AND a.practitioner_id = k.p AND a.completed_on = k.d::date
                """)
            for row in rows {
                let key = Key(course: try row.decode("course_id"), practitioner: try row.decode("practitioner_id"), date: try row.date("completed_on"))
                guard let a = byKey[key] else { continue }
                existing[key] = AccreditationRecord(
                    id: try row.decode("id"), courseId: a.course.id, courseTitle: a.course.title, providerId: a.course.providerId,
                    practitionerId: a.practitioner.id, registrationNumber: a.practitioner.registrationNumber, completedOn: key.date,
                    recordedAt: try row.decode("recorded_at"), recordedOn: try row.date("recorded_on"), late: try row.decode("late"),
                    withdrawnAt: try row.decode("withdrawn_at"), lines: a.course.lines)
            }
        }
        if dryRun {
            try await booked(Array(byKey.keys))
            var seen = Set<Key>()
            for a in accepted {
                let duplicate = existing[a.key].map { $0.withdrawnAt == nil } ?? false || !seen.insert(a.key).inserted
                outcomes[a.index] = PushOutcome(kind: duplicate ? .existing : .created, status: duplicate ? 200 : 201, view: nil, problem: nil,
                                                practitionerName: a.practitioner.name, late: a.placement.late)
            }
            return outcomes
        }

        // 5. Book every new key in one statement (ON CONFLICT: already booked, or booked by a concurrent push); then
        //    read the ones that were not inserted, and restore those that were withdrawn.
        var toInsert: [Accepted] = [], planned = Set<Key>()
        for a in accepted where planned.insert(a.key).inserted { toInsert.append(a) }
        var created: [Key: AccreditationRecord] = [:]
        let rows = try await conn.query("""
            INSERT INTO accreditations (course_id, practitioner_id, completed_on, recorded_on, late, recorded_by)
            SELECT k.c, k.p, k.d::date, \(today)::date, k.l = 1, \(actor.userId)::uuid
            FROM unnest(\(toInsert.map(\.key.course))::uuid[], \(toInsert.map(\.key.practitioner))::uuid[], \(toInsert.map(\.key.date.iso))::text[],
                        \(toInsert.map { $0.placement.late ? 1 : 0 })::int[]) AS k(c, p, d, l)
            ON CONFLICT (course_id, practitioner_id, completed_on) DO NOTHING
            RETURNING id, course_id, practitioner_id, completed_on::text AS completed_on, recorded_at
            """)
        for row in rows {
            let key = Key(course: try row.decode("course_id"), practitioner: try row.decode("practitioner_id"), date: try row.date("completed_on"))
            guard let a = byKey[key] else { continue }
            created[key] = AccreditationRecord(
                id: try row.decode("id"), courseId: a.course.id, courseTitle: a.course.title, providerId: a.course.providerId,
                practitionerId: a.practitioner.id, registrationNumber: a.practitioner.registrationNumber, completedOn: key.date,
                recordedAt: try row.decode("recorded_at"), recordedOn: today, late: a.placement.late, withdrawnAt: nil, lines: a.course.lines)
        }
        let notInserted = toInsert.filter { created[$0.key] == nil }.map(\.key)
        if !notInserted.isEmpty { try await booked(notInserted) }
        let toRestore = existing.values.filter { $0.withdrawnAt != nil }.map(\.id)
        var restored: [UUID: AccreditationRecord] = [:]
        if !toRestore.isEmpty {
            _ = try await conn.execute("""
                UPDATE accreditations SET withdrawn_at = NULL, withdrawn_by = NULL, withdrawn_by_name = NULL WHERE id = ANY(\(toRestore))
                """)
            let restoring = Set(toRestore)
            for (key, r) in existing where r.withdrawnAt != nil && restoring.contains(r.id) {
                let back = AccreditationRecord(id: r.id, courseId: r.courseId, courseTitle: r.courseTitle, providerId: r.providerId,
                                               practitionerId: r.practitionerId, registrationNumber: r.registrationNumber,
                                               completedOn: r.completedOn, recordedAt: r.recordedAt, recordedOn: r.recordedOn, late: r.late,
                                               withdrawnAt: nil, lines: r.lines)
                restored[r.id] = back
                existing[key] = back
            }
        }

        // Domain events for what was booked (new or restored), in this transaction (one statement).
        let bookedNow = Array(created.values) + Array(restored.values)
        if !bookedNow.isEmpty {
            try await DomainEvents.recordAccreditations(.accreditationBooked, bookedNow.map {
                (id: $0.id, practitionerId: $0.practitionerId, providerId: $0.providerId, courseId: $0.courseId,
                 registrationNumber: $0.registrationNumber, completedOn: $0.completedOn.iso)
            }, on: conn)
        }

        // 6. Results in order; the first occurrence of a new key is the 201.
        var reported = Set<Key>()
        for a in accepted {
            let first = reported.insert(a.key).inserted
            if let c = created[a.key] {
                outcomes[a.index] = PushOutcome(kind: first ? .created : .existing, status: first ? 201 : 200,
                                                view: AccreditationView(record: c, period: a.placement.period), problem: nil, practitionerName: nil, late: c.late)
            } else if let e = existing[a.key] {
                let kind: PushOutcome.Kind = restored[e.id] != nil && first ? .restored : .existing
                let period = CompletionPush.countingPeriod(for: e.completedOn, in: periods[e.practitionerId] ?? [])
                outcomes[a.index] = PushOutcome(kind: kind, status: 200, view: AccreditationView(record: e, period: period), problem: nil,
                                                practitionerName: nil, late: e.late)
            }
        }

        // 7. Audit: one event per practitioner whose record changed (the subject of the data), in one statement,
        //    with the number of completions booked or restored for her.
        var perPractitioner: [UUID: Int] = [:]
        for r in created.values { perPractitioner[r.practitionerId, default: 0] += 1 }
        for r in restored.values { perPractitioner[r.practitionerId, default: 0] += 1 }
        if !perPractitioner.isEmpty {
            let ids = Array(perPractitioner.keys)
            _ = try await conn.execute("""
                INSERT INTO audit_events (action, user_id, user_name, organization_id, role, membership_id, object_type, object_id, request_id, details)
                SELECT 'create', \(actor.userId)::uuid, \(actor.userName)::text, \(actor.organizationId)::uuid, \(actor.role)::text,
                       \(actor.membershipId)::uuid, 'accreditations', x.id, \(actor.requestId)::text, jsonb_build_object('booked', x.n::text)
                FROM unnest(\(ids)::uuid[], \(ids.map { perPractitioner[$0] ?? 0 })::int[]) AS x(id, n)
                """)
        }
        return outcomes
    }

    public struct AccreditationFilter: Sendable {
        public var providerId: UUID?
        public var practitionerId: UUID?
        public var registrationNumber: String?
        public var courseId: UUID?
        public var late: Bool?
        public var from: CivilDate?
        public var to: CivilDate?
        public init(providerId: UUID? = nil, practitionerId: UUID? = nil, registrationNumber: String? = nil, courseId: UUID? = nil,
                    late: Bool? = nil, from: CivilDate? = nil, to: CivilDate? = nil) {
            self.providerId = providerId; self.practitionerId = practitionerId; self.registrationNumber = registrationNumber
            self.courseId = courseId; self.late = late; self.from = from; self.to = to
        }
    }

    public func accreditations(_ f: AccreditationFilter, page: PageRequest) async throws -> Page<AccreditationView> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let lateInt: Int? = f.late.map { $0 ? 1 : 0 }
        let rows = try await pool.query("""
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
            AccreditationView(record: r, period: CompletionPush.countingPeriod(for: r.completedOn, in: (periods[r.practitionerId] ?? []).map(\.period)))
        }
        return Page(items: views, total: total, nextCursor: next)
    }

    public func accreditation(id: UUID) async throws -> AccreditationRecord? {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: RegisterColumns.accreditation) FROM accreditations a JOIN courses co ON co.id = a.course_id
            JOIN practitioners p ON p.id = a.practitioner_id WHERE a.id = \(id)
            """)
        return try rows.first.map(AccreditationRecord.init(row:))
    }

    /// Withdraws (kept, marked, with who and when). Withdrawing twice changes nothing.
    public func withdraw(accreditationId id: UUID, by actor: AuditActor) async throws -> AccreditationView {
        try await pool.withTransaction { conn in
            let n = try await conn.execute("""
                UPDATE accreditations SET withdrawn_at = now(), withdrawn_by = \(actor.userId), withdrawn_by_name = \(actor.userName)
                WHERE id = \(id) AND withdrawn_at IS NULL
                """)
            if n == 1 { try await AuditLog.record(.delete, objectType: "accreditation", objectId: id, by: actor, on: conn) }
            let rows = try await conn.query("""
                SELECT \(unsafeRaw: RegisterColumns.accreditation) FROM accreditations a JOIN courses co ON co.id = a.course_id
                JOIN practitioners p ON p.id = a.practitioner_id WHERE a.id = \(id)
                """)
            guard let row = rows.first else { throw StoreError.notFound("accreditation") }
            let r = try AccreditationRecord(row: row)
            if n == 1 {
                try await DomainEvents.recordAccreditations(.accreditationWithdrawn, [(id: r.id, practitionerId: r.practitionerId, providerId: r.providerId,
                                                                                       courseId: r.courseId, registrationNumber: r.registrationNumber,
                                                                                       completedOn: r.completedOn.iso)], on: conn)
            }
            let periods = try await RegisterStore.periods(practitionerId: r.practitionerId, lock: false, on: conn).map(\.period)
            return AccreditationView(record: r, period: CompletionPush.countingPeriod(for: r.completedOn, in: periods))
        }
    }

    /// Every completion of a practitioner dated in [from, through] (withdrawn ones included; the rules skip them).
    public func completions(practitionerId: UUID, from: CivilDate, through: CivilDate) async throws -> [Completion] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: RegisterColumns.accreditation) FROM accreditations a JOIN courses co ON co.id = a.course_id
            JOIN practitioners p ON p.id = a.practitioner_id
            WHERE a.practitioner_id = \(practitionerId) AND a.completed_on BETWEEN \(from) AND \(through)
            """)
        return try rows.map { try AccreditationRecord(row: $0).completion }
    }
}
