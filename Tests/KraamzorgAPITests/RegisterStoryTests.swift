import Foundation
import KraamzorgRules
import Testing
import TestSupport

/// Norm 2019 courses (with 2023 lines too): together 41 points, every mandatory subject, an annotation in C.
struct Courses2019 {
    let a: String, b: String, c: String

    static func make(_ app: TestApp, _ token: String) async throws -> Courses2019 {
        let a = try await app.course(
            token, title: "Verplichte scholing (2019 A)",
            lines: [
                ("2019", "A", "voeding-verdieping", 3.5), ("2019", "A", "kinder-ehbo", 3.5), ("2019", "A", "reanimatie", 3.5),
                ("2019", "A", "fysiologie-baring", 3.5), ("2019", "A", "fysiologie-kraambed", 3.5), ("2019", "A", "vroegsignalering", 3.5),
                ("2023", "A", "ehbo-theorie", 2),
            ])
        let b = try await app.course(
            token, title: "Scholing op onderwerp (2019 B)", lines: [("2019", "B", nil, 10), ("2023", "C", nil, 4)])
        let c = try await app.course(
            token, title: "Partusassistentie (2019 C)",
            lines: [
                ("2019", "C", "partusassistentie", 10),
                ("2023", "D", "partusassistentie", 8),
            ])
        return Courses2019(a: a, b: b, c: c)
    }

    /// Pushes the three courses on the given dates; every push must be booked.
    func complete(_ app: TestApp, _ token: String, number: String, on dates: [CivilDate]) async throws {
        for (course, date) in zip([a, b, c], dates) {
            let r = try await app.push(token, course: course, number: number, on: date.iso)
            #expect(r.status == 201, "\(r.text)")
        }
    }
}

