import FoundationEssentials
import HTTPServer
import KraamzorgStore
import PostgresClient

/// `/healthz`, `/readyz`, `/metrics`, `/openapi.yaml`: for load balancers, Prometheus and integrators.
struct OperationsRoutes {
    /// The whole pool: `/readyz` pings it (a free connection, or the one kept for health checks).
    let pool: PostgresPool
    /// The pool as `/metrics` borrows it for the outbox backlog.
    let backlogPool: PostgresPool
    /// The read replica, if any: `/readyz` says whether it answers, `/metrics` which pool served the reads that may lag.
    let reads: ReadReplica
    let configuration: KraamzorgApp.Configuration

    private static let healthy = HTTPResponse(
        status: .ok, headers: ["Content-Type": "application/json"], body: Array(#"{"status":"ok"}"#.utf8))

    func register(_ routes: inout RouteBuilder) {
        // Liveness only: answered on the event loop, never touches the database.
        routes.router.add(.GET, "/healthz", immediate: { _ in OperationsRoutes.healthy })

        let pool = self.pool, backlogPool = self.backlogPool, reads = self.reads, typeBase = routes.problemTypeBase
        // Ready while the database answers, even when every connection is lent out or queued for. With a read replica
        // (`DATABASE_READ_URL`) the answer says whether it answers too; a replica down does not make the instance
        // unready, since its reads then go to the primary.
        routes.router.add(.GET, "/readyz") { request in
            if await pool.ping() {
                let body: String
                switch await reads.replicaAnswers() {
                case nil: body = #"{"status":"ready"}"#
                case true?: body = #"{"replica":"ready","status":"ready"}"#
                case false?: body = #"{"replica":"unavailable","status":"ready"}"#
                }
                return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
            }
            return APIProblem.databaseUnavailable.response(requestId: request.requestId, typeBase: typeBase)
        }

        let configuration = self.configuration
        routes.router.add(.GET, "/metrics") { _ in
            let stats = pool.statistics
            var text = configuration.httpMetrics()
            text += """
                # HELP db_pool_connections Database connections by state.
                # TYPE db_pool_connections gauge
                db_pool_connections{state="in_use"} \(stats.inUse)
                db_pool_connections{state="idle"} \(stats.idle)
                db_pool_connections{state="max"} \(stats.maxSize)
                # HELP db_pool_waiting Requests waiting for a database connection.
                # TYPE db_pool_waiting gauge
                db_pool_waiting \(stats.waiting)
                # HELP db_pool_class_connections Database connections lent per class of requests (each capped).
                # TYPE db_pool_class_connections gauge

                """
            for (name, n) in stats.inUseByClass.sorted(by: { $0.key < $1.key }) {
                text += "db_pool_class_connections{class=\"\(name)\"} \(n)\n"
            }
            // Which pool served the reads that may lag (`ReadReplica`): the replica, the primary, and fallbacks to it.
            let served = reads.counts
            text += "# HELP db_lagging_reads_total Reads that may lag (public lookups, agenda, statistics), by the pool that served them.\n"
            text += "# TYPE db_lagging_reads_total counter\n"
            text += "db_lagging_reads_total{pool=\"replica\"} \(served.replica)\n"
            text += "db_lagging_reads_total{pool=\"primary\"} \(served.primary)\n"
            text += "db_lagging_reads_total{pool=\"fallback\"} \(served.fallbacks)\n"
            // The outbox backlog (skipped when the database does not answer).
            if let backlog = try? await OutboxDelivery.backlog(on: backlogPool) {
                text += "# HELP outbox_messages Outbox email messages and webhook deliveries not yet done, by status.\n"
                text += "# TYPE outbox_messages gauge\n"
                for queue in ["email", "webhook"] {
                    for status in ["pending", "failed"] {
                        let n = backlog.first { $0.queue == queue && $0.status == status }?.count ?? 0
                        text += "outbox_messages{queue=\"\(queue)\",status=\"\(status)\"} \(n)\n"
                    }
                }
            }
            return HTTPResponse.text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }

        let document = configuration.openAPIDocument
        routes.router.add(.GET, "/openapi.yaml") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: document)
        }
    }
}
