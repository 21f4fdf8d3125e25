import Foundation
import Hashing
import HTTPServer
import Logging
@testable import KraamzorgAPI
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// A clock the test moves: the real time plus an offset.
final class MovableClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    func advance(hours: Double) { offset.withLock { $0 += hours * 3600 } }
    var clock: DutchClock { DutchClock(now: { [self] in Date().addingTimeInterval(offset.withLock { $0 }) }) }
}

/// DOMAIN §7a over real HTTP: pages that show their sender (region, insurer, coordinators' contact, privacy
/// statement), the birth report asked, confirmed and undone within 24 hours, her corrections, and the provider's
/// contact on organisations, in her enrolment email and on her page.
@Suite struct ClientPagesSenderTests {
    /// A server of its own whose clock the undo test moves (and a generous rate limit, as `ClientPageTests`).
    static let clockApp = Task<(TestApp, MovableClock), any Error> {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else { throw TestAppError.noDatabase }
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 4
        let pool = PostgresPool(configuration: configuration)
        try await TestApp.migrate(pool, url: url)
        let adminToken = SecretToken.generate()
        try await IdentityStore(pool: pool).bootstrapAdmin(tokenHash: SecretToken.hash(adminToken))
        let webhookKey = WebhookSecretKey.random()
        let movable = MovableClock()
        let app = KraamzorgApp(
            pool: pool, logger: Logger(level: .error), jobs: standardScheduler(pool), clock: movable.clock,
            configuration: .init(
                openAPIDocument: Array("openapi: 3.1.0\n".utf8), httpMetrics: { "" }, webhookSecretKey: webhookKey,
                publicBaseURL: "https://kraamzorg.example", database: TestApp.patientDatabaseClasses))
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.port = 0
        serverConfiguration.rateLimit = RateLimit(requests: 100_000, per: .seconds(60))
        let server = Server(configuration: serverConfiguration, router: app.router(), logger: Logger(level: .error))
        let port = try server.start()
        return (
            TestApp(pool: pool, server: server, client: HTTPTestClient(port: port), adminToken: adminToken, webhookKey: webhookKey), movable
        )
    }

    typealias Page = ClientPageTests

    static func coordinatorEmails(_ app: TestApp, _ world: WaitlistWorld) async throws -> [String] {
        try await app.pool.query(
            """
            SELECT lower(u.email) AS email FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.role = 'coordinator' AND \(UUID(uuidString: world.regionId)!) = ANY(m.region_ids) ORDER BY 1
            """
        ).map { try $0.decode("email", as: String.self) }
    }

    static func insurerName(_ app: TestApp, _ world: WaitlistWorld) async throws -> String {
        try await app.pool.query("SELECT name FROM organizations WHERE id = \(UUID(uuidString: world.insurerId)!)")[0].decode(
            "name", as: String.self)
    }

    static func dateParts(_ name: String, _ d: CivilDate) -> [(String, String)] {
        [("\(name)-day", String(d.day)), ("\(name)-month", String(d.month)), ("\(name)-year", String(d.year))]
    }

    static func today() -> CivilDate { CivilDate.todayForTests() }

    // MARK: sender, contact, privacy