@Suite struct RegisterStoryTests {
    /// The register's whole cycle, as the issue tells it.
    @Test func theFullStory() async throws {
        let app = try await TestApp.shared.value
        // A course provider and its user.
        let (providerId, provider) = try await app.provider()

        // Courses for both norms (norm 2023 lines complete a dossier; 2019 lines ride along).
        let acute = try await app.course(
            provider, title: "Acute situaties en kinder-EHBO", externalId: "ACU-\(UUID().uuidString.prefix(6))",
            lines: [
                ("2023", "A", "ehbo-theorie", 1), ("2023", "A", "ehbo-praktijk", 1), ("2023", "A", "reanimatie-theorie", 1),
                ("2023", "A", "reanimatie-praktijk", 1), ("2023", "A", "acute-situaties-theorie", 1),
                ("2023", "A", "acute-situaties-praktijk", 1),
                ("2019", "A", "kinder-ehbo", 3),
            ])
        let feeding = try await app.course(
            provider, title: "Borstvoeding en voorlichting",
            lines: [
                ("2023", "B", "borstvoeding", 1.5), ("2023", "B", "verdieping-kraamzorg", 1.5), ("2023", "B", "risicovolle-situaties", 1.5),
                ("2023", "B", "voorlichting-instructie", 1.5), ("2019", "A", "voeding-verdieping", 3),
            ])
        var general: [String] = []
        for i in 1...3 {
            general.append(
                try await app.course(
                    provider, title: "Ondersteunende vakkennis \(i)", lines: [("2023", "C", nil, 3), ("2019", "C", nil, 3)]))
        }
        let partus = try await app.course(
            provider, title: "Verdieping partusassistentie",
            lines: [
                ("2023", "D", "partusassistentie", 8), ("2019", "C", "partusassistentie", 8),
            ])
        // An upcoming agenda course the dossier can suggest.
        let upcoming = try await app.course(
            provider, title: "Kinder-EHBO herhaling (agenda)", start: Day.today.adding(days: 30).iso,
            lines: [("2023", "A", "ehbo-theorie", 2), ("2023", "A", "ehbo-praktijk", 2)])

        // Admin registers Anna: period from 2023-06-01 → norm 2023, ends 2027-05-31, with a certificate.
        let created = try await app.admin(
            "POST", "/v1/practitioners",
            json: [
                "firstName": "Anna", "lastName": "de Vries", "email": "anna.\(UUID().uuidString.prefix(8))@example.nl",
                "dateOfBirth": "1995-03-14", "periodStart": "2023-06-01", "diplomaObtainedOn": "2023-02-15",
            ])
        #expect(created.status == 201, "\(created.text)")
        let anna = try created.object()
        let annaId = try #require(anna["id"] as? String)
        let number = try #require(anna["registrationNumber"] as? String)
        #expect(number.hasPrefix("KCKZ-2") && number.count == 11)
        #expect(created.header("Location") == "/v1/practitioners/\(annaId)")
        let period = try #require(anna["currentPeriod"] as? [String: Any])
        #expect(period["norm"] as? String == "2023")
        #expect(period["startDate"] as? String == "2023-06-01")
        #expect(period["endDate"] as? String == "2027-05-31")
        let periodId = try #require(period["id"] as? String)
        let certificate = try #require(anna["certificate"] as? [String: Any])
        #expect(certificate["validUntil"] as? String == "2027-05-31")
        let herself = try await app.practitionerLogin(annaId)

        // Red everywhere, with suggestions from the agenda.
        var dossier = try await app.dossier(herself, annaId)
        #expect(dossier["complete"] as? Bool == false)
        #expect(dossier["norm"] as? String == "2023" && dossier["periodId"] as? String == periodId)
        var needs = dossier.needs.count
        let aNeeds = dossier.needs.filter { $0["category"] as? String == "A" }
        #expect(aNeeds.contains { (($0["suggestedCourses"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == upcoming } })

        // Category by category to green; `needs` shrinks each time.
        func pushAll(_ pushes: [(String, String)]) async throws {
            for (course, date) in pushes {
                let r = try await app.push(provider, course: course, number: number, on: date)
                #expect(r.status == 201, "\(r.text)")
            }
        }
        try await pushAll([(acute, "2023-09-01"), (acute, "2024-09-01")])
        dossier = try await app.dossier(herself, annaId)
        #expect(dossier.category("A")?["met"] as? Bool == true)
        #expect(dossier.category("B")?["met"] as? Bool == false)
        #expect(dossier.needs.count < needs); needs = dossier.needs.count

        try await pushAll([(feeding, "2024-02-01"), (feeding, "2025-02-01")])
        dossier = try await app.dossier(herself, annaId)
        #expect(dossier.category("B")?["met"] as? Bool == true)
        #expect(dossier.needs.count < needs); needs = dossier.needs.count

        try await pushAll([(general[0], "2025-03-01"), (general[1], "2025-04-01")])
        dossier = try await app.dossier(herself, annaId)
        let c = try #require(dossier.category("C"))
        #expect(c["pointsMet"] as? Bool == false && c["distinctCourses"] as? Int == 2 && c["met"] as? Bool == false)
        try await pushAll([(general[2], "2025-05-01")])
        dossier = try await app.dossier(herself, annaId)
        #expect(dossier.category("C")?["met"] as? Bool == true)
        #expect(dossier.needs.count < needs); needs = dossier.needs.count

        try await pushAll([(partus, "2025-06-01")])
        dossier = try await app.dossier(herself, annaId)
        #expect(dossier.category("D")?["met"] as? Bool == true)
        #expect(dossier["totalPoints"] as? Double == 41)
        #expect((dossier["annotations"] as? [String]) == ["Verdieping partusassistentie"])
        // Only the EHBO certificate is still missing.
        #expect(dossier.needs.map { $0["kind"] as? String } == ["ehboCertificate"])
        #expect(dossier["complete"] as? Bool == false)

        // EHBO: metadata, file (checked by content), review.
        let ehbo = try await app.call(
            "POST", "/v1/practitioners/\(annaId)/ehbo-certificates", token: herself,
            json: ["obtainedOn": "2023-05-01", "validUntil": "2027-12-31"])
        #expect(ehbo.status == 201)
        #expect(try ehbo.object()["status"] as? String == "awaitingFile")
        let ehboId = try #require(try ehbo.object()["id"] as? String)
        let file = try await app.upload(
            "PUT", "/v1/ehbo-certificates/\(ehboId)/file", token: herself, contentType: "image/png", bytes: Files.png)
        #expect(try file.status == 200 && file.object()["status"] as? String == "pendingReview")
        dossier = try await app.dossier(herself, annaId)
        #expect((dossier["ehbo"] as? [String: Any])?["status"] as? String == "pendingReview")
        let download = try await app.call("GET", "/v1/ehbo-certificates/\(ehboId)/file", token: app.adminToken)
        #expect(download.status == 200 && download.body == Files.png && download.header("Content-Type") == "image/png")
        let approved = try await app.admin("POST", "/v1/ehbo-certificates/\(ehboId)/review", json: ["decision": "approve"])
        #expect(approved.status == 200)
        dossier = try await app.dossier(herself, annaId)
        #expect((dossier["ehbo"] as? [String: Any])?["status"] as? String == "coversPeriod")
        #expect(dossier["complete"] as? Bool == true)
        #expect(dossier.needs.isEmpty)

        // Complete, but the window opens on 2027-02-28: refused with that reason.
        let early = try await app.call("POST", "/v1/practitioners/\(annaId)/periods/\(periodId)/submission", token: herself)
        #expect(early.status == 422)
        let reasons = (try early.object()["errors"] as? [[String: Any]]) ?? []
        #expect(reasons.map { $0["field"] as? String } == ["windowNotOpen"])
        #expect(early.text.contains("2027-02-28"))

        // Cara's period ended a month ago (norm 2019); her dossier is complete over its own dates: retroactive submission.
        let start = Day.today.adding(months: -1).adding(years: -4)
        let cara = try await app.practitioner(start: start.iso, first: "Cara")
        let caraLogin = try await app.practitionerLogin(cara.id)
        let caraPeriod = try #require((cara.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let courses = try await Courses2019.make(app, provider)
        try await courses.complete(
            app, provider, number: cara.number, on: [start.adding(days: 10), start.adding(days: 20), start.adding(days: 30)])
        let caraDossier = try await app.dossier(caraLogin, cara.id, period: caraPeriod)
        #expect(caraDossier["complete"] as? Bool == true, "\(caraDossier.needs)")
        let submitted = try await app.call("POST", "/v1/practitioners/\(cara.id)/periods/\(caraPeriod)/submission", token: caraLogin)
        #expect(submitted.status == 201, "\(submitted.text)")
        let next = try #require(try submitted.object()["nextPeriod"] as? [String: Any])
        let nextId = try #require(next["id"] as? String)
        #expect(next["status"] as? String == "upcoming")
        #expect(next["norm"] as? String == "2023")  // the norm in force on the submission day
        #expect(next["startDate"] as? String == start.adding(years: 4).iso)

        // A course followed after the end counts in the upcoming period.
        let after = try await app.push(provider, course: acute, number: cara.number, on: Day.today.adding(days: -1).iso)
        #expect(after.status == 201, "\(after.text)")
        #expect(try after.object()["periodId"] as? String == nextId)
        #expect(try after.object()["norm"] as? String == "2023")

        // Approval: the next period becomes the registered one, with a certificate and the annotation earned.
        let review = try await app.admin(
            "POST", "/v1/practitioners/\(cara.number.lowercased())/periods/\(caraPeriod)/review", json: ["decision": "approve"])
        #expect(review.status == 200, "\(review.text)")
        let reviewed = try review.object()
        #expect((reviewed["period"] as? [String: Any])?["status"] as? String == "approved")
        #expect((reviewed["nextPeriod"] as? [String: Any])?["status"] as? String == "active")
        let newCertificate = try #require(reviewed["certificate"] as? [String: Any])
        #expect(newCertificate["annotations"] as? [String] == ["Verdieping partusassistentie"])
        let code = try #require(newCertificate["verificationCode"] as? String)

        // The public lookup and the certificate verification agree.
        let lookup = try await app.call("GET", "/v1/register/%20\(cara.number.lowercased())%20").object()
        let verification = try await app.call("GET", "/v1/certificates/\(code)").object()
        #expect(lookup["registered"] as? Bool == true)
        #expect(verification["valid"] as? Bool == true)
        #expect(lookup["validUntil"] as? String == verification["validUntil"] as? String)
        #expect(lookup["validUntil"] as? String == next["effectiveEndDate"] as? String)
        #expect(lookup["annotations"] as? [String] == verification["annotations"] as? [String])
        #expect(lookup["name"] as? String == verification["name"] as? String)
        #expect(Set(lookup.keys) == ["registrationNumber", "name", "registered", "standing", "validUntil", "annotations"])
        #expect(lookup["standing"] as? String == "registered" && verification["standing"] as? String == "registered")

        // Anna's lookup shows she is registered, and the provider sees its pushes.
        let annaLookup = try await app.call("GET", "/v1/register/\(number)").object()
        #expect(annaLookup["registered"] as? Bool == true && annaLookup["validUntil"] as? String == "2027-05-31")
        let listed = try await app.call("GET", "/v1/accreditations?registrationNumber=\(number)", token: provider).object()
        #expect(listed["total"] as? Int == 8)
        _ = providerId
    }

