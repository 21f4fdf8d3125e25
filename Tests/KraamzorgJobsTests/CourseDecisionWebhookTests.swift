import Foundation
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing
import TestSupport
import DatesAndIDs

/// The register's decision on a course application reaches the course provider's own webhooks (DOMAIN §3a),
/// and no other organisation's.
@Suite struct CourseDecisionWebhookTests {
    @Test func theProvidersWebhookGetsTheDecisionOnItsCourse() async throws {
        let db = try await JobsDatabase.make()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let other = try WebhookReceiver()
        defer { other.stop() }
        let store = RegisterStore(pool: db.pool)
        let provider = try await RegisterFixtures.provider(db.pool)
        let otherProvider = try await RegisterFixtures.provider(db.pool)
        _ = try await db.subscribe(organizationId: provider, url: receiver.url, events: ["course.accredited", "course.refused"])
        _ = try await db.subscribe(organizationId: otherProvider, url: other.url, events: ["course.accredited", "course.refused"])

        let workflows = CourseWorkflows(store: store)
        let fields = CourseFields(
            title: "Aanvraag", externalId: nil, format: "classroom", startDate: CivilDate(2024, 1, 1), endDate: nil, location: nil,
            contact: nil, lines: [AccreditationLine(norm: "2023", category: "D", subject: nil, points: Points(tenths: 20))])
        let course = try await workflows.createCourse(providerId: provider, fields, byRegister: false, by: RegisterFixtures.admin())
        _ = try await workflows.review(courseId: course.id, .refuse(reason: "Geen bewijs van docentschap"), by: RegisterFixtures.admin())
        try await db.eventsSettled()
        let report = try await db.deliverer().runOnce(now: Date())
        #expect(report.delivered == 1)
        let hits = receiver.hits
        try #require(hits.count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(hits[0].body)) as? [String: Any])
        #expect(body["type"] as? String == "course.refused")
        let data = try #require(body["data"] as? [String: Any])
        #expect(data["courseId"] as? String == course.id.lowercasedString && data["reason"] as? String == "Geen bewijs van docentschap")
        #expect(other.hits.isEmpty)
        await db.close()
    }
}
