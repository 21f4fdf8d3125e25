import Foundation
import Hashing
import HTTPServer
import Logging
@testable import KraamzorgAPI
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import Testing
import TestSupport

/// The client pages (issue 14) over real HTTP against the real PostgreSQL: headers, escaping, form
/// tokens, links that do not work, validation, language, and acceptance exactly like the JSON route.
@Suite struct ClientPageTests {
    // MARK: helpers

    /// A server of its own with a generous rate limit: the pages are public (rate-limited) routes and this
    /// suite makes many requests from one address, alongside the other suites.
    static let pageApp = Task<TestApp, any Error> {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else { throw TestAppError.noDatabase }
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 6
        let pool = PostgresPool(configuration: configuration)
        try await TestApp.migrate(pool, url: url)
        let adminToken = SecretToken.generate()
        try await IdentityStore(pool: pool).bootstrapAdmin(tokenHash: SecretToken.hash(adminToken))
        let webhookKey = WebhookSecretKey.random()
        let app = KraamzorgApp(
            pool: pool, logger: Logger(level: .error), jobs: standardScheduler(pool),
            configuration: .init(
                openAPIDocument: Array("openapi: 3.1.0\n".utf8), httpMetrics: { "" }, webhookSecretKey: webhookKey,
                publicBaseURL: "https://kraamzorg.example",
                database: TestApp.patientDatabaseClasses))
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.port = 0
        serverConfiguration.rateLimit = RateLimit(requests: 100_000, per: .seconds(60))
        let server = Server(configuration: serverConfiguration, router: app.router(), logger: Logger(level: .error))
        let port = try server.start()
        return TestApp(pool: pool, server: server, client: HTTPTestClient(port: port), adminToken: adminToken, webhookKey: webhookKey)
    }

    static func get(_ app: TestApp, _ path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await app.client.request("GET", path, headers: headers)
    }

