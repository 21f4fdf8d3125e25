import Foundation
import Hashing
import HTTPServer
import KraamzorgAPI
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import Logging
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// The day the standing suite's service lives on: the test moves it (the injected `DutchClock`), nothing sleeps.
final class SettableDay: Sendable {
    private let day = Mutex(CivilDate(2040, 1, 1))
    func set(_ d: CivilDate) { day.withLock { $0 = d } }
    var clock: DutchClock {
        DutchClock(now: { [self] in DutchTime.startOfDay(self.day.withLock { $0 }).addingTimeInterval(12 * 3600) })
    }
}

/// A second service on the shared test database whose clock the suite sets. Each test lives in a decade of its
/// own (2040s, 2050s, 2060s), far from the other suites' periods (which are around today), so the public
/// statistics on its days count its practitioners only.
struct StandingApp: Sendable {
    let app: TestApp
    let day: SettableDay

    static let shared = Task<StandingApp, any Error> {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else { throw TestAppError.noDatabase }
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 4
        let pool = PostgresPool(configuration: configuration)
        try await TestApp.migrate(pool, url: url)
        let adminToken = SecretToken.generate()
        try await IdentityStore(pool: pool).bootstrapAdmin(tokenHash: SecretToken.hash(adminToken))
        let logger = Logger(level: .warn)
        let day = SettableDay()
        let webhookKey = WebhookSecretKey.random()
        let service = KraamzorgApp(
            pool: pool, logger: logger, jobs: standardScheduler(pool), clock: day.clock,
            configuration: .init(
                openAPIDocument: Array("openapi: 3.1.0\n".utf8), httpMetrics: { "" }, webhookSecretKey: webhookKey,
                webhookAllowPrivate: true, database: TestApp.patientDatabaseClasses))
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.port = 0
        let server = Server(configuration: serverConfiguration, router: service.router(), logger: logger)
        let port = try server.start()
        let app = TestApp(pool: pool, server: server, client: HTTPTestClient(port: port), adminToken: adminToken, webhookKey: webhookKey)
        return StandingApp(app: app, day: day)
    }

    /// A practitioner whose first period starts on `start`, registered under norm 2019 (imported: registered on
    /// 2022-06-01), with a complete 2019 dossier booked in the period's first week (pushed on `start` + 10 days).
    func completePractitioner(start: CivilDate, first: String) async throws -> (id: String, number: String, periodId: String, code: String)
    {
        day.set(start.adding(days: 10))
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: start.iso, registeredOn: "2022-06-01", diploma: "2022-06-01", first: first)
        let periodId = try #require((p.body["currentPeriod"] as? [String: Any])?["id"] as? String)
        let code = try #require((p.body["certificate"] as? [String: Any])?["verificationCode"] as? String)
        let courses = try await Courses2019.make(app, provider)
        try await courses.complete(
            app, provider, number: p.number, on: [start.adding(days: 1), start.adding(days: 2), start.adding(days: 3)])
        return (p.id, p.number, periodId, code)
    }

    func lookup(_ number: String, on date: CivilDate? = nil) async throws -> [String: Any] {
        let r = try await app.call("GET", "/v1/register/\(number.lowercased())" + (date.map { "?on=\($0.iso)" } ?? ""))
        #expect(r.status == 200, "\(r.text)")
        return try r.object()
    }

    func submit(_ p: (id: String, number: String, periodId: String, code: String), on date: CivilDate) async throws {
        day.set(date)
        let r = try await app.admin("POST", "/v1/practitioners/\(p.id)/periods/\(p.periodId)/submission")
        #expect(r.status == 201, "\(r.text)")
    }

    func review(_ p: (id: String, number: String, periodId: String, code: String), _ body: [String: Any], token: String? = nil) async throws
        -> TestResponse
    {
        try await app.call(
            "POST", "/v1/practitioners/\(p.id)/periods/\(p.periodId)/review", token: token ?? app.adminToken, json: body)
    }
}