    @Test func everyClientPageShowsRegionInsurerContactAndAPrivacyLinkThatWorks() async throws {
        let app = try await Page.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let insurer = try await Self.insurerName(app, world)
        let emails = try await Self.coordinatorEmails(app, world)
        #expect(emails.count == 2)
        func expectSender(_ r: TestResponse, _ what: String) {
            #expect(r.text.contains("id=\"sender\""), "\(what): no sender line")
            #expect(r.text.contains("Regio \(world.pc4)") && r.text.contains(insurer), "\(what): region or insurer missing")
            for e in emails { #expect(r.text.contains("mailto:\(e)"), "\(what): coordinator \(e) missing") }
            #expect(r.text.contains("id=\"privacy-link\" href=\"/privacy?lang=nl\""), "\(what): privacy link missing")
        }
        let (_, invitation) = try await Page.invited(world)
        let invitationPage = try await Page.get(app, "/uitnodiging/\(invitation)")
        expectSender(invitationPage, "invitation")
        let token = try #require(Page.formToken(invitationPage))
        let confirmation = try await Page.post(app, "/uitnodiging/\(invitation)", Page.filledForm(world, token: token))
        #expect(confirmation.status == 200)
        expectSender(confirmation, "confirmation")

        let placed = try await world.placedClient()
        let status = try await Page.get(app, "/aanmelding/\(placed.link)")
        expectSender(status, "placement")
        expectSender(try await Page.get(app, "/aanmelding/\(placed.link)/afmelden"), "withdrawal confirmation")
        let birthConfirm = try await Page.post(
            app, "/aanmelding/\(placed.link)/geboorte",
            [("_form", try #require(Page.formToken(status)))] + Self.dateParts("bornOn", Self.today()))
        #expect(birthConfirm.status == 200)
        expectSender(birthConfirm, "birth confirmation")
        // A link that does not work names no sender (it is unknown) but still links the privacy statement.
        let unknown = try await Page.get(app, "/aanmelding/onbekend")
        #expect(unknown.status == 404 && unknown.text.contains("href=\"/privacy?lang=nl\""))

        let privacy = try await Page.get(app, "/privacy")
        #expect(privacy.status == 200)
        Page.expectSecurityHeaders(privacy, "privacy")
        for field in ["Voornaam", "Achternaam", "E-mailadres", "Telefoonnummer", "Postcode", "Het adres van e-mails aan u"] {
            #expect(privacy.text.contains("<li>\(field)</li>"), "privacy statement lists \(field)")
        }
        #expect(privacy.text.contains("\(Retention.monthsAfterDueDate) maanden na uw uitgerekende datum"))
        #expect(privacy.text.contains("Inzien") && privacy.text.contains("Verbeteren") && privacy.text.contains("Wissen"))
        #expect(!privacy.text.contains("clients."), "every personal column has a plain label")
        let english = try await Page.get(app, "/privacy?lang=en")
        #expect(
            english.status == 200 && english.text.contains("<li>First name</li>") && english.text.contains("6 months after your due date"))
    }

    // MARK: birth report

    @Test func theBirthDateIsAskedNeverPrefilledConfirmedAndCanBeUndoneOnce() async throws {
        let app = try await Page.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let placed = try await world.placedClient()
        let id = UUID(uuidString: placed.id)!
        let page = try await Page.get(app, "/aanmelding/\(placed.link)")
        #expect(!page.text.contains("type=\"date\""), "no browser date field")
        for part in ["day", "month", "year"] {
            #expect(
                page.text.contains("<input id=\"bornOn-\(part)\" name=\"bornOn-\(part)\" type=\"text\" inputmode=\"numeric\" class=\"w"))
            #expect(
                page.text.range(of: "id=\"bornOn-\(part)\"[^>]*value=\"\"", options: .regularExpression) != nil, "bornOn-\(part) prefilled")
        }
        let token = try #require(Page.formToken(page))
        let yesterday = Self.today().adding(days: -1)
        // Step 1: the date she typed, in words, "Klopt dit?"; nothing is reported yet.
        let confirm = try await Page.post(
            app, "/aanmelding/\(placed.link)/geboorte", [("_form", token)] + Self.dateParts("bornOn", yesterday))
        #expect(confirm.status == 200)
        #expect(confirm.text.contains("<h1>Klopt dit?</h1>"))
        #expect(
            confirm.text.contains(
                "U meldt dat uw kind is geboren op \(yesterday.day) \(PageStrings.nl.months[yesterday.month - 1]) \(yesterday.year)."))
        #expect(try await Page.status(app, placed.id) == "waiting")
        // Step 2: confirmed.
        let done = try await Page.post(
            app, "/aanmelding/\(placed.link)/geboorte", [("_form", token), ("bornOn", yesterday.iso), ("bevestigd", "ja")])
        #expect(done.status == 303)
        #expect(try await Page.status(app, placed.id) == "birthReported")
        let reported = try await Page.get(app, "/aanmelding/\(placed.link)")
        #expect(reported.text.contains("id=\"birth-undo\""))
        // Undone through her page: waiting again, audited as her, the region told.
        let undo = try await Page.post(app, "/aanmelding/\(placed.link)/geboorte/intrekken", [("_form", token)])
        #expect(undo.status == 303 && undo.header("Location") == "/aanmelding/\(placed.link)?lang=nl&klaar=ingetrokken")
        #expect(try await Page.status(app, placed.id) == "waiting")
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(id) AND role = 'client' AND details->>'event' = 'birthReportUndone'")
                == 1)
        #expect(try await app.count("SELECT count(*) FROM clients WHERE id = \(id) AND born_on IS NULL AND birth_reported_at IS NULL") == 1)
        // Once: a second undo has nothing to undo (409), through the page and the JSON route.
        let twice = try await Page.post(app, "/aanmelding/\(placed.link)/geboorte/intrekken", [("_form", token)])
        #expect(twice.status == 409)
        let json = try await app.call("DELETE", "/v1/client-links/\(placed.link)/birth")
        #expect(json.status == 409)
        // The JSON route: report, undo (200, waiting).
        let again = try await app.call("POST", "/v1/client-links/\(placed.link)/birth", json: ["bornOn": yesterday.iso])
        #expect(again.status == 200)
        let undone = try await app.call("DELETE", "/v1/client-links/\(placed.link)/birth")
        #expect(try undone.status == 200 && (undone.object()["status"] as? String) == "waiting")
        // A birth form posted without the form token is refused (403), nothing changes.
        let noToken = try await Page.post(app, "/aanmelding/\(placed.link)/geboorte", [("bornOn", yesterday.iso), ("bevestigd", "ja")])
        #expect(noToken.status == 403)
        #expect(try await Page.status(app, placed.id) == "waiting")
    }

    @Test func after24HoursOnlyHerCoordinatorCanCorrectTheBirthReport() async throws {
        let (app, movable) = try await Self.clockApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let placed = try await world.placedClient()
        let yesterday = Self.today().adding(days: -1)
        #expect(try await app.call("POST", "/v1/client-links/\(placed.link)/birth", json: ["bornOn": yesterday.iso]).status == 200)
        movable.advance(hours: 25)
        let late = try await app.call("DELETE", "/v1/client-links/\(placed.link)/birth")
        #expect(late.status == 409)
        #expect(late.text.contains("within 24 hours"))
        let page = try await Page.get(app, "/aanmelding/\(placed.link)")
        #expect(!page.text.contains("id=\"birth-undo\"") && page.text.contains("id=\"birth-undo-late\""))
        let latePage = try await Page.post(
            app, "/aanmelding/\(placed.link)/geboorte/intrekken", [("_form", try #require(Page.formToken(page)))])
        #expect(latePage.status == 409 && latePage.text.contains("meer dan 24 uur geleden"))
        #expect(try await Page.status(app, placed.id) == "birthReported")
        // Her coordinator corrects the date, then undoes the report (no time limit); others may not.
        let other = try await app.call(
            "PATCH", "/v1/clients/\(placed.id)/birth", token: world.providers[0].token, json: ["bornOn": yesterday.adding(days: -1).iso])
        #expect(other.status == 403)
        let corrected = try await app.call(
            "PATCH", "/v1/clients/\(placed.id)/birth", token: world.coordinator, json: ["bornOn": yesterday.adding(days: -1).iso])
        #expect(corrected.status == 200)
        #expect(
            try await app.count(
                "SELECT count(*) FROM clients WHERE id = \(UUID(uuidString: placed.id)!) AND born_on = \(yesterday.adding(days: -1))") == 1)
        let byCoordinator = try await app.call("DELETE", "/v1/clients/\(placed.id)/birth", token: world.coordinator)
        #expect(try byCoordinator.status == 200 && (byCoordinator.object()["status"] as? String) == "waiting")
        movable.advance(hours: -25)
    }

    // MARK: corrections

    @Test func aDueDateOutsideTheWaitlistIsRefusedWithTheReasonAndHerCoordinatorIsTold() async throws {
        let app = try await Page.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let placed = try await world.placedClient()
        let id = UUID(uuidString: placed.id)!
        let outside = Self.today().adding(days: 400)
        let r = try await app.call("PATCH", "/v1/client-links/\(placed.link)", json: ["dueDate": outside.iso])
        #expect(r.status == 422)
        #expect(r.text.contains("dueDate") && r.text.contains("outside her waitlist's range") && r.text.contains(day(250)))
        #expect(try await app.count("SELECT count(*) FROM clients WHERE id = \(id) AND due_date = \(CivilDate(iso: day(100))!)") == 1)
        let emails = try await Self.coordinatorEmails(app, world)
        for e in emails {
            #expect(
                try await app.count(
                    """
                    SELECT count(*) FROM notifications WHERE client_id = \(id) AND recipient = \(e)
                    AND subject LIKE 'Cliënt wil uitgerekende datum wijzigen%' AND body LIKE '%niet doorgevoerd%'
                    """) == 1)
        }
        // Through her page: the reason at the field, in Dutch dates; her coordinators told again.
        let page = try await Page.get(app, "/aanmelding/\(placed.link)")
        let form = try await Page.post(
            app, "/aanmelding/\(placed.link)/wijzigen",
            [("_form", try #require(Page.formToken(page))), ("phone", "06 12345678")] + Self.dateParts("dueDate", outside))
        #expect(form.status == 422)
        #expect(form.text.contains("id=\"dueDate-error\"") && form.text.contains("Deze datum valt buiten deze wachtlijst"))
        #expect(form.text.contains("href=\"#dueDate-day\""))
        // The error summary comes first: above the page's heading.
        let summaryAt = try #require(form.text.range(of: "class=\"error-summary\""))
        #expect(summaryAt.lowerBound < (try #require(form.text.range(of: "<h1>"))).lowerBound)
        #expect(
            try await app.count("SELECT count(*) FROM notifications WHERE client_id = \(id) AND subject LIKE 'Cliënt wil%'") == 2
                * emails.count)
        // A due date inside the range is taken (and audited).
        let inside = Self.today().adding(days: 120)
        let ok = try await app.call("PATCH", "/v1/client-links/\(placed.link)", json: ["dueDate": inside.iso])
        #expect(try ok.status == 200 && (ok.object()["dueDate"] as? String) == inside.iso)
    }

    @Test func aPhoneCorrectionIsAuditedAsHerThroughHerLink() async throws {
        let app = try await Page.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let placed = try await world.placedClient()
        let id = UUID(uuidString: placed.id)!
        let bad = try await app.call("PATCH", "/v1/client-links/\(placed.link)", json: ["phone": "bel me maar"])
        #expect(bad.status == 400 && bad.text.contains("\"phone\""))
        let r = try await app.call("PATCH", "/v1/client-links/\(placed.link)", json: ["phone": "06 11112222"])
        #expect(try r.status == 200 && (r.object()["phone"] as? String) == "06 11112222")
        #expect(
            try await app.count(
                """
                SELECT count(*) FROM audit_events WHERE client_id = \(id) AND role = 'client' AND action = 'update'
                AND details->>'event' = 'corrected' AND details->>'fields' = 'phone' AND user_id IS NULL
                """) == 1)
        #expect(try await app.count("SELECT count(*) FROM audit_events WHERE client_id = \(id) AND details::text LIKE '%11112222%'") == 0)
        let seen = try await app.call("GET", "/v1/clients/\(placed.id)", token: world.coordinator)
        #expect((try seen.object()["phone"] as? String) == "06 11112222")
        // Through her page: saved, audited again.
        let page = try await Page.get(app, "/aanmelding/\(placed.link)")
        let form = try await Page.post(
            app, "/aanmelding/\(placed.link)/wijzigen",
            [("_form", try #require(Page.formToken(page))), ("phone", "06 33334444")] + Self.dateParts("dueDate", CivilDate(iso: day(100))!)
        )
        #expect(form.status == 303)
        #expect(try await app.count("SELECT count(*) FROM audit_events WHERE client_id = \(id) AND details->>'fields' = 'phone'") == 2)
        let after = try await Page.get(app, "/aanmelding/\(placed.link)?klaar=gewijzigd")
        #expect(after.text.contains("We hebben uw gegevens aangepast") && after.text.contains("06 33334444"))
    }

    // MARK: provider contact

    @Test func theEnrolmentEmailAndHerPageCarryTheProvidersContact() async throws {
        let app = try await Page.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let provider = world.providers[0]
        let patch = try await app.admin(
            "PATCH", "/v1/organizations/\(provider.id)",
            json: [
                "contact": ["phone": "+31 20 1234567", "email": "Planning@De-Wieg.example", "website": "https://de-wieg.example/contact"]
            ])
        #expect(patch.status == 200)
        let contact = try #require(try patch.object()["contact"] as? [String: Any])
        #expect(contact["email"] as? String == "Planning@de-wieg.example" && contact["phone"] as? String == "+31 20 1234567")
        let placed = try await world.placedClient()
        #expect(try await app.call("POST", "/v1/clients/\(placed.id)/enrolment", token: provider.token).status == 201)
        let body = try await app.pool.query(
            "SELECT body FROM notifications WHERE client_id = \(UUID(uuidString: placed.id)!) AND kind = 'enrolmentNotice' AND organization_id IS NULL"
        )[0].decode("body", as: String.self)
        #expect(body.contains("Telefoon: +31 20 1234567") && body.contains("E-mail: Planning@de-wieg.example"))
        #expect(body.contains("Website: https://de-wieg.example/contact") && !body.contains("op hun website"))
        let page = try await Page.get(app, "/aanmelding/\(placed.link)")
        #expect(page.text.contains("id=\"provider-contact\"") && page.text.contains("href=\"tel:+31201234567\""))
        #expect(page.text.contains("href=\"https://de-wieg.example/contact\""))
    }

    @Test func organisationContactIsValidatedNamingTheField() async throws {
        let app = try await TestApp.shared.value
        for (contact, field) in [
            (["email": "geen-adres"], "contact.email"), (["website": "ftp://x.example"], "contact.website"),
            (["website": "javascript:alert(1)"], "contact.website"), (["phone": "bel ons"], "contact.phone"),
            (["phone": "12"], "contact.phone"),
        ] {
            let r = try await app.admin(
                "POST", "/v1/organizations", json: ["kind": "careProvider", "name": "Kraamzorg X", "contact": contact])
            #expect(r.status == 400, "\(contact)")
            let errors = (try r.object()["errors"] as? [[String: Any]]) ?? []
            #expect(errors.contains { $0["field"] as? String == field }, "\(contact): \(r.text)")
        }
        let unknown = try await app.admin(
            "POST", "/v1/organizations", json: ["kind": "careProvider", "name": "Kraamzorg X", "contact": ["fax": "020 1234567"]])
        #expect(unknown.status == 400 && unknown.text.contains("fax"))
        let created = try await app.admin(
            "POST", "/v1/organizations",
            json: ["kind": "careProvider", "name": "Kraamzorg Y", "contact": ["phone": "020 123 45 67", "website": "http://y.example"]])
        #expect(created.status == 201)
        let id = try #require(try created.object()["id"] as? String)
        let read = try await app.admin("GET", "/v1/organizations/\(id)")
        let contact = try #require(try read.object()["contact"] as? [String: Any])
        #expect(
            contact["phone"] as? String == "020 123 45 67" && contact["website"] as? String == "http://y.example" && contact["email"] == nil
        )
        let badPatch = try await app.admin("PATCH", "/v1/organizations/\(id)", json: ["contact": ["email": "x@"]])
        #expect(badPatch.status == 400 && badPatch.text.contains("contact.email"))
        let cleared = try await app.admin("PATCH", "/v1/organizations/\(id)", json: ["contact": [:] as [String: Any]])
        #expect(try cleared.status == 200 && ((cleared.object()["contact"] as? [String: Any]) ?? ["x": 1]).isEmpty)
    }
}
