import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing
import TestSupport
import DatesAndIDs

/// Course accreditation (DOMAIN §3a) at the store and workflow level: migration 0010 makes every existing course
/// accredited (version 1, its lines) and every existing completion booked under that version; the workflows keep
/// one application pending at a time.
@Suite struct CourseAccreditationWorkflowTests {
    typealias Fx = RegisterFixtures

    @Test func migrationMakesExistingCoursesAccreditedAndKeepsTheirBookings() async throws {
        let url = try await TestDatabases.createURL(prefix: "courses")
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 2
        let pool = PostgresPool(configuration: configuration)
        let before = Migrator(migrations: Migrator.bundled().migrations.filter { $0.version < 10 })
        _ = try await DatabaseRoles.migrate(
            requestPool: pool, ownerURL: testOwnerURL(forDatabaseOf: url), requestRole: testDatabaseAppRole(), migrator: before)

        // A course and a completion as they were stored before 0010.
        let lines = #"[{"norm":"2023","category":"C","subject":null,"points":2.5}]"#
        let provider: UUID = try await pool.query(
            "INSERT INTO organizations (kind, name) VALUES ('courseProvider', 'Oude opleider') RETURNING id")[0].decode("id")
        let course: UUID = try await pool.query(
            """
            INSERT INTO courses (provider_id, title, format, start_date, lines)
            VALUES (\(provider), 'Oude scholing', 'classroom', '2023-01-01', \(lines)::jsonb) RETURNING id
            """)[0].decode("id")
        let practitioner: UUID = try await pool.query(
            """
            INSERT INTO practitioners (registration_number, first_name, last_name, email, diploma_obtained_on)
            VALUES ('KCKZ-9001', 'Oud', 'Dossier', 'oud@example.nl', '2023-01-01') RETURNING id
            """)[0].decode("id")
        _ = try await pool.execute(
            """
            INSERT INTO registration_periods (practitioner_id, start_date, end_date, registered_on, norm_code, status)
            VALUES (\(practitioner), '2023-06-01', '2027-05-31', '2023-06-01', '2023', 'active')
            """)
        let booking: UUID = try await pool.query(
            """
            INSERT INTO accreditations (course_id, practitioner_id, completed_on, recorded_on, late)
            VALUES (\(course), \(practitioner), '2024-01-01', '2024-01-01', false) RETURNING id
            """)[0].decode("id")

        _ = try await DatabaseRoles.migrate(
            requestPool: pool, ownerURL: testOwnerURL(forDatabaseOf: url), requestRole: testDatabaseAppRole())
        let store = RegisterStore(pool: pool)
        let migrated = try #require(try await store.course(id: course))
        #expect(migrated.status == "accredited" && migrated.accreditedVersion == 1)
        #expect(migrated.versions.map(\.version) == [1] && migrated.versions[0].status == "accredited")
        #expect(migrated.versions[0].decidedAt != nil && migrated.versions[0].lines == migrated.lines)
        let booked = try #require(try await store.accreditation(id: booking))
        #expect(booked.lines == [AccreditationLine(norm: "2023", category: "C", subject: nil, points: Points(tenths: 25))])
        // In the agenda, and it takes pushes (under version 1).
        #expect(try await store.agenda(CourseFilter(providerId: provider), page: PageRequest(limit: 10, after: nil)).total == 1)
        let outcome = try await CompletionWorkflows(store: store, clock: Fx.clock(CivilDate(2024, 6, 1))).push(
            [PushItem(courseId: course, externalId: nil, registrationNumber: "KCKZ-9001", completedOn: CivilDate(2024, 2, 1))],
            caller: .admin, dryRun: false, by: Fx.admin())
        #expect(outcome.map { $0?.status } == [201])
        #expect(
            try await Fx.count(pool, "SELECT count(*)::bigint AS n FROM accreditations WHERE course_id = \(course) AND course_version = 1")
                == 2)
        await pool.close()
    }

    @Test func aProviderAmendsItsPendingApplicationAndStaffDecideIt() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let workflows = CourseWorkflows(store: store)
        let fields = CourseFields(
            title: "Aanvraag", externalId: nil, format: "classroom", startDate: CivilDate(2024, 1, 1), endDate: nil, location: nil,
            contact: nil, lines: [AccreditationLine(norm: "2023", category: "D", subject: nil, points: Points(tenths: 20))])
        let course = try await workflows.createCourse(providerId: try await Fx.provider(pool), fields, byRegister: false, by: Fx.admin())
        #expect(course.status == "pending" && course.accreditedVersion == nil && course.pendingVersion?.version == 1)
        // Amending the application keeps it one version, still pending.
        let more = [AccreditationLine(norm: "2023", category: "D", subject: nil, points: Points(tenths: 30))]
        let amended = try await workflows.updateCourse(id: course.id, fields, newLines: more, byRegister: false, by: Fx.admin())
        #expect(amended.versions.count == 1 && amended.pendingVersion?.lines == more && amended.lines == more)
        let decided = try await workflows.review(courseId: course.id, .accredit(lines: nil), by: Fx.admin())
        #expect(decided.status == "accredited" && decided.accreditedVersion == 1 && decided.lines == more)
        await #expect(throws: StoreError.self) { _ = try await workflows.review(courseId: course.id, .refuse(reason: "x"), by: Fx.admin()) }
        // A refused new version leaves the accredited one in force.
        let next = try await workflows.updateCourse(id: course.id, fields, newLines: fields.lines, byRegister: false, by: Fx.admin())
        #expect(next.pendingVersion?.version == 2 && next.lines == more)
        let refused = try await workflows.review(courseId: course.id, .refuse(reason: "Te weinig uren"), by: Fx.admin())
        #expect(refused.status == "accredited" && refused.accreditedVersion == 1 && refused.lines == more)
        #expect(refused.versions.map(\.status) == ["accredited", "refused"] && refused.versions[1].reason == "Te weinig uren")
    }
}
