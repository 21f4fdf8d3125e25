import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgAPI
import KraamzorgJobs
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import SMTPClient
import CurlTransport

import Glibc
import Logging

// kraamzorg-server: read the environment, migrate, serve, and shut down in reverse order on SIGTERM/SIGINT.

StopSignals.install()
CrashLog.install()

let env = ProcessInfo.processInfo.environment
let logger = Logger(level: Logger.Level(name: env["LOG_LEVEL"] ?? "info") ?? .info)

func fail(_ message: String) -> Never {
    logger.log(.error, message)
    exit(1)
}

guard let databaseURL = env["DATABASE_URL"], !databaseURL.isEmpty else {
    fail("DATABASE_URL is not set (make run starts a local PostgreSQL and sets it)")
}
let host = env["HOST"] ?? "127.0.0.1"
guard let port = Int(env["PORT"] ?? "8080"), (0...65_535).contains(port) else { fail("PORT must be a port number") }

let pgConfiguration: PostgresConfiguration
do { pgConfiguration = try PostgresConfiguration(url: databaseURL) } catch { fail("DATABASE_URL cannot be read: \(error)") }
let pool = PostgresPool(configuration: pgConfiguration)
// A streaming replica for the reads that may lag (README, "Several instances and a read replica").
let readPool: PostgresPool? = env["DATABASE_READ_URL"].flatMap { $0.isEmpty ? nil : $0 }.map { url in
    do {
        var configuration = try PostgresConfiguration(url: url)
        configuration.applicationName += "-read"
        return PostgresPool(configuration: configuration)
    } catch {
        fail("DATABASE_READ_URL cannot be read: \(error)")
    }
}
// Two roles (README, "Database roles"): requests on DATABASE_URL, migrations on DATABASE_OWNER_URL, which
// then grants the request role (DATABASE_APP_ROLE, or the role DATABASE_URL logs in as) what it needs.
// Without DATABASE_OWNER_URL one role does both, as before.
let ownerURL = env["DATABASE_OWNER_URL"].flatMap { $0.isEmpty ? nil : $0 }
let requestRole = env["DATABASE_APP_ROLE"].flatMap { $0.isEmpty ? nil : $0 }
if let ownerURL {
    do { _ = try PostgresConfiguration(url: ownerURL) } catch { fail("DATABASE_OWNER_URL cannot be read: \(error)") }
}

/// The database may still be starting (docker compose, a fresh cluster): wait for it up to a minute.
func waitForDatabase() async {
    for attempt in 1...60 {
        if await pool.ping() { return }
        if attempt == 1 { logger.log(.info, "waiting for the database") }
        try? await Task.sleep(for: .seconds(1))
    }
    fail("the database did not answer within 60 s")
}

let openAPIPath = env["OPENAPI_PATH"] ?? "openapi.yaml"
let openAPIDocument = FileManager.default.contents(atPath: openAPIPath).map { Array($0) } ?? Array("openapi: 3.1.0\n".utf8)