@Suite(.serialized) struct RegisterStandingTests {
    /// In time: submitted before the end, registered (reviewPending) after it until the decision; the upcoming period
    /// alone never makes her registered. Late: not registered from the day after the end until approval, then
    /// registered from the new period's start. Single lookup, bulk lookup, verification and dossier agree.
    @Test func standingFollowsTheRegistersDecisions() async throws {
        let s = try await StandingApp.shared.value
        let start = CivilDate(2040, 6, 1), end = CivilDate(2044, 5, 31), dayAfter = CivilDate(2044, 6, 1)
        let anna = try await s.completePractitioner(start: start, first: "Anna")
        let bea = try await s.completePractitioner(start: start, first: "Bea")

        // Anna submits a month before the end. The upcoming next period is no registration yet.
        try await s.submit(anna, on: CivilDate(2044, 5, 1))
        let ahead = try await s.lookup(anna.number, on: CivilDate(2044, 7, 1))
        #expect(ahead["registered"] as? Bool == false && ahead["standing"] as? String == "notRegistered")
        let now = try await s.lookup(anna.number)
        #expect(now["registered"] as? Bool == true && now["standing"] as? String == "registered")
        #expect(now["validUntil"] as? String == end.iso)
        let ownDossier = try await s.app.dossier(s.app.adminToken, anna.id)
        #expect(ownDossier["standing"] as? String == "registered")
        #expect(ownDossier["standingText"] as? String == "U staat ingeschreven tot en met 31-05-2044.")

        // The day after the end, undecided: the grace of a dossier submitted in time.
        s.day.set(dayAfter)
        let pending = try await s.lookup(anna.number)
        #expect(pending["registered"] as? Bool == true && pending["standing"] as? String == "reviewPending")
        #expect(pending.keys.contains("validUntil") && pending["validUntil"] is NSNull)
        let verification = try await s.app.call("GET", "/v1/certificates/\(anna.code)").object()
        #expect(verification["valid"] as? Bool == true && verification["standing"] as? String == "reviewPending")
        // Her own dossier says it in words.
        let dossier = try await s.app.dossier(s.app.adminToken, anna.id)
        #expect(dossier["standing"] as? String == "reviewPending")
        #expect(dossier["standingText"] as? String == "Uw herregistratie wordt beoordeeld; u blijft ingeschreven tot het besluit.")

        // Bea submits ten days after the end (retroactively): no grace.
        try await s.submit(bea, on: CivilDate(2044, 6, 10))
        for date in [dayAfter, CivilDate(2044, 6, 10)] {
            let late = try await s.lookup(bea.number, on: date)
            #expect(late["registered"] as? Bool == false && late["standing"] as? String == "notRegistered")
        }
        #expect(try await s.lookup(bea.number, on: end)["standing"] as? String == "registered")
        let beaCertificate = try await s.app.call("GET", "/v1/certificates/\(bea.code)").object()
        #expect(beaCertificate["valid"] as? Bool == false)

        // The bulk lookup answers as the single one, item by item.
        let items: [[String: Any]] = [
            ["registrationNumber": anna.number], ["registrationNumber": bea.number], ["registrationNumber": bea.number, "on": end.iso],
            ["registrationNumber": anna.number, "on": "2044-07-01"],
        ]
        // (Today is 2044-06-10: a later date is not decided yet, so the grace does not reach it.)
        let bulk = try await s.app.admin("POST", "/v1/register/lookups", json: ["items": items])
        let results = try #require(try bulk.object()["results"] as? [[String: Any]])
        #expect(results.map { $0["standing"] as? String } == ["reviewPending", "notRegistered", "registered", "notRegistered"])
        #expect(results.map { $0["registered"] as? Bool } == [true, false, true, false])

        // Approval: registered from the new period's start, retroactively for the late one too.
        s.day.set(CivilDate(2044, 6, 20))
        #expect(try await s.review(bea, ["decision": "approve"]).status == 200)
        #expect(try await s.review(anna, ["decision": "approve"]).status == 200)
        for number in [anna.number, bea.number] {
            let approved = try await s.lookup(number, on: dayAfter)
            #expect(approved["registered"] as? Bool == true && approved["standing"] as? String == "registered")
            #expect(approved["validUntil"] as? String == "2048-05-31")
        }
    }

