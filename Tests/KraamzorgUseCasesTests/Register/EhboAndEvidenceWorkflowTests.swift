import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing
import DatesAndIDs

/// EHBO certificates (`EhboWorkflows`), evidence for a period request and a new course: each decided on the
/// state it finds under its lock, refused with the texts of `RegisterRefusals`.
@Suite struct EhboAndEvidenceWorkflowTests {
    typealias Fx = RegisterFixtures

    static let pdf = Array("%PDF-1.4 test".utf8)

    @Test func aCertificateWithoutAFileCannotBeReviewedAndStaysAwaitingItsFile() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let (p, _) = try await Fx.practitioner(store, start: CivilDate(2023, 6, 1))
        let certificate = try await store.createEhbo(
            practitionerId: p.id, obtainedOn: CivilDate(2023, 1, 10), validUntil: CivilDate(2025, 1, 10),
            by: Fx.admin())
        await #expect(throws: StoreError.conflict(RegisterRefusals.ehboNotAwaitingReview)) {
            _ = try await EhboWorkflows(pool: pool).review(certificateId: certificate.id, approve: true, reason: nil, by: Fx.admin())
        }
        #expect(RegisterRefusals.ehboNotAwaitingReview == "only a certificate with an uploaded file awaiting review can be reviewed")
        let unchanged = try #require(try await store.ehbo(id: certificate.id))
        #expect(unchanged.status == .awaitingFile && unchanged.reviewedAt == nil)
    }

    @Test func aFileMakesItPendingReviewAndOnceApprovedItsFileIsNotReplaced() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let ehbo = EhboWorkflows(pool: pool)
        let (p, _) = try await Fx.practitioner(store, start: CivilDate(2023, 6, 1))
        let certificate = try await store.createEhbo(
            practitionerId: p.id, obtainedOn: CivilDate(2023, 1, 10), validUntil: CivilDate(2025, 1, 10),
            by: Fx.admin())
        let uploaded = try await ehbo.putFile(
            certificateId: certificate.id, bytes: Self.pdf, contentType: "application/pdf", by: Fx.admin())
        #expect(uploaded.status == .pendingReview && uploaded.fileSize == Self.pdf.count)

        let rejected = try await ehbo.review(certificateId: certificate.id, approve: false, reason: "Onleesbaar", by: Fx.admin())
        #expect(rejected.status == .rejected && rejected.reviewReason == "Onleesbaar")
        // A rejected certificate takes a new file, which clears the earlier review.
        let again = try await ehbo.putFile(
            certificateId: certificate.id, bytes: Self.pdf + [0x0a], contentType: "application/pdf", by: Fx.admin())
        #expect(again.status == .pendingReview && again.reviewReason == nil && again.reviewedAt == nil)

        let reviewer = Fx.admin()
        let approved = try await ehbo.review(certificateId: certificate.id, approve: true, reason: nil, by: reviewer)
        #expect(approved.status == .approved)
        await #expect(throws: StoreError.conflict(RegisterRefusals.approvedEhboFileStays)) {
            _ = try await ehbo.putFile(certificateId: certificate.id, bytes: Self.pdf, contentType: "application/pdf", by: Fx.admin())
        }
        await #expect(throws: StoreError.conflict(RegisterRefusals.ehboNotAwaitingReview)) {
            _ = try await ehbo.review(certificateId: certificate.id, approve: false, reason: "Toch niet", by: Fx.admin())
        }
        #expect(try await store.ehbo(id: certificate.id)?.status == .approved)
        #expect(try await store.ehboFile(id: certificate.id)?.bytes == Self.pdf + [0x0a])
        #expect(
            try await Fx.count(
                pool,
                """
                SELECT count(*)::bigint AS n FROM audit_events WHERE request_id = \(reviewer.requestId) AND object_type = 'ehboCertificate'
                  AND object_id = \(certificate.id) AND details->>'review' = 'approve'
                """) == 1)
    }

    @Test func evidenceIsAddedToAnOpenRequestOnlyAndNotOnceItIsDecided() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let (p, period) = try await Fx.practitioner(store, start: CivilDate(2019, 6, 1))
        let workflows = RegisterWorkflows(store: store, clock: Fx.clock(CivilDate(2023, 4, 1)))
        let request = try await workflows.createPeriodRequest(
            practitionerId: p.id, periodId: period.id, kind: "extension", until: CivilDate(2023, 7, 31),
            nextStart: nil, reason: "Ziekte", specialCircumstances: false, by: Fx.admin())
        let withEvidence = try await workflows.addEvidence(
            requestId: request.id, bytes: Self.pdf, contentType: "application/pdf", by: Fx.admin())
        #expect(withEvidence.evidenceContentType == "application/pdf" && withEvidence.evidenceSize == Self.pdf.count)

        _ = try await workflows.decidePeriodRequest(id: request.id, approve: false, message: "Niet nodig", by: Fx.admin())
        await #expect(throws: StoreError.conflict(RegisterRefusals.evidenceOnlyWhileOpen)) {
            _ = try await workflows.addEvidence(
                requestId: request.id, bytes: Self.pdf + [0x0a], contentType: "application/pdf", by: Fx.admin())
        }
        #expect(try await store.evidence(requestId: request.id)?.bytes == Self.pdf)
        await #expect(throws: StoreError.notFound("period request")) {
            _ = try await workflows.addEvidence(requestId: UUID(), bytes: Self.pdf, contentType: "application/pdf", by: Fx.admin())
        }
    }

    @Test func onlyACourseProviderHasCoursesAndARefusedCourseIsNotWritten() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let insurer: UUID = try await pool.query(
            """
            INSERT INTO organizations (kind, name) VALUES ('insurer', \("Verzekeraar \(UUID().uuidString.prefix(6))")) RETURNING id
            """)[0].decode("id")
        let title = "Scholing \(UUID().uuidString.prefix(8))"
        let fields = CourseFields(
            title: title, externalId: nil, format: "classroom", startDate: CivilDate(2024, 1, 1), endDate: nil, location: nil,
            contact: nil, lines: [AccreditationLine(norm: "2023", category: "B", subject: nil, points: Points(tenths: 10))])
        for provider in [insurer, UUID()] {
            await #expect(throws: StoreError.refused([RegisterRefusals.notACourseProvider])) {
                _ = try await CourseWorkflows(store: store).createCourse(providerId: provider, fields, byRegister: true, by: Fx.admin())
            }
        }
        #expect(try await Fx.count(pool, "SELECT count(*)::bigint AS n FROM courses WHERE title = \(title)") == 0)
        let course = try await CourseWorkflows(store: store).createCourse(
            providerId: try await Fx.provider(pool), fields, byRegister: true, by: Fx.admin())
        #expect(course.title == title)
    }
}
