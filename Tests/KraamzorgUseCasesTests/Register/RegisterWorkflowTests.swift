import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing
import DatesAndIDs

/// Submission, review and the one dossier loader, on a fixed clock.
@Suite struct RegisterWorkflowTests {
    typealias Fx = RegisterFixtures

    @Test func submittingACompleteDossierAndApprovingItEmailsTheOutcomeAndAuditsTheReview() async throws {
        let pool = try await Fx.shared.value
        let clock = Fx.clock(CivilDate(2023, 4, 15))
        let (p, period) = try await Fx.completeDossier(pool, clock: clock)
        let workflows = RegisterWorkflows(store: RegisterStore(pool: pool), clock: clock)

        let submitted = try await workflows.submit(practitionerId: p.id, periodId: period.id, by: Fx.admin())
        #expect(submitted.period.period.status == .submitted)
        #expect(submitted.period.submittedOn == CivilDate(2023, 4, 15))
        #expect(submitted.next.period.status == .upcoming && submitted.next.period.startDate == CivilDate(2023, 6, 1))

        let reviewer = Fx.admin()
        let reviewed = try await workflows.review(practitionerId: p.id, periodId: period.id, approve: true, message: nil, by: reviewer)
        let certificate = try #require(reviewed.certificate)
        #expect(reviewed.period.period.status == .approved && reviewed.next?.period.status == .active)
        #expect(certificate.validUntil == CivilDate(2027, 5, 31))

        let mail = try await pool.query("SELECT subject, body FROM notifications WHERE kind = 'reviewOutcome' AND recipient = \(p.email)")
        let expected = RegisterMessages.approved(p, certificate: certificate)
        #expect(mail.count == 1)
        #expect(try mail.first?.decode("subject", as: String.self) == expected.subject)
        #expect(try mail.first?.decode("body", as: String.self) == expected.body)
        #expect(expected.body.contains(certificate.verificationCode) && expected.body.contains("2027-05-31"))
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM audit_events WHERE request_id = \(reviewer.requestId) AND object_type = 'period'
                  AND object_id = \(period.id) AND details->>'review' = 'approve' AND details->>'certificateId' = \(certificate.id.lowercasedString)
                """) == 1)
    }

    @Test func askingForInformationEmailsHerTheQuestionAndTheSubmissionCanBeReviewedOnlyOnce() async throws {
        let pool = try await Fx.shared.value
        let clock = Fx.clock(CivilDate(2023, 4, 15))
        let (p, period) = try await Fx.completeDossier(pool, clock: clock)
        let workflows = RegisterWorkflows(store: RegisterStore(pool: pool), clock: clock)
        _ = try await workflows.submit(practitionerId: p.id, periodId: period.id, by: Fx.admin())

        let asked = try await workflows.review(
            practitionerId: p.id, periodId: period.id, approve: false, message: "Stuur uw EHBO-bewijs mee.",
            by: Fx.admin())
        #expect(asked.period.period.status == .infoRequested && asked.certificate == nil)
        let body: String = try await pool.query("SELECT body FROM notifications WHERE kind = 'reviewOutcome' AND recipient = \(p.email)")[0]
            .decode("body")
        #expect(body == RegisterMessages.infoRequested(p, period: asked.period.period, question: "Stuur uw EHBO-bewijs mee.").body)
        #expect(body.contains("Stuur uw EHBO-bewijs mee.") && !body.contains("Uw dossier is compleet"))
        await #expect(throws: StoreError.conflict(RegisterRefusals.notSubmitted(.infoRequested))) {
            _ = try await workflows.review(practitionerId: p.id, periodId: period.id, approve: true, message: nil, by: Fx.admin())
        }
    }

    @Test func aFirstRegistrationWithAnOldDiplomaIsRefusedWithEveryReasonAndWritesNothing() async throws {
        let pool = try await Fx.shared.value
        let email = "\(UUID().uuidString.lowercased())@example.nl"
        let new = NewRegistration(
            firstName: "Bea", lastName: "Bakker", email: email, dateOfBirth: nil, registrationNumber: nil,
            periodStart: CivilDate(2019, 1, 1), registeredOn: nil, diplomaObtainedOn: CivilDate(2017, 6, 1), reentrant: false)
        let workflows = RegisterWorkflows(store: RegisterStore(pool: pool), clock: Fx.clock(CivilDate(2024, 1, 1)))
        await #expect(
            throws: StoreError.refused([
                RegisterRefusals.norm(
                    .beforeEarliestNorm(date: CivilDate(2019, 1, 1), earliest: CivilDate(2019, 4, 1)),
                    registeredOnGiven: false),
                RegisterRefusals.entry(.diplomaTooOld(obtainedOn: CivilDate(2017, 6, 1), earliestAccepted: CivilDate(2018, 1, 1))),
            ])
        ) {
            _ = try await workflows.registerPractitioner(new, by: Fx.admin())
        }
        #expect(try await Fx.count(pool, "SELECT count(*)::bigint AS n FROM practitioners WHERE email = \(email)") == 0)
    }

    @Test func theSingleDossierLoaderReturnsSubmittedOnOnceSubmittedAndOnlyTheChosenPeriodsCompletions() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let (p, period) = try await Fx.completeDossier(pool, clock: Fx.clock(CivilDate(2023, 4, 15)))
        func facts(_ choice: DossierPeriodChoice) async throws -> DossierFacts {
            try #require(
                try await pool.withConnection { conn in try await RegisterStore.dossierFacts(of: .id(p.id), period: choice, on: conn) })
        }

        let before = try await facts(.id(period.id))
        #expect(before.practitioner.id == p.id && before.inputsPeriodId == period.id && before.inputs.completions.count == 3)
        #expect(before.periods.map(\.submittedOn) == [nil])

        let submitted = try await RegisterWorkflows(store: store, clock: Fx.clock(CivilDate(2023, 4, 15)))
            .submit(practitionerId: p.id, periodId: period.id, by: Fx.admin())
        // A completion in the next period (booked once that date has passed).
        let course = try await Fx.course(
            store, provider: try await Fx.provider(pool), title: "Ondersteunend (2023 C)", lines: [("2023", "C", nil, 30)])
        let later = try await CompletionWorkflows(store: store, clock: Fx.clock(CivilDate(2023, 7, 1))).push(
            [PushItem(courseId: course.id, externalId: nil, registrationNumber: p.registrationNumber, completedOn: CivilDate(2023, 6, 15))],
            caller: .admin, dryRun: false, by: Fx.admin())
        #expect(later.first??.status == 201)

        let after = try await facts(.id(period.id))
        #expect(after.periods.first { $0.id == period.id }?.submittedOn == CivilDate(2023, 4, 15))
        #expect(after.periods.first { $0.id == submitted.next.id }?.submittedOn == nil)
        #expect(after.inputs.completions.count == 3)
        let next = try await facts(.covering(CivilDate(2023, 6, 20)))
        #expect(next.inputsPeriodId == submitted.next.id)
        #expect(next.inputs.completions.map(\.courseId) == [course.id.lowercasedString])
        // Her record under her registration number, in any case, is the same.
        let byNumber = try await pool.withConnection { conn in
            try await RegisterStore.dossierFacts(of: .ref(" \(p.registrationNumber.lowercased()) "), period: .id(period.id), on: conn)
        }
        #expect(byNumber?.practitioner.id == p.id && byNumber?.inputs.completions.count == 3)
    }
}
