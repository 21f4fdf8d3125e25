import FoundationEssentials
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
        /// Registration numbers one membership may look up in bulk per minute (`LOOKUP_NUMBERS_PER_MINUTE`).
        public var lookupNumbersPerMinute: Int
        /// The key webhook signing secrets are derived from (`WEBHOOK_SECRET_KEY` or its key file); the webhook
        /// deliverer must use the same one. No default: a key made up here would sign nothing the deliverer signs.
        public var webhookSecretKey: WebhookSecretKey
        /// How requests borrow database connections: a capped class per route family, short waits.
        public var database: DatabaseClasses
        /// Hand-backs one care provider may make in any 24 hours (`RELEASES_PER_DAY`, DOMAIN §7a).
        public var releasesPerDay: Int

        public init(
            openAPIDocument: [UInt8], httpMetrics: @escaping @Sendable () -> String, webhookSecretKey: WebhookSecretKey,
            publicBaseURL: String = "http://127.0.0.1:8080", webhookAllowPrivate: Bool = false, lookupNumbersPerMinute: Int = 1_000,
            database: DatabaseClasses = DatabaseClasses(), releasesPerDay: Int = 5
        ) {
            self.releasesPerDay = max(1, releasesPerDay)
            self.lookupNumbersPerMinute = max(1, lookupNumbersPerMinute)
            self.webhookSecretKey = webhookSecretKey
            self.database = database
            self.openAPIDocument = openAPIDocument
            self.httpMetrics = httpMetrics
            self.webhookAllowPrivate = webhookAllowPrivate
            var base = publicBaseURL
            while base.hasSuffix("/") { base.removeLast() }
            self.publicBaseURL = base
        }
    }

    /// The whole pool: readiness pings (never behind queued requests) and its figures for `/metrics`.
    let pool: PostgresPool
    /// The pool as the waitlist routes borrow it (`DatabaseClasses.waitlists`), for what takes a pool rather than a store.
    let waitlistsPool: PostgresPool
    /// The pool as `/metrics` borrows it (`DatabaseClasses.operations`).
    let operationsPool: PostgresPool
    let logger: Logger
    let configuration: Configuration
    let identity: IdentityStore
    /// The identity store as the token lookup of every request borrows it (`DatabaseClasses.auth`).
    let authIdentity: IdentityStore
    let register: RegisterStore
    let waitlists: WaitlistStore
    let clients: ClientStore
    let webhooks: WebhookStore
    /// The scheduled jobs (built by the executable), also run on demand by `POST /v1/jobs/{name}/run`.
    let jobs: any JobRunning
    /// The one "today in Dutch time" of every route and use case (tests fix it).
    let clock: DutchClock
    /// Bulk lookups' own limiter (the server's limiter counts requests; this one counts numbers).
    let lookupNumbers: RateLimiter

    public init(pool: PostgresPool, logger: Logger, jobs: any JobRunning, clock: DutchClock = .system, configuration: Configuration) {
        self.pool = pool
        self.clock = clock
        self.logger = logger
        self.configuration = configuration
        let classes = configuration.database
        let accounts = classes.pool(DatabaseClasses.accounts, from: pool)
        self.waitlistsPool = classes.pool(DatabaseClasses.waitlists, from: pool)
        self.operationsPool = classes.pool(DatabaseClasses.operations, from: pool)
        self.identity = IdentityStore(pool: accounts)
        self.authIdentity = IdentityStore(pool: classes.pool(DatabaseClasses.auth, from: pool))
        self.register = RegisterStore(pool: classes.pool(DatabaseClasses.register, from: pool))
        self.waitlists = WaitlistStore(pool: waitlistsPool)
        self.clients = ClientStore(pool: waitlistsPool)
        self.webhooks = WebhookStore(pool: accounts, secretKey: configuration.webhookSecretKey)
        self.jobs = jobs
        self.lookupNumbers = RateLimiter(RateLimit(requests: configuration.lookupNumbersPerMinute, per: .seconds(60)))
    }

    /// The problem types of the server's own answers (404, 405, 429, 503, parse errors), for
    /// `ServerConfiguration.problemType`: the same table and `PUBLIC_BASE_URL` as the routes' problems.
    public var serverProblemTypes: @Sendable (Int) -> String? {
        let base = configuration.publicBaseURL
        return { status in ProblemType.forServerStatus(status)?.uri(base: base) }
    }

    public func router() -> Router {
        var routes = RouteBuilder(
            router: Router(), authenticator: Authenticator(identity: authIdentity, logger: logger), logger: logger,
            idempotency: Idempotency(keys: IdempotencyKeys(pool: identity.pool), clock: clock),
            locks: ResourceLocks(pool: configuration.database.pool(DatabaseClasses.locks, from: pool)),
            problemTypeBase: configuration.publicBaseURL)
        let clientWorkflows = ClientWorkflows(pool: waitlistsPool, clock: clock, releasesPerDay: configuration.releasesPerDay),
            regionWorkflows = RegionWorkflows(pool: waitlistsPool)
        OperationsRoutes(pool: pool, backlogPool: operationsPool, configuration: configuration).register(&routes)
        let identityWorkflows = IdentityWorkflows(pool: identity.pool)
        OrganizationRoutes(identity: identity, workflows: identityWorkflows, waitlists: waitlists, regions: regionWorkflows).register(
            &routes)
        UserRoutes(identity: identity, workflows: identityWorkflows).register(&routes)
        LinkingRoutes(workflows: identityWorkflows).register(&routes)
        MembershipRoutes(identity: identity, workflows: MembershipWorkflows(pool: identity.pool)).register(&routes)
        TokenRoutes(identity: identity).register(&routes)
        let registerWorkflows = RegisterWorkflows(store: register, clock: clock)
        PractitionerRoutes(store: register, workflows: registerWorkflows, clock: clock).register(&routes)
        PeriodRoutes(store: register, workflows: registerWorkflows, clock: clock).register(&routes)
        RegisterLookupRoutes(store: register, clock: clock, numbersLimiter: lookupNumbers).register(&routes)
        CourseRoutes(store: register, workflows: CourseWorkflows(store: register)).register(&routes)
        AccreditationRoutes(store: register, completions: CompletionWorkflows(store: register, clock: clock)).register(&routes)
        RegisterFileRoutes(store: register, workflows: registerWorkflows, ehboWorkflows: EhboWorkflows(pool: register.pool), clock: clock)
            .register(&routes)
        WaitlistRoutes(
            waitlists: waitlists, regions: regionWorkflows, waitlistWorkflows: WaitlistWorkflows(pool: waitlistsPool),
            workflows: clientWorkflows,
            publicBaseURL: configuration.publicBaseURL, clock: clock
        ).register(&routes)
        ClientRoutes(waitlists: waitlists, clients: clients, workflows: clientWorkflows, clock: clock).register(&routes)
        ClientLinkRoutes(clients: clients, workflows: clientWorkflows, clock: clock).register(&routes)
        WaitlistReportRoutes(waitlists: waitlists, clients: clients, clock: clock).register(&routes)
        EventRoutes(pool: waitlistsPool, waitlists: waitlists, clients: clients, clock: clock).register(&routes)
        WebhookRoutes(webhooks: webhooks, allowPrivate: configuration.webhookAllowPrivate, clock: clock).register(&routes)
        JobRoutes(jobs: jobs).register(&routes)
        ProblemRoutes().register(&routes)
        PageRoutes(
            waitlists: waitlists, clients: clients, workflows: clientWorkflows, pool: waitlistsPool,
            publicBaseURL: configuration.publicBaseURL,
            clock: clock
        ).register(&routes)
        return routes.router
    }
}
