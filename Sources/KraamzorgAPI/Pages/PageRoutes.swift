import FoundationEssentials
import Hashing
import HTTPServer
import Logging
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import DatesAndIDs

/// The client pages (issue 14): the links in her emails as plain HTML pages, no JavaScript.
///
/// - `GET/POST /uitnodiging/{token}`: the invitation, her details and consent → the same acceptance as
///   `POST /v1/invitations/{token}/accept` → a confirmation with the region's Q&A and her personal link.
/// - `GET /aanmelding/{token}`: her placement, a birth report form, the way to withdraw, and who accessed her data
///   (the same workflows, and so the same audit events, as `GET /v1/client-links/{token}` and `.../access-log`).
/// - `POST /aanmelding/{token}/geboorte` (the date, then "Klopt dit?" and `bevestigd=ja`), `POST .../geboorte/intrekken`
///   (within 24 hours), `POST .../wijzigen` (phone, due date), `GET/POST /aanmelding/{token}/afmelden` (with a confirmation step).
/// - `GET /privacy`: the privacy statement, linked from every page's footer.
/// - `GET /assets/site.css`: the one stylesheet.
///
/// Every POST carries a form token bound to the link (`FormTokens`); every page carries the security headers.
struct PageRoutes {
    let waitlists: WaitlistStore
    let clients: ClientStore
    let workflows: ClientWorkflows
    let pages: LinkPageStore
    let publicBaseURL: String
    let formTokens: FormTokens
    let clock: DutchClock

    init(
        waitlists: WaitlistStore, clients: ClientStore, workflows: ClientWorkflows, pool: PostgresPool, publicBaseURL: String,
        clock: DutchClock, pageSecret: String? = ProcessInfo.processInfo.environment["PAGE_SECRET"]
    ) {
        self.clock = clock
        self.waitlists = waitlists
        self.clients = clients
        self.workflows = workflows
        self.pages = LinkPageStore(pool: pool)
        self.publicBaseURL = publicBaseURL
        self.formTokens = FormTokens(store: pages, configuredSecret: pageSecret)
    }

    /// A page's outcome: a page with a status, or a redirect after a successful POST.
    enum Outcome {
        case page(HTML, HTTPStatus)
        case redirect(String)
    }

    func register(_ routes: inout RouteBuilder) {
        let handler = PageHandlers(
            waitlists: waitlists, clients: clients, workflows: workflows, pages: pages, base: publicBaseURL, formTokens: formTokens,
            clock: clock)
        let logger = routes.logger
        let pageOptions = RouteOptions(bodyLimit: 64 << 10, rateLimit: RouteClasses.clientLinks)

        func add(
            _ method: HTTPMethod, _ path: String,
            _ body: @escaping @Sendable (PageHandlers, HTTPRequest, PageStrings) async throws -> Outcome
        ) {
            routes.open(method, path, options: pageOptions) { request in
                let s = PageStrings.negotiate(request)
                do {
                    return PageRoutes.response(try await body(handler, request, s), s)
                } catch {
                    // The database down, busy or too slow (a statement timeout): come back shortly, as the JSON routes say.
                    let unavailable = ProblemMapping.problem(for: error)?.status == HTTPStatus.serviceUnavailable.code
                    logger.log(
                        .error, "client page failed", ["route": path, "requestId": request.requestId, "error": String(describing: error)])
                    let html = PageTemplates.message(s, title: s.serverErrorTitle, text: s.serverErrorText, switchPath: request.path)
                    var response = PageRoutes.response(.page(html, unavailable ? .serviceUnavailable : .internalServerError), s)
                    if unavailable { response.headers["Retry-After"] = "2" }
                    return response
                }
            }
        }

        add(.GET, "/uitnodiging/:token") { h, r, s in try await h.invitation(r, s) }
        add(.POST, "/uitnodiging/:token") { h, r, s in try await h.accept(r, s) }
        add(.GET, "/aanmelding/:token") { h, r, s in try await h.placement(r, s) }
        add(.POST, "/aanmelding/:token/geboorte") { h, r, s in try await h.reportBirth(r, s) }
        add(.POST, "/aanmelding/:token/geboorte/intrekken") { h, r, s in try await h.undoBirth(r, s) }
        add(.POST, "/aanmelding/:token/wijzigen") { h, r, s in try await h.correct(r, s) }
        add(.GET, "/aanmelding/:token/afmelden") { h, r, s in try await h.withdrawalConfirmation(r, s) }
        add(.POST, "/aanmelding/:token/afmelden") { h, r, s in try await h.withdraw(r, s) }

        // The privacy statement: public, the same for everyone (no link token, no database).
        routes.open(.GET, PrivacyPage.path, options: RouteOptions(rateLimited: true)) { request in
            let s = PageStrings.negotiate(request)
            return PageRoutes.response(.page(PrivacyPage.render(s), .ok), s)
        }

        routes.open(.GET, Stylesheet.path, options: RouteOptions(rateLimited: false)) { _ in
            var headers: HTTPHeaders = ["Content-Type": "text/css; charset=utf-8"]
            PageHeaders.apply(to: &headers, cacheable: true)
            return HTTPResponse(status: .ok, headers: headers, body: Array(Stylesheet.css.utf8))
        }
    }

    static func response(_ outcome: Outcome, _ s: PageStrings) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        PageHeaders.apply(to: &headers)
        switch outcome {
        case .page(let html, let status):
            headers["Content-Type"] = "text/html; charset=utf-8"
            headers["Content-Language"] = s.code
            headers["Vary"] = "Accept-Language"
            return HTTPResponse(status: status, headers: headers, body: Array(html.text.utf8))
        case .redirect(let location):
            headers["Location"] = location
            return HTTPResponse(status: .seeOther, headers: headers)
        }
    }
}
