import Foundation
import KraamzorgJobs
import KraamzorgRules
import PostgresClient
import Testing
import TestSupport

/// Register events in the feed for the course provider and the practitioner they concern. (The dossier
/// watcher and the review outcomes' mail are KraamzorgJobsTests' `RegisterDeliveryTests`.)
@Suite struct RegisterEventFeedTests {
    @Test func registerEventsReachTheirReadersAndNoOneElse() async throws {
        let app = try await IsolatedDatabase.app()
        let (providerId, provider) = try await app.provider()
        let start = Day.today.adding(months: 2).adding(years: -4)
        let p = try await app.practitioner(start: start.iso, first: "Greet")
        let herself = try await app.practitionerLogin(p.id)
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let courses = try await Courses2019.make(app, provider)
        try await courses.complete(
            app, provider, number: p.number, on: [start.adding(days: 1), start.adding(days: 2), start.adding(days: 3)])
        // The watcher records dossier.complete (as the delivery service's tick does).
        try await app.eventsSettled()
        #expect(try await DossierWatcher(pool: app.pool).runOnce() == 1)
        #expect(try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/submission").status == 201)
        let info = try await app.admin(
            "POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/review",
            json: ["decision": "requestInfo", "message": "Stuur de werkgeversverklaring mee."])
        #expect(info.status == 200)
        #expect(try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/submission").status == 201)
        let approved = try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/review", json: ["decision": "approve"])
        #expect(approved.status == 200)
        #expect((try approved.object()["certificate"] as? [String: Any])?["verificationCode"] as? String != nil)

        try await app.eventsSettled()
        func types(_ token: String) async throws -> [String] {
            try app.items(try await app.call("GET", "/v1/events?limit=500", token: token)).compactMap { $0["type"] as? String }
        }
        // The course provider: the register's decisions on its three courses (DOMAIN §3a), then its own bookings only.
        #expect(
            try await types(provider) == [
                "course.accredited", "course.accredited", "course.accredited",
                "accreditation.booked", "accreditation.booked", "accreditation.booked",
            ])
        let booked = try #require(
            try app.items(try await app.call("GET", "/v1/events?type=accreditation.booked&limit=1", token: provider)).first)
        #expect(booked["organizationId"] as? String == providerId)
        #expect((booked["data"] as? [String: Any])?["registrationNumber"] as? String == p.number)
        // The practitioner: her bookings and the approval.
        #expect(
            try await types(herself) == [
                "accreditation.booked", "accreditation.booked", "accreditation.booked", "dossier.complete", "period.approved",
            ])
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
