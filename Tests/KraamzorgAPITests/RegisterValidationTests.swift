import Foundation
import Testing
import TestSupport

/// Bad input on every register write route: a problem+json answer, the field named, nothing written.
@Suite struct RegisterValidationTests {
    func expectProblem(_ r: TestResponse, _ status: Int, field: String? = nil, _ context: String) {
        #expect(r.status == status, "\(context): \(r.status) \(r.text.prefix(300))")
        #expect(r.header("Content-Type") == "application/problem+json", "\(context)")
        if let field {
            let fields = ((try? r.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains(field), "\(context): errors \(fields)")
        }
    }

    @Test func practitionerWrites() async throws {
        let app = try await TestApp.shared.value
        let email = "\(UUID().uuidString.lowercased())@example.nl"
        let good: [String: Any] = [
            "firstName": "Eva", "lastName": "Smit", "email": email, "periodStart": "2023-06-01", "diplomaObtainedOn": "2023-01-01",
        ]
        func with(_ changes: [String: Any?]) -> [String: Any] {
            var b = good
            for (k, v) in changes { b[k] = v }
            return b
        }
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["lastName": nil])), 400, field: "lastName", "missing lastName")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["firstName": 12])), 400, field: "firstName", "wrong type")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["periodStart": "2021-02-30"])), 400, field: "periodStart",
            "impossible date")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["email": "not-an-email"])), 400, field: "email", "bad email")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["registrationNumber": "KCKZ-12"])), 400,
            field: "registrationNumber", "bad number")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["diplomaObtainedOn": "2021-01-01"])), 422,
            field: "diplomaObtainedOn", "old diploma")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["periodStart": "2019-03-31", "diplomaObtainedOn": "2019-01-01"])),
            422,
            field: "periodStart", "before the first norm")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["diplomaObtainedOn": nil])), 422, field: "diplomaObtainedOn",
            "no diploma, not re-entrant")
        let notJSON = try await app.call("POST", "/v1/practitioners", token: app.adminToken, headers: [("Content-Type", "text/plain")])
        #expect(notJSON.status == 415 || notJSON.status == 400)
        #expect(try await app.registerRows("practitioners WHERE email = '\(email)'") == 0)

        // A re-entrant with an old diploma gets a deadline; an imported number is kept (upper case) and unique.
        let number = "KCKZ-\(Int.random(in: 10_000_000...99_999_999))"
        let imported = try await app.admin(
            "POST", "/v1/practitioners",
            json: with([
                "diplomaObtainedOn": "2010-01-01", "reentrant": true,
                "registrationNumber": number.lowercased(),
            ]))
        #expect(imported.status == 201, "\(imported.text)")
        let practitioner = try #require(try imported.object()["practitioner"] as? [String: Any])
        #expect(practitioner["registrationNumber"] as? String == number && practitioner["entryDeadline"] as? String == "2023-10-01")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners", json: with(["registrationNumber": number, "email": "x\(email)"])), 409,
            "duplicate number")
        let id = try #require(practitioner["id"] as? String)

        expectProblem(try await app.admin("PATCH", "/v1/practitioners/\(id)", json: ["email": "nope"]), 400, field: "email", "patch email")
        expectProblem(try await app.admin("PATCH", "/v1/practitioners/\(id)", json: [String: Any]()), 400, "empty patch")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners/\(id)/strike-off", json: ["on": "2025-01-01"]), 400, field: "reason",
            "strike-off reason")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners/\(id)/strike-off", json: ["on": "2025-13-01", "reason": "x"]), 400, field: "on",
            "strike-off date")
        expectProblem(
            try await app.admin("POST", "/v1/practitioners/\(id)/deregistration", json: ["on": 20250101]), 400, field: "on",
            "deregistration type")
        expectProblem(
            try await app.admin("PUT", "/v1/practitioners/\(id)/care-hours/2024", json: ["hours": -1]), 400, field: "hours",
            "negative hours")
        expectProblem(
            try await app.admin("PUT", "/v1/practitioners/\(id)/care-hours/20x4", json: ["hours": 10]), 400, field: "year", "bad year")
        expectProblem(
            try await app.admin("PUT", "/v1/practitioners/\(id)/care-hours/2024", json: ["hours": "many"]), 400, field: "hours",
            "hours type")
        #expect(
            try await app.registerRows(
                "practitioners WHERE id = '\(id)' AND struck_off_on IS NULL AND deregistered_on IS NULL AND email = '\(email)'") == 1)
        #expect(try await app.registerRows("care_hours WHERE practitioner_id = '\(id)'") == 0)
        expectProblem(try await app.admin("GET", "/v1/practitioners/KCKZ-0000"), 404, "unknown number")
        expectProblem(try await app.admin("GET", "/v1/practitioners/\(UUID().uuidString)"), 404, "unknown id")
    }

    @Test func periodWrites() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let base = "/v1/practitioners/\(p.id)/periods"
        expectProblem(try await app.admin("POST", "\(base)/\(UUID().uuidString)/submission"), 404, "unknown period")
        expectProblem(try await app.admin("POST", "\(base)/not-a-uuid/submission"), 404, "bad period id")
        expectProblem(
            try await app.admin("POST", "\(base)/\(periodId)/review", json: ["decision": "approve"]), 409, "review of an active period")
        expectProblem(
            try await app.admin("POST", "\(base)/\(periodId)/review", json: ["decision": "requestInfo"]), 400, field: "message",
            "requestInfo without message")
        expectProblem(
            try await app.admin("POST", "\(base)/\(periodId)/extension", json: ["until": "2027-05-01", "reason": "x"]), 422, field: "until",
            "not after the end")
        expectProblem(
            try await app.admin("POST", "\(base)/\(periodId)/extension", json: ["until": "2027-12-31", "reason": "x"]), 422, field: "until",
            "beyond 3 months")
        expectProblem(
            try await app.admin("POST", "\(base)/\(periodId)/extension", json: ["until": "2027-02-30", "reason": "x"]), 400, field: "until",
            "impossible date")
        expectProblem(
            try await app.admin("POST", "\(base)/\(periodId)/advance", json: ["nextStart": "2027-06-01"]), 400, field: "reason",
            "advance without reason")
        #expect(try await app.registerRows("period_date_changes WHERE period_id = '\(periodId)'") == 0)

        let requests = "/v1/practitioners/\(p.id)/period-requests"
        expectProblem(
            try await app.admin("POST", requests, json: ["kind": "pause", "periodId": periodId, "reason": "x"]), 400, field: "kind", "kind")
        expectProblem(
            try await app.admin(
                "POST", requests, json: ["kind": "extension", "periodId": periodId, "nextStart": "2027-05-01", "reason": "x"]), 400,
            field: "until", "extension without until")
        expectProblem(
            try await app.admin(
                "POST", requests, json: ["kind": "extension", "periodId": UUID().uuidString, "until": "2027-06-30", "reason": "x"]), 404,
            "unknown period")
        expectProblem(
            try await app.admin("POST", requests, json: ["kind": "extension", "periodId": periodId, "until": "2027-12-31", "reason": "x"]),
            422, field: "until",
            "too long without special circumstances")
        #expect(try await app.registerRows("period_requests WHERE practitioner_id = '\(p.id)'") == 0)
        let ok = try await app.admin(
            "POST", requests, json: ["kind": "advance", "periodId": periodId, "nextStart": "2027-04-01", "reason": "Eerder"])
        #expect(ok.status == 201)
        let requestId = try #require(try ok.object()["id"] as? String)
        expectProblem(
            try await app.upload(
                "PUT", "/v1/period-requests/\(requestId)/evidence", token: app.adminToken, contentType: "text/plain", bytes: Files.pdf),
            415, "text/plain")
        expectProblem(
            try await app.upload(
                "PUT", "/v1/period-requests/\(requestId)/evidence", token: app.adminToken, contentType: "image/png", bytes: Files.pdf), 400,
            field: "(body)", "png that is a pdf")
        expectProblem(
            try await app.admin("POST", "/v1/period-requests/\(requestId)/decision", json: ["decision": "approve"]), 400, field: "message",
            "no message")
        expectProblem(
            try await app.admin("POST", "/v1/period-requests/\(requestId)/decision", json: ["decision": "yes", "message": "x"]), 400,
            field: "decision", "bad decision")
        #expect(try await app.registerRows("period_requests WHERE id = '\(requestId)' AND status = 'open' AND evidence IS NULL") == 1)
    }

    @Test func ehboWrites() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        let path = "/v1/practitioners/\(p.id)/ehbo-certificates"
        expectProblem(
            try await app.admin("POST", path, json: ["obtainedOn": "2024-01-01", "validUntil": "2023-01-01"]), 400, field: "validUntil",
            "until before obtained")
        expectProblem(
            try await app.admin("POST", path, json: ["obtainedOn": "2021-02-30", "validUntil": "2025-01-01"]), 400, field: "obtainedOn",
            "impossible date")
        expectProblem(try await app.admin("POST", path, json: ["validUntil": "2025-01-01"]), 400, field: "obtainedOn", "missing")
        #expect(try await app.registerRows("ehbo_certificates WHERE practitioner_id = '\(p.id)'") == 0)
        let created = try await app.admin("POST", path, json: ["obtainedOn": "2023-01-01", "validUntil": "2028-01-01"])
        let id = try #require(try created.object()["id"] as? String)
        expectProblem(
            try await app.admin("POST", "/v1/ehbo-certificates/\(id)/review", json: ["decision": "approve"]), 409, "review before a file")
        expectProblem(
            try await app.upload(
                "PUT", "/v1/ehbo-certificates/\(id)/file", token: app.adminToken, contentType: "image/jpeg", bytes: Files.png), 400,
            field: "(body)", "jpeg that is a png")
        expectProblem(
            try await app.upload(
                "PUT", "/v1/ehbo-certificates/\(id)/file", token: app.adminToken, contentType: "application/zip", bytes: Files.png), 415,
            "zip")
        expectProblem(
            try await app.upload("PUT", "/v1/ehbo-certificates/\(id)/file", token: app.adminToken, contentType: "image/png", bytes: []),
            400, "empty")
        #expect(
            try await app.oversized(
                "PUT", "/v1/ehbo-certificates/\(id)/file", token: app.adminToken, contentType: "image/png", length: 10 * 1024 * 1024 + 1)
                == 413)
        #expect(try await app.registerRows("ehbo_certificates WHERE id = '\(id)' AND file IS NULL AND status = 'awaitingFile'") == 1)
        #expect(
            try await app.upload(
                "PUT", "/v1/ehbo-certificates/\(id)/file", token: app.adminToken, contentType: "image/png", bytes: Files.png
            ).status == 200)
        expectProblem(
            try await app.admin("POST", "/v1/ehbo-certificates/\(id)/review", json: ["decision": "reject"]), 400, field: "reason",
            "reject without reason")
        expectProblem(
            try await app.admin("POST", "/v1/ehbo-certificates/\(UUID().uuidString)/review", json: ["decision": "approve"]), 404,
            "unknown certificate")
    }

    @Test func courseAndPushWrites() async throws {
        let app = try await TestApp.shared.value
        let (providerId, provider) = try await app.provider()
        let good: [String: Any] = [
            "title": "Reanimatie", "format": "classroom", "startDate": "2024-01-01",
            "accreditations": [["norm": "2023", "category": "A", "subject": "reanimatie-theorie", "points": 2]],
        ]
        func with(_ changes: [String: Any?]) -> [String: Any] {
            var b = good
            for (k, v) in changes { b[k] = v }
            return b
        }
        func line(_ l: [String: Any]) -> [String: Any?] { ["accreditations": [l]] }
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(["title": nil])), 400, field: "title", "no title")
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(["format": "webinar"])), 400, field: "format", "format")
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(["endDate": "2023-12-31"])), 400, field: "endDate",
            "end before start")
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(["accreditations": []])), 400, field: "accreditations",
            "no lines")
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(line(["norm": "2031", "category": "A", "points": 1]))),
            400,
            field: "accreditations[0].norm", "unknown norm")
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(line(["norm": "2023", "category": "Z", "points": 1]))),
            400,
            field: "accreditations[0].category", "unknown category")
        expectProblem(
            try await app.call(
                "POST", "/v1/courses", token: provider,
                json: with(line(["norm": "2023", "category": "A", "subject": "borstvoeding", "points": 1]))), 400,
            field: "accreditations[0].subject", "subject of another category")
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(line(["norm": "2023", "category": "A", "points": -1]))),
            400, "negative points")
        expectProblem(
            try await app.call(
                "POST", "/v1/courses", token: provider, json: with(line(["norm": "2023", "category": "A", "points": 1.25]))), 400,
            "two decimals")
        for bad: Any in [0, 40.5, 0.3, 41] {
            expectProblem(
                try await app.call(
                    "POST", "/v1/courses", token: provider, json: with(line(["norm": "2023", "category": "A", "points": bad]))), 400,
                field: "accreditations[0].points", "points \(bad)")
        }
        // Once a trap: an integer too large for tenths. Refused, and the server still answers.
        for huge: Any in [1_000_000_000_000_000_000 as Int, 1e18, 1001] {
            expectProblem(
                try await app.call(
                    "POST", "/v1/courses", token: provider, json: with(line(["norm": "2023", "category": "A", "points": huge]))), 400,
                "points \(huge)")
            expectProblem(
                try await app.admin(
                    "PUT", "/v1/norms/2023", json: ["code": "2023", "appliesFrom": "2023-04-01", "minTotalPoints": huge, "categories": []]),
                400,
                "minTotalPoints \(huge)")
        }
        #expect(try await app.call("GET", "/healthz").status == 200)
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(["providerId": UUID().uuidString])), 403,
            "another provider")
        #expect(try await app.registerRows("courses WHERE provider_id = '\(providerId)'") == 0)
        let code = "RE-\(UUID().uuidString.prefix(8))"
        #expect(try await app.call("POST", "/v1/courses", token: provider, json: with(["externalId": code])).status == 201)
        expectProblem(
            try await app.call("POST", "/v1/courses", token: provider, json: with(["externalId": code])), 409, "duplicate externalId")
        let course = try await app.course(provider, lines: [("2023", "D", nil, 1)])
        expectProblem(
            try await app.call("PATCH", "/v1/courses/\(course)", token: provider, json: ["format": "webinar"]), 400, field: "format",
            "patch format")
        expectProblem(
            try await app.call("PATCH", "/v1/courses/\(UUID().uuidString)", token: provider, json: ["title": "x"]), 404, "unknown course")

        let p = try await app.practitioner(start: "2023-06-01")
        expectProblem(
            try await app.call(
                "POST", "/v1/accreditations", token: provider,
                json: ["courseId": course, "registrationNumber": p.number, "completedOn": "2024-02-30"]), 400,
            field: "completedOn", "impossible date")
        expectProblem(
            try await app.call(
                "POST", "/v1/accreditations", token: provider,
                json: ["courseId": "x", "registrationNumber": p.number, "completedOn": "2024-02-01"]), 400,
            field: "courseId", "bad course id")
        expectProblem(
            try await app.call("POST", "/v1/accreditations", token: provider, json: ["courseId": course, "completedOn": "2024-02-01"]), 400,
            field: "registrationNumber", "missing number")
        expectProblem(
            try await app.call(
                "POST", "/v1/accreditations", token: provider,
                json: ["courseId": UUID().uuidString, "registrationNumber": p.number, "completedOn": "2024-02-01"]), 404,
            "unknown course")
        expectProblem(
            try await app.call(
                "POST", "/v1/accreditations", token: provider,
                json: ["courseId": course, "registrationNumber": "KCKZ-00000001", "completedOn": "2024-02-01"]), 404,
            "unknown practitioner")
        expectProblem(
            try await app.call("POST", "/v1/accreditations", token: provider, json: ["items": []]), 400, field: "items", "empty batch")
        let nulls = try await app.call(
            "POST", "/v1/accreditations", token: provider,
            json: [
                "items": [
                    ["courseId": course, "registrationNumber": NSNull(), "completedOn": "2024-02-01"],
                    ["courseId": 12, "registrationNumber": p.number, "completedOn": "2024-02-01"], 42,
                ]
            ])
        let nullResults = (try nulls.object()["results"] as? [[String: Any]]) ?? []
        #expect(nullResults.map { $0["status"] as? Int } == [400, 400, 400])
        let tooMany = Array(repeating: ["courseId": course, "registrationNumber": p.number, "completedOn": "2024-02-01"], count: 10_001)
        expectProblem(
            try await app.call("POST", "/v1/accreditations", token: provider, json: ["items": tooMany]), 400, field: "items", "too many")
        expectProblem(
            try await app.call("POST", "/v1/accreditations?dryRun=maybe", token: provider, json: ["items": []]), 400, field: "dryRun",
            "dryRun")
        let broken = try await app.client.request(
            "POST", "/v1/accreditations", headers: [("Authorization", "Bearer \(provider)"), ("Content-Type", "application/json")],
            body: Array(#"{"items": [}"#.utf8))
        expectProblem(broken, 400, "broken JSON")
        #expect(try await app.registerRows("accreditations WHERE practitioner_id = '\(p.id)'") == 0)
        expectProblem(
            try await app.call("DELETE", "/v1/accreditations/\(UUID().uuidString)", token: provider), 404, "unknown accreditation")

        expectProblem(
            try await app.admin(
                "PUT", "/v1/norms/2023", json: ["code": "2024", "appliesFrom": "2024-01-01", "minTotalPoints": 40, "categories": []]), 400,
            field: "code", "code mismatch")
        let invalid = try await app.admin(
            "PUT", "/v1/norms/2099",
            json: [
                "code": "2099", "appliesFrom": "2099-01-01", "minTotalPoints": 40,
                "categories": [
                    ["code": "A", "name": "Een", "minPoints": 10], ["code": "A", "name": "", "minPoints": 10],
                ],
            ])
        expectProblem(invalid, 400, field: "categories[1].code", "duplicate category")
        expectProblem(
            try await app.call("POST", "/v1/register/lookups", token: provider, json: ["items": []]), 400, field: "items", "empty lookup")
        #expect(try await app.call("GET", "/v1/norms/2099").status == 404)
    }
}
