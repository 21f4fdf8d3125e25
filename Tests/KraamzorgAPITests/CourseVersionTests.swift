import Foundation
import PostgresClient
import Testing
import TestSupport

/// Points are fixed at booking (DOMAIN §3a): a change of a course's lines is a new application; the accredited
/// version stays in force for new pushes until the new one is accredited, and no later change rewrites a booked
/// completion. A course with bookings is never deleted.
@Suite struct CourseVersionTests {
    @Test func aLaterChangeOfTheCourseNeverChangesABookedDossier() async throws {
        // Its own database: the dossier's suggestions read the whole agenda, which other suites change meanwhile.
        let app = try await IsolatedDatabase.app()
        let (_, provider) = try await app.provider()
        let id = try await app.course(provider, title: "Ondersteunend", lines: [("2023", "C", nil, 4)])
        let first = try await app.practitioner(start: "2023-06-01")
        #expect(try await app.push(provider, course: id, number: first.number, on: "2024-01-01").status == 201)
        let path = "/v1/practitioners/\(first.id)/periods/current/dossier?asOf=2024-06-01"
        let before = try await app.admin("GET", path)
        #expect(before.status == 200)
        #expect((try before.object().category("C")?["points"] as? NSNumber)?.doubleValue == 4)

        // The provider applies for 6 points: version 2 pending, version 1 (4 points) stays in force.
        let applied = try await app.call(
            "PATCH", "/v1/courses/\(id)", token: provider, json: ["accreditations": [["norm": "2023", "category": "C", "points": 6]]])
        #expect(applied.status == 200, "\(applied.text)")
        let pending = try applied.object()
        #expect(pending["status"] as? String == "accredited")
        #expect(CourseAccreditationTests.points(pending["accreditations"]) == [4])
        #expect(CourseAccreditationTests.history(pending).map { $0["status"] as? String } == ["accredited", "pending"])
        #expect(try app.items(try await app.call("GET", "/v1/courses?status=pending", token: provider)).count == 1)
        let second = try await app.practitioner(start: "2023-06-01")
        let meanwhile = try await app.push(provider, course: id, number: second.number, on: "2024-01-01")
        #expect(try meanwhile.status == 201 && CourseAccreditationTests.points(meanwhile.object()["lines"]) == [4], "\(meanwhile.text)")

        // Staff accredit version 2: it replaces version 1 for new bookings only.
        let review = try await app.admin("POST", "/v1/courses/\(id)/review", json: ["decision": "accredit"])
        #expect(review.status == 200, "\(review.text)")
        #expect(CourseAccreditationTests.points(try review.object()["accreditations"]) == [6])
        let third = try await app.practitioner(start: "2023-06-01")
        let after = try await app.push(provider, course: id, number: third.number, on: "2024-01-01")
        #expect(try after.status == 201 && CourseAccreditationTests.points(after.object()["lines"]) == [6], "\(after.text)")
        // The same completion pushed again answers with the points it was booked with.
        let repeated = try await app.push(provider, course: id, number: second.number, on: "2024-01-01")
        #expect(try repeated.status == 200 && CourseAccreditationTests.points(repeated.object()["lines"]) == [4], "\(repeated.text)")
        // Title and dates change freely, no new version.
        let retitled = try await app.call("PATCH", "/v1/courses/\(id)", token: provider, json: ["location": "Zwolle"])
        #expect(CourseAccreditationTests.history(try retitled.object()).count == 2)

        // Her dossier, byte for byte as before; the listing shows her booked points too.
        let unchanged = try await app.admin("GET", path)
        #expect(unchanged.status == 200 && unchanged.body == before.body, "\(unchanged.text)")
        let hers = try app.items(try await app.admin("GET", "/v1/accreditations?registrationNumber=\(first.number)"))
        #expect(hers.count == 1 && CourseAccreditationTests.points(hers[0]["lines"]) == [4])
        let thirds = try await app.dossier(app.adminToken, third.id, asOf: "2024-06-01")
        #expect((thirds.category("C")?["points"] as? NSNumber)?.doubleValue == 6)

        // A course with bookings is never deleted; it stays in the agenda.
        let delete = try await app.call("DELETE", "/v1/courses/\(id)", token: provider)
        #expect(delete.status == 409 && delete.text.contains("never deleted"), "\(delete.text)")
        #expect(try await app.admin("DELETE", "/v1/courses/\(id)").status == 409)
        #expect(try await app.call("GET", "/v1/courses/\(id)", token: provider).status == 200)
        await app.stop()
    }
}
