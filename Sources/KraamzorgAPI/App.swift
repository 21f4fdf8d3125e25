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
        /// How long a token's principal is answered from memory (`TokenCache`); nil: every request looks its token up.
        public var tokenCacheTimeToLive: Duration? = .seconds(30)
        /// Tokens kept in that cache at most.
        public var tokenCacheCapacity = 10_000
        /// The channel revocations are notified on; tests give an instance a channel of its own to keep it apart.
        var tokenCacheChannel = TokenCache.authChannel

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
    /// The token cache's listener for revocations (nil without a cache); started here, stopped by `stop()`.
    let authNotifications: AuthNotifications?

    /// The reads that may lag (`ReadReplica`): on `readPool` (`DATABASE_READ_URL`) when given, else on the primary.
    let reads: ReadReplica

    /// `readPool`: a pool on a read replica of `pool`'s database (`DATABASE_READ_URL`), for the reads that may lag.
    public init(
        pool: PostgresPool, readPool: PostgresPool? = nil, logger: Logger, jobs: any JobRunning, clock: DutchClock = .system,
        configuration: Configuration
    ) {
        // A statement sent from an event loop's thread (an inline route) is answered on that thread.
        PostgresSocketWaiting.useLocalWaiter { fd, callback in LoopSockets.whenReadable(fd: fd, callback) }
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
        self.reads = ReadReplica(primary: register, replicaPool: readPool.map { classes.pool(DatabaseClasses.register, from: $0) })
        self.waitlists = WaitlistStore(pool: waitlistsPool)
        self.clients = ClientStore(pool: waitlistsPool)
        self.webhooks = WebhookStore(pool: accounts, secretKey: configuration.webhookSecretKey)
        self.jobs = jobs
        self.lookupNumbers = RateLimiter(RateLimit(requests: configuration.lookupNumbersPerMinute, per: .seconds(60)))
        if let ttl = configuration.tokenCacheTimeToLive {
            let notifications = AuthNotifications(
                configuration: pool.configuration, cache: TokenCache(timeToLive: ttl, capacity: configuration.tokenCacheCapacity),
                channel: configuration.tokenCacheChannel, logger: logger)
            notifications.start()
            self.authNotifications = notifications
        } else {
            self.authNotifications = nil
        }
    }

    /// The problem types of the server's own answers (404, 405, 429, 503, parse errors), for
    /// `ServerConfiguration.problemType`: the same table and `PUBLIC_BASE_URL` as the routes' problems.
    public var serverProblemTypes: @Sendable (Int) -> String? {
        let base = configuration.publicBaseURL
        return { status in ProblemType.forServerStatus(status)?.uri(base: base) }
    }

    /// Stops listening for revocations (at shutdown).
    public func stop() { authNotifications?.stop() }

    /// Whether the token cache is in use: its connection listens for revocations (`/readyz` and tests read it).
    public var tokenCacheListening: Bool { authNotifications?.isListening ?? false }

    public func router() -> Router {
        var routes = RouteBuilder(
            router: Router(), authenticator: Authenticator(identity: authIdentity, logger: logger, notifications: authNotifications),
            logger: logger, idempotency: Idempotency(keys: IdempotencyKeys(pool: identity.pool), clock: clock),
            locks: ResourceLocks(pool: configuration.database.pool(DatabaseClasses.locks, from: pool)),
            problemTypeBase: configuration.publicBaseURL)
        let clientWorkflows = ClientWorkflows(pool: waitlistsPool, clock: clock, releasesPerDay: configuration.releasesPerDay),
            regionWorkflows = RegionWorkflows(pool: waitlistsPool)
        OperationsRoutes(pool: pool, backlogPool: operationsPool, reads: reads, configuration: configuration).register(&routes)
        let identityWorkflows = IdentityWorkflows(pool: identity.pool)
        OrganizationRoutes(identity: identity, workflows: identityWorkflows, waitlists: waitlists, regions: regionWorkflows).register(
            &routes)
        UserRoutes(identity: identity, workflows: identityWorkflows).register(&routes)
        LinkingRoutes(workflows: identityWorkflows).register(&routes)
        MembershipRoutes(identity: identity, workflows: MembershipWorkflows(pool: identity.pool), linking: identityWorkflows).register(
            &routes)
        TokenRoutes(identity: identity).register(&routes)
        let registerWorkflows = RegisterWorkflows(store: register, clock: clock)
        PractitionerRoutes(store: register, workflows: registerWorkflows, clock: clock).register(&routes)
        PeriodRoutes(store: register, workflows: registerWorkflows, clock: clock).register(&routes)
        RegisterLookupRoutes(store: register, reads: reads, clock: clock, numbersLimiter: lookupNumbers).register(&routes)
        CourseRoutes(store: register, reads: reads, workflows: CourseWorkflows(store: register)).register(&routes)
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
