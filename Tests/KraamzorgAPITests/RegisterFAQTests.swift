import Foundation
import KraamzorgRules
import Testing
import TestSupport

/// The register FAQ (seed 000), end to end over HTTP.
@Suite struct RegisterFAQTests {
    /// "Ik heb meer dan 40 punten maar mijn dossier is niet compleet": points in one category do not make up another.
    @Test func moreThan40PointsYetIncomplete() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        // A line is worth at most 40 points (API.md, second round): 40 + 5 in category C from two courses.
        let big = try await app.course(provider, title: "Grote congresdag", lines: [("2023", "C", nil, 40)])
        let small = try await app.course(provider, title: "Avondsymposium", lines: [("2023", "C", nil, 5)])
        #expect(try await app.push(provider, course: big, number: p.number, on: "2024-03-01").status == 201)
        #expect(try await app.push(provider, course: small, number: p.number, on: "2024-03-02").status == 201)
        let d = try await app.dossier(app.adminToken, p.id)
        #expect(d["totalPoints"] as? Double == 45)
        #expect(d["complete"] as? Bool == false)
        #expect(d.category("A")?["met"] as? Bool == false)
        #expect(d.category("C")?["pointsMet"] as? Bool == true && d.category("C")?["met"] as? Bool == false)  // two courses, 3 needed
        #expect(!d.needs.contains { $0["kind"] as? String == "totalPoints" })
    }

    /// Norm 2023: child first aid (theory and practice) and breastfeeding must each be followed twice.
    @Test func ehboAndBreastfeedingTwice() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        let course = try await app.course(
            provider, title: "EHBO en borstvoeding",
            lines: [
                ("2023", "A", "ehbo-theorie", 1), ("2023", "A", "ehbo-praktijk", 1), ("2023", "B", "borstvoeding", 1),
            ])
        func status(_ d: [String: Any], _ category: String, _ subject: String) -> String? {
            ((d.category(category)?["subjects"] as? [[String: Any]]) ?? []).first { $0["code"] as? String == subject }?["status"] as? String
        }
        #expect(try await app.push(provider, course: course, number: p.number, on: "2024-01-10").status == 201)
        var d = try await app.dossier(app.adminToken, p.id)
        #expect(status(d, "A", "ehbo-theorie") == "nogTeDoen" && status(d, "B", "borstvoeding") == "nogTeDoen")
        #expect(try await app.push(provider, course: course, number: p.number, on: "2025-01-10").status == 201)
        d = try await app.dossier(app.adminToken, p.id)
        #expect(
            status(d, "A", "ehbo-theorie") == "akkoord" && status(d, "A", "ehbo-praktijk") == "akkoord"
                && status(d, "B", "borstvoeding") == "akkoord")
    }

    /// The same completion pushed again never adds points twice, also when two pushes race.
    @Test func duplicatePushesAreIdempotent() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        let course = try await app.course(provider, lines: [("2023", "D", nil, 4)])
        let first = try await app.push(provider, course: course, number: p.number, on: "2024-05-05")
        let again = try await app.push(provider, course: course, number: p.number.lowercased(), on: "2024-05-05")
        #expect(first.status == 201 && again.status == 200)
        #expect(try first.object()["id"] as? String == again.object()["id"] as? String)
        #expect(first.header("Location") != nil)

        // Two simultaneous pushes of a new completion: booked once.
        let number = p.number
        async let a = app.push(provider, course: course, number: number, on: "2024-06-06")
        async let b = app.push(provider, course: course, number: number, on: "2024-06-06")
        let statuses = try await [a.status, b.status].sorted()
        #expect(statuses == [200, 201])
        #expect(try await app.registerRows("accreditations WHERE practitioner_id = '\(p.id)'") == 2)
        let d = try await app.dossier(app.adminToken, p.id)
        #expect(d.category("D")?["points"] as? Double == 8)
    }

    /// Completions count in the period in force on their date; nothing before the start, nothing in the future.
    @Test func countingInThePeriodInForce() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        let course = try await app.course(provider, lines: [("2023", "D", nil, 2), ("2019", "C", nil, 2)])
        #expect(try await app.push(provider, course: course, number: p.number, on: "2024-02-02").status == 201)
        let before = try await app.push(provider, course: course, number: p.number, on: "2023-05-31")
        #expect(before.status == 422 && before.text.contains("covers 2023-05-31"))
        let future = try await app.push(provider, course: course, number: p.number, on: Day.today.adding(days: 1).iso)
        #expect(future.status == 422 && future.text.contains("future"))
        // Only 2019 lines: the period's norm is 2023.
        let old = try await app.course(provider, lines: [("2019", "A", "reanimatie", 2)])
        let wrongNorm = try await app.push(provider, course: old, number: p.number, on: "2024-02-02")
        #expect(wrongNorm.status == 422 && wrongNorm.text.contains("norm 2023"))
        // As of a date before the completion, it is not counted yet.
        #expect(try await app.dossier(app.adminToken, p.id, asOf: "2024-02-01").category("D")?["points"] as? Double == 0)
        #expect(try await app.dossier(app.adminToken, p.id, asOf: "2024-02-02").category("D")?["points"] as? Double == 2)
        #expect(try await app.registerRows("accreditations WHERE practitioner_id = '\(p.id)'") == 1)
    }

    /// A push more than 3 weeks after the course is accepted but marked late, and the provider shows in the report.
    @Test func latePushFlaggedAndReported() async throws {
        let app = try await TestApp.shared.value
        let (providerId, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        let course = try await app.course(provider, lines: [("2023", "D", nil, 1)])
        let late = try await app.push(provider, course: course, number: p.number, on: Day.today.adding(days: -30).iso)
        let onTime = try await app.push(provider, course: course, number: p.number, on: Day.today.adding(days: -5).iso)
        #expect(try late.object()["late"] as? Bool == true)
        #expect(try onTime.object()["late"] as? Bool == false)
        let lateOnly = try await app.call("GET", "/v1/accreditations?late=true", token: provider).object()
        #expect(lateOnly["total"] as? Int == 1)
        let report = try await app.admin("GET", "/v1/reports/late-providers").object()
        let row = (report["items"] as? [[String: String]])?.first { $0["providerId"] == providerId }
        #expect(row?["latePushes"] == "1" && row?["totalPushes"] == "2")
        let csv = try await app.call("GET", "/v1/reports/late-providers", token: app.adminToken, headers: [("Accept", "text/csv")])
        #expect(csv.status == 200 && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(csv.text.hasPrefix("providerId,providerName,latePushes,totalPushes,lastPush\r\n") && csv.text.contains(providerId))
    }

    /// After the end, an incomplete dossier is refused (no window reason: it is open) and shows as expired.
    @Test func retroactiveSubmissionAfterTheEnd() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let start = Day.today.adding(months: -2).adding(years: -4)
        let p = try await app.practitioner(start: start.iso)
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let periods = try await app.admin("GET", "/v1/practitioners/\(p.id)/periods").object()
        #expect(((periods["items"] as? [[String: Any]])?.first?["status"] as? String) == "expired")
        let refused = try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/submission")
        #expect(refused.status == 422)
        #expect(!refused.text.contains("windowNotOpen"))
        let report = try await app.admin("GET", "/v1/reports/expired-unsubmitted").object()
        #expect(((report["items"] as? [[String: String]]) ?? []).contains { $0["periodId"] == periodId })

        let courses = try await Courses2019.make(app, provider)
        try await courses.complete(
            app, provider, number: p.number, on: [start.adding(days: 1), start.adding(days: 2), start.adding(days: 3)])
        let accepted = try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/submission")
        #expect(accepted.status == 201, "\(accepted.text)")
        let report2 = try await app.admin("GET", "/v1/reports/expired-unsubmitted").object()
        #expect(!((report2["items"] as? [[String: String]]) ?? []).contains { $0["periodId"] == periodId })
    }

    /// Extension beyond 3 months with special circumstances: the practitioner asks and uploads evidence, the admin approves.
    @Test func extensionRequestWithEvidenceApproved() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        let herself = try await app.practitionerLogin(p.id)
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let asked = try await app.call(
            "POST", "/v1/practitioners/\(p.id)/period-requests", token: herself,
            json: [
                "kind": "extension", "periodId": periodId, "until": "2027-11-30", "reason": "Langdurig ziek geweest",
                "specialCircumstances": true,
            ])
        #expect(asked.status == 201, "\(asked.text)")
        #expect(try asked.object()["status"] as? String == "open")
        let requestId = try #require(try asked.object()["id"] as? String)

        // Without evidence the approval is refused by the rule, and nothing changes.
        let early = try await app.admin(
            "POST", "/v1/period-requests/\(requestId)/decision", json: ["decision": "approve", "message": "ok"])
        #expect(early.status == 422 && early.text.contains("evidence"))

        // Evidence: checked by content and size.
        let wrong = try await app.upload(
            "PUT", "/v1/period-requests/\(requestId)/evidence", token: herself, contentType: "application/pdf", bytes: Files.png)
        #expect(wrong.status == 400 && wrong.header("Content-Type") == "application/problem+json")
        #expect(
            try await app.oversized(
                "PUT", "/v1/period-requests/\(requestId)/evidence", token: herself, contentType: "application/pdf",
                length: 10 * 1024 * 1024 + 1) == 413)
        let ok = try await app.upload(
            "PUT", "/v1/period-requests/\(requestId)/evidence", token: herself, contentType: "application/pdf", bytes: Files.pdf)
        #expect(ok.status == 200)

        let open = try await app.admin("GET", "/v1/period-requests?status=open").object()
        #expect(((open["items"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == requestId })
        let approved = try await app.admin(
            "POST", "/v1/period-requests/\(requestId)/decision",
            json: ["decision": "approve", "message": "Medische verklaring ontvangen"])
        #expect(try approved.status == 200 && (approved.object()["status"] as? String) == "approved")
        let periods = try await app.call("GET", "/v1/practitioners/\(p.id)/periods", token: herself).object()
        let period = try #require((periods["items"] as? [[String: Any]])?.first)
        #expect(period["endDate"] as? String == "2027-05-31" && period["effectiveEndDate"] as? String == "2027-11-30")
        let changes = (period["changes"] as? [[String: Any]]) ?? []
        #expect(changes.count == 1 && changes.first?["reason"] as? String == "Langdurig ziek geweest" && changes.first?["changedBy"] != nil)
        // The dossier follows the new end.
        #expect(try await app.dossier(herself, p.id)["effectiveEndDate"] as? String == "2027-11-30")
        // Decided once.
        #expect(
            try await app.admin("POST", "/v1/period-requests/\(requestId)/decision", json: ["decision": "reject", "message": "x"]).status
                == 409)
    }

    /// A provider withdraws its completion (kept, not counted); pushing it again restores it.
    @Test func withdrawAndRestore() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        let course = try await app.course(provider, lines: [("2023", "D", nil, 3)])
        let pushed = try await app.push(provider, course: course, number: p.number, on: "2024-04-04")
        let id = try #require(try pushed.object()["id"] as? String)
        let withdrawn = try await app.call("DELETE", "/v1/accreditations/\(id)", token: provider)
        #expect(try withdrawn.status == 200 && (withdrawn.object()["withdrawn"] as? Bool) == true)
        #expect(try await app.dossier(app.adminToken, p.id).category("D")?["points"] as? Double == 0)
        #expect(
            try await app.registerRows("accreditations WHERE id = '\(id)' AND withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL") == 1)
        let restored = try await app.push(provider, course: course, number: p.number, on: "2024-04-04")
        #expect(
            try restored.status == 200 && (restored.object()["withdrawn"] as? Bool) == false && (restored.object()["id"] as? String) == id)
        #expect(try await app.dossier(app.adminToken, p.id).category("D")?["points"] as? Double == 3)
    }

    /// Registration numbers in any case and with stray spaces; strike-off ends the registration from its date.
    @Test func lookupsForgiveCaseAndSpacesAndFollowStrikeOff() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        let lower = try await app.call("GET", "/v1/register/%20%20\(p.number.lowercased())%20")
        #expect(try lower.status == 200 && (lower.object()["registrationNumber"] as? String) == p.number)
        #expect(try await app.admin("GET", "/v1/practitioners/\(p.number.lowercased())").status == 200)
        #expect(try await app.call("GET", "/v1/register/KCKZ-0000000").status == 404)
        #expect(try await app.call("GET", "/v1/register/\(p.number)?on=2023-05-31").object()["registered"] as? Bool == false)
        #expect(try await app.call("GET", "/v1/register/\(p.number)?on=2021-02-30").status == 400)

        let struck = try await app.admin(
            "POST", "/v1/practitioners/\(p.id)/strike-off", json: ["on": "2025-01-01", "reason": "Tuchtrechtelijke maatregel"])
        #expect(try struck.status == 200 && (struck.object()["status"] as? String) == "struckOff")
        #expect(try await app.call("GET", "/v1/register/\(p.number)?on=2024-12-31").object()["registered"] as? Bool == true)
        #expect(try await app.call("GET", "/v1/register/\(p.number)").object()["registered"] as? Bool == false)
        let listed = try await app.admin("GET", "/v1/practitioners?status=struckOff&q=\(p.number)").object()
        #expect(listed["total"] as? Int == 1)

        let batch = try await app.call(
            "POST", "/v1/register/lookups", token: app.adminToken,
            json: [
                "items": [
                    ["registrationNumber": " \(p.number.lowercased()) ", "on": "2024-06-01"], ["registrationNumber": "KCKZ-0000001"],
                    ["registrationNumber": p.number],
                ]
            ])
        let results = try #require(try batch.object()["results"] as? [[String: Any]])
        #expect(results.map { $0["registered"] as? Bool } == [true, false, false])
        #expect(results.map { $0["found"] as? Bool } == [true, false, true])
    }

    /// Admin advances the next period: this one ends earlier, and the change is recorded.
    @Test func advanceAppliedDirectly() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let tooEarly = try await app.admin(
            "POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/advance", json: ["nextStart": "2027-01-01", "reason": "x"])
        #expect(tooEarly.status == 422 && tooEarly.text.contains("2027-03-01"))
        let r = try await app.admin(
            "POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/advance",
            json: ["nextStart": "2027-03-01", "reason": "Eerder herregistreren"])
        #expect(r.status == 200, "\(r.text)")
        #expect((try r.object()["period"] as? [String: Any])?["effectiveEndDate"] as? String == "2027-02-28")
    }
}
