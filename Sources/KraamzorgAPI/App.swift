import Foundation
import HTTPServer
import KraamzorgStore
import PostgresClient

/// The kraamzorg API: every route, wired to the stores. Build it once and hand `router()` to the server.
public struct KraamzorgApp: Sendable {
    public struct Configuration: Sendable {
        /// The OpenAPI document served at `/openapi.yaml`.
        public var openAPIDocument: [UInt8]
        /// Extra Prometheus text appended to the server's own metrics (pool use, outbox backlog).
        public var httpMetrics: @Sendable () -> String
        /// Base of links sent to people (`PUBLIC_BASE_URL`), without a trailing slash.
        public var publicBaseURL: String

        public init(openAPIDocument: [UInt8], httpMetrics: @escaping @Sendable () -> String,
                    publicBaseURL: String = "http://127.0.0.1:8080") {
            self.openAPIDocument = openAPIDocument
            self.httpMetrics = httpMetrics
            var base = publicBaseURL
            while base.hasSuffix("/") { base.removeLast() }
            self.publicBaseURL = base
        }
    }

    let pool: PostgresPool
    let logger: Logger
    let configuration: Configuration
    let identity: IdentityStore
    let register: RegisterStore
    let waitlists: WaitlistStore
    let clients: ClientStore

    public init(pool: PostgresPool, logger: Logger, configuration: Configuration) {
        self.pool = pool
        self.logger = logger
        self.configuration = configuration
        self.identity = IdentityStore(pool: pool)
        self.register = RegisterStore(pool: pool)
        self.waitlists = WaitlistStore(pool: pool)
        self.clients = ClientStore(pool: pool)
    }

    public func router() -> Router {
        var routes = RouteBuilder(router: Router(), authenticator: Authenticator(identity: identity, logger: logger), logger: logger)
        OperationsRoutes(pool: pool, configuration: configuration).register(&routes)
        OrganizationRoutes(identity: identity, waitlists: waitlists).register(&routes)
        UserRoutes(identity: identity).register(&routes)
        MembershipRoutes(identity: identity).register(&routes)
        TokenRoutes(identity: identity).register(&routes)
        PractitionerRoutes(store: register).register(&routes)
        PeriodRoutes(store: register).register(&routes)
        RegisterLookupRoutes(store: register).register(&routes)
        CourseRoutes(store: register).register(&routes)
        AccreditationRoutes(store: register).register(&routes)
        RegisterFileRoutes(store: register).register(&routes)
        WaitlistRoutes(waitlists: waitlists, clients: clients, publicBaseURL: configuration.publicBaseURL).register(&routes)
        ClientRoutes(waitlists: waitlists, clients: clients).register(&routes)
        ClientLinkRoutes(waitlists: waitlists, clients: clients).register(&routes)
        WaitlistReportRoutes(waitlists: waitlists, clients: clients).register(&routes)
        PageRoutes(waitlists: waitlists, clients: clients, pool: pool, publicBaseURL: configuration.publicBaseURL).register(&routes)
        return routes.router
    }
}