// The key webhook secrets are derived from: WEBHOOK_SECRET_KEY, else a key file made once (not the database:
// a dump of it must not be enough to sign as this service).
let webhookSecretKey: WebhookSecretKey
if let text = env["WEBHOOK_SECRET_KEY"], !text.isEmpty {
    guard let key = WebhookSecretKey(text: text) else {
        fail("WEBHOOK_SECRET_KEY must be at least \(WebhookSecretKey.minimumLength) characters")
    }
    webhookSecretKey = key
} else {
    let path = env["WEBHOOK_SECRET_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? ".data/webhook-secret.key"
    do {
        let (key, created) = try WebhookSecretKey.loadOrCreate(file: path)
        webhookSecretKey = key
        logger.log(.info, created ? "webhook secret key made" : "webhook secret key read", ["file": path])
    } catch {
        fail("WEBHOOK_SECRET_KEY is not set and the key file cannot be used: \(error)")
    }
}

await waitForDatabase()
do {
    let outcome = try await DatabaseRoles.migrate(requestPool: pool, ownerURL: ownerURL, requestRole: requestRole)
    logger.log(
        .info, "database migrated",
        [
            "applied": outcome.applied.map(String.init).joined(separator: ","),
            "requestRole": outcome.requestRole ?? "-",
        ])
} catch {
    fail("migration failed: \(error)")
}
if requestRole != nil && ownerURL == nil { logger.log(.warn, "DATABASE_APP_ROLE is ignored without DATABASE_OWNER_URL") }
do {
    if let weakness = try await DatabaseRoles.auditLogWeakness(pool) {
        logger.log(
            .warn,
            "the service's database role can change or erase the audit log: migrate as the owner with DATABASE_OWNER_URL "
                + "and let DATABASE_URL log in as a role of its own (README, Database roles)", ["reason": weakness])
    }
} catch {
    logger.log(.warn, "could not check the database role's privileges on audit_events", ["error": String(describing: error)])
}
if let adminToken = env["ADMIN_TOKEN"], !adminToken.isEmpty {
    do { try await IdentityStore(pool: pool).bootstrapAdmin(tokenHash: SecretToken.hash(adminToken)) } catch {
        fail("ADMIN_TOKEN bootstrap failed: \(error)")
    }
}

// Database connections by class (DatabaseClasses): requests wait briefly for a connection of their route family's
// class, each class capped at part of the pool, so one stuck table cannot take every connection; jobs wait longer.
let requestStatementMillis = nonNegative("DB_STATEMENT_TIMEOUT_MS", 10_000)
let databaseClasses = DatabaseClasses(
    acquireTimeout: .milliseconds(positive("DB_ACQUIRE_TIMEOUT_MS", 1_500)),
    statementTimeout: requestStatementMillis == 0 ? nil : .milliseconds(requestStatementMillis),
    maxConnectionsPerClass: env["DB_CLASS_MAX_CONNECTIONS"]?.isEmpty == false ? positive("DB_CLASS_MAX_CONNECTIONS", 1) : nil)
let jobsPool = pool.forClass(
    DatabaseClasses.jobs(
        poolSize: pgConfiguration.poolSize, maxConnections: databaseClasses.maxConnectionsPerClass,
        acquireTimeout: .milliseconds(positive("DB_JOBS_ACQUIRE_TIMEOUT_MS", 10_000))))

let waitlistStore = WaitlistStore(pool: jobsPool), clientStore = ClientStore(pool: jobsPool)
let scheduler = JobScheduler(
    pool: jobsPool, jobs: StandardJobs.all(waitlists: waitlistStore, clients: clientStore, register: RegisterStore(pool: jobsPool)),
    logger: logger)
let serverBox = ServerBox()
// Seconds a token's principal is answered from memory (README, "Several instances and a read replica"); 0: no cache.
let tokenCacheSeconds = nonNegative("TOKEN_CACHE_SECONDS", 30)
var appConfiguration = KraamzorgApp.Configuration(
    openAPIDocument: openAPIDocument,
    httpMetrics: { serverBox.server?.metrics.prometheusText() ?? "" },
    webhookSecretKey: webhookSecretKey,
    publicBaseURL: env["PUBLIC_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(host):\(port)",
    webhookAllowPrivate: env["WEBHOOK_ALLOW_PRIVATE"] == "1", lookupNumbersPerMinute: positive("LOOKUP_NUMBERS_PER_MINUTE", 1_000),
    database: databaseClasses, releasesPerDay: positive("RELEASES_PER_DAY", 5))
appConfiguration.tokenCacheTimeToLive = tokenCacheSeconds == 0 ? nil : .seconds(tokenCacheSeconds)
let app = KraamzorgApp(pool: pool, readPool: readPool, logger: logger, jobs: scheduler, configuration: appConfiguration)
var serverConfiguration = ServerConfiguration()
serverConfiguration.host = host
serverConfiguration.port = port
serverConfiguration.problemType = app.serverProblemTypes

/// A whole number ≥ 1 from the environment, or `fallback`.
func positive(_ name: String, _ fallback: Int) -> Int {
    guard let text = env[name], !text.isEmpty else { return fallback }
    guard let value = Int(text), value >= 1 else { fail("\(name) must be a whole number ≥ 1") }
    return value
}

/// A whole number ≥ 0 from the environment, or `fallback`.
func nonNegative(_ name: String, _ fallback: Int) -> Int {
    guard let text = env[name], !text.isEmpty else { return fallback }
    guard let value = Int(text), value >= 0 else { fail("\(name) must be a whole number ≥ 0") }
    return value
}

// Rate limits per route class and minute (see RouteClasses). Benchmarks raise the public and lookup ones.
let publicPerMinute = positive("PUBLIC_RATE_LIMIT_PER_MINUTE", 120)
serverConfiguration.rateLimit = RateLimit(requests: publicPerMinute, per: .seconds(60))
serverConfiguration.rateLimitBuckets = [
    RouteClasses.lookupsBucket: RateLimit(requests: positive("LOOKUP_RATE_LIMIT_PER_MINUTE", publicPerMinute), per: .seconds(60)),
    RouteClasses.clientLinksBucket: RateLimit(requests: positive("CLIENT_LINK_RATE_LIMIT_PER_MINUTE", 60), per: .seconds(60)),
]
serverConfiguration.maxConnectionsPerAddress = positive("MAX_CONNECTIONS_PER_ADDRESS", 256)
// Behind a TLS proxy: only from these peers is the client address read from X-Forwarded-For / Forwarded.
switch AddressRange.list(env["TRUSTED_PROXIES"] ?? "") {
case .success(let ranges): serverConfiguration.trustedProxies = ranges
case .failure(let bad): fail("TRUSTED_PROXIES: \"\(bad.entry)\" is not an address or CIDR range")
}
// Browsers on these origins may call the API (exact origins, comma-separated); unset: no CORS headers.
let corsOrigins = (env["CORS_ORIGINS"] ?? "").split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
for origin in corsOrigins where !(origin.hasPrefix("https://") || origin.hasPrefix("http://")) || origin.dropFirst(8).contains("/") {
    fail("CORS_ORIGINS: \"\(origin)\" is not an origin (scheme://host[:port], no path)")
}
serverConfiguration.cors = CORSPolicy(origins: corsOrigins)
let server = Server(configuration: serverConfiguration, router: app.router(), logger: logger)
serverBox.server = server
do { try server.start() } catch { fail("cannot listen on \(host):\(port): \(error)") }

// Delivery and jobs: the outbox sender, webhook deliverer and scheduled jobs (issue 13).
guard let jobsSeconds = Int(env["JOBS_INTERVAL_SECONDS"] ?? "60"), jobsSeconds >= 1 else {
    fail("JOBS_INTERVAL_SECONDS must be a whole number ≥ 1")
}
guard let smtpPort = Int(env["SMTP_PORT"] ?? "25"), (1...65_535).contains(smtpPort) else { fail("SMTP_PORT must be a port number") }
let smtpHost = env["SMTP_HOST"].flatMap { $0.isEmpty ? nil : $0 }
let mailFrom = env["MAIL_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? "noreply@localhost"
// A CA bundle instead of the system store, for webhooks over https and mail over TLS.
let caFile = env["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
guard let smtpSecurity = SMTPSecurity(rawValue: (env["SMTP_TLS"] ?? "").isEmpty ? "starttls" : env["SMTP_TLS"]!) else {
    fail("SMTP_TLS must be starttls, tls or none")
}
let mailer: any Mailer
if let smtpHost {
    mailer = SMTPClient(
        configuration: SMTPConfiguration(
            host: smtpHost, port: smtpPort, heloName: env["SMTP_HELO_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "localhost",
            security: smtpSecurity, username: env["SMTP_USER"].flatMap { $0.isEmpty ? nil : $0 }, password: env["SMTP_PASSWORD"],
            caFile: caFile))
    logger.log(.info, "mail goes to the relay", ["host": smtpHost, "port": String(smtpPort), "tls": smtpSecurity.rawValue])
} else {
    // No relay: every message becomes an .eml file a person trying the service can open (README, Mail).
    let folder = env["MAIL_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".data/mail"
    mailer = MailDirectory(path: folder)
    logger.log(.info, "SMTP_HOST is not set: each message is written as an .eml file", ["folder": folder])
}
let delivery = DeliveryService(
    sender: OutboxSender(delivery: OutboxDelivery(pool: jobsPool), mailer: mailer, from: mailFrom, logger: logger),
    deliverer: WebhookDeliverer(
        store: WebhookStore(pool: jobsPool, secretKey: webhookSecretKey), waitlists: waitlistStore, clients: clientStore,
        http: WebhookHTTPClient(allowPrivate: env["WEBHOOK_ALLOW_PRIVATE"] == "1", caFile: caFile), logger: logger),
    scheduler: scheduler,
    watcher: DossierWatcher(pool: jobsPool),
    pollInterval: .seconds(min(5, jobsSeconds)), jobsInterval: .seconds(jobsSeconds), logger: logger)
delivery.start()

let received = await StopSignals.next()
logger.log(.info, "shutting down", ["signal": String(received)])
await server.shutdown()
app.stop()
await delivery.stop()
await pool.close()
await readPool?.close()
logger.log(.info, "stopped")
exit(0)