    /// Only mandatory subjects carry a status (the dot); kunstvoeding is listed with its completions and counts
    /// in B's points, without a status (absent, not null); category D (no mandatory subject) shows no dots.
    @Test func onlyMandatorySubjectsCarryADot() async throws {
        let s = try await StandingApp.shared.value
        s.day.set(CivilDate(2024, 2, 1))
        let (_, provider) = try await s.app.provider()
        let p = try await s.app.practitioner(start: "2024-01-01", first: "Ina")
        let course = try await s.app.course(provider, title: "Kunstvoeding", lines: [("2023", "B", "kunstvoeding", 4)])
        #expect(try await s.app.push(provider, course: course, number: p.number, on: "2024-01-10").status == 201)
        let herself = try await s.app.practitionerLogin(p.id)
        let dossier = try await s.app.dossier(herself, p.id)
        #expect(dossier["norm"] as? String == "2023")
        let b = try #require(dossier.category("B"))
        #expect(b["points"] as? Double == 4)
        let subjects = try #require(b["subjects"] as? [[String: Any]])
        let kunstvoeding = try #require(subjects.first { $0["code"] as? String == "kunstvoeding" })
        #expect(kunstvoeding["completions"] as? Int == 1 && kunstvoeding["minCompletions"] as? Int == 0)
        #expect(!kunstvoeding.keys.contains("status"))
        #expect(subjects.first { $0["code"] as? String == "borstvoeding" }?["status"] as? String == "nogTeDoen")
        for subject in (dossier.category("D")?["subjects"] as? [[String: Any]]) ?? [] { #expect(!subject.keys.contains("status")) }
        #expect(dossier["standing"] as? String == "registered")
        #expect(dossier["standingText"] as? String == "U staat ingeschreven tot en met 31-12-2027.")
    }

    /// Refusal: reason required; the period refused, the upcoming one cancelled, she is emailed, an event and
    /// an audit event; after the end she is not registered, and the overdue report leaves her out. Only admins review.
    @Test func aRefusalCancelsTheUpcomingPeriodAndTellsHer() async throws {
        let s = try await StandingApp.shared.value
        let p = try await s.completePractitioner(start: CivilDate(2050, 6, 1), first: "Cor")
        try await s.submit(p, on: CivilDate(2054, 5, 1))
        s.day.set(CivilDate(2054, 5, 20))

        // Who may review: admins only.
        let herself = try await s.app.practitionerLogin(p.id)
        let (_, provider) = try await s.app.provider()
        #expect(try await s.review(p, ["decision": "refuse", "reason": "x"], token: herself).status == 403)
        #expect(try await s.review(p, ["decision": "refuse", "reason": "x"], token: provider).status == 403)
        let anonymous = try await s.app.call(
            "POST", "/v1/practitioners/\(p.id)/periods/\(p.periodId)/review", json: ["decision": "refuse", "reason": "x"])
        #expect(anonymous.status == 401)

        // A refusal without a reason (or with a blank one) is a 400 naming reason, and changes nothing.
        for body: [String: Any] in [["decision": "refuse"], ["decision": "refuse", "reason": "  "]] {
            let bad = try await s.review(p, body)
            #expect(bad.status == 400)
            let fields = ((try bad.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["reason"])
        }
        #expect(try await s.review(p, ["decision": "approve", "reason": "x"]).status == 400)
        #expect(try await s.app.registerRows("reviews WHERE period_id = '\(p.periodId)'") == 0)

        let reason = "Er ontbreken bewijzen van de verplichte scholing."
        let refused = try await s.review(p, ["decision": "refuse", "reason": reason])
        #expect(refused.status == 200, "\(refused.text)")
        let answer = try refused.object()
        #expect((answer["period"] as? [String: Any])?["status"] as? String == "refused")
        #expect((answer["nextPeriod"] as? [String: Any])?["status"] as? String == "cancelled")
        #expect(try await s.review(p, ["decision": "refuse", "reason": reason]).status == 409)

        let email: String = try await s.app.pool.query("SELECT email FROM practitioners WHERE id = \(UUID(uuidString: p.id)!)")[0]
            .decode("email")
        let mails = try await s.app.pool.query(
            "SELECT subject, body FROM notifications WHERE kind = 'reviewOutcome' AND recipient = \(email)"
        ).map { (try $0.decode("subject", as: String.self), try $0.decode("body", as: String.self)) }
        #expect(mails.count == 1 && mails[0].0 == "Uw herregistratie is afgewezen" && mails[0].1.contains(reason))
        #expect(try await s.app.registerRows("events WHERE type = 'period.refused' AND practitioner_id = '\(p.id)'") == 1)
        #expect(
            try await s.app.registerRows(
                "audit_events WHERE object_type = 'period' AND object_id = '\(p.periodId)' AND details->>'review' = 'refuse'") == 1)

        // Still registered to the end of her period, not after it; the refusal is decided, not overdue.
        #expect(try await s.lookup(p.number)["standing"] as? String == "registered")
        s.day.set(CivilDate(2054, 6, 1))
        let after = try await s.lookup(p.number)
        #expect(after["registered"] as? Bool == false && after["standing"] as? String == "notRegistered")
        let overdue = try await s.app.admin("GET", "/v1/reports/overdue-reviews")
        #expect(overdue.status == 200 && !overdue.text.contains(p.periodId))
        let periods = try await s.app.admin("GET", "/v1/practitioners/\(p.id)/periods").object()["items"] as? [[String: Any]] ?? []
        #expect(periods.compactMap { $0["status"] as? String } == ["refused", "cancelled"])
    }

    /// A request for information is its own email with the question, and leaves her registered (in time).
    @Test func aRequestForInformationSendsTheQuestion() async throws {
        let s = try await StandingApp.shared.value
        let p = try await s.completePractitioner(start: CivilDate(2070, 6, 1), first: "Dina")
        try await s.submit(p, on: CivilDate(2074, 5, 1))
        let question = "Stuur de werkgeversverklaring over 2073 mee."
        #expect(try await s.review(p, ["decision": "requestInfo", "message": question]).status == 200)
        let email: String = try await s.app.pool.query("SELECT email FROM practitioners WHERE id = \(UUID(uuidString: p.id)!)")[0]
            .decode("email")
        let mails = try await s.app.pool.query(
            "SELECT subject, body FROM notifications WHERE kind = 'reviewOutcome' AND recipient = \(email)"
        )
        .map { (try $0.decode("subject", as: String.self), try $0.decode("body", as: String.self)) }
        #expect(mails.count == 1 && mails[0].0 == "Vraag over uw aanmelding voor herregistratie")
        #expect(mails[0].1.contains(question) && !mails[0].1.contains("Uw dossier is compleet"))
        s.day.set(CivilDate(2074, 6, 1))
        #expect(try await s.lookup(p.number)["standing"] as? String == "reviewPending")
    }

    /// The statistics count exactly those the lookup calls registered on that day: every practitioner in the
    /// database is looked up (other suites' practitioners too: a review they left pending after a dossier
    /// submitted in time keeps them registered on any later day, as the rule says).
    @Test func statisticsAgreeWithTheLookup() async throws {
        let s = try await StandingApp.shared.value
        let day = CivilDate(2064, 6, 1)
        // Active on the day; submitted in time (pending); submitted late; struck off.
        let active = try await s.completePractitioner(start: CivilDate(2062, 1, 1), first: "Eva")
        let inTime = try await s.completePractitioner(start: CivilDate(2060, 6, 1), first: "Fay")
        try await s.submit(inTime, on: CivilDate(2064, 5, 1))
        let late = try await s.completePractitioner(start: CivilDate(2060, 6, 1), first: "Gea")
        try await s.submit(late, on: day)
        let struck = try await s.completePractitioner(start: CivilDate(2062, 1, 1), first: "Hilde")
        s.day.set(CivilDate(2063, 1, 1))
        let strikeOff = try await s.app.admin(
            "POST", "/v1/practitioners/\(struck.id)/strike-off", json: ["on": "2063-01-01", "reason": "Tuchtrecht"])
        #expect(strikeOff.status == 200)
        s.day.set(day)

        var standings: [String] = []
        for p in [active, inTime, late, struck] { standings.append(try await s.lookup(p.number)["standing"] as? String ?? "") }
        #expect(standings == ["registered", "reviewPending", "notRegistered", "struckOff"])

        func statistics() async throws -> (total: Int, byNorm: Int) {
            let r = try await s.app.call("GET", "/v1/statistics")
            #expect(r.status == 200, "\(r.text)")
            let o = try r.object()
            let byNorm = (o["registeredByNorm"] as? [String: Int] ?? [:]).values.reduce(0, +)
            return (o["registeredPractitioners"] as? Int ?? -1, byNorm)
        }
        // Other suites write meanwhile: compare when the statistics did not move while everyone was looked up.
        var compared = false
        for _ in 0..<10 where !compared {
            let before = try await statistics()
            let numbers: [String] = try await s.app.pool.query("SELECT registration_number FROM practitioners ORDER BY 1")
                .map { try $0.decode("registration_number") }
            var registered = 0
            for chunk in stride(from: 0, to: numbers.count, by: 1000).map({ Array(numbers[$0..<min($0 + 1000, numbers.count)]) }) {
                let bulk = try await s.app.admin(
                    "POST", "/v1/register/lookups", json: ["items": chunk.map { ["registrationNumber": $0] }])
                #expect(bulk.status == 200, "\(bulk.text)")
                let results = (try bulk.object()["results"] as? [[String: Any]]) ?? []
                registered += results.filter { $0["registered"] as? Bool == true }.count
            }
            let after = try await statistics()
            guard before == after else { continue }
            compared = true
            #expect(after.total == registered && after.byNorm == registered)
            #expect(registered >= 2)
        }
        #expect(compared)
    }

    /// Quality-data obligation: years 2020 to next year; the answer carries the route, no extension, whom to tell.
    @Test func theQualityDataObligationBoundsTheYearAndNamesTheRoute() async throws {
        let s = try await StandingApp.shared.value
        s.day.set(CivilDate(2026, 12, 2))
        for year in [1, 2019, 2028] {
            let bad = try await s.app.call(
                "POST", "/v1/quality-data-obligation", json: ["year": year, "providerKind": "organisation", "bedsTotal": 10])
            #expect(bad.status == 400)
            #expect(((try bad.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } == ["year"])
        }
        for year in [2020, 2027] {
            let ok = try await s.app.call(
                "POST", "/v1/quality-data-obligation", json: ["year": year, "providerKind": "selfEmployed", "bedsIndependent": 2])
            #expect(ok.status == 200, "\(ok.text)")
            let o = try ok.object()
            let route = try #require(o["deliveryRoute"] as? [String: Any])
            #expect(route["dataBroker"] as? String == "Desan" && (route["text"] as? String ?? "").contains("portal"))
            #expect(o["extensionPossible"] as? Bool == false && (o["deadline"] as? String ?? "").contains("niet mogelijk"))
            #expect((o["notify"] as? [String: Any])?["email"] as? String == "transparantiekalender@zinl.nl")
        }
        let delivers = try await s.app.call(
            "POST", "/v1/quality-data-obligation", json: ["year": 2025, "providerKind": "organisation", "bedsTotal": 10]
        ).object()
        #expect(delivers["notify"] == nil && delivers["mustDeliver"] as? Bool == true)
    }
}
