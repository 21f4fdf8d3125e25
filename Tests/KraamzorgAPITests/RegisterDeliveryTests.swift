import Foundation
import KraamzorgJobs
import KraamzorgRules
import PostgresClient
import Testing
import TestSupport

/// The register's side of delivery: review outcomes to the practitioner, and register events in the feed
/// for the course provider and the practitioner they concern.
@Suite struct RegisterDeliveryTests {
    @Test func reviewOutcomesAreMailedAndRegisterEventsReachTheirReaders() async throws {
        let app = try await IsolatedDatabase.app()
        let (providerId, provider) = try await app.provider()
        let start = Day.today.adding(months: 2).adding(years: -4)
        let p = try await app.practitioner(start: start.iso, first: "Greet")
        let herself = try await app.practitionerLogin(p.id)
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let courses = try await Courses2019.make(app, provider)
        try await courses.complete(app, provider, number: p.number, on: [start.adding(days: 1), start.adding(days: 2), start.adding(days: 3)])
        // The watcher sees the bookings and records dossier.complete once, whoever runs it and how often.
        try await app.eventsSettled()
        let watcher = DossierWatcher(pool: app.pool)
        async let w1 = watcher.runOnce()
        async let w2 = DossierWatcher(pool: app.pool).runOnce()
        let (n1, n2) = try await (w1, w2)
        #expect(try await watcher.runOnce() == 0)
        #expect(n1 + n2 == 1)
        #expect(try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/submission").status == 201)
        let info = try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/review",
                                       json: ["decision": "requestInfo", "message": "Stuur de werkgeversverklaring mee."])
        #expect(info.status == 200)
        #expect(try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/submission").status == 201)
        let approved = try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/review", json: ["decision": "approve"])
        #expect(approved.status == 200)
        let code = try #require((try approved.object()["certificate"] as? [String: Any])?["verificationCode"] as? String)

        // Review outcomes, to her address, in Dutch.
        let email: String = try await app.pool.query("SELECT email FROM practitioners WHERE id = \(UUID(uuidString: p.id)!)")[0].decode("email")
        let outcomes = try app.items(try await app.admin("GET", "/v1/notifications?kind=reviewOutcome&to=\(email)"))
        #expect(outcomes.count == 2)
        #expect(outcomes.contains { ($0["body"] as? String)?.contains("Stuur de werkgeversverklaring mee.") == true })
        #expect(outcomes.contains { ($0["subject"] as? String) == "Uw herregistratie is goedgekeurd" && ($0["body"] as? String)?.contains(code) == true })

        try await app.eventsSettled()
        func types(_ token: String) async throws -> [String] {
            try app.items(try await app.call("GET", "/v1/events?limit=500", token: token)).compactMap { $0["type"] as? String }
        }
        // The course provider: its own bookings only.
        #expect(try await types(provider) == ["accreditation.booked", "accreditation.booked", "accreditation.booked"])
        let booked = try app.items(try await app.call("GET", "/v1/events?limit=1", token: provider))[0]
        #expect(booked["organizationId"] as? String == providerId)
        #expect((booked["data"] as? [String: Any])?["registrationNumber"] as? String == p.number)
        // The practitioner: her bookings and the approval.
        #expect(try await types(herself) == ["accreditation.booked", "accreditation.booked", "accreditation.booked", "dossier.complete", "period.approved"])
        // Another course provider and an insurer: nothing of hers.
        let (_, otherProvider) = try await app.provider()
        #expect(try await types(otherProvider).isEmpty)
        let insurer = try await app.user(role: "insurer", organizationId: try await app.organization("insurer"), avgAccess: true).token
        #expect(try await types(insurer).isEmpty)

        // Withdrawing a booking is an event for the provider too.
        let accreditation = try #require((booked["data"] as? [String: Any])?["accreditationId"] as? String)
        #expect(try await app.call("DELETE", "/v1/accreditations/\(accreditation)", token: provider).status == 200)
        try await app.eventsSettled()
        #expect(try await types(provider).last == "accreditation.withdrawn")
        await app.stop()
    }
}