    static func post(
        _ app: TestApp, _ path: String, _ fields: [(String, String)], contentType: String = "application/x-www-form-urlencoded"
    ) async throws -> TestResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
        return try await app.client.request("POST", path, headers: [("Content-Type", contentType)], body: Array(body.utf8))
    }

    static func formToken(_ page: TestResponse) -> String? {
        guard let start = page.text.range(of: "name=\"_form\" value=\"") else { return nil }
        let rest = page.text[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func expectSecurityHeaders(_ r: TestResponse, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            r.header("Content-Security-Policy")?.hasPrefix("default-src 'self'") == true, "\(what): CSP", sourceLocation: sourceLocation)
        #expect(r.header("X-Frame-Options") == "DENY", "\(what): X-Frame-Options", sourceLocation: sourceLocation)
        #expect(r.header("Referrer-Policy") == "no-referrer", "\(what): Referrer-Policy", sourceLocation: sourceLocation)
        #expect(r.header("Cache-Control") == "no-store", "\(what): Cache-Control", sourceLocation: sourceLocation)
        #expect(
            r.header("Content-Type")?.hasPrefix("text/html; charset=utf-8") == true, "\(what): Content-Type", sourceLocation: sourceLocation
        )
    }

    /// An invitation; returns (client id, invitation token).
    static func invited(_ world: WaitlistWorld, dueDate: String = day(100)) async throws -> (id: String, token: String) {
        let r = try await world.invite(dueDate: dueDate)
        guard r.status == 201, let id = try r.object()["clientId"] as? String else {
            throw TestAppError.fixture("invite \(r.status) \(r.text)")
        }
        return (id, try await world.app.outboxToken(clientId: id, kind: "invitation", prefix: "/uitnodiging/"))
    }

    static func filledForm(
        _ world: WaitlistWorld, token: String, firstName: String = "Anna", consent: Bool = true,
        providers: [String] = []
    ) -> [(String, String)] {
        var fields = [
            ("_form", token), ("firstName", firstName), ("lastName", "de Vries"), ("phone", "06 12345678"),
            ("postcode", world.postcode), ("dueDate", day(100)), ("consentVersion", "2026-1"),
        ]
        for p in providers { fields.append(("preferredProviderIds", p)) }
        if consent { fields.append(("consent", "ja")) }
        return fields
    }

    static func status(_ app: TestApp, _ clientId: String) async throws -> String {
        try await app.pool.query("SELECT status FROM clients WHERE id = \(UUID(uuidString: clientId)!)")[0].decode("status")
    }

    static func expire(_ app: TestApp, table: String, token: String) async throws {
        _ = try await app.pool.execute(
            "UPDATE \(unsafeRaw: table) SET expires_at = now() - interval '1 day' WHERE token_hash = \(SecretToken.hash(token))")
    }

    // MARK: tests

    @Test func everyPageCarriesTheSecurityHeaders() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let (_, token) = try await Self.invited(world)
        let form = try await Self.get(app, "/uitnodiging/\(token)")
        #expect(form.status == 200)
        Self.expectSecurityHeaders(form, "invitation")
        let formToken = try #require(Self.formToken(form))
        let invalid = try await Self.post(app, "/uitnodiging/\(token)", Self.filledForm(world, token: formToken, consent: false))
        #expect(invalid.status == 422)
        Self.expectSecurityHeaders(invalid, "422")
        let refused = try await Self.post(app, "/uitnodiging/\(token)", [("firstName", "Anna")])
        #expect(refused.status == 403)
        Self.expectSecurityHeaders(refused, "403")
        let confirmed = try await Self.post(app, "/uitnodiging/\(token)", Self.filledForm(world, token: formToken))
        #expect(confirmed.status == 200)
        Self.expectSecurityHeaders(confirmed, "confirmation")
        let used = try await Self.get(app, "/uitnodiging/\(token)")
        #expect(used.status == 410)
        Self.expectSecurityHeaders(used, "410")
        let unknown = try await Self.get(app, "/aanmelding/onbekend")
        #expect(unknown.status == 404)
        Self.expectSecurityHeaders(unknown, "404")
        let placed = try await world.placedClient()
        for path in ["/aanmelding/\(placed.link)", "/aanmelding/\(placed.link)/afmelden"] {
            let page = try await Self.get(app, path)
            #expect(page.status == 200, "\(path)")
            Self.expectSecurityHeaders(page, path)
        }
        let birth = try await Self.post(app, "/aanmelding/\(placed.link)/geboorte", [("_form", "x")])
        #expect(birth.status == 403)
        Self.expectSecurityHeaders(birth, "birth 403")
        let css = try await Self.get(app, "/assets/site.css")
        #expect(css.status == 200 && css.header("Content-Type") == "text/css; charset=utf-8")
        #expect(css.header("X-Frame-Options") == "DENY")
    }

    @Test func namesAreEscaped() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let (clientId, token) = try await Self.invited(world)
        let form = try await Self.get(app, "/uitnodiging/\(token)")
        let evil = "<script>alert(1)</script>"
        // Kept input on a 422 is escaped, and so is her name on her page.
        let invalid = try await Self.post(
            app, "/uitnodiging/\(token)", Self.filledForm(world, token: try #require(Self.formToken(form)), firstName: evil, consent: false)
        )
        #expect(invalid.status == 422)
        #expect(!invalid.text.contains(evil))
        #expect(invalid.text.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
        let confirmed = try await Self.post(
            app, "/uitnodiging/\(token)", Self.filledForm(world, token: try #require(Self.formToken(form)), firstName: evil))
        #expect(confirmed.status == 200)
        let link = try await app.outboxToken(clientId: clientId, kind: "placementConfirmation", prefix: "/aanmelding/")
        let page = try await Self.get(app, "/aanmelding/\(link)")
        #expect(page.status == 200)
        #expect(!page.text.contains(evil))
        #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; de Vries"))
        // The region's name and Q&A too.
        let patched = try await app.admin("PATCH", "/v1/regions/\(world.regionId)", json: ["clientInfo": "V: <b>vet</b> & \"quotes\"?"])
        #expect(patched.status == 200)
        let again = try await Self.get(app, "/aanmelding/\(link)")
        #expect(again.text.contains("V: &lt;b&gt;vet&lt;/b&gt; &amp; &quot;quotes&quot;?"))
    }

    @Test func postsWithoutOrWithAWrongFormTokenAreRefusedAndChangeNothing() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let (clientId, token) = try await Self.invited(world)
        for fields in [
            Self.filledForm(world, token: "").filter { $0.0 != "_form" }, Self.filledForm(world, token: "bm90LXRoZS10b2tlbg"),
            Self.filledForm(world, token: ""),
        ] {
            let r = try await Self.post(app, "/uitnodiging/\(token)", fields)
            #expect(r.status == 403)
            #expect(r.text.contains("Er is niets veranderd") || r.text.contains("We hebben niets veranderd"))
        }
        #expect(try await Self.status(app, clientId) == "invited")
        // Not a form post at all.
        let json = try await app.client.request(
            "POST", "/uitnodiging/\(token)", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        #expect(json.status == 415)
        #expect(try await Self.status(app, clientId) == "invited")

        let placed = try await world.placedClient()
        for path in ["/aanmelding/\(placed.link)/geboorte", "/aanmelding/\(placed.link)/afmelden"] {
            let none = try await Self.post(app, path, [("bornOn", day(0))])
            #expect(none.status == 403, "\(path)")
            let wrong = try await Self.post(app, path, [("_form", "AAAA"), ("bornOn", day(0))])
            #expect(wrong.status == 403, "\(path)")
        }
        #expect(try await Self.status(app, placed.id) == "waiting")
    }

    @Test func aLinkTokenCannotActOnAnotherClient() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let a = try await world.placedClient()
        let b = try await world.placedClient()
        let bPage = try await Self.get(app, "/aanmelding/\(b.link)")
        let bToken = try #require(Self.formToken(bPage))
        // B's form token on A's link: refused, nothing changes for either.
        let birth = try await Self.post(app, "/aanmelding/\(a.link)/geboorte", [("_form", bToken), ("bornOn", day(0))])
        #expect(birth.status == 403)
        let withdraw = try await Self.post(app, "/aanmelding/\(a.link)/afmelden", [("_form", bToken)])
        #expect(withdraw.status == 403)
        #expect(try await Self.status(app, a.id) == "waiting")
        #expect(try await Self.status(app, b.id) == "waiting")
        // An invitation's form token does not work on another invitation either.
        let (cId, cInvitation) = try await Self.invited(world)
        let (_, dInvitation) = try await Self.invited(world)
        let dToken = try #require(Self.formToken(try await Self.get(app, "/uitnodiging/\(dInvitation)")))
        let accept = try await Self.post(app, "/uitnodiging/\(cInvitation)", Self.filledForm(world, token: dToken))
        #expect(accept.status == 403)
        #expect(try await Self.status(app, cId) == "invited")
        // And B's page shows B, not A.
        let aName = try await app.pool.query("SELECT client_number FROM clients WHERE id = \(UUID(uuidString: a.id)!)")[0].decode(
            "client_number", as: String.self)
        #expect(!bPage.text.contains(aName))
    }

    @Test func expiredUsedAndUnknownLinksGetAFriendlyPage() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let unknown = try await Self.get(app, "/uitnodiging/dit-is-geen-token")
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("Deze link werkt niet") && unknown.text.contains("zorgverzekeraar"))
        let (_, expiredToken) = try await Self.invited(world)
        try await Self.expire(app, table: "invitations", token: expiredToken)
        let expired = try await Self.get(app, "/uitnodiging/\(expiredToken)")
        #expect(expired.status == 410)
        #expect(expired.text.contains("Deze uitnodiging is verlopen") && expired.text.contains("zorgverzekeraar"))
        #expect(!expired.text.contains("<form"))
        // POSTing to an expired invitation changes nothing either.
        let late = try await Self.post(app, "/uitnodiging/\(expiredToken)", Self.filledForm(world, token: "x"))
        #expect(late.status == 410)

        let placed = try await world.placedClient()
        let invitationToken = try await app.outboxToken(clientId: placed.id, kind: "invitation", prefix: "/uitnodiging/")
        let used = try await Self.get(app, "/uitnodiging/\(invitationToken)")
        #expect(used.status == 410)
        #expect(used.text.contains("Deze uitnodiging is al gebruikt"))
        let usedEnglish = try await Self.get(app, "/uitnodiging/\(invitationToken)?lang=en")
        #expect(usedEnglish.text.contains("This invitation has already been used"))

        try await Self.expire(app, table: "client_links", token: placed.link)
        let expiredLink = try await Self.get(app, "/aanmelding/\(placed.link)")
        #expect(expiredLink.status == 410)
        #expect(expiredLink.text.contains("Deze link is verlopen"))
        let unknownLink = try await Self.get(app, "/aanmelding/onbekend/afmelden")
        #expect(unknownLink.status == 404)
    }

    @Test func invalidInputIs422WithHerInputKeptAndEachMessageAtItsField() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        let (clientId, token) = try await Self.invited(world)
        let formToken = try #require(Self.formToken(try await Self.get(app, "/uitnodiging/\(token)")))
        let r = try await Self.post(
            app, "/uitnodiging/\(token)",
            [
                ("_form", formToken), ("firstName", "Anna"), ("lastName", ""), ("phone", "bel me"), ("postcode", "12"),
                ("dueDate", "31-02-2026"), ("preferredProviderIds", world.providers[1].id),
            ])
        #expect(r.status == 422)
        let html = r.text
        #expect(html.contains("value=\"Anna\""))
        #expect(html.contains("value=\"bel me\""))
        #expect(html.contains("value=\"\(world.providers[1].id)\" checked"))
        for field in ["lastName", "phone", "postcode", "dueDate", "consent"] {
            #expect(html.contains("id=\"\(field)-error\""), "\(field)")
            // A date is asked in three fields: the summary links to the first (the day).
            #expect(html.contains("href=\"#\(field == "dueDate" ? "dueDate-day" : field)\""), "summary link to \(field)")
        }
        #expect(
            html.contains(
                "<input id=\"lastName\" name=\"lastName\" type=\"text\" value=\"\" autocomplete=\"family-name\" aria-describedby=\"lastName-error\" aria-invalid=\"true\">"
            ))
        #expect(!html.contains("id=\"firstName-error\""))
        #expect(try await Self.status(app, clientId) == "invited")
        // A postcode outside the region: refused by the store rule, shown at the postcode.
        let outside = try await Self.post(
            app, "/uitnodiging/\(token)", Self.filledForm(world, token: formToken).map { $0.0 == "postcode" ? ($0.0, "9999 ZZ") : $0 })
        #expect(outside.status == 422)
        #expect(outside.text.contains("id=\"postcode-error\"") && outside.text.contains("value=\"9999 ZZ\""))
        // A birth date in the future on her page.
        let placed = try await world.placedClient()
        let page = try await Self.get(app, "/aanmelding/\(placed.link)")
        let future = try await Self.post(
            app, "/aanmelding/\(placed.link)/geboorte", [("_form", try #require(Self.formToken(page))), ("bornOn", day(3))])
        #expect(future.status == 422)
        let typed = CivilDate(iso: day(3))!
        #expect(
            future.text.contains("id=\"bornOn-error\"")
                && future.text.contains("name=\"bornOn-year\" type=\"text\" inputmode=\"numeric\" class=\"w4\" value=\"\(typed.year)\""))
        #expect(try await Self.status(app, placed.id) == "waiting")
    }

    @Test func dutchByDefaultAndEnglishOnRequest() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let (_, token) = try await Self.invited(world)
        let nl = try await Self.get(app, "/uitnodiging/\(token)")
        #expect(nl.text.contains("<html lang=\"nl\">") && nl.text.contains("Aanmelden voor de wachtlijst kraamzorg"))
        #expect(nl.header("Content-Language") == "nl")
        let en = try await Self.get(app, "/uitnodiging/\(token)?lang=en")
        #expect(en.text.contains("<html lang=\"en\">") && en.text.contains("Sign up for the maternity care waitlist"))
        #expect(en.text.contains("action=\"/uitnodiging/\(token)?lang=en\""))
        let header = try await Self.get(app, "/uitnodiging/\(token)", headers: [("Accept-Language", "en-GB,en;q=0.9,nl;q=0.5")])
        #expect(header.text.contains("<html lang=\"en\">"))
        let preferDutch = try await Self.get(app, "/uitnodiging/\(token)", headers: [("Accept-Language", "de-DE, nl;q=0.8, en;q=0.7")])
        #expect(preferDutch.text.contains("<html lang=\"nl\">"))
        let override = try await Self.get(app, "/uitnodiging/\(token)?lang=nl", headers: [("Accept-Language", "en")])
        #expect(override.text.contains("<html lang=\"nl\">"))
        // Both languages are complete: no page mixes in the other's key words.
        #expect(!en.text.contains("Voornaam") && !nl.text.contains("First name"))
    }

    @Test func acceptanceThroughThePagePlacesHerLikeTheJSONRoute() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        // Through the JSON route, for comparison.
        let json = try await world.placedClient()
        // Through the page.
        let (clientId, token) = try await Self.invited(world)
        let form = try await Self.get(app, "/uitnodiging/\(token)")
        #expect(form.text.contains(world.providers[0].id) && form.text.contains(world.providers[1].id))
        let r = try await Self.post(
            app, "/uitnodiging/\(token)",
            Self.filledForm(world, token: try #require(Self.formToken(form)), providers: [world.providers[0].id]))
        #expect(r.status == 200)
        #expect(r.text.contains("U staat op de wachtlijst") && r.text.contains("V: Wat nu? A: Wacht op bericht."))
        let link = try await app.outboxToken(clientId: clientId, kind: "placementConfirmation", prefix: "/aanmelding/")
        #expect(r.text.contains("https://kraamzorg.example/aanmelding/\(link)"))

        let id = UUID(uuidString: clientId)!, jsonId = UUID(uuidString: json.id)!
        let row = try await app.pool.query(
            "SELECT status, first_name, phone, postcode, preferred_provider_ids::text AS p FROM clients WHERE id = \(id)")[0]
        #expect(try row.decode("status", as: String.self) == "waiting")
        #expect(try row.decode("first_name", as: String.self) == "Anna")
        #expect(try row.decode("postcode", as: String.self) == "\(world.pc4)AB")
        #expect(try row.decode("p", as: String.self) == "{\(world.providers[0].id)}")
        #expect(
            try await app.count("SELECT count(*) FROM consents WHERE client_id = \(id) AND version = '2026-1' AND withdrawn_at IS NULL")
                == 1)
        #expect(try await app.count("SELECT count(*) FROM invitations WHERE client_id = \(id) AND used_at IS NOT NULL") == 1)
        // The same audit event as the JSON route: one update "accepted" by the client through her link.
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(id) AND action = 'update' AND role = 'client' AND details->>'event' = 'accepted' AND details->>'consentVersion' = '2026-1'"
            ) == 1)
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(jsonId) AND action = 'update' AND role = 'client' AND details->>'event' = 'accepted' AND details->>'consentVersion' = '2026-1'"
            ) == 1)
        // The same messages: her confirmation and a notice to each provider of the region.
        let kinds = "SELECT kind FROM notifications WHERE client_id = "
        let pageKinds = try await app.pool.query("\(unsafeRaw: kinds)\(id) ORDER BY kind").map { try $0.decode("kind", as: String.self) }
        let jsonKinds = try await app.pool.query("\(unsafeRaw: kinds)\(jsonId) ORDER BY kind").map {
            try $0.decode("kind", as: String.self)
        }
        #expect(pageKinds == jsonKinds)
        #expect(pageKinds.contains("providerNotice") && pageKinds.contains("placementConfirmation"))
        // The admin sees her as the JSON route would show her.
        let seen = try await app.admin("GET", "/v1/clients/\(clientId)").object()
        #expect(seen["status"] as? String == "waiting")

        // Her page reads as the JSON GETs do: a read of her data and of the access log, both by the client.
        let before = try await app.count(
            "SELECT count(*) FROM audit_events WHERE client_id = \(id) AND role = 'client' AND action = 'read'")
        let page = try await Self.get(app, "/aanmelding/\(link)")
        #expect(page.status == 200 && page.text.contains("Wachtend"))
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(id) AND role = 'client' AND action = 'read' AND object_type = 'client'"
            ) >= 1)
        #expect(
            try await app.count("SELECT count(*) FROM audit_events WHERE client_id = \(id) AND role = 'client' AND action = 'read'")
                == before + 2)
        #expect(page.text.contains("id=\"access-log\""))
    }

    @Test func birthAndWithdrawalThroughHerPage() async throws {
        let app = try await Self.pageApp.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let placed = try await world.placedClient()
        let page = try await Self.get(app, "/aanmelding/\(placed.link)")
        let token = try #require(Self.formToken(page))
        let birth = try await Self.post(
            app, "/aanmelding/\(placed.link)/geboorte", [("_form", token), ("bornOn", day(-1)), ("bevestigd", "ja")])
        #expect(birth.status == 303)
        #expect(birth.header("Location") == "/aanmelding/\(placed.link)?lang=nl&klaar=geboorte")
        #expect(try await Self.status(app, placed.id) == "birthReported")
        let id = UUID(uuidString: placed.id)!
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(id) AND role = 'client' AND details->>'event' = 'birthReported'")
                == 1)
        #expect(try await app.count("SELECT count(*) FROM notifications WHERE client_id = \(id) AND kind = 'urgentBirthNotice'") >= 1)
        let after = try await Self.get(app, "/aanmelding/\(placed.link)?klaar=geboorte")
        #expect(after.text.contains("Urgent: bevallen") && after.text.contains("We hebben de geboorte doorgegeven"))
        #expect(!after.text.contains("id=\"bornOn\""))
        // Twice: not possible any more (409), nothing changes.
        let again = try await Self.post(
            app, "/aanmelding/\(placed.link)/geboorte", [("_form", token), ("bornOn", day(-1)), ("bevestigd", "ja")])
        #expect(again.status == 409)

        let confirm = try await Self.get(app, "/aanmelding/\(placed.link)/afmelden")
        #expect(confirm.text.contains("Weet u zeker dat u zich wilt afmelden?"))
        #expect(try await Self.status(app, placed.id) == "birthReported")
        let withdrawn = try await Self.post(app, "/aanmelding/\(placed.link)/afmelden", [("_form", token), ("reason", "Zelf geregeld")])
        #expect(withdrawn.status == 303)
        #expect(try await Self.status(app, placed.id) == "withdrawn")
        #expect(try await app.count("SELECT count(*) FROM consents WHERE client_id = \(id) AND withdrawn_at IS NOT NULL") == 1)
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(id) AND role = 'client' AND details->>'event' = 'withdrawn' AND details->>'consentWithdrawn' = 'true'"
            ) == 1)
        let gone = try await Self.get(app, "/aanmelding/\(placed.link)")
        #expect(gone.status == 200 && gone.text.contains("U bent afgemeld") && !gone.text.contains("Anna"))
    }

    // MARK: small parts

    @Test func formBodiesAreDecodedAsBrowsersEncodeThem() throws {
        let form = try #require(FormData.parse(Array("firstName=Ren%C3%A9e+van+Dam&x=&providers=a&providers=b&empty&a%2Bb=1%2B1%3D2".utf8)))
        #expect(form["firstName"] == "Renée van Dam")
        #expect(form["x"] == "")
        #expect(form["empty"] == "")
        #expect(form.values("providers") == ["a", "b"])
        #expect(form["a+b"] == "1+1=2")
        #expect(FormData.parse(Array("a=%zz".utf8)) == nil)
        #expect(FormData.parse(Array("a=%C3".utf8)) == nil)  // not UTF-8
        #expect(FormData.parse(Array("a=%4".utf8)) == nil)
    }

    @Test func htmlInterpolationEscapes() {
        let name = "<a href=\"x\">'&'</a>"
        let html: HTML = "<p title=\"\(name)\">\(name)</p>"
        #expect(
            html.text
                == "<p title=\"&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\">&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</p>"
        )
    }

    @Test func datesAsPeopleTypeThem() {
        #expect(CivilDate.fromForm("2026-03-15")?.iso == "2026-03-15")
        #expect(CivilDate.fromForm("15-03-2026")?.iso == "2026-03-15")
        #expect(CivilDate.fromForm("5/3/2026")?.iso == "2026-03-05")
        #expect(CivilDate.fromForm("31-02-2026") == nil)
        #expect(CivilDate.fromForm("morgen") == nil)
    }
}
