import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient

/// The register's workflows against the test PostgreSQL (`DATABASE_URL`); fixtures by store calls and plain SQL.
public enum RegisterFixtures {
    /// The shared test database, migrated once per run. Tests make their own practitioners and courses.
    public static var shared: Task<PostgresPool, any Error> { TestDatabases.shared }

    /// A fresh database of its own, migrated: for the jobs' workflows, which take every row that is due.
    public static func isolated() async throws -> PostgresPool { try await TestDatabases.isolated(prefix: "register") }

    /// Noon in the Netherlands on `day`: a clock standing still there.
    public static func clock(_ day: CivilDate) -> DutchClock { .fixed(DutchTime.startOfDay(day).addingTimeInterval(12 * 3600)) }

    /// An admin acting with a request id of its own, so its audit events can be found.
    public static func admin() -> AuditActor {
        AuditActor(
            userId: nil, userName: "Beoordelaar", organizationId: nil, role: "admin", membershipId: nil,
            requestId: "uc-\(UUID().uuidString)")
    }

    /// A practitioner registered with one period from `start` (its norm: the one in force then) and its certificate.
    public static func practitioner(_ store: RegisterStore, start: CivilDate) async throws -> (
        practitioner: PractitionerRecord, period: PeriodRecord
    ) {
        let new = NewRegistration(
            firstName: "Anna", lastName: "Jansen \(UUID().uuidString.prefix(6))", email: "\(UUID().uuidString.lowercased())@example.nl",
            dateOfBirth: nil, registrationNumber: nil, periodStart: start, registeredOn: nil, diplomaObtainedOn: start,
            reentrant: false)
        let (p, period, _) = try await RegisterWorkflows(store: store, clock: clock(start)).registerPractitioner(new, by: .system)
        return (p, period)
    }

    /// A course provider organisation.
    public static func provider(_ pool: PostgresPool) async throws -> UUID {
        try await pool.query(
            "INSERT INTO organizations (kind, name) VALUES ('courseProvider', \("Opleider \(UUID().uuidString.prefix(6))")) RETURNING id")[
                0
            ]
            .decode("id")
    }

    /// An accredited course with these lines (`norm, category, subject?, points`): made by the register, as an
    /// admin's course is (DOMAIN §3a), so completions can be pushed at once.
    public static func course(_ store: RegisterStore, provider: UUID, title: String, lines: [(String, String, String?, Int)]) async throws
        -> CourseRecord
    {
        try await CourseWorkflows(store: store).createCourse(
            providerId: provider,
            CourseFields(
                title: title, externalId: nil, format: "classroom", startDate: CivilDate(2019, 1, 1), endDate: nil, location: nil,
                contact: nil,
                lines: lines.map { AccreditationLine(norm: $0.0, category: $0.1, subject: $0.2, points: Points(tenths: $0.3)) }),
            byRegister: true, by: .system)
    }

    /// Three courses that together complete a norm 2019 dossier (41 points, every mandatory subject).
    public static func complete2019Courses(_ store: RegisterStore, provider: UUID) async throws -> [CourseRecord] {
        [
            try await course(
                store, provider: provider, title: "Verplichte scholing (2019 A)",
                lines: [
                    ("2019", "A", "voeding-verdieping", 35), ("2019", "A", "kinder-ehbo", 35), ("2019", "A", "reanimatie", 35),
                    ("2019", "A", "fysiologie-baring", 35), ("2019", "A", "fysiologie-kraambed", 35), ("2019", "A", "vroegsignalering", 35),
                ]),
            try await course(store, provider: provider, title: "Scholing op onderwerp (2019 B)", lines: [("2019", "B", nil, 100)]),
            try await course(
                store, provider: provider, title: "Partusassistentie (2019 C)", lines: [("2019", "C", "partusassistentie", 100)]),
        ]
    }

    public static func count(_ pool: PostgresPool, _ query: PostgresQuery) async throws -> Int {
        try await pool.query(query)[0].decode("n", as: Int.self)
    }
}

extension RegisterFixtures {
    /// Her 2019 period (2019-06-01 … 2023-05-31) with a complete dossier, booked on 2022-01-10, -11 and -12 by
    /// `CompletionWorkflows` on `clock`. Throws when a booking is not created (201).
    public static func completeDossier(_ pool: PostgresPool, clock: DutchClock) async throws -> (
        practitioner: PractitionerRecord, period: PeriodRecord
    ) {
        let store = RegisterStore(pool: pool)
        let (p, period) = try await practitioner(store, start: CivilDate(2019, 6, 1))
        let courses = try await complete2019Courses(store, provider: try await provider(pool))
        let items = courses.enumerated().map { i, c in
            PushItem(courseId: c.id, externalId: nil, registrationNumber: p.registrationNumber, completedOn: CivilDate(2022, 1, 10 + i))
        }
        let outcomes = try await CompletionWorkflows(store: store, clock: clock).push(items, caller: .admin, dryRun: false, by: admin())
        let statuses = outcomes.map { $0?.status }
        guard statuses == [201, 201, 201] else { throw FixtureError("bookings answered \(statuses), not [201, 201, 201]") }
        return (p, period)
    }
}
