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

        public init(openAPIDocument: [UInt8], httpMetrics: @escaping @Sendable () -> String) {
            self.openAPIDocument = openAPIDocument
            self.httpMetrics = httpMetrics
        }
    }

    let pool: PostgresPool
    let logger: Logger
    let configuration: Configuration
    let identity: IdentityStore
    let register: RegisterStore

    public init(pool: PostgresPool, logger: Logger, configuration: Configuration) {
        self.pool = pool
        self.logger = logger
        self.configuration = configuration
        self.identity = IdentityStore(pool: pool)
        self.register = RegisterStore(pool: pool)
    }

    public func router() -> Router {
        var routes = RouteBuilder(router: Router(), authenticator: Authenticator(identity: identity, logger: logger), logger: logger)
        OperationsRoutes(pool: pool, configuration: configuration).register(&routes)
        OrganizationRoutes(identity: identity).register(&routes)
        UserRoutes(identity: identity).register(&routes)
        MembershipRoutes(identity: identity).register(&routes)
        TokenRoutes(identity: identity).register(&routes)
        PractitionerRoutes(store: register).register(&routes)
        PeriodRoutes(store: register).register(&routes)
        RegisterLookupRoutes(store: register).register(&routes)
        CourseRoutes(store: register).register(&routes)
        AccreditationRoutes(store: register).register(&routes)
        RegisterFileRoutes(store: register).register(&routes)
        return routes.router
    }
}