    /// Inside the window an incomplete dossier is refused with every red item; complete, it is accepted.
    @Test func submissionInsideTheWindow() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let start = Day.today.adding(months: 2).adding(years: -4)
        let bea = try await app.practitioner(start: start.iso, first: "Bea")
        let periodId = try #require((bea.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let courses = try await Courses2019.make(app, provider)
        _ = try await app.push(provider, course: courses.a, number: bea.number, on: start.adding(days: 5).iso)

        let refused = try await app.admin("POST", "/v1/practitioners/\(bea.id)/periods/\(periodId)/submission")
        #expect(refused.status == 422)
        let fields = ((try refused.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
        #expect(!fields.contains("windowNotOpen"))
        #expect(fields.contains("categoryPointsShort") && fields.contains("totalPointsShort"))
        #expect(try await app.registerRows("registration_periods WHERE practitioner_id = '\(bea.id)'") == 1)

        _ = try await app.push(provider, course: courses.b, number: bea.number, on: start.adding(days: 6).iso)
        _ = try await app.push(provider, course: courses.c, number: bea.number, on: start.adding(days: 7).iso)
        let accepted = try await app.admin("POST", "/v1/practitioners/\(bea.id)/periods/\(periodId)/submission")
        #expect(accepted.status == 201, "\(accepted.text)")
        #expect((try accepted.object()["period"] as? [String: Any])?["status"] as? String == "submitted")
        // Submitting again is refused (the period is submitted).
        #expect(try await app.admin("POST", "/v1/practitioners/\(bea.id)/periods/\(periodId)/submission").status == 422)
        // Ask for information: she may submit again, and the same upcoming period is kept.
        let info = try await app.admin(
            "POST", "/v1/practitioners/\(bea.id)/periods/\(periodId)/review",
            json: ["decision": "requestInfo", "message": "Stuur de werkgeversverklaring mee."])
        #expect(try info.status == 200 && (info.object()["period"] as? [String: Any])?["status"] as? String == "infoRequested")
        #expect(try await app.admin("POST", "/v1/practitioners/\(bea.id)/periods/\(periodId)/submission").status == 201)
        #expect(try await app.registerRows("registration_periods WHERE practitioner_id = '\(bea.id)'") == 2)
    }

    /// A batch push and the approval of the same period do not interleave: every completion booked into the
    /// period was booked before the approval, and pushes after it are refused (the period is closed).
    @Test func aBatchAndAReviewOfTheSamePeriodDoNotInterleave() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let start = Day.today.adding(months: 2).adding(years: -4)
        let p = try await app.practitioner(start: start.iso, first: "Fenna")
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let courses = try await Courses2019.make(app, provider)
        try await courses.complete(
            app, provider, number: p.number, on: [start.adding(days: 1), start.adding(days: 2), start.adding(days: 3)])
        #expect(try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(periodId)/submission").status == 201)

        let items: [[String: Any]] = (10..<510).map {
            ["courseId": courses.b, "registrationNumber": p.number, "completedOn": start.adding(days: $0).iso]
        }
        let body: [String: Any] = ["items": items]
        let id = p.id, token = provider
        async let pushed = app.call("POST", "/v1/accreditations", token: token, json: body)
        async let reviewed = app.admin("POST", "/v1/practitioners/\(id)/periods/\(periodId)/review", json: ["decision": "approve"])
        let (push, review) = try await (pushed, reviewed)
        #expect(push.status == 200 && review.status == 200)
        let statuses = Set(((try push.object()["results"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? Int })
        #expect(statuses == [201] || statuses == [422], "all booked before the approval, or all refused after it: \(statuses)")
        // Nothing booked into the period after it was approved.
        #expect(
            try await app.registerRows(
                """
                accreditations a JOIN reviews r ON r.period_id = '\(periodId)'
                WHERE a.practitioner_id = '\(id)' AND a.recorded_at > r.reviewed_at
                """) == 0)
    }
}
