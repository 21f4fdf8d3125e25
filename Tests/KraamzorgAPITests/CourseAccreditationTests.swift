import Foundation
import PostgresClient
import Testing
import TestSupport

/// Course accreditation is the register's decision (DOMAIN §3a, API.md "Additions (second round)"): a provider
/// applies, register staff accredit (lines as approved) or refuse; only accredited courses are in the agenda and
/// receive pushes; a booked completion keeps the points of the version it was booked under.
@Suite struct CourseAccreditationTests {
    static func body(_ title: String, start: String = "2023-01-01", lines: [[String: Any]]) -> [String: Any] {
        ["title": title, "format": "classroom", "startDate": start, "accreditations": lines]
    }

    static func codes(_ problem: [String: Any]?) -> [String] {
        ((problem?["errors"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }

    static func history(_ course: [String: Any]) -> [[String: Any]] { course["accreditationStatus"] as? [[String: Any]] ?? [] }

    static func points(_ lines: Any?) -> [Double] {
        ((lines as? [[String: Any]]) ?? []).compactMap { ($0["points"] as? NSNumber)?.doubleValue }
    }

    @Test func aProvidersCourseIsAnApplicationUntilTheRegisterAccreditsIt() async throws {
        let app = try await TestApp.shared.value
        let (providerId, provider) = try await app.provider()
        let email = try #require(
            (try await app.call("GET", "/v1/me", token: provider).object()["user"] as? [String: Any])?["email"] as? String)
        let title = "Kunstvoeding \(UUID().uuidString.prefix(8))"
        let created = try await app.call(
            "POST", "/v1/courses", token: provider,
            json: Self.body(title, lines: [["norm": "2023", "category": "B", "subject": "borstvoeding", "points": 3]]))
        #expect(created.status == 201, "\(created.text)")
        let course = try created.object()
        let id = try #require(course["id"] as? String)
        #expect(course["status"] as? String == "pending")
        let applied = Self.history(course)
        #expect(applied.count == 1 && applied[0]["version"] as? Int == 1 && applied[0]["status"] as? String == "pending")
        #expect(applied[0]["decidedAt"] == nil && Self.points(applied[0]["lines"]) == [3])

        // Not in the public agenda; the owner and staff see it as pending; anonymous callers may not ask.
        func listed(_ query: String, token: String? = nil) async throws -> [String] {
            let r = try await app.call("GET", "/v1/courses?\(query)", token: token)
            #expect(r.status == 200, "\(query): \(r.text)")
            return try app.items(r).compactMap { $0["id"] as? String }
        }
        #expect(try await listed("providerId=\(providerId)").isEmpty)
        #expect(try await listed("status=accredited&providerId=\(providerId)").isEmpty)
        #expect(try await listed("status=pending", token: provider) == [id])
        #expect(try await listed("status=pending&limit=200", token: app.adminToken).contains(id))
        #expect(try await app.call("GET", "/v1/courses?status=pending").status == 401)
        let (_, otherProvider) = try await app.provider()
        #expect(try await listed("status=pending", token: otherProvider).isEmpty)
        #expect(try await app.call("GET", "/v1/courses?status=pending&providerId=\(providerId)", token: otherProvider).status == 403)
        #expect(try await app.call("GET", "/v1/courses?status=waiting").status == 400)

        // Pushes are refused with reason code courseNotAccredited: single, batch and dry run.
        let p = try await app.practitioner(start: "2023-06-01")
        let single = try await app.push(provider, course: id, number: p.number, on: "2024-01-01")
        #expect(single.status == 422, "\(single.text)")
        #expect(Self.codes(try single.object()) == ["courseNotAccredited"])
        let item: [String: Any] = ["courseId": id, "registrationNumber": p.number, "completedOn": "2024-01-01"]
        for path in ["/v1/accreditations", "/v1/accreditations?dryRun=true"] {
            let batch = try await app.call("POST", path, token: provider, json: ["items": [item]])
            #expect(batch.status == 200, "\(path): \(batch.text)")
            let result = try #require((try batch.object()["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? Int == 422, "\(path)")
            #expect(Self.codes(result["problem"] as? [String: Any]) == ["courseNotAccredited"], "\(path)")
        }
        #expect(try await app.registerRows("accreditations WHERE course_id = '\(id)'") == 0)

        // Staff accredit it with other points than applied for.
        let review = try await app.admin(
            "POST", "/v1/courses/\(id)/review",
            json: ["decision": "accredit", "accreditations": [["norm": "2023", "category": "B", "subject": "borstvoeding", "points": 2]]])
        #expect(review.status == 200, "\(review.text)")
        let accredited = try review.object()
        #expect(accredited["status"] as? String == "accredited")
        #expect(Self.points(accredited["accreditations"]) == [2])
        let decided = Self.history(accredited)
        #expect(decided.count == 1 && decided[0]["status"] as? String == "accredited" && decided[0]["decidedAt"] is String)
        #expect(try await listed("providerId=\(providerId)") == [id])
        #expect(try await listed("status=pending", token: provider).isEmpty)
        // Nothing awaits a decision any more.
        let again = try await app.admin("POST", "/v1/courses/\(id)/review", json: ["decision": "accredit"])
        #expect(again.status == 409 && again.text.contains("no application awaiting a decision"), "\(again.text)")

        // Now it takes pushes, at the approved points; her dossier counts those.
        let booked = try await app.push(provider, course: id, number: p.number, on: "2024-01-01")
        #expect(booked.status == 201, "\(booked.text)")
        #expect(Self.points(try booked.object()["lines"]) == [2])
        let dossier = try await app.dossier(app.adminToken, p.id, asOf: "2024-06-01")
        #expect((dossier.category("B")?["points"] as? NSNumber)?.doubleValue == 2)

        // The provider is told: an email to its members and an event in its feed (not in another provider's).
        let mail = try app.items(try await app.admin("GET", "/v1/notifications?kind=reviewOutcome&to=\(email)"))
        #expect(mail.count == 1 && (mail.first?["subject"] as? String)?.contains(title) == true, "\(mail)")
        #expect((mail.first?["body"] as? String)?.contains("wijken af van uw aanvraag") == true)
        try await app.eventsSettled()
        let events = try app.items(try await app.call("GET", "/v1/events?limit=500", token: provider))
        let decision = events.first { $0["type"] as? String == "course.accredited" }
        #expect((decision?["data"] as? [String: Any])?["courseId"] as? String == id)
        #expect(decision?["organizationId"] as? String == providerId)
        let others = try app.items(try await app.call("GET", "/v1/events?limit=500", token: otherProvider))
        #expect(!others.contains { ($0["data"] as? [String: Any])?["courseId"] as? String == id })
    }

    @Test func aRefusalSaysWhyAndAChangedApplicationIsPendingAgain() async throws {
        let app = try await TestApp.shared.value
        let (providerId, provider) = try await app.provider()
        let email = try #require(
            (try await app.call("GET", "/v1/me", token: provider).object()["user"] as? [String: Any])?["email"] as? String)
        let id = try await app.course(provider, title: "Yoga", lines: [("2023", "D", nil, 4)], accredit: false)
        let refused = try await app.admin(
            "POST", "/v1/courses/\(id)/review", json: ["decision": "refuse", "reason": "Geen verband met kraamzorg"])
        #expect(refused.status == 200, "\(refused.text)")
        let course = try refused.object()
        #expect(course["status"] as? String == "refused")
        #expect(Self.history(course).first?["reason"] as? String == "Geen verband met kraamzorg")
        #expect(Self.history(course).first?["decidedAt"] is String)
        let p = try await app.practitioner(start: "2023-06-01")
        let push = try await app.push(provider, course: id, number: p.number, on: "2024-01-01")
        #expect(try push.status == 422 && Self.codes(push.object()) == ["courseNotAccredited"], "\(push.text)")
        let mine = try app.items(try await app.call("GET", "/v1/courses?status=refused", token: provider))
        #expect(mine.compactMap { $0["id"] as? String } == [id])
        #expect(try await app.call("GET", "/v1/courses?providerId=\(providerId)").object()["total"] as? Int == 0)
        let mail = try app.items(try await app.admin("GET", "/v1/notifications?kind=reviewOutcome&to=\(email)"))
        #expect((mail.first?["body"] as? String)?.contains("Geen verband met kraamzorg") == true, "\(mail)")
        try await app.eventsSettled()
        let event = try app.items(try await app.call("GET", "/v1/events?limit=500", token: provider)).first {
            $0["type"] as? String == "course.refused"
        }
        #expect((event?["data"] as? [String: Any])?["reason"] as? String == "Geen verband met kraamzorg")

        // New lines are a new application (version 2, pending); the title alone is not.
        let retitled = try await app.call("PATCH", "/v1/courses/\(id)", token: provider, json: ["title": "Yoga voor kraamverzorgenden"])
        #expect(try retitled.object()["status"] as? String == "refused" && Self.history(try retitled.object()).count == 1)
        let reapplied = try await app.call(
            "PATCH", "/v1/courses/\(id)", token: provider, json: ["accreditations": [["norm": "2023", "category": "D", "points": 2]]])
        #expect(reapplied.status == 200, "\(reapplied.text)")
        #expect(try reapplied.object()["status"] as? String == "pending")
        #expect(Self.history(try reapplied.object()).map { $0["status"] as? String } == ["refused", "pending"])
        // A refusal needs a reason (400 naming it); nothing changes.
        let bad = try await app.admin("POST", "/v1/courses/\(id)/review", json: ["decision": "refuse", "reason": "  "])
        #expect(bad.status == 400 && bad.text.contains("\"reason\""), "\(bad.text)")
        #expect(try await app.call("GET", "/v1/courses/\(id)", token: provider).object()["status"] as? String == "pending")
    }

    @Test func reviewBodiesAreValidatedLikeCourses() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let huge = try await app.call(
            "POST", "/v1/courses", token: provider, json: Self.body("Te veel", lines: [["norm": "2023", "category": "A", "points": 500]]))
        #expect(huge.status == 400 && huge.text.contains("accreditations[0].points"), "\(huge.text)")
        let id = try await app.course(provider, lines: [("2023", "D", nil, 4)], accredit: false)
        let cases: [([String: Any], String)] = [
            (["decision": "accredit", "accreditations": [["norm": "2023", "category": "D", "points": 500]]], "accreditations[0].points"),
            (["decision": "accredit", "accreditations": [["norm": "2023", "category": "D", "points": 0.3]]], "accreditations[0].points"),
            (["decision": "accredit", "accreditations": [["norm": "2023", "category": "Z", "points": 1]]], "accreditations[0].category"),
            (["decision": "accredit", "accreditations": [] as [Any]], "accreditations"),
            (["decision": "accredit", "reason": "mooi"], "reason"),
            (["decision": "refuse"], "reason"),
            (
                ["decision": "refuse", "reason": "nee", "accreditations": [["norm": "2023", "category": "D", "points": 1]]],
                "accreditations"
            ),
            (["decision": "approve"], "decision"),
            ([:], "decision"),
        ]
        for (body, field) in cases {
            let r = try await app.admin("POST", "/v1/courses/\(id)/review", json: body)
            let fields = ((try? r.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
            #expect(r.status == 400 && fields.contains(field), "\(body): \(r.status) \(r.text)")
        }
        #expect(try await app.call("GET", "/v1/courses/\(id)", token: provider).object()["status"] as? String == "pending")
        #expect(try await app.admin("POST", "/v1/courses/\(UUID().uuidString)/review", json: ["decision": "accredit"]).status == 404)
        #expect(try await app.admin("POST", "/v1/courses/not-a-uuid/review", json: ["decision": "accredit"]).status == 404)
    }

    @Test func applicationsAreListedOldestFirstInPages() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        // Started later, applied for earlier: the list follows the application, not the start date.
        let first = try await app.course(provider, title: "Eerst", start: "2031-01-01", lines: [("2023", "D", nil, 1)], accredit: false)
        let second = try await app.course(provider, title: "Later", start: "2030-01-01", lines: [("2023", "D", nil, 1)], accredit: false)
        // Amending an application keeps its place.
        let amend = try await app.call(
            "PATCH", "/v1/courses/\(first)", token: provider, json: ["accreditations": [["norm": "2023", "category": "D", "points": 2]]])
        #expect(try amend.status == 200 && Self.history(amend.object()).count == 1, "\(amend.text)")
        let page = try await app.call("GET", "/v1/courses?status=pending&limit=1", token: provider).object()
        #expect((page["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [first] && page["total"] as? Int == 2)
        let cursor = try #require(page["nextCursor"] as? String)
        let next = try await app.call("GET", "/v1/courses?status=pending&limit=1&cursor=\(cursor)", token: provider).object()
        #expect((next["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [second] && next["nextCursor"] is NSNull)
    }

    @Test func anAdminsCourseAndLineChangesAreAccreditedAtOnce() async throws {
        let app = try await TestApp.shared.value
        let (providerId, _) = try await app.provider()
        var body = Self.body("Register-scholing", lines: [["norm": "2023", "category": "C", "points": 1]])
        body["providerId"] = providerId
        let created = try await app.admin("POST", "/v1/courses", json: body)
        #expect(try created.status == 201 && (created.object()["status"] as? String) == "accredited", "\(created.text)")
        let id = try #require(try created.object()["id"] as? String)
        let patched = try await app.admin(
            "PATCH", "/v1/courses/\(id)", json: ["accreditations": [["norm": "2023", "category": "C", "points": 1.5]]])
        #expect(patched.status == 200, "\(patched.text)")
        let course = try patched.object()
        #expect(course["status"] as? String == "accredited" && Self.points(course["accreditations"]) == [1.5])
        #expect(Self.history(course).map { $0["status"] as? String } == ["accredited", "accredited"])
    }
}
