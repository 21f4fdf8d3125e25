#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Logging

/// The kraamzorg API: every route, wired to the stores. Build it once and hand `router()` to the server.
public struct KraamzorgApp: Sendable {
    public struct Configuration: Sendable {
        /// The OpenAPI document served at `/openapi.yaml`.
        public var openAPIDocument: [UInt8]
        /// Extra Prometheus text appended to the server's own metrics (pool use, outbox backlog).
        public var httpMetrics: @Sendable () -> String
        /// Base of links sent to people (`PUBLIC_BASE_URL`), without a trailing slash.
        public var publicBaseURL: String
        /// `WEBHOOK_ALLOW_PRIVATE=1`: accept webhook URLs on loopback and private addresses (tests, local setups).
        public var webhookAllowPrivate: Bool

        public init(openAPIDocument: [UInt8], httpMetrics: @escaping @Sendable () -> String,
                    publicBaseURL: String = "http://127.0.0.1:8080", webhookAllowPrivate: Bool = false) {
            self.openAPIDocument = openAPIDocument
            self.httpMetrics = httpMetrics
            self.webhookAllowPrivate = webhookAllowPrivate
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
    let webhooks: WebhookStore
    /// The scheduled jobs (built by the executable), also run on demand by `POST /v1/jobs/{name}/run`.
    let jobs: any JobRunning

    public init(pool: PostgresPool, logger: Logger, jobs: any JobRunning, configuration: Configuration) {
        self.pool = pool
        self.logger = logger
        self.configuration = configuration
        self.identity = IdentityStore(pool: pool)
        self.register = RegisterStore(pool: pool)
        self.waitlists = WaitlistStore(pool: pool)
        self.clients = ClientStore(pool: pool)
        self.webhooks = WebhookStore(pool: pool)
        self.jobs = jobs
    }

    public func router() -> Router {
        var routes = RouteBuilder(router: Router(), authenticator: Authenticator(identity: identity, logger: logger), logger: logger)
        let clientWorkflows = ClientWorkflows(pool: pool), regionWorkflows = RegionWorkflows(pool: pool)
        OperationsRoutes(pool: pool, configuration: configuration).register(&routes)
        OrganizationRoutes(identity: identity, waitlists: waitlists, regions: regionWorkflows).register(&routes)
        UserRoutes(identity: identity).register(&routes)
        MembershipRoutes(identity: identity).register(&routes)
        TokenRoutes(identity: identity).register(&routes)
        let registerWorkflows = RegisterWorkflows(store: register)
        PractitionerRoutes(store: register, workflows: registerWorkflows).register(&routes)
        PeriodRoutes(store: register, workflows: registerWorkflows).register(&routes)
        RegisterLookupRoutes(store: register).register(&routes)
        CourseRoutes(store: register).register(&routes)
        AccreditationRoutes(store: register, completions: CompletionWorkflows(store: register)).register(&routes)
        RegisterFileRoutes(store: register, workflows: registerWorkflows).register(&routes)
        WaitlistRoutes(waitlists: waitlists, regions: regionWorkflows, waitlistWorkflows: WaitlistWorkflows(pool: pool), workflows: clientWorkflows,
                       publicBaseURL: configuration.publicBaseURL).register(&routes)
        ClientRoutes(waitlists: waitlists, clients: clients, workflows: clientWorkflows).register(&routes)
        ClientLinkRoutes(clients: clients, workflows: clientWorkflows).register(&routes)
        WaitlistReportRoutes(waitlists: waitlists, clients: clients).register(&routes)
        EventRoutes(pool: pool, waitlists: waitlists, clients: clients).register(&routes)
        WebhookRoutes(webhooks: webhooks, allowPrivate: configuration.webhookAllowPrivate).register(&routes)
        JobRoutes(jobs: jobs).register(&routes)
        PageRoutes(waitlists: waitlists, clients: clients, workflows: clientWorkflows, pool: pool, publicBaseURL: configuration.publicBaseURL).register(&routes)
        return routes.router
    }
}
