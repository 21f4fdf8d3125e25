import Foundation
import KraamzorgRules
import PostgresClient
import Testing
import TestSupport

@Suite struct RegisterAgendaNormsTests {
    /// The public agenda with every filter, and pages.
    @Test func agendaSearchWithFilters() async throws {
        let app = try await TestApp.shared.value
        let (providerId, provider) = try await app.provider()
        let tag = UUID().uuidString.prefix(8)
        _ = try await app.course(
            provider, title: "Borstvoeding \(tag) basis", start: "2030-01-10", externalId: "BV1-\(tag)",
            lines: [("2023", "B", "borstvoeding", 2), ("2019", "C", "basis-borstvoeding", 2)])
        let partus = try await app.course(
            provider, title: "Partus \(tag)", start: "2030-02-10", lines: [("2023", "D", "partusassistentie", 4)])
        let elearning = try await app.call(
            "POST", "/v1/courses", token: provider,
            json: [
                "title": "Reanimatie \(tag) online", "format": "elearning", "startDate": "2030-03-10", "endDate": "2030-12-31",
                "accreditations": [["norm": "2023", "category": "A", "subject": "reanimatie-theorie", "points": 1]],
            ])
        #expect(elearning.status == 201)
        // A provider's course is in the agenda once the register accredits it (DOMAIN §3a).
        let elearningId = try #require(try elearning.object()["id"] as? String)
        #expect(try await app.admin("POST", "/v1/courses/\(elearningId)/review", json: ["decision": "accredit"]).status == 200)

        func ids(_ query: String) async throws -> [String] {
            let r = try await app.call("GET", "/v1/courses?providerId=\(providerId)&\(query)")
            #expect(r.status == 200, "\(query): \(r.text)")
            return ((try r.object()["items"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
        }
        #expect(try await ids("norm=2023").count == 3)
        #expect(try await ids("norm=2019").count == 1)
        #expect(try await ids("norm=2023&category=D") == ["Partus \(tag)"])
        #expect(try await ids("subject=borstvoeding") == ["Borstvoeding \(tag) basis"])
        #expect(try await ids("format=elearning") == ["Reanimatie \(tag) online"])
        #expect(try await ids("from=2030-02-01&to=2030-02-28") == ["Partus \(tag)"])
        #expect(try await ids("from=2030-06-01") == ["Reanimatie \(tag) online"])  // still running (ends 2030-12-31)
        #expect(try await ids("q=\(tag.lowercased())%20BASIS").count == 1)
        #expect(try await ids("externalId=BV1-\(tag)").count == 1)
        #expect(try await app.call("GET", "/v1/courses?from=2030-02-30").status == 400)
        // Pages.
        let first = try await app.call("GET", "/v1/courses?providerId=\(providerId)&limit=2").object()
        #expect(first["total"] as? Int == 3 && (first["items"] as? [Any])?.count == 2)
        let cursor = try #require(first["nextCursor"] as? String)
        let second = try await app.call("GET", "/v1/courses?providerId=\(providerId)&limit=2&cursor=\(cursor)").object()
        #expect((second["items"] as? [Any])?.count == 1 && second["nextCursor"] is NSNull)
        // A deleted course leaves the agenda.
        #expect(try await app.call("DELETE", "/v1/courses/\(partus)", token: provider).status == 204)
        #expect(try await ids("norm=2023").count == 2)
    }

    /// Norms are public data; an admin publishes a new one (validated) and each correction bumps its version.
    @Test func normsArePublishedAsData() async throws {
        let app = try await TestApp.shared.value
        let list = try await app.call("GET", "/v1/norms").object()
        let codes = ((list["items"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("2019") && codes.contains("2023"))
        let n2023 = try await app.call("GET", "/v1/norms/2023").object()
        #expect(n2023["minTotalPoints"] as? Int == 40 && n2023["ehboCertificateRequired"] as? Bool == true)

        let norm: [String: Any] = [
            "code": "2041", "appliesFrom": "2041-04-01", "minTotalPoints": 44, "ehboCertificateRequired": true, "careHoursPerYear": 200,
            "categories": [
                [
                    "code": "A", "name": "Vaardigheden", "minPoints": 14,
                    "subjects": [["code": "ehbo-2041", "name": "EHBO", "minCompletions": 2]],
                ]
            ],
        ]
        let first = try await app.admin("PUT", "/v1/norms/2041", json: norm)
        #expect(first.status == 200, "\(first.text)")
        let v1 = try first.object()["version"] as? Int ?? 0
        var corrected = norm
        corrected["minTotalPoints"] = 45
        let second = try await app.admin("PUT", "/v1/norms/2041", json: corrected).object()
        #expect(second["version"] as? Int == v1 + 1 && second["minTotalPoints"] as? Int == 45)
        #expect(try await app.call("GET", "/v1/norms/2041").object()["minTotalPoints"] as? Int == 45)
        // Another norm on the same date would make the catalog ambiguous.
        var clash = norm
        clash["code"] = "2042"
        #expect(try await app.admin("PUT", "/v1/norms/2042", json: clash).status == 409)
    }

    /// Herself: contact data, care hours (shown in the dossier), deregistration; every read and change audited.
    @Test func herOwnRecordIsAudited() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        let herself = try await app.practitionerLogin(p.id)
        let record = try await app.call("GET", "/v1/practitioners/\(p.id)", token: herself).object()
        #expect(record["email"] != nil && record["status"] as? String == "registered")
        #expect(
            try await app.call(
                "PATCH", "/v1/practitioners/\(p.id)", token: herself, json: ["email": "nieuw.\(UUID().uuidString.prefix(6))@example.nl"]
            ).status == 200)
        #expect(
            try await app.call(
                "PUT", "/v1/practitioners/\(p.id)/care-hours/2024", token: herself,
                json: ["hours": 150, "statement": "Werkgeversverklaring 2024"]
            ).status == 200)
        #expect(try await app.call("PUT", "/v1/practitioners/\(p.id)/care-hours/2025", token: herself, json: ["hours": 640]).status == 200)
        let dossier = try await app.dossier(herself, p.id)
        let hours = (dossier["careHours"] as? [[String: Any]]) ?? []
        #expect(hours.first { $0["year"] as? Int == 2024 }?["met"] as? Bool == false)
        #expect(hours.first { $0["year"] as? Int == 2025 }?["met"] as? Bool == true)

        let tomorrow = Day.today.adding(days: 1).iso
        let dereg = try await app.call("POST", "/v1/practitioners/\(p.id)/deregistration", token: herself, json: ["on": tomorrow])
        #expect(try dereg.status == 200 && (dereg.object()["deregisteredOn"] as? String) == tomorrow)
        let lookup = try await app.call("GET", "/v1/register/\(p.number)").object()
        #expect(lookup["registered"] as? Bool == true && lookup["validUntil"] as? String == Day.today.iso)
        #expect(try await app.call("GET", "/v1/register/\(p.number)?on=\(tomorrow)").object()["registered"] as? Bool == false)

        let actions = try await app.pool.query(
            """
            SELECT action || ':' || object_type AS a FROM audit_events WHERE object_id = \(UUID(uuidString: p.id)!) ORDER BY at
            """
        ).map { try $0.decode("a", as: String.self) }
        #expect(actions.contains("create:practitioner") && actions.contains("read:practitioner") && actions.contains("update:practitioner"))
        #expect(actions.contains("read:dossier") && actions.contains("create:careHours") && actions.contains("update:careHours") == false)
    }

    /// Aggregates only.
    @Test func statisticsAreAggregates() async throws {
        let app = try await TestApp.shared.value
        _ = try await app.practitioner(start: "2023-06-01")
        let s = try await app.call("GET", "/v1/statistics").object()
        #expect((s["registeredPractitioners"] as? Int ?? 0) >= 1)
        #expect(((s["registeredByNorm"] as? [String: Int])?["2023"] ?? 0) >= 1)
        #expect((s["periodsByStatus"] as? [String: Int])?.keys.contains("expired") == true)
        #expect(!s.keys.contains("items"))
    }
}
