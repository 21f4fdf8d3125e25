import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

extension CompletionWorkflows {
    /// Books completions: per item all-or-nothing, one result per item in order; the same completion again
    /// is 200 with the booked one (a withdrawn one is restored). Set-based: a handful of statements for
    /// any batch size. Periods are share-locked so a concurrent review cannot interleave. A dry run books
    /// nothing and says what would happen.
    public func push(_ items: [PushItem?], caller: PushCaller, dryRun: Bool, by actor: AuditActor) async throws -> [PushOutcome?] {
        let today = clock.today
        if dryRun {
            return try await pool.withConnection { conn in
                try await CompletionWorkflows.push(items, caller: caller, today: today, dryRun: true, actor: actor, on: conn)
            }
        }
        return try await pool.withTransaction { conn in
            try await CompletionWorkflows.push(items, caller: caller, today: today, dryRun: false, actor: actor, on: conn)
        }
    }

    private struct Key: Hashable { let course: UUID; let practitioner: UUID; let date: CivilDate }

    private static func push(
        _ items: [PushItem?], caller: PushCaller, today: CivilDate, dryRun: Bool, actor: AuditActor,
        on conn: PostgresConnection
    ) async throws -> [PushOutcome?] {
        var courseIds = Set<UUID>(), externalIds = Set<String>(), numbers = Set<String>()
        for case let item? in items {
            if let c = item.courseId { courseIds.insert(c) }
            if let e = item.externalId { externalIds.insert(e) }
            numbers.insert(item.registrationNumber)
        }
        var providerId: UUID?
        if case .provider(let p) = caller { providerId = p }

        // 1. Courses: by id, and the caller's own by external id (share-locked while booking: the version in force
        //    stays the one these bookings name until they commit).
        var coursesById: [UUID: CourseRecord] = [:], coursesByExternal: [String: CourseRecord] = [:]
        for c in try await RegisterStore.courses(
            ids: Array(courseIds), externalIds: Array(externalIds), providerId: providerId, share: !dryRun, on: conn)
        {
            coursesById[c.id] = c
            if let e = c.externalId, c.providerId == providerId { coursesByExternal[e] = c }
        }

        // 2. Practitioners and their periods (share-locked while booking).
        var practitioners: [String: PractitionerRecord] = [:]
        for p in try await RegisterStore.practitioners(registrationNumbers: Array(numbers), on: conn) {
            practitioners[p.registrationNumber] = p
        }
        let pIds = practitioners.values.map(\.id)
        var periods: [UUID: [RegistrationPeriod]] = [:]
        if !pIds.isEmpty {
            for p in try await RegisterStore.periods(practitionerIds: pIds, share: !dryRun, on: conn) {
                periods[p.practitionerId, default: []].append(p.period)
            }
        }

        // 3. Check every item with the rules.
        struct Accepted {
            let index: Int; let key: Key; let course: CourseRecord; let practitioner: PractitionerRecord; let placement: CompletionPlacement
        }
        var outcomes = [PushOutcome?](repeating: nil, count: items.count)
        var accepted: [Accepted] = []
        for (i, slot) in items.enumerated() {
            guard let item = slot else { continue }
            let course: CourseRecord
            if let id = item.courseId {
                guard let c = coursesById[id], !c.deleted else { outcomes[i] = .refused(404, RegisterRefusals.courseNotFound); continue }
                if let providerId, c.providerId != providerId {
                    outcomes[i] = .refused(403, RegisterRefusals.courseOfAnotherProvider); continue
                }
                course = c
            } else if let e = item.externalId {
                guard providerId != nil else { outcomes[i] = .refused(422, RegisterRefusals.adminsPushByCourseId); continue }
                guard let c = coursesByExternal[e], !c.deleted else {
                    outcomes[i] = .refused(404, RegisterRefusals.externalIdNotFound); continue
                }
                course = c
            } else {
                outcomes[i] = .refused(400, RegisterRefusals.courseOrExternalId); continue
            }
            // DOMAIN §3a: only an accredited course (a version in force) receives completions.
            guard course.accreditedVersion != nil else {
                outcomes[i] = .refused(422, RegisterRefusals.courseNotAccredited(course)); continue
            }
            guard let practitioner = practitioners[item.registrationNumber] else {
                outcomes[i] = .refused(404, RegisterRefusals.practitionerNotFound); continue
            }
            do {
                let placement = try CompletionPush.check(
                    completedOn: item.completedOn, recordedAt: today, courseLines: course.lines,
                    periods: periods[practitioner.id] ?? [])
                accepted.append(
                    Accepted(
                        index: i, key: Key(course: course.id, practitioner: practitioner.id, date: item.completedOn),
                        course: course, practitioner: practitioner, placement: placement))
            } catch {
                outcomes[i] = .refused(
                    422, RegisterRefusals.push(error, completedOn: item.completedOn, registrationNumber: practitioner.registrationNumber),
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
            let rows = try await RegisterStore.bookings(
                courseIds: keys.map(\.course), practitionerIds: keys.map(\.practitioner),
                dates: keys.map(\.date), on: conn)
            for row in rows {
                let key = Key(course: row.courseId, practitioner: row.practitionerId, date: row.completedOn)
                guard let a = byKey[key], let recordedOn = row.recordedOn, let late = row.late else { continue }
                existing[key] = AccreditationRecord(
                    id: row.id, courseId: a.course.id, courseTitle: a.course.title, providerId: a.course.providerId,
                    practitionerId: a.practitioner.id, registrationNumber: a.practitioner.registrationNumber, completedOn: key.date,
                    recordedAt: row.recordedAt, recordedOn: recordedOn, late: late, withdrawnAt: row.withdrawnAt,
                    lines: row.lines ?? a.course.lines)
            }
        }
        if dryRun {
            try await booked(Array(byKey.keys))
            var seen = Set<Key>()
            for a in accepted {
                let duplicate = existing[a.key].map { $0.withdrawnAt == nil } ?? false || !seen.insert(a.key).inserted
                outcomes[a.index] = PushOutcome(
                    kind: duplicate ? .existing : .created, status: duplicate ? 200 : 201, view: nil, problem: nil,
                    practitionerName: a.practitioner.name, late: a.placement.late)
            }
            return outcomes
        }

        // 5. Book every new key in one statement (ON CONFLICT: already booked, or booked by a concurrent push); then
        //    read the ones that were not inserted, and restore those that were withdrawn.
        var toInsert: [Accepted] = [], planned = Set<Key>()
        for a in accepted where planned.insert(a.key).inserted { toInsert.append(a) }
        var created: [Key: AccreditationRecord] = [:]
        let inserted = try await RegisterStore.book(
            courseIds: toInsert.map(\.key.course), versions: toInsert.map { $0.course.accreditedVersion ?? 0 },
            practitionerIds: toInsert.map(\.key.practitioner),
            dates: toInsert.map(\.key.date), late: toInsert.map(\.placement.late), recordedOn: today,
            by: actor, on: conn)
        for row in inserted {
            let key = Key(course: row.courseId, practitioner: row.practitionerId, date: row.completedOn)
            guard let a = byKey[key] else { continue }
            created[key] = AccreditationRecord(
                id: row.id, courseId: a.course.id, courseTitle: a.course.title, providerId: a.course.providerId,
                practitionerId: a.practitioner.id, registrationNumber: a.practitioner.registrationNumber, completedOn: key.date,
                recordedAt: row.recordedAt, recordedOn: today, late: a.placement.late, withdrawnAt: nil, lines: a.course.lines)
        }
        let notInserted = toInsert.filter { created[$0.key] == nil }.map(\.key)
        if !notInserted.isEmpty { try await booked(notInserted) }
        let toRestore = existing.values.filter { $0.withdrawnAt != nil }.map(\.id)
        var restored: [UUID: AccreditationRecord] = [:]
        if !toRestore.isEmpty {
            try await RegisterStore.restoreBookings(ids: toRestore, on: conn)
            let restoring = Set(toRestore)
            for (key, r) in existing where r.withdrawnAt != nil && restoring.contains(r.id) {
                let back = AccreditationRecord(
                    id: r.id, courseId: r.courseId, courseTitle: r.courseTitle, providerId: r.providerId,
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
            try await DomainEvents.recordAccreditations(
                .accreditationBooked,
                bookedNow.map {
                    (
                        id: $0.id, practitionerId: $0.practitionerId, providerId: $0.providerId, courseId: $0.courseId,
                        registrationNumber: $0.registrationNumber, completedOn: $0.completedOn.iso
                    )
                }, on: conn)
        }

        // 6. Results in order; the first occurrence of a new key is the 201.
        var reported = Set<Key>()
        for a in accepted {
            let first = reported.insert(a.key).inserted
            if let c = created[a.key] {
                outcomes[a.index] = PushOutcome(
                    kind: first ? .created : .existing, status: first ? 201 : 200,
                    view: AccreditationView(record: c, period: a.placement.period), problem: nil, practitionerName: nil, late: c.late)
            } else if let e = existing[a.key] {
                let kind: PushOutcome.Kind = restored[e.id] != nil && first ? .restored : .existing
                let period = CompletionPush.countingPeriod(for: e.completedOn, in: periods[e.practitionerId] ?? [])
                outcomes[a.index] = PushOutcome(
                    kind: kind, status: 200, view: AccreditationView(record: e, period: period), problem: nil,
                    practitionerName: nil, late: e.late)
            }
        }

        // 7. Audit: one event per practitioner whose record changed (the subject of the data), in one statement,
        //    with the number of completions booked or restored for her.
        var perPractitioner: [UUID: Int] = [:]
        for r in created.values { perPractitioner[r.practitionerId, default: 0] += 1 }
        for r in restored.values { perPractitioner[r.practitionerId, default: 0] += 1 }
        try await AuditLog.recordCounts(
            .create, objectType: "accreditations", counts: perPractitioner.map { (objectId: $0.key, count: $0.value) },
            countKey: "booked", by: actor, on: conn)
        return outcomes
    }
}
